/** One parse thread's share of the coordinate bounds check (bounds-parallel.ts): a range of a shared frame array. */
import { firstOutOfBounds } from './plausibility.js';
import type { BoundsTask, ChunkResult } from './parse-task.js';

/** The values of the task's range within bounds, or not. */
export function checkBounds(t: BoundsTask): ChunkResult {
  const a = t.f32 ? new Float32Array(t.out) : new Float64Array(t.out);
  const i = firstOutOfBounds(a, t.start, t.end);
  return i < 0 ? { ok: true } : { ok: false, why: `value ${i} out of bounds` };
}
