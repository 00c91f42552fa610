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

/** Parameters of one full-covariance 3-D Gaussian: mean, 6 covariance entries, weight. */
const PARAMS_PER_COMPONENT = 10;
/** Components a point is scored against: its best one and that one's nearest neighbours. */
const NEIGHBOURS = 8;
const LOG_2PI = Math.log(2 * Math.PI);

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

export interface GmmInput {
  /** Wrapped fractional points, n × 3, grouped by track (one ion's subsampled frames in order). */
  points: Float64Array;
  /** Points per track (each track is consecutive in `points`), so a point starts from its predecessor's component. */
  trackLength: number;
  lattice: ArrayLike<number>;
  volumeA3: number;
  /** Initial number of components (over-seeded). */
  k0: number;
  seed: number;
}

/** Inverse of a symmetric 3×3 (6 entries) into out at o; returns log det. */
export function invertSym(c: Float64Array, o: number, out: Float64Array): number {
  const a = c[o], b = c[o + 1], d = c[o + 2], e = c[o + 3], f = c[o + 4], g = c[o + 5];
  // matrix [[a, e, f], [e, b, g], [f, g, d]]
  const A = b * d - g * g, B = f * g - e * d, C = e * g - b * f;
  const det = a * A + e * B + f * C;
  out[o] = A / det;
  out[o + 1] = (a * d - f * f) / det;
  out[o + 2] = (a * b - e * e) / det;
  out[o + 3] = B / det;
  out[o + 4] = C / det;
  out[o + 5] = (e * f - a * g) / det;
  return Math.log(det);
}

/** −½ dᵀ Σ⁻¹ d for d in v and inverse covariance entries at o. */
export function quad(inv: Float64Array, o: number, x: number, y: number, z: number): number {
  return -0.5 * (inv[o] * x * x + inv[o + 1] * y * y + inv[o + 2] * z * z
    + 2 * (inv[o + 3] * x * y + inv[o + 4] * x * z + inv[o + 5] * y * z));
}

/** Working state of the mixture during the fit. */
class State {
  k: number;
  means: Float64Array;
  covs: Float64Array;
  inv: Float64Array;
  logNorm: Float64Array;
  weights: Float64Array;
  background: number;
  nbr: Int32Array;
  constructor(k: number) {
    this.k = k;
    this.means = new Float64Array(k * 3);
    this.covs = new Float64Array(k * 6);
    this.inv = new Float64Array(k * 6);
    this.logNorm = new Float64Array(k);
    this.weights = new Float64Array(k);
    this.background = 0.05;
    this.nbr = new Int32Array(k * NEIGHBOURS);
  }
}

/** Per component, its NEIGHBOURS nearest components (itself first): one pass, a sorted top list. */
function neighbourLists(s: State, L: ArrayLike<number>): void {
  const m = Math.min(NEIGHBOURS, s.k);
  s.nbr = new Int32Array(s.k * NEIGHBOURS).fill(-1);
  const topD = new Float64Array(m), topJ = new Int32Array(m);
  for (let i = 0; i < s.k; i++) {
    topD.fill(Infinity); topJ.fill(-1);
    topD[0] = -1; topJ[0] = i;
    const xi = s.means[i * 3], yi = s.means[i * 3 + 1], zi = s.means[i * 3 + 2];
    for (let j = 0; j < s.k; j++) {
      if (j === i) continue;
      const d = distance2(L, xi, yi, zi, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2]);
      if (d >= topD[m - 1]) continue;
      let q = m - 1;
      while (q > 1 && topD[q - 1] > d) { topD[q] = topD[q - 1]; topJ[q] = topJ[q - 1]; q--; }
      topD[q] = d; topJ[q] = j;
    }
    for (let a = 0; a < m; a++) s.nbr[i * NEIGHBOURS + a] = topJ[a];
  }
}

