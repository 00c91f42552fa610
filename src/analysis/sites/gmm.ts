/**
 * A periodic Gaussian mixture with a uniform background, fitted by EM to wrapped positions, its
 * number of components chosen by the data: over-seeded by k-means++ (more components than
 * sites), then neighbouring components merged when together they make one mode of the density or
 * when a likelihood-ratio test (in independent points) cannot tell them apart, and components
 * with fewer points than parameters dropped. No length scale enters: every width comes from the data.
 *
 * The background takes the frames spent in transit, so they neither pull centres nor widen the
 * vibration ellipsoids. Each point only looks at the few components nearest to its current best
 * one (a neighbour list per component), which keeps EM linear in the number of points.
 */

import { seededRandom } from '../random.js';
import { displacement, distance2, wrap1 } from './periodic.js';
import { CentreGrid } from './grid.js';
import { correlationTime, mergeCosts, mergeInto, pooledInverse } from './merge.js';
import { invertLattice, NEIGHBOURS, PARAMS_PER_COMPONENT, quad, refreshNorms, State, neighbourLists, subset } from './state.js';

export { invertSym, quad } from './state.js';
export type { GmmInput } from './state.js';
import type { GmmInput } from './state.js';

export interface Mixture {
  /** Number of components. */
  k: number;
  /** Fractional centres in [0, 1), k × 3. */
  means: Float64Array;
  /** Cartesian covariances (Å²), k × 6: xx, yy, zz, xy, xz, yz. */
  covs: Float64Array;
  /** Mixing weights of the components (the background holds the rest). */
  weights: Float64Array;
  /** Weight of the uniform background (transit). */
  background: number;
  /** Log-likelihood of the points at the end. */
  logLik: number;
}


/** k-means++ (D² sampling, periodic) on a uniform subset of the points: k fractional seeds. */
function seedPlusPlus(points: Float64Array, n: number, k: number, L: ArrayLike<number>, rng: () => number): Float64Array {
  const m = Math.min(n, Math.max(4000, 4 * k));
  const sub = new Int32Array(m);
  for (let i = 0; i < m; i++) sub[i] = Math.min(n - 1, Math.floor(((i + rng()) * n) / m));
  const c = new Float64Array(k * 3);
  const d2 = new Float64Array(m).fill(Infinity);
  let pick = sub[Math.floor(rng() * m)];
  // The subset's coordinates packed, and distance2() inlined with the lattice in locals.
  const sp = new Float64Array(m * 3);
  for (let i = 0; i < m; i++) { const p = sub[i] * 3; sp[i * 3] = points[p]; sp[i * 3 + 1] = points[p + 1]; sp[i * 3 + 2] = points[p + 2]; }
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  for (let j = 0; j < k; j++) {
    c[j * 3] = points[pick * 3]; c[j * 3 + 1] = points[pick * 3 + 1]; c[j * 3 + 2] = points[pick * 3 + 2];
    const cx = c[j * 3], cy = c[j * 3 + 1], cz = c[j * 3 + 2];
    let total = 0;
    for (let i = 0; i < m; i++) {
      let dx = sp[i * 3] - cx, dy = sp[i * 3 + 1] - cy, dz = sp[i * 3 + 2] - cz;
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L0 + dy * L3 + dz * L6;
      const y = dx * L1 + dy * L4 + dz * L7;
      const z = dx * L2 + dy * L5 + dz * L8;
      const dd = x * x + y * y + z * z;
      if (dd < d2[i]) d2[i] = dd;
      total += d2[i];
    }
    if (j + 1 === k) break;
    let r = rng() * total, i = 0;
    if (total > 0) { for (; i < m - 1; i++) { r -= d2[i]; if (r <= 0) break; } } else i = Math.floor(rng() * m);
    pick = sub[i];
  }
  return c;
}

/** Every point's nearest component (Euclidean, periodic). */
function nearestAll(s: State, inp: GmmInput, best: Int32Array): void {
  const p = inp.points, n = p.length / 3;
  const grid = new CentreGrid(inp.lattice, s.means, s.k);
  for (let i = 0; i < n; i++) best[i] = grid.nearest(p[i * 3], p[i * 3 + 1], p[i * 3 + 2]);
}

/**
 * One EM pass: responsibilities over each point's candidate components (its best one's neighbour
 * list) and the background, then the M-step. Updates `best` to each point's most responsible
 * component. Returns the log-likelihood.
 */
