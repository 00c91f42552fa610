import { describe, expect, it } from 'vitest';
import { fitLine, slopeWeights } from '../../src/stats/linfit.js';
import { mulberry32 } from '../../src/analysis/diffusion.js';
import { gaussian } from '../helpers/walk.js';

describe('fitLine', () => {
  it('recovers an exact line, r² = 1, zero scaled error', () => {
    const x = [1, 2, 3, 4, 5], y = x.map((v) => 2 - 3 * v);
    const f = fitLine(x, y);
    expect(f.slope).toBeCloseTo(-3, 12);
    expect(f.intercept).toBeCloseTo(2, 12);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.slopeErr).toBeLessThan(1e-12);
  });

  it('OLS standard errors match the textbook formulas', () => {
    const x = [0, 1, 2, 3, 4, 5], y = [0.1, 1.2, 1.9, 3.2, 3.8, 5.1];
    const f = fitLine(x, y);
    const n = 6, xm = 2.5, sxx = x.reduce((s, v) => s + (v - xm) ** 2, 0);
    const s2 = f.chi2 / (n - 2);
    expect(f.slopeErr).toBeCloseTo(Math.sqrt(s2 / sxx), 12);
    expect(f.interceptErr).toBeCloseTo(Math.sqrt(s2 * (1 / n + (xm * xm) / sxx)), 12);
    expect(f.covInterceptSlope).toBeCloseTo(-xm * s2 / sxx, 12);
  });

  it('weighted fit with absolute σ: errors from (XᵀWX)⁻¹ and honest over many trials', () => {
    const rng = mulberry32(4), g = gaussian(rng);
    const x = [1, 2, 3, 4, 5, 6, 7, 8], sig = x.map((v) => 0.1 * v);
    let inside = 0;
    const trials = 400;
    for (let k = 0; k < trials; k++) {
      const y = x.map((v, i) => 1 + 0.5 * v + sig[i] * g());
      const f = fitLine(x, y, { weights: sig.map((s) => 1 / (s * s)), errors: 'absolute' });
      if (Math.abs(f.slope - 0.5) < f.slopeErr) inside++;
    }
    expect(inside / trials).toBeGreaterThan(0.6);
    expect(inside / trials).toBeLessThan(0.76);
  });

  it('n = 2: exact line, scaled errors NaN, absolute errors finite', () => {
    const f = fitLine([1, 3], [2, 6]);
    expect(f.slope).toBe(2);
    expect(Number.isNaN(f.slopeErr)).toBe(true);
    const a = fitLine([1, 3], [2, 6], { weights: [1, 1], errors: 'absolute' });
    expect(a.slopeErr).toBeCloseTo(Math.sqrt(0.5), 12);
  });

  it('rejects degenerate input', () => {
    expect(() => fitLine([1], [1])).toThrow();
    expect(() => fitLine([2, 2, 2], [1, 2, 3])).toThrow(/equal/);
    expect(() => fitLine([1, 2], [1, 2], { weights: [1, -1] })).toThrow();
  });

  it('slopeWeights reproduce the OLS slope', () => {
    const x = [0.5, 1, 2, 4, 7], y = [1, 2.2, 2.9, 5.1, 9];
    const c = slopeWeights(x);
    expect(c.reduce((s, ci, i) => s + ci * y[i], 0)).toBeCloseTo(fitLine(x, y).slope, 12);
  });
});