function refreshNorms(s: State): void {
  for (let j = 0; j < s.k; j++) {
    const ld = invertSym(s.covs, j * 6, s.inv);
    s.logNorm[j] = Math.log(s.weights[j]) - 0.5 * ld - 1.5 * LOG_2PI;
  }
}

/** k-means++ (D² sampling, periodic) on a uniform subset of the points: k fractional seeds. */
function seedPlusPlus(points: Float64Array, n: number, k: number, L: ArrayLike<number>, rng: () => number): Float64Array {
  const m = Math.min(n, Math.max(4000, 4 * k));
  const sub = new Int32Array(m);
  for (let i = 0; i < m; i++) sub[i] = Math.min(n - 1, Math.floor(((i + rng()) * n) / m));
  const c = new Float64Array(k * 3);
  const d2 = new Float64Array(m).fill(Infinity);
  let pick = sub[Math.floor(rng() * m)];
  for (let j = 0; j < k; j++) {
    c[j * 3] = points[pick * 3]; c[j * 3 + 1] = points[pick * 3 + 1]; c[j * 3 + 2] = points[pick * 3 + 2];
    let total = 0;
    for (let i = 0; i < m; i++) {
      const p = sub[i] * 3;
      const dd = distance2(L, points[p], points[p + 1], points[p + 2], c[j * 3], c[j * 3 + 1], c[j * 3 + 2]);
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
  const v = new Float64Array(3);
  const lr = new Float64Array(NEIGHBOURS), dv = new Float64Array(NEIGHBOURS * 3);
  const logBg = Math.log(s.background) + logBgDensity;
  for (let i = 0; i < n; i++) {
    const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
    const b = best[i];
    let mx = logBg;
    for (let a = 0; a < NEIGHBOURS; a++) {
      const j = s.nbr[b * NEIGHBOURS + a];
      if (j < 0) { lr[a] = -Infinity; continue; }
      displacement(L, x, y, z, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], v);
      dv[a * 3] = v[0]; dv[a * 3 + 1] = v[1]; dv[a * 3 + 2] = v[2];
      lr[a] = s.logNorm[j] + quad(s.inv, j * 6, v[0], v[1], v[2]);
      if (lr[a] > mx) mx = lr[a];
    }
    let tot = Math.exp(logBg - mx), top = -1, topL = logBg;
    for (let a = 0; a < NEIGHBOURS; a++) {
      if (lr[a] === -Infinity) continue;
      tot += Math.exp(lr[a] - mx);
      if (lr[a] > topL) { topL = lr[a]; top = s.nbr[b * NEIGHBOURS + a]; }
    }
    logLik += mx + Math.log(tot);
    swBg += Math.exp(logBg - mx) / tot;
    for (let a = 0; a < NEIGHBOURS; a++) {
      if (lr[a] === -Infinity) continue;
      const r = Math.exp(lr[a] - mx) / tot;
      if (r < 1e-12) continue;
      const j = s.nbr[b * NEIGHBOURS + a];
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

function invertLattice(L: ArrayLike<number>): Float64Array {
  const a = L[0], b = L[1], c = L[2], d = L[3], e = L[4], f = L[5], g = L[6], h = L[7], i = L[8];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return new Float64Array([
    (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
    (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
    (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
  ]);
}

/** A state holding only the components flagged in `keep`. */
function subset(s: State, keep: Uint8Array): State {
  let k = 0;
  for (let j = 0; j < s.k; j++) k += keep[j];
  const t = new State(k);
  let o = 0;
  for (let j = 0; j < s.k; j++) {
    if (!keep[j]) continue;
    t.means.set(s.means.subarray(j * 3, j * 3 + 3), o * 3);
    t.covs.set(s.covs.subarray(j * 6, j * 6 + 6), o * 6);
    t.weights[o] = s.weights[j];
    o++;
  }
  t.background = s.background;
  return t;
}

/**
 * Moment-matched merge of components i and j into i (weights add; mean and covariance of the
 * two-component mixture). Returns the merged parameters in a scratch state slot.
 */
function mergeInto(s: State, L: ArrayLike<number>, i: number, j: number): void {
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
function mergeCosts(s: State, inp: GmmInput, best: Int32Array, logBgDensity: number, tau: number, pooledInv: Float64Array): { i: number; j: number; dBic: number }[] {
  const L = inp.lattice, p = inp.points, n = p.length / 3;
  const logBg = Math.log(s.background) + logBgDensity;
  const byComp: number[][] = Array.from({ length: s.k }, () => []);
  for (let i = 0; i < n; i++) byComp[best[i]].push(i);
  const out: { i: number; j: number; dBic: number }[] = [];
  const v = new Float64Array(3);
  // Likelihood-ratio test, 10 parameters more for the split, at 0.1 %: χ²₁₀ quantile 29.59.
  const penalty = 29.588298445074418;
  for (let i = 0; i < s.k; i++) {
    for (let a = 1; a < NEIGHBOURS; a++) {
      const j = s.nbr[i * NEIGHBOURS + a];
      if (j < 0 || j < i) continue;
      // The mode rule only absorbs a lighter satellite (a tail drawn as its own component): between
      // components of like weight a plateau is left to the likelihood-ratio test, so merges cannot
      // cascade over a continuous density.
      const satellite = Math.min(s.weights[i], s.weights[j]) <= 0.5 * Math.max(s.weights[i], s.weights[j]);
      if (overlapping(s, L, i, j, pooledInv) || (satellite && unimodal(s, L, i, j, logBg))) { out.push({ i, j, dBic: -Infinity }); continue; }
      if (byComp[i].length < PARAMS_PER_COMPONENT || byComp[j].length < PARAMS_PER_COMPONENT) continue;
      const m = new State(1);
      const pair = new State(2);
      pair.means.set(s.means.subarray(i * 3, i * 3 + 3), 0); pair.means.set(s.means.subarray(j * 3, j * 3 + 3), 3);
      pair.covs.set(s.covs.subarray(i * 6, i * 6 + 6), 0); pair.covs.set(s.covs.subarray(j * 6, j * 6 + 6), 6);
      pair.weights[0] = s.weights[i]; pair.weights[1] = s.weights[j];
      mergeInto(pair, L, 0, 1);
      m.means.set(pair.means.subarray(0, 3)); m.covs.set(pair.covs.subarray(0, 6)); m.weights[0] = pair.weights[0];
      refreshNorms(m);
      let split = 0, merged = 0;
      for (const list of [byComp[i], byComp[j]]) {
        for (const q of list) {
          const x = p[q * 3], y = p[q * 3 + 1], z = p[q * 3 + 2];
          displacement(L, x, y, z, s.means[i * 3], s.means[i * 3 + 1], s.means[i * 3 + 2], v);
          const li = s.logNorm[i] + quad(s.inv, i * 6, v[0], v[1], v[2]);
          displacement(L, x, y, z, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2], v);
          const lj = s.logNorm[j] + quad(s.inv, j * 6, v[0], v[1], v[2]);
          // The background stays in both, so transit points do not favour a wide merged component.
          // Points neither component explains better than the background (another site's, whose
          // component is elsewhere) are left out: a wide merged component must not win them.
          if (li < logBg && lj < logBg) continue;
          const mx = Math.max(li, lj, logBg);
          split += mx + Math.log(Math.exp(li - mx) + Math.exp(lj - mx) + Math.exp(logBg - mx));
          displacement(L, x, y, z, m.means[0], m.means[1], m.means[2], v);
          const lm = m.logNorm[0] + quad(m.inv, 0, v[0], v[1], v[2]);
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
function correlationTime(s: State, inp: GmmInput, best: Int32Array): number {
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
function pooledInverse(s: State): Float64Array {
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