function emStep(s: State, inp: GmmInput, best: Int32Array, logBgDensity: number): number {
  const L = inp.lattice, p = inp.points, n = p.length / 3, k = s.k;
  const sw = new Float64Array(k), sx = new Float64Array(k * 3), sxx = new Float64Array(k * 6);
  let swBg = 0, logLik = 0;
  const lr = new Float64Array(NEIGHBOURS), er = new Float64Array(NEIGHBOURS), dv = new Float64Array(NEIGHBOURS * 3);
  const logBg = Math.log(s.background) + logBgDensity;
  // Same arithmetic as displacement()/quad(), inlined with the lattice and arrays in locals.
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  const nbr = s.nbr, means = s.means, inv = s.inv, logNorm = s.logNorm;
  for (let i = 0; i < n; i++) {
    const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
    const b = best[i], nb0 = b * NEIGHBOURS;
    let mx = logBg;
    for (let a = 0; a < NEIGHBOURS; a++) {
      const j = nbr[nb0 + a];
      if (j < 0) { lr[a] = -Infinity; continue; }
      // Points and centres are in [0, 1), so each difference is in (−1, 1), where this is Math.round.
      let dx = x - means[j * 3], dy = y - means[j * 3 + 1], dz = z - means[j * 3 + 2];
      dx -= dx >= 0.5 ? 1 : dx < -0.5 ? -1 : 0;
      dy -= dy >= 0.5 ? 1 : dy < -0.5 ? -1 : 0;
      dz -= dz >= 0.5 ? 1 : dz < -0.5 ? -1 : 0;
      const vx = dx * L0 + dy * L3 + dz * L6;
      const vy = dx * L1 + dy * L4 + dz * L7;
      const vz = dx * L2 + dy * L5 + dz * L8;
      dv[a * 3] = vx; dv[a * 3 + 1] = vy; dv[a * 3 + 2] = vz;
      const o = j * 6;
      const l = logNorm[j] + -0.5 * (inv[o] * vx * vx + inv[o + 1] * vy * vy + inv[o + 2] * vz * vz
        + 2 * (inv[o + 3] * vx * vy + inv[o + 4] * vx * vz + inv[o + 5] * vy * vz));
      lr[a] = l;
      if (l > mx) mx = l;
    }
    const eBg = Math.exp(logBg - mx);
    let tot = eBg, top = -1, topL = logBg;
    for (let a = 0; a < NEIGHBOURS; a++) {
      const l = lr[a];
      if (l === -Infinity) continue;
      // exp(−38) < 2⁻⁵⁴: added to a sum ≥ 1 it leaves the sum unchanged, and its responsibility
      // (< 1e-12) is skipped below; so exp is not taken (exactly the same sums).
      const e = l - mx < -38 && tot >= 1 ? 0 : Math.exp(l - mx);
      er[a] = e;
      tot += e;
      if (l > topL) { topL = l; top = nbr[nb0 + a]; }
    }
    logLik += mx + Math.log(tot);
    swBg += eBg / tot;
    for (let a = 0; a < NEIGHBOURS; a++) {
      if (lr[a] === -Infinity) continue;
      const e = er[a];
      if (e === 0) continue;
      const r = e / tot;
      if (r < 1e-12) continue;
      const j = nbr[nb0 + a];
      const ex = dv[a * 3], ey = dv[a * 3 + 1], ez = dv[a * 3 + 2];
      sw[j] += r;
      sx[j * 3] += r * ex; sx[j * 3 + 1] += r * ey; sx[j * 3 + 2] += r * ez;
      sxx[j * 6] += r * ex * ex; sxx[j * 6 + 1] += r * ey * ey; sxx[j * 6 + 2] += r * ez * ez;
      sxx[j * 6 + 3] += r * ex * ey; sxx[j * 6 + 4] += r * ex * ez; sxx[j * 6 + 5] += r * ey * ez;
    }
    // A point whose most likely component is outside the list moves there by descent next time.
    best[i] = top >= 0 ? top : b;
  }
  const Linv = invertLattice(L);
  for (let j = 0; j < k; j++) {
    const w = sw[j];
    s.weights[j] = Math.max(w, 1e-300) / n;
    if (w < 1e-9) continue;
    const mx = sx[j * 3] / w, my = sx[j * 3 + 1] / w, mz = sx[j * 3 + 2] / w;
    // Covariance about the new mean; a tiny ridge (numerical, 1e-6 Å²) keeps it invertible.
    s.covs[j * 6] = sxx[j * 6] / w - mx * mx + 1e-6;
    s.covs[j * 6 + 1] = sxx[j * 6 + 1] / w - my * my + 1e-6;
    s.covs[j * 6 + 2] = sxx[j * 6 + 2] / w - mz * mz + 1e-6;
    s.covs[j * 6 + 3] = sxx[j * 6 + 3] / w - mx * my;
    s.covs[j * 6 + 4] = sxx[j * 6 + 4] / w - mx * mz;
    s.covs[j * 6 + 5] = sxx[j * 6 + 5] / w - my * mz;
    const fx = mx * Linv[0] + my * Linv[3] + mz * Linv[6];
    const fy = mx * Linv[1] + my * Linv[4] + mz * Linv[7];
    const fz = mx * Linv[2] + my * Linv[5] + mz * Linv[8];
    s.means[j * 3] = wrap1(s.means[j * 3] + fx);
    s.means[j * 3 + 1] = wrap1(s.means[j * 3 + 1] + fy);
    s.means[j * 3 + 2] = wrap1(s.means[j * 3 + 2] + fz);
  }
  s.background = Math.min(0.999, Math.max(swBg / n, 1e-6));
  refreshNorms(s);
  return logLik;
}

