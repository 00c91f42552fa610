/**
 * When two components of the mixture are one site: inside each other's vibration core, inside the
 * species' pooled ellipsoid, one mode with a lighter satellite, or not told apart by a
 * likelihood-ratio test counted in independent points (the vibration's correlation time).
 */
import { displacement, wrap1 } from './periodic.js';
import { invertLattice, invertSym, NEIGHBOURS, PARAMS_PER_COMPONENT, quad, refreshNorms, State } from './state.js';
import type { GmmInput } from './state.js';

/**
 * Moment-matched merge of components i and j into i (weights add; mean and covariance of the
 * two-component mixture). Returns the merged parameters in a scratch state slot.
 */
export function mergeInto(s: State, L: ArrayLike<number>, i: number, j: number): void {
  const wi = s.weights[i], wj = s.weights[j], w = wi + wj;
  const v = new Float64Array(3);
  displacement(L, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], s.means[i * 3], s.means[i * 3 + 1], s.means[i * 3 + 2], v);
  const a = wj / w; // new mean = mean_i + a·v
  const Linv = invertLattice(L);
  const d = [v[0], v[1], v[2]];
  const idx = [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]];
  for (let c = 0; c < 6; c++) {
    const [p, q] = idx[c];
    s.covs[i * 6 + c] = (wi * s.covs[i * 6 + c] + wj * s.covs[j * 6 + c]) / w + (wi * wj / (w * w)) * d[p] * d[q];
  }
  for (let c = 0; c < 3; c++) {
    const f = a * (v[0] * Linv[c] + v[1] * Linv[3 + c] + v[2] * Linv[6 + c]);
    s.means[i * 3 + c] = wrap1(s.means[i * 3 + c] + f);
  }
  s.weights[i] = w;
}

/**
 * ΔBIC of merging each neighbouring pair, on the points whose best component is one of the two:
 * 2·(logL split − logL merged) − 10·ln n. Negative: the data prefer one component.
 */
