import { describe, expect, it } from 'vitest';
import {
  blockBootstrapSlopeErr, diffusionOf, fitWindow, hopDiffusionCm2s, hopVectorsOf, logSpacedLags, mulberry32, nernstEinsteinSCm,
} from '../../src/analysis/diffusion.js';
import { slopeWeights } from '../../src/stats/linfit.js';
import { msdDirect } from '../../src/analysis/msd.js';
import type { RawHop } from '../../src/analysis/types.js';
import { randomWalks } from '../helpers/walk.js';

const D_A2PS = 0.1; // 1e-5 cm²/s
const D_CM2S = D_A2PS * 1e-4;
const DT_PS = 0.1;
const base = { element: 'Li', volumeA3: 2000, charge: 1, temperatureK: 600 } as const;

describe('tracer and collective D of random walks', () => {
  it('recovers the analytic D within error (200 walkers × 4000 frames)', () => {
    const T = 4000, n = 200;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 11);
    const r = diffusionOf(u, T, n, DT_PS * 1000, base);
    console.log(`D_tracer = ${r.dTracerCm2s.toExponential(4)} ± ${r.dTracerErrCm2s.toExponential(2)} (true ${D_CM2S}); ` +
      `D_coll = ${r.dCollectiveCm2s.toExponential(3)} ± ${r.dCollectiveErrCm2s.toExponential(2)}; H = ${r.havenRatio.toFixed(3)}; ` +
      `window ${r.fitStartPs}–${r.fitEndPs} ps`);
    expect(Math.abs(r.dTracerCm2s - D_CM2S)).toBeLessThan(3 * r.dTracerErrCm2s);
    expect(r.dTracerErrCm2s / D_CM2S).toBeLessThan(0.07); // ≈ 0.72/√200 per the window
    expect(r.dTracerErrCm2s).toBeGreaterThan(0);
    // Independent walkers: collective D ≈ tracer D (Haven ≈ 1) within the collective error.
    expect(Math.abs(r.dCollectiveCm2s - r.dTracerCm2s)).toBeLessThan(3 * r.dCollectiveErrCm2s);
    expect(r.fitEndPs).toBeCloseTo(2000 * DT_PS, 6);
    expect(r.fitStartPs).toBeCloseTo(200 * DT_PS, 6); // 5 % floor: a random walk has α = 1 from lag 1
    expect(r.msdA2.length).toBeLessThanOrEqual(200);
    expect(r.msdA2.length).toBeGreaterThan(150);
    expect(r.msdTimesPs[0]).toBeCloseTo(DT_PS, 9);
    expect(r.msdTimesPs[r.msdTimesPs.length - 1]).toBeCloseTo((T - 1) * DT_PS, 6);
    expect(Number.isNaN(r.dHopsCm2s)).toBe(true);
  });

  it('error bars are honest: over 20 seeds ~68 % of D lie within 1σ (tracer and collective)', () => {
    const T = 1500, n = 40, seeds = 20;
    let inT = 0, inC = 0, in2T = 0, in2C = 0;
    const zT: number[] = [], zC: number[] = [];
    for (let s = 0; s < seeds; s++) {
      const u = randomWalks(T, n, D_A2PS, DT_PS, 500 + s);
      const r = diffusionOf(u, T, n, DT_PS * 1000, { ...base, seed: s + 1 });
      const zt = (r.dTracerCm2s - D_CM2S) / r.dTracerErrCm2s;
      const zc = (r.dCollectiveCm2s - D_CM2S) / r.dCollectiveErrCm2s;
      zT.push(zt); zC.push(zc);
      if (Math.abs(zt) < 1) inT++;
      if (Math.abs(zc) < 1) inC++;
      if (Math.abs(zt) < 2) in2T++;
      if (Math.abs(zc) < 2) in2C++;
    }
    const rms = (z: number[]) => Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length);
    console.log(`within 1σ: tracer ${inT}/${seeds} (rms z ${rms(zT).toFixed(2)}), collective ${inC}/${seeds} (rms z ${rms(zC).toFixed(2)}); ` +
      `within 2σ: ${in2T}/${seeds}, ${in2C}/${seeds}`);
    // 68 % of 20 = 13.6; binomial sd ≈ 2.1 → accept 9…18.
    for (const k of [inT, inC]) { expect(k).toBeGreaterThanOrEqual(9); expect(k).toBeLessThanOrEqual(18); }
    for (const k of [in2T, in2C]) expect(k).toBeGreaterThanOrEqual(16);
    for (const z of [rms(zT), rms(zC)]) { expect(z).toBeGreaterThan(0.6); expect(z).toBeLessThan(1.6); }
  });

  it('perfectly correlated walkers: D_coll = N·D_tracer, Haven = 1/N', () => {
    const T = 1000, n = 10;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 21, true);
    const r = diffusionOf(u, T, n, DT_PS * 1000, base);
    expect(r.dCollectiveCm2s / r.dTracerCm2s).toBeCloseTo(n, 9);
    expect(r.havenRatio).toBeCloseTo(1 / n, 9);
    // Every ion moves identically, so the ion bootstrap sees no spread.
    expect(r.dTracerErrCm2s).toBeLessThan(1e-12 * r.dTracerCm2s + 1e-30);
    expect(r.dCollectiveErrCm2s).toBeGreaterThan(0);
  });

  it('a single ion uses the time block bootstrap for the tracer error', () => {
    const T = 2000;
    const u = randomWalks(T, 1, D_A2PS, DT_PS, 5);
    const r = diffusionOf(u, T, 1, DT_PS * 1000, base);
    expect(r.dTracerErrCm2s).toBeGreaterThan(0);
    expect(r.dTracerCm2s).toBeCloseTo(r.dCollectiveCm2s, 15);
    expect(Math.abs(r.dTracerCm2s - D_CM2S)).toBeLessThan(3 * r.dTracerErrCm2s);
  });

  it('the block bootstrap equals the plain algorithm (replicates from centred increments, full MSD of each)', () => {
    // The spectral evaluation (MsdLinearForm, two replicates per three FFTs) must give the same
    // replicates — same RNG draws in the same order — and the same value to rounding.
    const reference = (pos: Float64Array, T: number, lags: Int32Array, c: Float64Array, blockLen: number, nRep: number, rng: () => number): number => {
      const nInc = T - 1, L = Math.max(1, Math.min(blockLen, nInc));
      const inc = new Float64Array(nInc * 3), mean = [0, 0, 0];
      for (let t = 0; t < nInc; t++) for (let d = 0; d < 3; d++) { inc[t * 3 + d] = pos[(t + 1) * 3 + d] - pos[t * 3 + d]; mean[d] += inc[t * 3 + d] / nInc; }
      for (let t = 0; t < nInc; t++) for (let d = 0; d < 3; d++) inc[t * 3 + d] -= mean[d];
      const vals: number[] = [];
      for (let r = 0; r < nRep; r++) {
        const rep = new Float64Array(T * 3);
        let t = 1;
        while (t < T) {
          const s0 = Math.floor(rng() * (nInc - L + 1));
          for (let k = 0; k < L && t < T; k++, t++) for (let d = 0; d < 3; d++) rep[t * 3 + d] = rep[(t - 1) * 3 + d] + inc[(s0 + k) * 3 + d];
        }
        const msd = msdDirect(rep, T, 1);
        vals.push(lags.reduce((a, m, j) => a + c[j] * msd[m], 0));
      }
      const m = vals.reduce((a, b) => a + b, 0) / nRep;
      return Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (nRep - 1));
    };
    for (const [T, nRep, blockLen] of [[300, 41, 15], [257, 40, 1], [64, 7, 20]]) {
      const u = randomWalks(T, 1, D_A2PS, DT_PS, T);
      const lags = Int32Array.from({ length: Math.floor(T / 2) - 5 }, (_, i) => i + 5);
      const c = slopeWeights(Float64Array.from(lags, (m) => m * DT_PS));
      const got = blockBootstrapSlopeErr(u, T, lags, c, blockLen, nRep, mulberry32(7));
      const want = reference(u, T, lags, c, blockLen, nRep, mulberry32(7));
      expect(got).toBeGreaterThan(0);
      expect(Math.abs(got / want - 1)).toBeLessThan(1e-9);
    }
  });

  it('is deterministic for a seed', () => {
    const T = 500, n = 8;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 9);
    const a = diffusionOf(u, T, n, 100, { ...base, seed: 3 });
    const b = diffusionOf(u, T, n, 100, { ...base, seed: 3 });
    expect(a.dTracerErrCm2s).toBe(b.dTracerErrCm2s);
    expect(a.dCollectiveErrCm2s).toBe(b.dCollectiveErrCm2s);
  });

  it('handles short runs: NaN below 5 frames, finite from 5', () => {
    const r4 = diffusionOf(randomWalks(4, 3, 0.1, 0.1, 1), 4, 3, 100, base);
    expect(Number.isNaN(r4.dTracerCm2s)).toBe(true);
    for (const T of [5, 6, 9, 20]) {
      const r = diffusionOf(randomWalks(T, 3, 0.1, 0.1, T), T, 3, 100, base);
      expect(Number.isFinite(r.dTracerCm2s)).toBe(true);
      expect(r.fitEndPs).toBeGreaterThan(r.fitStartPs);
    }
  });

  it('honours an explicit fit window', () => {
    const T = 1000, n = 20;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 2);
    const r = diffusionOf(u, T, n, DT_PS * 1000, { ...base, fitStartPs: 5, fitEndPs: 30 });
    expect(r.fitStartPs).toBeCloseTo(5, 9);
    expect(r.fitEndPs).toBeCloseTo(30, 9);
  });
});

