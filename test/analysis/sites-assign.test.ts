// The sure radius (sites/sure-radius.ts) changes no decision: frames decided by the previous
// site alone get the answer the descent and every candidate's likelihood give, on random maps in
// a skewed cell (anisotropic, correlated covariances, unequal weights, periodic images), and a
// whole segmentation is bit-identical with and without it.
import { describe, expect, it } from 'vitest';
import { FrameAssigner, NEIGHBOURS, siteNeighbours } from '../../src/analysis/sites/assign.js';
import { segmentBySites } from '../../src/analysis/sites/segment.js';
import { fitSiteMap, type SiteMap } from '../../src/analysis/sites/site-map.js';
import { minImageDistance, cellHeights, sureRadii2, symEigen3 } from '../../src/analysis/sites/sure-radius.js';
import { mulberry32 } from '../../src/analysis/random.js';
import { invertSym } from '../../src/analysis/sites/gmm.js';
import { materialByName } from '../../src/generate/materials.js';
import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { inverse3, volume } from '../../src/trajectory/lattice.js';
import { atomsOf } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';

/** A jittered 4×4×4 grid of sites in a triclinic cell, random anisotropic covariances and weights. */
function randomMap(seed: number, spread: number): SiteMap {
  const rng = mulberry32(seed);
  const L = Float64Array.from([11, 0, 0, 3.5, 10, 0, 2, -1.5, 9]);
  const m = 4, k = m * m * m;
  const frac = new Float64Array(k * 3), cart = new Float64Array(k * 3), covs = new Float64Array(k * 6), weights = new Float64Array(k);
  let j = 0;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) for (let c = 0; c < m; c++, j++) {
    const f = [(a + 0.5 + 0.3 * (rng() - 0.5)) / m, (b + 0.5 + 0.3 * (rng() - 0.5)) / m, (c + 0.5 + 0.3 * (rng() - 0.5)) / m].map((x) => x - Math.floor(x));
    frac.set(f, j * 3);
    for (let q = 0; q < 3; q++) cart[j * 3 + q] = f[0] * L[q] + f[1] * L[3 + q] + f[2] * L[6 + q];
    // Σ = A Aᵀ with A random: anisotropic, correlated.
    const A = Array.from({ length: 9 }, () => spread * (rng() - 0.5) + (rng() < 0.5 ? 0 : 0.1 * spread));
    for (let d = 0; d < 3; d++) A[d * 4] += 0.6 * spread;
    const s = (p: number, q: number) => A[p * 3] * A[q * 3] + A[p * 3 + 1] * A[q * 3 + 1] + A[p * 3 + 2] * A[q * 3 + 2];
    covs.set([s(0, 0), s(1, 1), s(2, 2), s(0, 1), s(0, 2), s(1, 2)], j * 6);
    weights[j] = (0.2 + rng()) / k;
  }
  let w = 0;
  for (const x of weights) w += x;
  for (let q = 0; q < k; q++) weights[q] *= 0.9 / w;
  return { k, lattice: L, latticeInv: inverse3(L), frac, cart, covs, weights, background: 0.1, stride: 1 };
}

