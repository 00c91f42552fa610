import { describe, expect, it } from 'vitest';
import { msdDirect, tracerMsd } from '../../src/analysis/msd.js';
import { combineTracerMsd, tracerChunkCount, tracerMsdPart, tracerMsdPlan, TracerMsdSum } from '../../src/analysis/msd-tensor.js';
import { mulberry32 } from '../../src/analysis/random.js';

/** Random walks, frame-major, n ions × T frames (float32 when asked). */
function walks(T: number, n: number, seed: number, f32: boolean): Float64Array | Float32Array {
  const rng = mulberry32(seed);
  const u = new Float64Array(T * n * 3);
  for (let k = 0; k < n * 3; k++) u[k] = 10 * rng();
  for (let f = 1; f < T; f++) for (let k = 0; k < n * 3; k++) u[f * n * 3 + k] = u[(f - 1) * n * 3 + k] + (rng() - 0.5);
  return f32 ? Float32Array.from(u) : u;
}

const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => a.length === b.length && Array.from(a).every((x, i) => Object.is(x, b[i]));

describe('tensor MSD split by chunks of ions', () => {
  // Chunks of 64 ions at T = 600 and of 41 at T = 25000: 3 chunks each, the last one short.
  it.each([[600, 150, false], [25000, 90, true]])('any split of the chunks, combined in order, is bit-identical to tracerMsd (T = %i, n = %i)', (T, n, f32) => {
    const u = walks(T, n, T + n, f32);
    const lags = Int32Array.from([Math.floor(T / 20), Math.floor(T / 8), Math.floor(T / 4), Math.floor(T / 2)]);
    const w = Float64Array.from([0.3, -0.1, 0.5, 0.2]);
    const whole = tracerMsd(u, T, n, new Int32Array(0), { tensor: true, formLags: lags, formWeights: w });
    const plan = tracerMsdPlan(T, n, lags, w);
    const nc = tracerChunkCount(plan);
    expect(nc).toBeGreaterThan(1);
    const splits = [[0, nc], [0, 1, nc], [0, nc - 1, nc], Array.from({ length: nc + 1 }, (_, i) => i)];
    for (const cuts of splits) {
      const parts = cuts.slice(1).map((c1, i) => tracerMsdPart(plan, u, cuts[i], c1));
      const r = combineTracerMsd(plan, parts);
      expect(same(r.msd, whole.msd)).toBe(true);
      for (let c = 0; c < 6; c++) expect(same(r.tensor[c], whole.tensor[c])).toBe(true);
      expect(same(r.perIonTensorForm, whole.perIonTensorForm)).toBe(true);
    }
    // And the MSD itself is right (the direct O(T²) sum, on the short case).
    if (T <= 600) {
      const direct = msdDirect(u, T, n);
      let e = 0, s = 0;
      for (let m = 1; m < T; m++) { e = Math.max(e, Math.abs(whole.msd[m] - direct[m])); s = Math.max(s, direct[m]); }
      expect(e / s).toBeLessThan(1e-9);
    }
  });

  it('without forms, over several chunks, equals the direct MSD', () => {
    const T = 400, n = 150;
    const u = walks(T, n, 8, false);
    const r = combineTracerMsd(tracerMsdPlan(T, n), [tracerMsdPart(tracerMsdPlan(T, n), u, 0, 1), tracerMsdPart(tracerMsdPlan(T, n), u, 1, 3)]);
    expect(same(r.msd, tracerMsd(u, T, n, new Int32Array(0), { tensor: true }).msd)).toBe(true);
    const direct = msdDirect(u, T, n);
    for (let m = 1; m < T; m++) expect(Math.abs(r.msd[m] - direct[m])).toBeLessThan(1e-9 * direct[T - 1]);
  });

  it('refuses chunks out of order, sums of another plan, and an incomplete total', () => {
    const T = 300, n = 20;
    const u = walks(T, n, 5, false);
    const plan = tracerMsdPlan(T, n);
    const parts = tracerMsdPart(plan, u, 0, tracerChunkCount(plan));
    const sum = new TracerMsdSum(plan);
    expect(() => sum.result()).toThrow(/0 of 1 chunks/);
    sum.add(parts[0]);
    expect(() => sum.add(parts[0])).toThrow(/already added/);
    expect(() => tracerMsdPart(plan, u, 0, 2)).toThrow(/outside/);
    expect(() => new TracerMsdSum(tracerMsdPlan(2 * T, n)).add(parts[0])).toThrow(/another plan/);
  });
});
