import { describe, expect, it } from 'vitest';
import { centreOfMass, collectiveMsd, msdDirect, tracerMsd } from '../../src/analysis/msd.js';
import { MsdLinearForm } from '../../src/analysis/msd-linear-form.js';
import { mulberry32 } from '../../src/analysis/diffusion.js';
import { randomWalks } from '../helpers/walk.js';

function maxRelErr(a: Float64Array, b: Float64Array): number {
  let scale = 0, e = 0;
  for (let i = 0; i < a.length; i++) scale = Math.max(scale, Math.abs(b[i]));
  for (let i = 0; i < a.length; i++) e = Math.max(e, Math.abs(a[i] - b[i]));
  return scale > 0 ? e / scale : e;
}

describe('FFT MSD', () => {
  it.each([[1, 1], [2, 1], [5, 3], [64, 1], [300, 7], [1001, 4]])('equals the direct O(T²) MSD on random data (T=%i, n=%i)', (T, n) => {
    const rng = mulberry32(T * 31 + n);
    // Offsets far from 0 as in real unwrapped coordinates.
    const u = Float64Array.from({ length: T * n * 3 }, () => 50 + 20 * rng());
    const direct = msdDirect(u, T, n);
    const fast = tracerMsd(u, T, n);
    expect(maxRelErr(fast.msd, direct)).toBeLessThan(1e-9);
    // Per-ion MSDs at all lags average to the same curve.
    const lags = Int32Array.from({ length: T }, (_, i) => i);
    const per = tracerMsd(u, T, n, lags);
    expect(maxRelErr(per.msd, direct)).toBeLessThan(1e-9);
    for (let i = 0; i < n; i++) {
      const one = new Float64Array(T * 3);
      for (let t = 0; t < T; t++) for (let d = 0; d < 3; d++) one[t * 3 + d] = u[(t * n + i) * 3 + d];
      expect(maxRelErr(per.perIon.subarray(i * T, (i + 1) * T), msdDirect(one, T, 1))).toBeLessThan(1e-9);
    }
  });

  it('equals the direct MSD on a long random walk', () => {
    const T = 3000, n = 3;
    const u = randomWalks(T, n, 0.1, 0.1, 3);
    expect(maxRelErr(tracerMsd(u, T, n).msd, msdDirect(u, T, n))).toBeLessThan(1e-9);
  });

  it('collective MSD is ⟨|Σ Δr|²⟩/N', () => {
    const T = 200, n = 5;
    const u = randomWalks(T, n, 0.1, 0.1, 4);
    const c = collectiveMsd(u, T, n);
    const com = centreOfMass(u, T, n);
    const d = msdDirect(com, T, 1);
    for (let m = 0; m < T; m++) expect(c[m]).toBeCloseTo(n * d[m], 9);
    // Direct definition at one lag.
    const m = 17;
    let s = 0;
    for (let t = 0; t + m < T; t++) for (let ax = 0; ax < 3; ax++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += u[((t + m) * n + i) * 3 + ax] - u[(t * n + i) * 3 + ax];
      s += sum * sum;
    }
    expect(c[m]).toBeCloseTo(s / (T - m) / n, 9);
  });

  it.each([[2, 1], [5, 2], [64, 3], [700, 3], [1025, 5]])('MsdLinearForm equals Σ w·MSD(lag) of each trajectory, alone or paired (T=%i, %i trajectories)', (T, k) => {
    const rng = mulberry32(T + 17 * k);
    // Random walks far from the origin, random lags (with a repeat) and signed weights.
    const trajs = Array.from({ length: k }, (_, j) => randomWalks(T, 1, 0.1, 0.1, 100 * T + j));
    for (const u of trajs) for (let i = 0; i < u.length; i++) u[i] += 40;
    const nl = Math.max(1, Math.min(T - 1, 12));
    const lags = Int32Array.from({ length: nl }, () => 1 + Math.floor(rng() * (T - 1)));
    if (nl > 1) lags[1] = lags[0];
    const w = Float64Array.from({ length: nl }, () => rng() - 0.5);
    const form = new MsdLinearForm(T, lags, w);
    const expected = trajs.map((u) => {
      const msd = msdDirect(u, T, 1);
      let v = 0, scale = 0;
      for (let j = 0; j < nl; j++) { v += w[j] * msd[lags[j]]; scale += Math.abs(w[j] * msd[lags[j]]); }
      return { v, scale };
    });
    const out = new Float64Array(2);
    for (let j = 0; j < k; j += 2) {
      const b = j + 1 < k ? trajs[j + 1] : null;
      form.evaluate(trajs[j], b, out);
      expect(Math.abs(out[0] - expected[j].v)).toBeLessThan(1e-9 * expected[j].scale);
      if (b) expect(Math.abs(out[1] - expected[j + 1].v)).toBeLessThan(1e-9 * expected[j + 1].scale);
      // Alone gives the same value as paired.
      form.evaluate(trajs[j], null, out);
      expect(Math.abs(out[0] - expected[j].v)).toBeLessThan(1e-9 * expected[j].scale);
    }
    expect(() => new MsdLinearForm(T, [T], [1])).toThrow(/lag/);
    expect(() => form.evaluate(new Float64Array(3 * T + 3), null, out)).toThrow(/T|×/);
  });

  it.each([[700, 35, 350], [1000, 50, 500], [1200, 60, 600], [4000, 200, 2000]])('MsdLinearForm over a fit window (T=%i, lags %i…%i; small FFT sizes with wrap terms)', (T, m0, m1) => {
    const lags = Int32Array.from({ length: m1 - m0 + 1 }, (_, i) => m0 + i);
    const c = Float64Array.from(lags, (m) => m - (m0 + m1) / 2);
    const form = new MsdLinearForm(T, lags, c);
    const a = randomWalks(T, 1, 0.1, 0.1, T), b = randomWalks(T, 1, 0.1, 0.1, T + 1);
    const out = new Float64Array(2);
    form.evaluate(a, b, out);
    [a, b].forEach((u, k) => {
      const msd = msdDirect(u, T, 1);
      let v = 0, scale = 0;
      for (let j = 0; j < lags.length; j++) { v += c[j] * msd[lags[j]]; scale += Math.abs(c[j] * msd[lags[j]]); }
      expect(Math.abs(out[k] - v)).toBeLessThan(1e-10 * scale);
    });
  });

  it('rejects a wrong shape', () => {
    expect(() => tracerMsd(new Float64Array(10), 2, 2)).toThrow(/length/);
  });
});

