// Per-ion tensor slopes from the MSD's FFTs, the counting (shot-noise) floor of a D from few hops,
// and the errors of D along x, y, z and of the principal values.
import { describe, expect, it } from 'vitest';
import { tracerMsd, TENSOR_COMPONENTS } from '../../src/analysis/msd.js';
import { diffusionOf, mulberry32 } from '../../src/analysis/diffusion.js';
import { countedError, jumpEventIds, jumpEvents, jumpWeights, segmentedJumpWeights, shotNoiseVariance, type CountedHop } from '../../src/analysis/transport/shot-noise.js';
import { segmentedLinearForm } from '../../src/analysis/msd-segments.js';
import { slopeWeights } from '../../src/stats/linfit.js';
import { randomWalks } from '../helpers/walk.js';

/** Σ_j w_j·(1/(T−m_j))·Σ_s Δx_a·Δx_b of ion i, directly. */
function directForm(u: Float64Array, T: number, n: number, i: number, a: number, b: number, lags: Int32Array, w: Float64Array): number {
  let v = 0;
  for (let j = 0; j < lags.length; j++) {
    const m = lags[j];
    let s = 0;
    for (let t = 0; t + m < T; t++) {
      s += (u[(t + m) * n * 3 + i * 3 + a] - u[t * n * 3 + i * 3 + a]) * (u[(t + m) * n * 3 + i * 3 + b] - u[t * n * 3 + i * 3 + b]);
    }
    v += (w[j] * s) / (T - m);
  }
  return v;
}

describe('per-ion tensor forms from the MSD FFTs', () => {
  it('equal the direct per-ion linear forms of all six components (odd T, drifting walks)', () => {
    const T = 301, n = 5, rng = mulberry32(3);
    const u = new Float64Array(T * n * 3);
    for (let t = 1; t < T; t++) for (let k = 0; k < n * 3; k++) u[t * n * 3 + k] = u[(t - 1) * n * 3 + k] + rng() - 0.5 + 0.01 * k;
    const lags = Int32Array.from([3, 10, 50, 149, 150]), w = Float64Array.from([0.3, -1, 2, 0.5, 0.1]);
    const r = tracerMsd(u, T, n, new Int32Array(0), { tensor: true, formLags: lags, formWeights: w });
    for (let i = 0; i < n; i++) {
      TENSOR_COMPONENTS.forEach(([a, b], c) => {
        const d = directForm(u, T, n, i, a, b, lags, w);
        expect(Math.abs(r.perIonTensorForm[i * 6 + c] - d)).toBeLessThan(1e-12 * (1 + Math.abs(d)));
      });
    }
  });
});

