/** The envelope of every message between a ThreadPool (pool.ts) and its workers (serve.ts). */

/** Posted once by a worker when its modules are loaded. */
export interface ReadyMessage {
  ready: true;
}

export interface TaskMessage<T> {
  id: number;
  task: T;
}

/** A task's result, or why the worker could not produce or send it. */
export type ReplyMessage<R> =
  | { id: number; ok: true; result: R }
  | { id: number; ok: false; message: string };
