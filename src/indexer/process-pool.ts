/**
 * The indexer's pool of child processes (`child_process.fork` of child.ts), the alternative to
 * worker threads (pool.ts). Each child is its own V8 with its own flags: V8's flags cannot be set
 * per worker thread, and a child can run with `--single-threaded` (TurboFan and GC on its own
 * thread) so that one worker's JIT and GC do not take the core another worker needs
 * (BENCHMARKS.md, "Indexing"). Messages use the V8 serializer (`serialization: 'advanced'`).
 *
 * The children stay warm for the whole run. Each child is given the next task while its current
 * one runs (while enough tasks queue for every child), so it does not wait for the main thread,
 * which may be busy writing a batch. A child that dies fails the task it was running
 * (WorkerCrashError; a task it was only holding goes back to the queue) and is replaced while
 * restarts are left; with none left, queued and later tasks are rejected at once. `close()`
 * rejects queued and running tasks with CancelledError and kills the children.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CancelledError, WorkerCrashError } from '../parallel/pool.js';
import type { CodeSource } from './child-code.js';
import type { WorkOutput, WorkTask } from './types.js';

/** This child's CPU time (all its threads) and peak RSS so far, sent with every answer. */
export interface ChildUsage {
  cpuS: number;
  /** CPU seconds of the child's main thread alone (Linux; 0 elsewhere): its critical path. */
  mainCpuS: number;
  maxRssMb: number;
  /**
   * Per child (in start order, replaced children included): its main thread's CPU seconds until
   * it was ready (Node start-up and module loading), then per answered task. The warm-up shows as
   * the first tasks costing more than the rest (BENCHMARKS.md, "Indexing").
   */
  perChild?: ChildCpu[];
}

/** One child's main-thread CPU: until ready, then per answered task; and how it loaded its code. */
export interface ChildCpu {
  readyS: number;
  tasksS: number[];
  source: CodeSource | null;
}

/** What a child sends: ready once its modules are loaded, or why they could not be; one answer per task. */
export type ChildReply =
  | { ready: true; mainCpuS: number; source: CodeSource }
  | { loadError: string }
  | { id: number; ok: true; result: WorkOutput; usage: ChildUsage }
  | { id: number; ok: false; message: string; usage: ChildUsage };

export interface ProcessPoolOptions {
  size: number;
  /** Module exporting `processTask`. */
  processorUrl: string;
  /** Children started in place of crashed ones, over the pool's life. */
  maxRestarts: number;
  /** Node/V8 flags of every child (e.g. `--single-threaded`, `--max-old-space-size=N`). */
  nodeFlags: readonly string[];
  /** The processor as one bundle (child-code.ts, dist/indexer/child-bundle.cjs) instead of `processorUrl`. */
  bundle?: string | null;
}

interface Job {
  task: WorkTask;
  resolve: (out: WorkOutput) => void;
  reject: (err: Error) => void;
}

interface Slot {
  child: ChildProcess;
  ready: boolean;
  dead: boolean;
  /** Tasks sent and not answered, oldest (the running one) first. */
  held: { id: number; job: Job }[];
  usage: ChildUsage;
  loadError: string | null;
  /** The end of what the child wrote to stderr (V8's "FATAL ERROR: … heap out of memory"). */
  stderrTail: string;
  /** Main-thread CPU at ready, then per answered task (ChildUsage.perChild). */
  cpu: ChildCpu;
}

/** Tasks a child holds at most: the running one and the next. */
const DEPTH = 2;

/** Node flags that make a child run .ts sources (tests, `tsx` runs): tsx's loader, by absolute URL. */
function sourceFlags(entry: string): string[] {
  if (!entry.endsWith('.ts')) return [];
  const req = createRequire(import.meta.url);
  return ['--import', pathToFileURL(join(dirname(req.resolve('tsx/package.json')), 'dist/loader.mjs')).href];
}

