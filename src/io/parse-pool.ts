/**
 * A small pool of parse threads, started on first use and kept for the next file (starting a
 * thread costs tens of ms, more than parsing a few MB). The threads run parse-worker.ts; they
 * write frames straight into a SharedArrayBuffer the caller allocated, and answer with a small
 * status. Idle threads do not keep the process alive.
 */
import { open, stat } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { isMainThread, type Worker } from 'node:worker_threads';
import { siblingUrl, startWorker } from './worker-start.js';
import type { ParseTask } from './parse-task.js';

/** Environment variable: number of parse threads (0 or 1 = parse on the calling thread only). */
export const PARSE_WORKERS_ENV = 'IONSIFT_PARSE_WORKERS';

/**
 * Parse threads to use by default, besides the calling thread (which parses too):
 * IONSIFT_PARSE_WORKERS, else the cores not already busy (cores minus the 1-minute load
 * average, rounded), at most cores − 1 and at most 3. On a machine whose cores are all taken a
 * thread only adds its start-up and switching cost (BENCHMARKS.md, "XDATCAR parse"). None inside
 * a worker thread (the indexer and the analysis already run one trajectory per core).
 */
export function defaultParseWorkers(): number {
  const env = process.env[PARSE_WORKERS_ENV];
  if (env !== undefined && env !== '' && Number.isInteger(Number(env)) && Number(env) >= 0) return Number(env);
  if (!isMainThread) return 0;
  const cores = availableParallelism();
  return Math.max(0, Math.min(3, cores - 1, Math.round(cores - loadavg()[0])));
}

/** Parse threads started and alive (a warm pool makes parallel parsing pay off on smaller files). */
export function parseThreadsStarted(): number {
  return slots.length;
}

/**
 * Below this many bytes of frames a file (XDATCAR, extxyz) is parsed on the calling thread alone: starting a parse
 * thread costs 70–150 ms of CPU (measured on this 2-core VM, BENCHMARKS.md "XDATCAR parse"),
 * about what it saves on 32 MB; once the threads are running (a later file of the same
 * process) they pay off from a few MB.
 */
export const PARALLEL_MIN_BYTES = { cold: 32e6, warm: 4e6 };

interface Slot {
  worker: Worker;
  busy: boolean;
}

const slots: Slot[] = [];
let nextId = 1;
const waiting = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void; slot: Slot }>();

function retire(slot: Slot, err: Error): void {
  const i = slots.indexOf(slot);
  if (i >= 0) slots.splice(i, 1);
  for (const [id, w] of waiting) if (w.slot === slot) { waiting.delete(id); w.reject(err); }
  void slot.worker.terminate();
}

function spawn(): Slot {
  const worker = startWorker(siblingUrl('parse-worker', import.meta.url));
  const slot: Slot = { worker, busy: false };
  worker.on('message', (m: { id: number; result?: unknown; error?: string }) => {
    const w = waiting.get(m.id);
    if (!w) return;
    waiting.delete(m.id);
    if (m.error !== undefined) w.reject(new Error(m.error));
    else w.resolve(m.result);
  });
  worker.on('error', (e) => retire(slot, e));
  worker.on('exit', (code) => retire(slot, new Error(`parse thread exited (code ${code})`)));
  worker.unref();
  slots.push(slot);
  return slot;
}

function runOn<R>(slot: Slot, task: ParseTask): Promise<R> {
  const id = nextId++;
  slot.busy = true;
  // A thread with work in flight keeps the process alive until it answers.
  slot.worker.ref();
  return new Promise<R>((resolve, reject) => {
    waiting.set(id, { resolve: resolve as (r: unknown) => void, reject, slot });
    slot.worker.postMessage({ id, task });
  }).finally(() => {
    slot.busy = false;
    slot.worker.unref();
  });
}

/** Starts parse threads up to `threads` now (they take tens of ms to boot), so that they are ready sooner. */
export function warmParsePool(threads: number): void {
  while (slots.length < threads) spawn();
}

/**
 * Starts the default parse threads ahead of time when one of `paths` is a plain (not gzip)
 * regular file large enough to be parsed on them (PARALLEL_MIN_BYTES.cold): a one-shot command
 * (`ionsift inspect`/`analyze`) calls this before loading its modules, so that the threads boot
 * (tens of ms each) while the command's own modules load instead of after the file's header
 * is read. Threads start only on idle cores (defaultParseWorkers); a file that turns out not
 * to use them (another format, a folder) has cost one thread's start-up on an idle core.
 */
export async function warmParsePoolFor(paths: readonly string[]): Promise<void> {
  const threads = defaultParseWorkers();
  if (threads > 0 && (await largePlainFile(paths)) !== null) warmParsePool(threads);
}

/** The first of `paths` that is a plain (not gzip) regular file of at least `minBytes`, or null. */
export async function largePlainFile(paths: readonly string[], minBytes = PARALLEL_MIN_BYTES.cold): Promise<string | null> {
  for (const path of paths) {
    // stat before open: opening a FIFO (or a device) for reading would wait for a writer.
    const st = await stat(path).catch(() => null);
    if (!st || !st.isFile() || st.size < minBytes) continue;
    const fh = await open(path, 'r').catch(() => null);
    if (!fh) continue;
    try {
      const magic = Buffer.alloc(2);
      await fh.read(magic, 0, 2, 0);
      if (magic[0] === 0x1f && magic[1] === 0x8b) continue;
      return path;
    } finally {
      await fh.close();
    }
  }
  return null;
}

/**
 * Runs `tasks` on up to `threads` parse threads and, once `local.ready` resolves, on the calling
 * thread too (`local.run`), each lane taking the next task when done with one: a thread slowed
 * by other processes, or still booting, takes fewer. Results in task order. A thread that fails
 * (not a task that answers "not as planned") rejects.
 */
export async function runParseTasks<T extends ParseTask, R>(tasks: T[], threads: number, local?: { ready: Promise<unknown>; run: (t: T) => Promise<R> }): Promise<R[]> {
  warmParsePool(threads);
  const results: R[] = new Array<R>(tasks.length);
  let next = 0, failed = false;
  const lane = async (run: (t: T) => Promise<R>): Promise<void> => {
    while (next < tasks.length && !failed) {
      const i = next++;
      try {
        results[i] = await run(tasks[i]);
      } catch (err) {
        failed = true;
        throw err;
      }
    }
  };
  const lanes = slots.filter((s) => !s.busy).slice(0, threads).map((slot) => lane((t) => runOn<R>(slot, t)));
  if (local) lanes.push(local.ready.then(() => lane(local.run)));
  await Promise.all(lanes);
  if (next < tasks.length) throw new Error('no idle parse thread');
  return results;
}

/** Stops the parse threads (tests; the process does not wait for them anyway). */
export async function closeParsePool(): Promise<void> {
  const all = slots.splice(0);
  await Promise.all(all.map((s) => s.worker.terminate()));
}