describe('counting floor', () => {
  it('jumpWeights: one jump across increment t adds w(t)·ℓ² to the fitted slope', () => {
    const T = 200, lags = Int32Array.from({ length: 91 }, (_, j) => 10 + j);
    const c = slopeWeights(Float64Array.from(lags, (m) => m * 0.05));
    const w = jumpWeights(T, lags, c);
    for (const t of [1, 5, 37, 100, 150, 199]) {
      const u = new Float64Array(T * 3);
      for (let f = t; f < T; f++) u[f * 3] = 2; // ℓ = 2 Å along x at increment t
      const direct = directForm(u, T, 1, 0, 0, 0, lags, c) + directForm(u, T, 1, 0, 1, 1, lags, c) + directForm(u, T, 1, 0, 2, 2, lags, c);
      expect(w[t] * 4).toBeCloseTo(direct, 10);
    }
  });

  it('segmentedJumpWeights: the same for the segmented MSD (break steps weigh 0; one segment = jumpWeights)', () => {
    const T = 300, lags = Int32Array.from({ length: 60 }, (_, j) => 5 + j);
    const c = slopeWeights(Float64Array.from(lags, (m) => m * 0.05));
    expect(Array.from(segmentedJumpWeights(T, [{ start: 0, end: T }], lags, c))).toEqual(Array.from(jumpWeights(T, lags, c)));
    const segs = [{ start: 0, end: 120 }, { start: 120, end: 300 }];
    const w = segmentedJumpWeights(T, segs, lags, c);
    expect(w[120]).toBe(0);
    for (const t of [1, 10, 60, 110, 119, 121, 130, 200, 290, 299]) {
      const u = new Float64Array(T * 3);
      for (let f = t; f < T; f++) u[f * 3] = 2; // ℓ = 2 Å along x at increment t
      expect(w[t] * 4).toBeCloseTo(segmentedLinearForm(u, T, segs, lags, c), 10);
    }
  });

  it('Campbell: Σ w²·S² estimates the variance of the slope over Poisson histories of isolated hops', () => {
    const T = 400, lags = Int32Array.from({ length: 181 }, (_, j) => 20 + j);
    const c = slopeWeights(Float64Array.from(lags, (m) => m));
    const w = jumpWeights(T, lags, c);
    const rng = mulberry32(9);
    const rate = 0.03; // jumps per increment: ~12 per history
    const vals: number[] = [], est: number[] = [];
    for (let r = 0; r < 4000; r++) {
      const ev = [];
      for (let t = 1; t < T; t++) if (rng() < rate) ev.push({ frame: t, sumSqA2: 1 + rng() });
      vals.push(ev.reduce((s, e) => s + w[e.frame] * e.sumSqA2, 0));
      est.push(shotNoiseVariance(w, ev));
    }
    const m = vals.reduce((a, b) => a + b, 0) / vals.length;
    const v = vals.reduce((a, b) => a + (b - m) ** 2, 0) / (vals.length - 1);
    const e = est.reduce((a, b) => a + b, 0) / est.length;
    expect(e / v).toBeGreaterThan(0.93);
    expect(e / v).toBeLessThan(1.07);
  });

  it('groups a knock-on chain into one event (not two hops of unrelated timing or place)', () => {
    const cell = [10, 0, 0, 0, 10, 0, 0, 0, 10];
    const hops: CountedHop[] = [
      { atom: 1, startFrame: 10, endFrame: 14, from: [0, 0, 0], to: [2, 0, 0] },
      { atom: 2, startFrame: 12, endFrame: 16, from: [2.1, 0, 0], to: [4, 0, 0] }, // leaves where atom 1 arrives: chain
      { atom: 3, startFrame: 13, endFrame: 17, from: [5, 5, 5], to: [7, 5, 5] }, // same time, elsewhere
      { atom: 4, startFrame: 40, endFrame: 44, from: [4, 0, 0], to: [6, 0, 0] }, // same place, later
      { atom: 5, startFrame: 11, endFrame: 15, from: [8, 0, 0], to: [10.1, 0, 0] }, // reaches the site atom 1 left, through the boundary
    ];
    const ids = jumpEventIds(hops, cell);
    expect(ids[0]).toBe(ids[1]);
    expect(ids[0]).toBe(ids[4]);
    expect(ids[2]).not.toBe(ids[0]);
    expect(ids[3]).not.toBe(ids[0]);
    expect(jumpEvents(hops, ids).length).toBe(3);
    expect(jumpEvents(hops, jumpEventIds(hops, null)).length).toBe(5);
  });

  it('the counted error is never below the ion error nor the events\' shot noise, and widens for few events', () => {
    const T = 300, lags = Int32Array.from({ length: 136 }, (_, j) => 15 + j);
    const c = slopeWeights(Float64Array.from(lags, (m) => m));
    const w = jumpWeights(T, lags, c);
    const hops: CountedHop[] = [50, 120, 200].map((f, i) => ({ atom: i, startFrame: f, endFrame: f + 2, from: [0, 0, 0], to: [2, 0, 0] }));
    const ids = jumpEventIds(hops, null);
    const shot = Math.sqrt(shotNoiseVariance(w, jumpEvents(hops, ids)));
    expect(countedError(0, hops, ids, w, 1)).toBeGreaterThan(1.3 * shot); // ν = 3 events: t(2 dof) = 1.32
    expect(countedError(10 * shot, hops, ids, w, 1)).toBeGreaterThanOrEqual(10 * shot);
    // Along y nothing moved: no floor.
    expect(countedError(0, hops, ids, w, 1, [0, 1, 0])).toBe(0);
  });
});