describe('fit window rule', () => {
  it('skips a ballistic start and a vibrational plateau is absorbed by the intercept', () => {
    const T = 10000;
    // Ballistic (t²) until lag 800, then linear: α first ≤ 1.1 beyond the 5 % floor (500).
    const msd = Float64Array.from({ length: T }, (_, m) => (m < 800 ? m * m : 800 * 800 + 2 * 800 * (m - 800)));
    const w = fitWindow(msd, T);
    expect(w.endFrame).toBe(5000);
    expect(w.startFrame).toBeGreaterThan(800);
    expect(w.startFrame).toBeLessThanOrEqual(2500);
    const lin = Float64Array.from({ length: T }, (_, m) => 3 + m);
    expect(fitWindow(lin, T)).toEqual({ startFrame: 500, endFrame: 5000 });
    // Always ballistic: start is capped at end/2.
    const bal = Float64Array.from({ length: T }, (_, m) => m * m);
    expect(fitWindow(bal, T)).toEqual({ startFrame: 2500, endFrame: 5000 });
  });

  it('log-spaced storage lags are distinct, increasing and bounded', () => {
    const l = logSpacedLags(49999, 200);
    expect(l.length).toBe(200);
    expect(l[0]).toBe(1);
    expect(l[l.length - 1]).toBe(49999);
    for (let i = 1; i < l.length; i++) expect(l[i]).toBeGreaterThan(l[i - 1]);
    expect(Array.from(logSpacedLags(50, 200))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
  });
});

describe('conductivity and hop D', () => {
  it('Nernst–Einstein σ matches a hand calculation', () => {
    // N = 24 Li⁺, D_coll = 2e-5 cm²/s = 2e-9 m²/s, V = 1000 Å³ = 1e-27 m³, T = 600 K:
    // σ = 24 · (1.602176634e-19)² · 2e-9 / (1e-27 · 1.380649e-23 · 600) S/m
    const e = 1.602176634e-19, kB = 1.380649e-23;
    const handSm = (24 * e * e * 2e-9) / (1e-27 * kB * 600); // ≈ 148.74 S/m
    expect(handSm).toBeCloseTo(148.74, 2);
    expect(nernstEinsteinSCm(2e-5, 24, 1, 1000, 600)).toBeCloseTo(handSm / 100, 10);
    // z = 2 quadruples σ; missing temperature gives NaN.
    expect(nernstEinsteinSCm(2e-5, 24, 2, 1000, 600)).toBeCloseTo((4 * handSm) / 100, 10);
    expect(Number.isNaN(nernstEinsteinSCm(2e-5, 24, 1, 1000, null))).toBe(true);
  });

  it('diffusionOf: σ_NE from the tracer D, σ from the collective D, each with its error; unresolved → NaN and a flag', () => {
    const T = 800, n = 12;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 8);
    const r = diffusionOf(u, T, n, DT_PS * 1000, { ...base, volumeA3: 1500, charge: 1, temperatureK: 700 });
    expect(r.dTracerResolved).toBe(true);
    expect(r.conductivityNeSCm).toBeCloseTo(nernstEinsteinSCm(r.dTracerCm2s, n, 1, 1500, 700), 15);
    expect(r.conductivityNeErrSCm / r.conductivityNeSCm).toBeCloseTo(r.dTracerErrCm2s / r.dTracerCm2s, 12);
    if (r.dCollectiveResolved) {
      expect(r.conductivitySCm).toBeCloseTo(nernstEinsteinSCm(r.dCollectiveCm2s, n, 1, 1500, 700), 15);
      expect(r.conductivityErrSCm / r.conductivitySCm).toBeCloseTo(r.dCollectiveErrCm2s / r.dCollectiveCm2s, 12);
      expect(r.havenRatio).toBeCloseTo(r.dTracerCm2s / r.dCollectiveCm2s, 12);
      expect(r.havenRatioErr).toBeGreaterThan(0);
    } else {
      expect(r.conductivitySCm).toBeNaN();
      expect(r.havenRatio).toBeNaN();
      expect(r.flags.join()).toMatch(/d_collective not resolved/);
    }
  });

  it('a collective D within 2σ of zero is not resolved: no conductivity, no Haven ratio, a flag with the value', () => {
    // Anti-correlated pairs: ion 2k+1 mirrors ion 2k, so the centre of mass barely moves.
    const T = 1000, n = 16;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 5);
    for (let t = 0; t < T; t++) for (let k = 0; k < n; k += 2) for (let d = 0; d < 3; d++) u[(t * n + k + 1) * 3 + d] = -u[(t * n + k) * 3 + d];
    const r = diffusionOf(u, T, n, DT_PS * 1000, base);
    expect(r.dTracerResolved).toBe(true);
    expect(r.dCollectiveResolved).toBe(false);
    expect(r.havenRatio).toBeNaN();
    expect(r.conductivitySCm).toBeNaN();
    expect(r.conductivityNeSCm).toBeGreaterThan(0);
    expect(r.flags.some((f) => /^d_collective not resolved: .* ± .* cm²\/s/.test(f))).toBe(true);
  });

  it('the D tensor of anisotropic walks: components, principal axes, anisotropy; trace/3 = D', () => {
    // Per-axis relative error ≈ √3·0.72/√n ≈ 8 % at n = 256: bounds at ±20 %.
    const T = 2000, n = 256;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 11);
    // Scale x by 0.5 and z by 2 (D_xx = D/4, D_zz = 4·D), then rotate by 30° about z.
    const c = Math.cos(Math.PI / 6), s = Math.sin(Math.PI / 6);
    for (let i = 0; i < T * n; i++) {
      const x = 0.5 * u[i * 3], y = u[i * 3 + 1];
      u[i * 3] = c * x - s * y; u[i * 3 + 1] = s * x + c * y; u[i * 3 + 2] *= 2;
    }
    const r = diffusionOf(u, T, n, DT_PS * 1000, base);
    const t = r.tracerTensor;
    expect((t.components[0] + t.components[1] + t.components[2]) / 3).toBeCloseTo(r.dTracerCm2s, 15);
    expect(t.principal[0] / D_CM2S).toBeGreaterThan(3.2);
    expect(t.principal[0] / D_CM2S).toBeLessThan(4.8);
    expect(t.principal[2] / D_CM2S).toBeGreaterThan(0.2);
    expect(t.principal[2] / D_CM2S).toBeLessThan(0.3);
    expect(Math.abs(t.axes[2])).toBeGreaterThan(0.999); // largest along z
    // Smallest along the rotated x axis (cos 30°, sin 30°, 0), up to sign.
    expect(Math.abs(t.axes[6] * c + t.axes[7] * s)).toBeGreaterThan(0.99);
    expect(t.anisotropyRatio).toBeGreaterThan(10);
    expect(t.fractionalAnisotropy).toBeGreaterThan(0.6);
    expect(r.dCollectiveAxesCm2s[2]).toBeGreaterThan(r.dCollectiveAxesCm2s[0]);
  });

  it('GLS (option) and OLS (default) agree within error on random walks; GLS errors are smaller', () => {
    const T = 2000, n = 100;
    const u = randomWalks(T, n, D_A2PS, DT_PS, 12);
    const o = diffusionOf(u, T, n, DT_PS * 1000, { ...base, ionErrors: 'independent' });
    const g = diffusionOf(u, T, n, DT_PS * 1000, { ...base, fit: 'gls', ionErrors: 'independent' });
    expect(o.fitMethod).toBe('ols');
    expect(g.fitMethod).toBe('gls');
    expect(Math.abs(g.dTracerCm2s - D_CM2S)).toBeLessThan(3 * g.dTracerErrCm2s);
    expect(g.dTracerErrCm2s).toBeLessThan(o.dTracerErrCm2s);
  });

  it('hop D is Σ|hop|²/(6·N·t) in cm²/s', () => {
    const hops: RawHop[] = [
      { atom: 0, startFrame: 1, endFrame: 3, from: [0, 0, 0], to: [2, 0, 0] },
      { atom: 1, startFrame: 5, endFrame: 6, from: [1, 1, 1], to: [1, 4, 5] },
    ];
    const v = hopVectorsOf(hops);
    expect(Array.from(v)).toEqual([2, 0, 0, 0, 3, 4]);
    // (4 + 25) Å² / (6 · 10 ions · 50 ps) = 0.009667 Å²/ps = 9.667e-7 cm²/s
    expect(hopDiffusionCm2s(v, 10, 50)).toBeCloseTo(29 / 3000 * 1e-4, 18);
    const T = 501, n = 10;
    const r = diffusionOf(randomWalks(T, n, 0.1, 0.1, 3), T, n, 100, { ...base, hopVectors: v });
    expect(r.dHopsCm2s).toBeCloseTo(29 / (6 * n * 50) * 1e-4, 18);
  });
});