export class ProcessPool {
  private readonly slots: Slot[] = [];
  private readonly queue: Job[] = [];
  private closed = false;
  private restartsLeft: number;
  private nextId = 0;
  private deadReason: Error | null = null;
  private readonly entry = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? './child.ts' : './child.js', import.meta.url));
  /** CPU seconds and peak RSS of children that are gone (crashed or closed). */
  private finished: ChildUsage[] = [];
  /** Every child's CPU by task, in start order. */
  private readonly cpuByChild: Slot['cpu'][] = [];

  constructor(private readonly opts: ProcessPoolOptions) {
    this.restartsLeft = opts.maxRestarts;
    for (let i = 0; i < Math.max(1, Math.floor(opts.size)); i++) this.slots.push(this.spawn());
  }

  get size(): number {
    return this.slots.length;
  }

  /** CPU seconds of every child so far (as of its last answer; crashed children's up to their last answer) and the sum of their peak RSS (MB). */
  usage(): ChildUsage {
    const all = [...this.finished, ...this.slots.map((s) => s.usage)];
    const sum = (k: 'cpuS' | 'mainCpuS' | 'maxRssMb'): number => all.reduce((a, u) => a + u[k], 0);
    return { cpuS: sum('cpuS'), mainCpuS: sum('mainCpuS'), maxRssMb: sum('maxRssMb'), perChild: this.cpuByChild.map((c) => ({ ...c, tasksS: [...c.tasksS] })) };
  }

  private spawn(): Slot {
    const child = fork(this.entry, [], {
      execArgv: [...sourceFlags(this.entry), ...this.opts.nodeFlags],
      serialization: 'advanced',
      // No parse threads in a child: the pool already runs one trajectory per core.
      env: { ...process.env, IONSIFT_INDEX_CHILD_PROCESSOR: this.opts.processorUrl, IONSIFT_PARSE_WORKERS: '0', ...this.bundleEnv() },
      stdio: ['ignore', 'inherit', 'pipe', 'ipc'],
    });
    const slot: Slot = { child, ready: false, dead: false, held: [], usage: { cpuS: 0, mainCpuS: 0, maxRssMb: 0 }, loadError: null, stderrTail: '', cpu: { readyS: 0, tasksS: [], source: null } };
    this.cpuByChild.push(slot.cpu);
    // Passed on as it comes; its end is kept to say why a child died.
    child.stderr?.on('data', (b: Buffer) => {
      process.stderr.write(b);
      slot.stderrTail = (slot.stderrTail + b.toString('utf8')).slice(-4096);
    });
    child.on('message', (m: ChildReply) => this.onMessage(slot, m));
    child.on('error', (err) => this.fail(slot, err.message));
    // 'close', not 'exit': by then the child's stderr is read to the end.
    child.on('close', (code, signal) => {
      if (this.closed) return;
      const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
      const fatal = /FATAL ERROR: ([^\n]*)/.exec(slot.stderrTail)?.[1].trim();
      this.fail(slot, slot.loadError ? `cannot load: ${slot.loadError}` : `indexer worker process ${how}${fatal ? ` (${fatal})` : ''}`);
    });
    return slot;
  }

  private bundleEnv(): Record<string, string> {
    const b = this.opts.bundle;
    return { IONSIFT_INDEX_CHILD_BUNDLE: b ?? '' };
  }

  run(task: WorkTask): Promise<WorkOutput> {
    if (this.closed) return Promise.reject(new CancelledError());
    if (this.deadReason) return Promise.reject(this.deadReason);
    return new Promise<WorkOutput>((resolve, reject) => {
      this.queue.push({ task, resolve, reject });
      this.pump();
    });
  }

  private onMessage(slot: Slot, m: ChildReply): void {
    if ('ready' in m) {
      slot.ready = true;
      slot.cpu.readyS = m.mainCpuS;
      slot.cpu.source = m.source;
      this.pump();
      return;
    }
    if ('loadError' in m) {
      slot.loadError = m.loadError;
      return;
    }
    const i = slot.held.findIndex((h) => h.id === m.id);
    if (i < 0) return;
    const [held] = slot.held.splice(i, 1);
    slot.cpu.tasksS.push(m.usage.mainCpuS - (slot.usage.mainCpuS || slot.cpu.readyS));
    slot.usage = m.usage;
    if (m.ok) held.job.resolve(m.result);
    else held.job.reject(new Error(m.message));
    this.pump();
  }

  /**
   * Gives every loaded child a task, then a second one to each while the queue still has more
   * than one per child (near the end, tasks wait for whichever child is free first).
   */
  private pump(): void {
    for (let depth = 1; depth <= DEPTH; depth++) {
      for (const slot of this.slots) {
        if (this.closed || this.queue.length === 0) return;
        if (depth > 1 && this.queue.length < this.slots.length) return;
        if (!slot.ready || slot.dead || slot.held.length >= depth) continue;
        this.send(slot, this.queue.shift() as Job);
      }
    }
  }

  private send(slot: Slot, job: Job): void {
    const id = this.nextId++;
    slot.held.push({ id, job });
    try {
      slot.child.send({ id, task: job.task }, (err) => {
        // A child that died meanwhile: the task stays held, so the crash handling requeues it.
        if (err && !slot.dead && slot.child.connected) this.dropHeld(slot, id, err);
      });
    } catch (err) {
      // A task that cannot be serialized: it fails, the child stays free.
      this.dropHeld(slot, id, err);
    }
  }

  private dropHeld(slot: Slot, id: number, err: unknown): void {
    const i = slot.held.findIndex((h) => h.id === id);
    if (i < 0) return;
    const [held] = slot.held.splice(i, 1);
    held.job.reject(err instanceof Error ? err : new Error(String(err)));
    this.pump();
  }

  /** A child died: the task it ran fails, those it only held go back to the queue, and a new child takes its place while restarts are left. */
  private fail(slot: Slot, reason: string): void {
    if (slot.dead) return; // 'error' may be followed by 'exit'
    slot.dead = true;
    const [running, ...waiting] = slot.held.splice(0);
    if (running) running.job.reject(new WorkerCrashError(reason));
    this.queue.unshift(...waiting.map((h) => h.job));
    this.slots.splice(this.slots.indexOf(slot), 1);
    this.finished.push(slot.usage);
    if (this.closed) return;
    if (slot.child.exitCode === null && slot.child.signalCode === null) slot.child.kill('SIGKILL');
    if (this.restartsLeft > 0) {
      this.restartsLeft--;
      this.slots.push(this.spawn());
    }
    if (this.slots.length === 0) {
      this.deadReason = new Error(`no indexer worker process left (the last one crashed: ${reason})`);
      for (const q of this.queue.splice(0)) q.reject(this.deadReason);
    } else this.pump();
  }

  /**
   * Down to `size` children (at least 0), ending idle ones first: the run starts its children
   * before it knows how many trajectories need them (their start-up overlaps discovery).
   */
  shrink(size: number): void {
    while (this.slots.length > Math.max(0, size)) {
      const idle = this.slots.findIndex((s) => s.held.length === 0);
      if (idle < 0) return;
      const [slot] = this.slots.splice(idle, 1);
      slot.dead = true;
      this.finished.push(slot.usage);
      slot.child.kill('SIGKILL');
    }
  }

  /** Stop: queued and running tasks are rejected with CancelledError; the children are killed. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const q of this.queue.splice(0)) q.reject(new CancelledError());
    const exits: Promise<unknown>[] = [];
    for (const s of this.slots) {
      for (const h of s.held.splice(0)) h.job.reject(new CancelledError());
      this.finished.push(s.usage);
      if (s.child.exitCode !== null || s.child.signalCode !== null) continue;
      exits.push(new Promise((r) => s.child.once('exit', r)));
      s.child.kill('SIGKILL');
    }
    this.slots.length = 0;
    await Promise.all(exits);
  }
}