export function mergeCosts(s: State, inp: GmmInput, best: Int32Array, logBgDensity: number, tau: number, pooledInv: Float64Array): { i: number; j: number; dBic: number }[] {
  const L = inp.lattice, p = inp.points, n = p.length / 3, k = s.k;
  const logBg = Math.log(s.background) + logBgDensity;
  // Points by their best component (counting sort: each list in point order).
  const cStart = new Int32Array(k + 1), cPts = new Int32Array(n);
  for (let i = 0; i < n; i++) cStart[best[i] + 1]++;
  for (let j = 0; j < k; j++) cStart[j + 1] += cStart[j];
  const cFill = cStart.slice(0, k);
  for (let i = 0; i < n; i++) cPts[cFill[best[i]]++] = i;
  const out: { i: number; j: number; dBic: number }[] = [];
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  const means = s.means, inv = s.inv, logNorm = s.logNorm;
  /** logNorm[c] + quad() of point q under component c: displacement() and quad() inlined. */
  const logDens = (q: number, c: number, mu: Float64Array, mo: number, iv: Float64Array, ln: number): number => {
    let dx = p[q * 3] - mu[mo], dy = p[q * 3 + 1] - mu[mo + 1], dz = p[q * 3 + 2] - mu[mo + 2];
    dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
    const vx = dx * L0 + dy * L3 + dz * L6;
    const vy = dx * L1 + dy * L4 + dz * L7;
    const vz = dx * L2 + dy * L5 + dz * L8;
    const o = c * 6;
    return ln + -0.5 * (iv[o] * vx * vx + iv[o + 1] * vy * vy + iv[o + 2] * vz * vz
      + 2 * (iv[o + 3] * vx * vy + iv[o + 4] * vx * vz + iv[o + 5] * vy * vz));
  };
  // Each point's log-density under its own component, the same in every pair it enters.
  const own = new Float64Array(n);
  for (let q = 0; q < n; q++) { const c = best[q]; own[q] = logDens(q, c, means, c * 3, inv, logNorm[c]); }
  // Scratch states, every field read rewritten per pair.
  const m = new State(1);
  const pair = new State(2);
  // Likelihood-ratio test, 10 parameters more for the split, at 0.1 %: χ²₁₀ quantile 29.59.
  const penalty = 29.588298445074418;
  for (let i = 0; i < k; i++) {
    for (let a = 1; a < NEIGHBOURS; a++) {
      const j = s.nbr[i * NEIGHBOURS + a];
      if (j < 0 || j < i) continue;
      // The mode rule only absorbs a lighter satellite (a tail drawn as its own component): between
      // components of like weight a plateau is left to the likelihood-ratio test, so merges cannot
      // cascade over a continuous density.
      const satellite = Math.min(s.weights[i], s.weights[j]) <= 0.5 * Math.max(s.weights[i], s.weights[j]);
      if (overlapping(s, L, i, j, pooledInv) || (satellite && unimodal(s, L, i, j, logBg))) { out.push({ i, j, dBic: -Infinity }); continue; }
      if (cStart[i + 1] - cStart[i] < PARAMS_PER_COMPONENT || cStart[j + 1] - cStart[j] < PARAMS_PER_COMPONENT) continue;
      pair.means.set(means.subarray(i * 3, i * 3 + 3), 0); pair.means.set(means.subarray(j * 3, j * 3 + 3), 3);
      pair.covs.set(s.covs.subarray(i * 6, i * 6 + 6), 0); pair.covs.set(s.covs.subarray(j * 6, j * 6 + 6), 6);
      pair.weights[0] = s.weights[i]; pair.weights[1] = s.weights[j];
      mergeInto(pair, L, 0, 1);
      m.means.set(pair.means.subarray(0, 3)); m.covs.set(pair.covs.subarray(0, 6)); m.weights[0] = pair.weights[0];
      refreshNorms(m);
      const mLogNorm = m.logNorm[0];
      let split = 0, merged = 0;
      for (let side = 0; side < 2; side++) {
        const c = side === 0 ? i : j;
        for (let t = cStart[c]; t < cStart[c + 1]; t++) {
          const q = cPts[t];
          const li = side === 0 ? own[q] : logDens(q, i, means, i * 3, inv, logNorm[i]);
          const lj = side === 1 ? own[q] : logDens(q, j, means, j * 3, inv, logNorm[j]);
          // The background stays in both, so transit points do not favour a wide merged component.
          // Points neither component explains better than the background (another site's, whose
          // component is elsewhere) are left out: a wide merged component must not win them.
          if (li < logBg && lj < logBg) continue;
          const mx = Math.max(li, lj, logBg);
          split += mx + Math.log(Math.exp(li - mx) + Math.exp(lj - mx) + Math.exp(logBg - mx));
          const lm = logDens(q, 0, m.means, 0, m.inv, mLogNorm);
          const mm = Math.max(lm, logBg);
          merged += mm + Math.log(Math.exp(lm - mm) + Math.exp(logBg - mm));
        }
      }
      const dBic = (2 * (split - merged)) / tau - penalty;
      if (dBic < 0) out.push({ i, j, dBic });
    }
  }
  out.sort((a, b) => (a.dBic === b.dBic ? 0 : a.dBic - b.dBic) || a.i - b.i || a.j - b.j);
  return out;
}

/**
 * Integrated autocorrelation time (in points) of the displacement from the assigned component,
 * AR(1) form (1 + ρ₁)/(1 − ρ₁) over consecutive points of a track at the same component: frames
 * of one ion are strongly correlated (an underdamped vibration sampled every MD step), and the
 * likelihood gains of a split must be counted in independent points, not in frames.
 */
