/**
 * The coordinate bounds check of a large loaded trajectory (plausibility.ts) spread over the
 * parse threads that read it: a pass over 160 MB of frames takes tens of ms on one core, after
 * the parse and before anything else can run. Only when the threads are already running and
 * the frames are on a SharedArrayBuffer (the parallel readers' output); a value out of bounds
 * answers false, and the serial check then raises the usual message naming frame and atom.
 */
import { parseThreadsStarted, runParseTasks } from './parse-pool.js';
import { checkBounds } from './bounds-chunk.js';
import type { BoundsTask } from './parse-task.js';

/** Below this many values the check stays on the calling thread (a message round trip costs more). */
const MIN_VALUES = 4e6;
/** Tasks per lane: a lane slowed by other processes hands work to the others. */
const TASKS_PER_LANE = 2;

/**
 * True when the first `n` values of `frac` were checked on the running parse threads and the
 * calling thread and all lie within bounds; false when they were not checked that way (too few,
 * no threads running, not shared memory) or one is out of bounds (then check them serially).
 */
export async function coordinatesInBoundsParallel(frac: Float64Array | Float32Array, n: number): Promise<boolean> {
  const threads = parseThreadsStarted();
  if (threads === 0 || n < MIN_VALUES || !(frac.buffer instanceof SharedArrayBuffer) || frac.byteOffset !== 0) return false;
  const lanes = threads + 1, k = lanes * TASKS_PER_LANE;
  const tasks: BoundsTask[] = [];
  for (let j = 0; j < k; j++) {
    tasks.push({ kind: 'bounds', out: frac.buffer, f32: frac instanceof Float32Array, start: Math.floor((n * j) / k), end: Math.floor((n * (j + 1)) / k) });
  }
  try {
    const results = await runParseTasks(tasks, threads, { ready: Promise.resolve(), run: async (t) => checkBounds(t) });
    return results.every((r) => r.ok);
  } catch {
    return false;
  }
}
