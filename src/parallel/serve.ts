/**
 * The worker side of a ThreadPool: call `serve(handler)` once the worker's modules are loaded;
 * it announces the worker ready, then answers each task with the handler's result (its buffers
 * transferred, not copied) or with the error the handler threw.
 */
import { parentPort, type TransferListItem } from 'node:worker_threads';
import type { ReadyMessage, ReplyMessage, TaskMessage } from './messages.js';

/** A handler's answer: the result and the buffers inside it to transfer. */
export interface Answer<R> {
  result: R;
  transfer?: TransferListItem[];
}

export function serve<T, R>(handler: (task: T) => Answer<R> | Promise<Answer<R>>): void {
  const port = parentPort;
  if (!port) throw new Error('a pool worker started outside a worker thread');
  port.on('message', (m: TaskMessage<T>) => {
    void (async () => {
      let reply: ReplyMessage<R>;
      let transfer: TransferListItem[] = [];
      try {
        const a = await handler(m.task);
        reply = { id: m.id, ok: true, result: a.result };
        transfer = a.transfer ?? [];
      } catch (err) {
        reply = { id: m.id, ok: false, message: err instanceof Error ? err.message : String(err) };
      }
      try {
        port.postMessage(reply, transfer);
      } catch (err) {
        // A result that cannot be cloned is a bug in the handler's output: report it, don't hang.
        const message = `result could not be sent from the worker: ${err instanceof Error ? err.message : String(err)}`;
        port.postMessage({ id: m.id, ok: false, message } satisfies ReplyMessage<R>);
      }
    })();
  });
  port.postMessage({ ready: true } satisfies ReadyMessage);
}