describe('MSD tensor', () => {
  it('each component ⟨Δr_a·Δr_b⟩ equals the direct sum; the trace is the MSD; per-ion MSDs unchanged', async () => {
    const { tracerMsd: tm, TENSOR_COMPONENTS } = await import('../../src/analysis/msd.js');
    const { mulberry32: rngOf } = await import('../../src/analysis/random.js');
    const T = 301, n = 5;
    const r = rngOf(3);
    const u = new Float64Array(T * n * 3);
    for (let t = 1; t < T; t++) for (let k = 0; k < n * 3; k++) u[t * n * 3 + k] = u[(t - 1) * n * 3 + k] + (r() - 0.5) * (1 + (k % 3)) + 0.01 * (k % 3) * t;
    const lags = new Int32Array([1, 5, 50, 299]);
    const a = tm(u, T, n, lags, { tensor: true });
    const b = tm(u, T, n, lags);
    expect(a.tensor).toHaveLength(6);
    for (let c = 0; c < 6; c++) {
      const [p, q] = TENSOR_COMPONENTS[c];
      for (const m of [1, 7, 100, 300]) {
        let s = 0;
        for (let t = 0; t + m < T; t++) for (let i = 0; i < n; i++) {
          const o = (t * n + i) * 3, e = ((t + m) * n + i) * 3;
          s += (u[e + p] - u[o + p]) * (u[e + q] - u[o + q]);
        }
        s /= (T - m) * n;
        expect(Math.abs(a.tensor[c][m] - s)).toBeLessThan(1e-9 * (1 + Math.abs(s)));
      }
    }
    for (let m = 1; m < T; m += 13) expect(Math.abs(a.msd[m] - b.msd[m])).toBeLessThan(1e-10 * b.msd[m]);
    for (let k = 0; k < a.perIon.length; k++) expect(Math.abs(a.perIon[k] - b.perIon[k])).toBeLessThan(1e-10 * Math.abs(b.perIon[k]) + 1e-10);
  });
});