describe('sure radius', () => {
  it('symEigen3 and minImageDistance are right (against brute force)', () => {
    const rng = mulberry32(3);
    for (let t = 0; t < 200; t++) {
      const a = Float64Array.from({ length: 6 }, () => rng() - 0.5);
      const e = symEigen3(a, 0);
      // det(A − λI) = 0 for each eigenvalue, and the trace is their sum.
      for (const l of e) {
        const m = [a[0] - l, a[3], a[4], a[3], a[1] - l, a[5], a[4], a[5], a[2] - l];
        const det = m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) + m[2] * (m[3] * m[7] - m[4] * m[6]);
        expect(Math.abs(det)).toBeLessThan(1e-9);
      }
      expect(e[0] + e[1] + e[2]).toBeCloseTo(a[0] + a[1] + a[2], 12);
      expect(e[0]).toBeLessThanOrEqual(e[1]);
      expect(e[1]).toBeLessThanOrEqual(e[2]);
    }
    const L = [10, 0, 0, 9, 3, 0, 1, 1, 10]; // strongly skewed: rounding is not the minimum image
    const h = cellHeights(L);
    for (let t = 0; t < 200; t++) {
      const p = [rng(), rng(), rng()], q = [rng(), rng(), rng()];
      let best = Infinity;
      for (let i = -3; i <= 3; i++) for (let j = -3; j <= 3; j++) for (let m = -3; m <= 3; m++) {
        const f = [p[0] - q[0] + i, p[1] - q[1] + j, p[2] - q[2] + m];
        const v = [0, 1, 2].map((c) => f[0] * L[c] + f[1] * L[3 + c] + f[2] * L[6 + c]);
        best = Math.min(best, Math.hypot(v[0], v[1], v[2]));
      }
      expect(minImageDistance(L, h, p[0], p[1], p[2], q[0], q[1], q[2])).toBeCloseTo(best, 12);
    }
  });

  it('frames within the radius get the descent and every candidate\'s answer (random maps, skewed cell, images)', () => {
    let decided = 0, total = 0;
    for (const [seed, spread] of [[1, 0.5], [2, 0.8], [3, 1.1]] as const) {
      const map = randomMap(seed, spread);
      const fast = new FrameAssigner(map), full = new FrameAssigner(map, true);
      const inv = new Float64Array(map.k * 6), logNorm = new Float64Array(map.k);
      for (let j = 0; j < map.k; j++) logNorm[j] = Math.log(map.weights[j]) - 0.5 * invertSym(map.covs, j * 6, inv) - 1.5 * Math.log(2 * Math.PI);
      const sure = sureRadii2(map.k, map.frac, map.lattice, siteNeighbours(map), NEIGHBOURS, inv, logNorm);
      const rng = mulberry32(100 + seed);
      const L = map.lattice, Li = map.latticeInv;
      const g1 = new Int32Array(1), g2 = new Int32Array(1);
      for (let g = 0; g < map.k; g++) {
        const R = sure[g] > 0 ? Math.sqrt(sure[g]) : 0.5;
        for (let t = 0; t < 60; t++) {
          // Radii around the sure radius (inside, at, beyond) in random directions, in a random image.
          const r = R * (t < 20 ? rng() : t < 40 ? 1 - 1e-6 * rng() : 1 + rng());
          const d = [rng() - 0.5, rng() - 0.5, rng() - 0.5];
          const s = r / Math.hypot(d[0], d[1], d[2]);
          const img = [Math.floor(rng() * 7) - 3, Math.floor(rng() * 7) - 3, Math.floor(rng() * 7) - 3];
          const x = [0, 1, 2].map((c) => map.cart[g * 3 + c] + s * d[c] + img[0] * L[c] + img[1] * L[3 + c] + img[2] * L[6 + c]);
          const u = [0, 1, 2].map((c) => x[0] * Li[c] + x[1] * Li[3 + c] + x[2] * Li[6 + c]);
          g1[0] = g; g2[0] = g;
          const a = fast.assign(u[0], u[1], u[2], g1, 0), b = full.assign(u[0], u[1], u[2], g2, 0);
          total++;
          if (g1[0] === g && r * r <= sure[g]) decided++;
          expect(a).toBe(b);
          expect(g1[0]).toBe(g2[0]);
          if (a >= 0) expect(Array.from(fast.out)).toEqual(Array.from(full.out));
        }
      }
    }
    // The test means something only if the radius decides many frames.
    expect(decided).toBeGreaterThan(0.3 * total);
  });

  it('a segmentation is bit-identical with and without it (generated close pairs, every-step frames)', () => {
    const spec = { ...materialByName('Li-pair-1.8'), nFrames: 2500 };
    const T = spec.temperaturesK[0];
    const traj = toTrajectory(generateRun(spec, T, spec.seed + T));
    const atoms = atomsOf(traj, [spec.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
    const cell = traj.lattice.subarray(0, 9);
    const map = fitSiteMap(u, traj.nFrames, atoms.length, cell, volume(cell), 0);
    const breaks = [800, 1700];
    const a = segmentBySites(map, u, traj.nFrames, atoms, { breaks });
    const b = segmentBySites(map, u, traj.nFrames, atoms, { breaks, exhaustive: true });
    expect(a.hops.length).toBeGreaterThan(20);
    expect(a.hops).toEqual(b.hops);
    expect(Array.from(a.nPlaces)).toEqual(Array.from(b.nPlaces));
    expect(Array.from(a.basinFrames)).toEqual(Array.from(b.basinFrames));
    expect(Array.from(a.stayFrames)).toEqual(Array.from(b.stayFrames));
    expect(Array.from(a.longestStay)).toEqual(Array.from(b.longestStay));
    expect([...a.acrossBreaks]).toEqual([...b.acrossBreaks]);
  }, 120_000);
});
