/**
 * A fixed pool of worker threads for load + analyze. Works from dist/ (compiled .js) and from
 * source under vitest/tsx (see ../parallel/worker-start.ts).
 */
import type { Worker } from 'node:worker_threads';
import { siblingUrl, startWorker, workerExecArgv } from '../parallel/worker-start.js';
import type { WorkOutput, WorkTask } from './types.js';

export class CancelledError extends Error {
  constructor() {
    super('cancelled');
  }
}

interface Pending {
  task: WorkTask;
  resolve: (out: WorkOutput) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  ready: Promise<void>;
  busy: Pending | null;
  dead: boolean;
}

export interface PoolOptions {
  size: number;
  /** Module exporting `processTask` (default: ./process). Tests inject stubs here. */
  processorUrl?: string;
  /** Workers started in place of crashed ones, over the pool's life (default: max(2, size)). */
  maxRestarts?: number;
}

export class WorkerPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Pending[] = [];
  private closed = false;
  private restartsLeft: number;
  /** Why the last worker died, once no worker is left and none may be started. */
  private deadReason: Error | null = null;
  private readonly workerUrl: URL;
  private readonly processorUrl: string;
  private readonly execArgv: string[];

  constructor(opts: PoolOptions) {
    this.workerUrl = siblingUrl('worker', import.meta.url);
    this.processorUrl = opts.processorUrl ?? siblingUrl('process', import.meta.url).href;
    // Workers inherit the parent's flags, minus those that would make them refuse to start.
    this.execArgv = workerExecArgv();
    const size = Math.max(1, opts.size);
    this.restartsLeft = opts.maxRestarts ?? Math.max(2, size);
    for (let i = 0; i < size; i++) this.slots.push(this.spawn());
  }

  private spawn(): Slot {
    const workerData = { processorUrl: this.processorUrl };
    const worker = startWorker(this.workerUrl, { workerData, execArgv: this.execArgv });
    const slot: Slot = { worker, busy: null, ready: Promise.resolve(), dead: false };
    slot.ready = new Promise<void>((resolve, reject) => {
      const onMsg = (m: { ready?: boolean }): void => {
        if (m.ready) {
          worker.off('message', onMsg);
          resolve();
        }
      };
      worker.on('message', onMsg);
      worker.once('error', reject);
      worker.once('exit', (code) => reject(new Error(`indexer worker exited with code ${code} before it was ready`)));
    });
    // A worker that dies while loading is handled by fail() below; nobody need await `ready`.
    slot.ready.catch(() => undefined);
    worker.on('message', (m: { taskId?: number; out?: WorkOutput }) => {
      if (m.taskId === undefined || !slot.busy) return;
      const p = slot.busy;
      slot.busy = null;
      p.resolve(m.out as WorkOutput);
      this.pump();
    });
    worker.on('error', (err) => this.fail(slot, err));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(slot, new Error(`indexer worker exited with code ${code}`));
    });
    return slot;
  }

  /** Resolves when every worker has loaded its modules. */
  async ready(): Promise<void> {
    await Promise.all(this.slots.map((s) => s.ready));
  }

  get size(): number {
    return this.slots.length;
  }

  run(task: WorkTask): Promise<WorkOutput> {
    if (this.closed) return Promise.reject(new CancelledError());
    if (this.deadReason) return Promise.reject(this.deadReason);
    return new Promise<WorkOutput>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    for (const slot of this.slots) {
      if (this.queue.length === 0) return;
      if (slot.busy || this.closed) continue;
      const p = this.queue.shift() as Pending;
      slot.busy = p;
      slot.worker.postMessage(p.task);
    }
  }

  /**
   * A worker crashed (e.g. out of memory, or its modules failed to load): its task fails, and a
   * fresh worker takes its place while restarts are left. With no worker left, queued and
   * later tasks are rejected at once (never left waiting).
   */
  private fail(slot: Slot, err: Error): void {
    if (slot.dead) return; // 'error' is followed by 'exit'
    slot.dead = true;
    const p = slot.busy;
    slot.busy = null;
    if (p) p.resolve({ ok: false, stage: 'analyze', message: `${p.task.trajectory.files[0] ?? p.task.trajectory.name}: worker crashed: ${err.message}` });
    const idx = this.slots.indexOf(slot);
    if (idx >= 0) this.slots.splice(idx, 1);
    if (!this.closed) void slot.worker.terminate().catch(() => undefined);
    if (!this.closed && this.restartsLeft > 0) {
      this.restartsLeft--;
      this.slots.push(this.spawn());
    }
    if (this.slots.length === 0) {
      this.deadReason = new Error(`no indexer worker left (the last one crashed: ${err.message})`);
      for (const q of this.queue.splice(0)) q.reject(this.deadReason);
    } else this.pump();
  }

  /** Stop: queued and running tasks are rejected with CancelledError; workers terminate. */
  async close(): Promise<void> {
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new CancelledError());
    for (const s of this.slots) {
      if (s.busy) s.busy.reject(new CancelledError());
      s.busy = null;
    }
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
