// Grouping signatures within their uncertainty (sites/type-clusters.ts) and the variance of a
// stay's mean from window means (sites/centre-error.ts), on inputs whose answer is known.
import { describe, expect, it } from 'vitest';
import { clusterSignatures, chiSquareQuantileUpper } from '../../src/analysis/sites/type-clusters.js';
import { meanVarianceAt, meanVarianceLadder } from '../../src/analysis/sites/centre-error.js';
import { Rng } from '../../src/generate/rng.js';

describe('clusterSignatures', () => {
  it('three true groups with noise at the stated σ give three types; the same points with 10× the σ give one', () => {
    const rng = new Rng(7, 1);
    const centres = [[2.3, 2.5, 3.1, 3.9], [2.6, 2.6, 3.0, 4.3], [2.3, 2.9, 3.5, 3.9]];
    const k = 90, w = 4, sigma = 0.03;
    const sig = new Float64Array(k * w), variance = new Float64Array(k * w).fill(sigma * sigma);
    for (let i = 0; i < k; i++) for (let q = 0; q < w; q++) sig[i * w + q] = centres[i % 3][q] + sigma * rng.normal();
    const types = clusterSignatures(sig, variance, k, w);
    expect(new Set(types).size).toBe(3);
    for (let i = 3; i < k; i++) expect(types[i]).toBe(types[i % 3]);
    expect(new Set(clusterSignatures(sig, new Float64Array(k * w).fill(100 * sigma * sigma), k, w)).size).toBe(1);
  });

  it('the χ² quantile inverts the upper tail', () => {
    expect(chiSquareQuantileUpper(0.05, 1)).toBeCloseTo(3.841, 3);
    expect(chiSquareQuantileUpper(1e-3, 4)).toBeCloseTo(18.467, 3);
  });
});

describe('meanVarianceLadder', () => {
  it('an AR(1) series (ρ = 0.6, τ = 4 frames): n·g(n) → (1 + ρ)/(1 − ρ) = 4 for long windows, g(1) = 1', () => {
    const rng = new Rng(11, 2);
    const rho = 0.6, runs = 40, len = 2000;
    const series = new Float64Array(runs * len * 3), starts: number[] = [], site: number[] = [];
    for (let r = 0; r < runs; r++) {
      starts.push(r * len); site.push(0);
      const x = [rng.normal(), rng.normal(), rng.normal()];
      for (let t = 0; t < len; t++) {
        for (let a = 0; a < 3; a++) { x[a] = rho * x[a] + Math.sqrt(1 - rho * rho) * rng.normal(); series[(r * len + t) * 3 + a] = x[a]; }
      }
    }
    starts.push(runs * len);
    const mv = meanVarianceLadder(series, starts, site, Float64Array.of(3), Float64Array.of(runs * len));
    expect(meanVarianceAt(mv, 1)).toBeCloseTo(1, 1);
    expect(256 * meanVarianceAt(mv, 256)).toBeGreaterThan(3.4);
    expect(256 * meanVarianceAt(mv, 256)).toBeLessThan(4.6);
    // Beyond the measured windows: 1/n.
    expect(meanVarianceAt(mv, 1e6) * 1e6).toBeCloseTo(mv.n[mv.n.length - 1] * mv.g[mv.g.length - 1], 6);
  });
});