describe('errors of D along x, y, z and of the principal values', () => {
  it('match the spread over seeds of anisotropic walks (RMS self-z within 0.75–1.3)', () => {
    const T = 1000, n = 64, DT_PS = 0.1, seeds = 40;
    const comps: number[][] = [], errs: number[][] = [];
    for (let s = 0; s < seeds; s++) {
      const u = randomWalks(T, n, 0.1, DT_PS, 500 + s);
      for (let i = 0; i < T * n; i++) { u[i * 3] *= 0.5; u[i * 3 + 2] *= 2; }
      const r = diffusionOf(u, T, n, DT_PS * 1000, { element: 'Li', volumeA3: 1000, charge: 1, temperatureK: 600 });
      const t = r.tracerTensor;
      comps.push([...t.components.subarray(0, 3), ...t.principal]);
      errs.push([...t.axisErr, ...t.principalErr]);
      // D_x ≈ D/4 is smaller than D_z ≈ 4·D: so is its error.
      expect(t.axisErr[0]).toBeLessThan(t.axisErr[2]);
    }
    for (let k = 0; k < 6; k++) {
      const v = comps.map((x) => x[k]);
      const m = v.reduce((a, b) => a + b, 0) / seeds;
      const rmsZ = Math.sqrt(v.reduce((a, x, i) => a + ((x - m) / errs[i][k]) ** 2, 0) / (seeds - 1));
      expect(rmsZ, `component ${k}`).toBeGreaterThan(0.75);
      expect(rmsZ, `component ${k}`).toBeLessThan(1.3);
    }
  });
});

describe('few-hop regime (generator truth)', () => {
  it('Na-hex 24 ions × 1000 frames at 400 K (~15 hops a run), 30 seeds: RMS z vs the model D within 0.75–1.35 with the hops counted', async () => {
    const { materialByName, scaledMaterial } = await import('../../src/generate/materials.js');
    const { generateRun, toTrajectory } = await import('../../src/generate/run.js');
    const { atomsOf, latticeAt } = await import('../../src/trajectory/types.js');
    const { unwrap } = await import('../../src/trajectory/unwrap.js');
    const { inverse3, minimumImage } = await import('../../src/trajectory/lattice.js');
    const spec = scaledMaterial(materialByName('Na-hex'), 24, 1000);
    const zNew: number[] = [], zIons: number[] = [];
    for (let s = 0; s < 30; s++) {
      const run = generateRun(spec, 400, 50_000 + 1009 * s + 400);
      const traj = toTrajectory(run);
      const idx = atomsOf(traj, [spec.mobile]);
      const pos = unwrap(traj, { atoms: idx, removeDriftExcept: [spec.mobile] });
      const cell = latticeAt(traj, 0), inv = inverse3(cell), sc = run.model.siteCart, mic = new Float64Array(3);
      const hops: CountedHop[] = run.truth.hops.map((h) => {
        const from = [sc[h.fromSite * 3], sc[h.fromSite * 3 + 1], sc[h.fromSite * 3 + 2]];
        const d = [0, 1, 2].map((k) => sc[h.toSite * 3 + k] - from[k]);
        minimumImage(cell, ...([0, 1, 2].map((k) => d[0] * inv[k] + d[1] * inv[3 + k] + d[2] * inv[6 + k]) as [number, number, number]), mic, 0);
        return { atom: h.atom, startFrame: h.startFrame, endFrame: h.endFrame, from, to: [from[0] + mic[0], from[1] + mic[1], from[2] + mic[2]] };
      });
      const o = { element: spec.mobile, volumeA3: 1, charge: 1, temperatureK: 400 };
      const a = diffusionOf(pos, run.nFrames, idx.length, run.frameIntervalFs, { ...o, hops, cell });
      const b = diffusionOf(pos, run.nFrames, idx.length, run.frameIntervalFs, o);
      const dm = run.truth.dTracerModelCm2s as number, em = run.truth.dTracerModelErrCm2s as number;
      zNew.push((a.dTracerCm2s - dm) / Math.hypot(a.dTracerErrCm2s, em));
      zIons.push((b.dTracerCm2s - dm) / Math.hypot(b.dTracerErrCm2s, em));
      expect(a.dTracerErrCm2s).toBeGreaterThanOrEqual(b.dTracerErrCm2s);
    }
    const rms = (z: number[]): number => Math.sqrt(z.reduce((x, y) => x + y * y, 0) / z.length);
    console.log(`few-hop Na-hex, 30 runs: RMS z ${rms(zNew).toFixed(2)} with the hops counted, ${rms(zIons).toFixed(2)} from the ions alone`);
    expect(rms(zNew)).toBeGreaterThan(0.75);
    expect(rms(zNew)).toBeLessThan(1.35);
  }, 120_000);
});