export function correlationTime(s: State, inp: GmmInput, best: Int32Array): number {
  const L = inp.lattice, p = inp.points, n = p.length / 3;
  const d = new Float64Array(n * 3), v = new Float64Array(3);
  let num = 0, den = 0;
  // Each visit (a run of one track at one component) about its own mean: only the vibration is left.
  for (let start = 0; start < n;) {
    let end = start + 1;
    while (end < n && end % inp.trackLength !== 0 && best[end] === best[start]) end++;
    const j = best[start];
    let mx = 0, my = 0, mz = 0;
    for (let i = start; i < end; i++) {
      displacement(L, p[i * 3], p[i * 3 + 1], p[i * 3 + 2], s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], v);
      d[i * 3] = v[0]; d[i * 3 + 1] = v[1]; d[i * 3 + 2] = v[2];
      mx += v[0]; my += v[1]; mz += v[2];
    }
    const m = end - start;
    mx /= m; my /= m; mz /= m;
    for (let i = start; i < end; i++) { d[i * 3] -= mx; d[i * 3 + 1] -= my; d[i * 3 + 2] -= mz; }
    for (let i = start; i < end; i++) {
      den += d[i * 3] ** 2 + d[i * 3 + 1] ** 2 + d[i * 3 + 2] ** 2;
      if (i + 1 < end) num += d[i * 3] * d[i * 3 + 3] + d[i * 3 + 1] * d[i * 3 + 4] + d[i * 3 + 2] * d[i * 3 + 5];
    }
    start = end;
  }
  const rho = den > 0 ? Math.min(0.99, Math.max(0, num / den)) : 0;
  return (1 + rho) / (1 - rho);
}

/**
 * True when components i and j (with the background) make one mode: the mixture density along
 * the segment between their centres never dips below its value at the lower end. A site is a
 * mode of the density, not a component: a vibration cloud with transit tails is drawn by EM as a
 * main component plus a tail one, and those are one site; two sites have a density dip between.
 */
function unimodal(s: State, L: ArrayLike<number>, i: number, j: number, logBg: number): boolean {
  const v = new Float64Array(3);
  displacement(L, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], s.means[i * 3], s.means[i * 3 + 1], s.means[i * 3 + 2], v);
  const bg = Math.exp(logBg);
  const f = (t: number): number => {
    const x = t * v[0], y = t * v[1], z = t * v[2];
    return Math.exp(s.logNorm[i] + quad(s.inv, i * 6, x, y, z))
      + Math.exp(s.logNorm[j] + quad(s.inv, j * 6, x - v[0], y - v[1], z - v[2])) + bg;
  };
  const ends = Math.min(f(0), f(1));
  const STEPS = 48;
  for (let q = 1; q < STEPS; q++) if (f(q / STEPS) < ends * (1 - 1e-9)) return false;
  return true;
}

/**
 * Components whose centres lie inside each other's vibration core (χ²₃ 90 % of the Mahalanobis
 * distance, under either covariance): one site drawn as two — an ion could never be told to be
 * at one rather than the other.
 */
/** χ²₃ quantile 0.99: centres inside the species' typical vibration ellipsoid at this level are one site. */
const POOLED_99 = 11.344866730144373;

function overlapping(s: State, L: ArrayLike<number>, i: number, j: number, pooledInv: Float64Array): boolean {
  const v = new Float64Array(3);
  displacement(L, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], s.means[i * 3], s.means[i * 3 + 1], s.means[i * 3 + 2], v);
  const CORE = 6.251388631170325;
  return -2 * quad(s.inv, i * 6, v[0], v[1], v[2]) < CORE || -2 * quad(s.inv, j * 6, v[0], v[1], v[2]) < CORE
    || -2 * quad(pooledInv, 0, v[0], v[1], v[2]) < POOLED_99;
}

/**
 * Inverse of the weight-averaged covariance of all components: the species' typical vibration.
 * A rarely visited site's own covariance comes from few, correlated frames and can be far too
 * small; two centres closer than the typical vibration are one site however tight each looks.
 */
export function pooledInverse(s: State): Float64Array {
  const c = new Float64Array(6), out = new Float64Array(6);
  let w = 0;
  for (let j = 0; j < s.k; j++) {
    w += s.weights[j];
    for (let q = 0; q < 6; q++) c[q] += s.weights[j] * s.covs[j * 6 + q];
  }
  for (let q = 0; q < 6; q++) c[q] /= w;
  invertSym(c, 0, out);
  return out;
}