/** Fit the mixture: seed, EM, then merge/prune rounds until the component set is stable. */
export function fitPeriodicMixture(inp: GmmInput): Mixture {
  const L = inp.lattice, p = inp.points, n = p.length / 3;
  const rng = seededRandom(inp.seed);
  const k0 = Math.max(1, Math.min(inp.k0, Math.floor(n / PARAMS_PER_COMPONENT)));
  let s = new State(k0);
  s.means = seedPlusPlus(p, n, k0, L, rng);
  neighbourLists(s, L);
  const best = new Int32Array(n);
  nearestAll(s, inp, best);
  // Initial covariances: isotropic, the mean squared distance of a point to its nearest seed.
  const cnt = new Float64Array(k0), ss = new Float64Array(k0);
  for (let i = 0; i < n; i++) {
    const b = best[i];
    cnt[b]++;
    ss[b] += distance2(L, p[i * 3], p[i * 3 + 1], p[i * 3 + 2], s.means[b * 3], s.means[b * 3 + 1], s.means[b * 3 + 2]);
  }
  let pooled = 0;
  for (let j = 0; j < k0; j++) pooled += ss[j];
  pooled = pooled / (3 * n) + 1e-6;
  for (let j = 0; j < k0; j++) {
    s.covs[j * 6] = s.covs[j * 6 + 1] = s.covs[j * 6 + 2] = pooled;
    s.weights[j] = Math.max(cnt[j], 1) / n * (1 - s.background);
  }
  refreshNorms(s);
  const logBgDensity = -Math.log(inp.volumeA3);
  let logLik = -Infinity;
  const em = (iters: number) => {
    for (let it = 0; it < iters; it++) {
      const ll = emStep(s, inp, best, logBgDensity);
      const done = Math.abs(ll - logLik) < 1e-3 * n;
      logLik = ll;
      if (it % 5 === 4) neighbourLists(s, L);
      if (done) break;
    }
    neighbourLists(s, L);
  };
  em(20);
  // Once, from the over-seeded fit: later, merged components would count site offsets as correlation.
  const tau = correlationTime(s, inp, best);
  // Not after every round: the covariances grow as components merge, and a pooled scale taken
  // each round would let merges feed on themselves (a continuous density collapsed to 2 sites).
  let pooledInv = pooledInverse(s);
  for (let round = 0; round < 40; round++) {
    // Re-taken once after the first round, when duplicate seeds of one site have merged.
    if (round === 1) pooledInv = pooledInverse(s);
    const keep = new Uint8Array(s.k).fill(1);
    let changed = false;
    // Drop components holding fewer points than their parameters: not identifiable.
    for (let j = 0; j < s.k; j++) if (s.weights[j] * n < PARAMS_PER_COMPONENT) { keep[j] = 0; changed = true; }
    const used = new Uint8Array(s.k);
    for (const { i, j } of mergeCosts(s, inp, best, logBgDensity, tau, pooledInv)) {
      if (used[i] || used[j] || !keep[i] || !keep[j]) continue;
      used[i] = used[j] = 1;
      mergeInto(s, L, i, j);
      keep[j] = 0;
      changed = true;
    }
    if (!changed) break;
    const remap = new Int32Array(s.k).fill(-1);
    let o = 0;
    for (let j = 0; j < s.k; j++) if (keep[j]) remap[j] = o++;
    s = subset(s, keep);
    if (s.k === 0) break;
    refreshNorms(s);
    neighbourLists(s, L);
    for (let i = 0; i < n; i++) {
      const b = remap[best[i]];
      best[i] = b >= 0 ? b : 0;
    }
    nearestAll(s, inp, best);
    logLik = -Infinity;
    em(8);
  }
  return { k: s.k, means: s.means, covs: s.covs, weights: s.weights, background: s.background, logLik };
}

