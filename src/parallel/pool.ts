/**
 * The one pool of worker threads (the indexer's trajectories, analyzeParallel's blocks of ions).
 * Tasks queue and go, one at a time, to workers that have loaded their modules; a task's message
 * is built only when a worker takes it (`runLazy`), so big inputs are not all copied at once.
 * A worker that dies fails the task it held (WorkerCrashError) and is replaced while restarts are
 * left; with none left, queued and later tasks are rejected at once (never left waiting).
 * `close()` rejects queued and running tasks with CancelledError and terminates the workers.
 * The worker side is serve.ts.
 */
import type { ResourceLimits, TransferListItem, Worker } from 'node:worker_threads';
import type { ReadyMessage, ReplyMessage, TaskMessage } from './messages.js';
import { startWorker } from './worker-start.js';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

/** The worker running the task died (crashed, ran out of memory, exited). */
export class WorkerCrashError extends Error {
  constructor(reason: string) {
    super(`worker crashed: ${reason}`);
    this.name = 'WorkerCrashError';
  }
}

/** A task's message and the buffers in it to transfer (not copy). */
export interface Outgoing<T> {
  task: T;
  transfer?: TransferListItem[];
}

export interface ThreadPoolOptions {
  /** Names the workers in messages ("indexer worker exited with code 7"). */
  name: string;
  /** The worker's module (see `siblingUrl`); it calls `serve()` once loaded. */
  entry: URL;
  size: number;
  workerData?: unknown;
  /** Resource limits of each worker (e.g. `maxOldGenerationSizeMb`). */
  resourceLimits?: ResourceLimits;
  /** Workers started in place of crashed ones, over the pool's life (default 0). */
  maxRestarts?: number;
}

interface Job<T, R> {
  make: () => Outgoing<T>;
  resolve: (result: R) => void;
  reject: (err: Error) => void;
}

interface Slot<T, R> {
  worker: Worker;
  ready: boolean;
  dead: boolean;
  busy: { id: number; job: Job<T, R> } | null;
}

export class ThreadPool<T, R> {
  private readonly slots: Slot<T, R>[] = [];
  private readonly queue: Job<T, R>[] = [];
  private closed = false;
  private restartsLeft: number;
  private nextId = 0;
  /** Why the last worker died, once no worker is left and none may be started. */
  private deadReason: Error | null = null;
  readonly startedAt = performance.now();
  /** When a worker last finished loading its modules (NaN: none yet). */
  lastReadyAt = NaN;

  constructor(private readonly opts: ThreadPoolOptions) {
    this.restartsLeft = opts.maxRestarts ?? 0;
    const size = Math.max(1, Math.floor(opts.size));
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  /** Workers alive (started or loading). */
  get size(): number {
    return this.slots.length;
  }

  /** Every worker event is handled from the start: one failing while loading must not become an uncaught 'error'. */
  private spawn(): Slot<T, R> {
    const worker = startWorker(this.opts.entry, { workerData: this.opts.workerData, resourceLimits: this.opts.resourceLimits });
    const slot: Slot<T, R> = { worker, ready: false, dead: false, busy: null };
    worker.on('message', (m: ReadyMessage | ReplyMessage<R>) => this.onMessage(slot, m));
    worker.on('error', (err) => this.fail(slot, err.message));
    worker.on('messageerror', (err) => this.fail(slot, `a reply could not be read: ${err.message}`));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(slot, `${this.opts.name} worker exited with code ${code}`);
    });
    return slot;
  }

  run(task: T, transfer?: TransferListItem[]): Promise<R> {
    return this.runLazy(() => ({ task, transfer }));
  }

  /** Like `run`, the message built by `make` when a worker takes the task. */
  runLazy(make: () => Outgoing<T>): Promise<R> {
    if (this.closed) return Promise.reject(new CancelledError());
    if (this.deadReason) return Promise.reject(this.deadReason);
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ make, resolve, reject });
      this.pump();
    });
  }

  private onMessage(slot: Slot<T, R>, m: ReadyMessage | ReplyMessage<R>): void {
    if (!('id' in m)) {
      slot.ready = true;
      this.lastReadyAt = performance.now();
      this.pump();
      return;
    }
    const held = slot.busy;
    if (!held || held.id !== m.id) return;
    slot.busy = null;
    if (m.ok) held.job.resolve(m.result);
    else held.job.reject(new Error(m.message));
    this.pump();
  }

  /** Gives each idle, loaded worker the next queued task. */
  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0 || this.closed) return;
      if (!slot.ready || slot.busy) continue;
      const job = this.queue.shift() as Job<T, R>;
      let out: Outgoing<T>;
      try {
        out = job.make();
      } catch (err) {
        job.reject(err instanceof Error ? err : new Error(String(err)));
        continue;
      }
      const id = this.nextId++;
      slot.busy = { id, job };
      try {
        slot.worker.postMessage({ id, task: out.task } satisfies TaskMessage<T>, out.transfer ?? []);
      } catch (err) {
        // e.g. a value that cannot be cloned: this task fails, the worker stays free.
        slot.busy = null;
        job.reject(err instanceof Error ? err : new Error(String(err)));
      }
    }
  }

  /** A worker died: its task fails, and a fresh worker takes its place while restarts are left. */
  private fail(slot: Slot<T, R>, reason: string): void {
    if (slot.dead) return; // 'error' is followed by 'exit'
    slot.dead = true;
    const held = slot.busy;
    slot.busy = null;
    if (held) held.job.reject(new WorkerCrashError(reason));
    this.slots.splice(this.slots.indexOf(slot), 1);
    if (this.closed) return;
    void slot.worker.terminate().catch(() => undefined);
    if (this.restartsLeft > 0) {
      this.restartsLeft--;
      this.slots.push(this.spawn());
    }
    if (this.slots.length === 0) {
      this.deadReason = new Error(`no ${this.opts.name} worker left (the last one crashed: ${reason})`);
      for (const q of this.queue.splice(0)) q.reject(this.deadReason);
    } else this.pump();
  }

  /** Stop: queued and running tasks are rejected with CancelledError; the workers terminate. */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new CancelledError());
    for (const s of this.slots) {
      if (s.busy) s.busy.job.reject(new CancelledError());
      s.busy = null;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
