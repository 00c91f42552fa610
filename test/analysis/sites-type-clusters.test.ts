// Grouping signatures within their uncertainty (sites/type-clusters.ts) and the variance of a
// stay's mean from window means (sites/centre-error.ts), on inputs whose answer is known.
import { describe, expect, it } from 'vitest';
import { clusterSignatures, chiSquareQuantileUpper } from '../../src/analysis/sites/type-clusters.js';
import { meanVarianceAt, meanVarianceLadder } from '../../src/analysis/sites/centre-error.js';
import { Rng } from '../../src/generate/rng.js';
import { siteTypes } from '../../src/analysis/sites/site-types.js';
import type { SiteMap } from '../../src/analysis/sites/site-map.js';

/**
 * A Li-only site map: columns of three sites (z = 0, 2.5, 5.0 Å in a 9 Å period, two periods) on a
 * 3.2 Å square grid, so the middle sites (nearest distances 2.5, 2.5, 3.2, 3.2) and the ends (2.5,
 * 3.2, 3.2, 3.2) are two classes. Every site sits off its ideal place by a fixed static 0.03 Å per
 * axis (what one cell of a real run holds), and its centre is estimated to within σ per axis
 * (σ falling as 1/√frames: a run 4× as long halves it). Vibration 0.1 Å per axis.
 */
function columnMap(sigma: number, seed: number): { map: SiteMap; centreCov: Float64Array; middle: boolean[] } {
  const rng = new Rng(seed, 3), stat = new Rng(99, 4);
  const a = 3.2, nx = 4, zs = [0, 2.5, 5.0, 9, 11.5, 14], cz = 18;
  const L = Float64Array.of(a * nx, 0, 0, 0, a * nx, 0, 0, 0, cz);
  const Li = Float64Array.of(1 / (a * nx), 0, 0, 0, 1 / (a * nx), 0, 0, 0, 1 / cz);
  const k = nx * nx * zs.length;
  const frac = new Float64Array(k * 3), cart = new Float64Array(k * 3), covs = new Float64Array(k * 6), centreCov = new Float64Array(k * 6);
  const middle: boolean[] = [];
  let j = 0;
  for (let ix = 0; ix < nx; ix++) for (let iy = 0; iy < nx; iy++) zs.forEach((z, iz) => {
    const p = [ix * a, iy * a, z];
    for (let c = 0; c < 3; c++) {
      cart[j * 3 + c] = p[c] + 0.03 * stat.normal() + sigma * rng.normal();
      frac[j * 3 + c] = (((cart[j * 3 + c] / L[c * 4]) % 1) + 1) % 1;
      covs[j * 6 + c] = 0.01;
      centreCov[j * 6 + c] = sigma * sigma;
    }
    middle.push(iz % 3 === 1);
    j++;
  });
  const map: SiteMap = { k, lattice: L, latticeInv: Li, frac, cart, covs, weights: new Float64Array(k + 1).fill(1 / (k + 1)), background: 0, stride: 1 };
  return { map, centreCov, middle };
}


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

  it('a shared error (one shift of all of an item\'s numbers) is absorbed with the full covariance: the classes come out exactly', () => {
    // Two classes differing by ±0.05 in the first two numbers; each item also moves all four
    // numbers together by 0.1 (one centre's error), independent noise 0.01.
    const rng = new Rng(3, 5);
    const k = 60, w = 4, common = 0.1, own = 0.01;
    const sig = new Float64Array(k * w), variance = new Float64Array(k * w).fill(common * common + own * own);
    const cov = new Float64Array(k * w * w);
    for (let i = 0; i < k; i++) {
      const shift = common * rng.normal(), cls = i % 2 === 0 ? 1 : -1;
      for (let q = 0; q < w; q++) {
        sig[i * w + q] = 2.5 + 0.3 * q + (q === 0 ? 0.05 * cls : q === 1 ? -0.05 * cls : 0) + shift + own * rng.normal();
        for (let r = 0; r < w; r++) cov[i * w * w + q * w + r] = common * common + (q === r ? own * own : 0);
      }
    }
    const types = clusterSignatures(sig, variance, k, w, undefined, cov);
    expect(new Set(types).size).toBe(2);
    for (let i = 2; i < k; i++) expect(types[i]).toBe(types[i % 2]);
    // As independent numbers the shift mixes the classes (the same data give impure groups).
    const diag = clusterSignatures(sig, variance, k, w);
    expect([...Array(k).keys()].some((i) => i >= 2 && diag[i] !== diag[i % 2])).toBe(true);
  });

  it('the χ² quantile inverts the upper tail', () => {
    expect(chiSquareQuantileUpper(0.05, 1)).toBeCloseTo(3.841, 3);
    expect(chiSquareQuantileUpper(1e-3, 4)).toBeCloseTo(18.467, 3);
  });
});

describe('siteTypes (Li-only: site-map neighbour distances)', () => {
  it('two classes of sites with static 0.03 Å disorder: 2 types whether centres are known to 0.02, 0.01 or 0.005 Å (runs T, 4T, 16T)', () => {
    for (const sigma of [0.02, 0.01, 0.005]) {
      const { map, centreCov, middle } = columnMap(sigma, 5);
      const types = siteTypes(map, centreCov);
      // Without the floor (centre errors only) the static disorder is resolved as the errors shrink: 5, 14, 38 types.
      expect(new Set(types).size).toBe(2);
      for (let j = 0; j < map.k; j++) expect(types[j] === types[1]).toBe(middle[j]);
    }
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
