/**
 * K-means over one ion's 3-D point cloud (T points, stride 3, Å).
 *
 * The fast path is a typed-array Lloyd iteration that follows scikit-learn's `KMeans`
 * (algorithm 'lloyd') as IonDiff calls it — by default with Hamerly's bounds, which skip the
 * points that provably keep their centre and change no result, not even in the last bit (`hamerly`):
 * - `tol` is relative: the absolute tolerance is `tol · mean(per-feature population variance)`;
 * - an iteration stops on strict convergence (labels unchanged) or when the summed squared
 *   centre shift ≤ tolerance; without strict convergence the labels are recomputed from the
 *   final centres (so labels and centres are always consistent);
 * - empty clusters are relocated to the points farthest from their centres;
 * - of `nInit` runs the one with the lowest inertia wins (first on ties).
 * Seeding: 'random' = Forgy (k distinct random points, as sklearn `init='random'`; IonDiff uses
 * it with nInit 10, maxIter 300, tol 1e-4), 'k-means++' = sklearn's greedy k-means++
 * (2 + ⌊ln k⌋ local trials). All randomness comes from a seeded PRNG → deterministic.
 * Random streams differ from numpy's, so individual runs differ from sklearn's; on clouds
 * with a clear cluster structure the partition is the same.
 *
 * `engine: 'ml-kmeans'` runs the `ml-kmeans` package instead (the faithful baseline),
 * repeated `nInit` times with seeds seed, seed+1, … and keeping the lowest inertia. It is ~10×
 * slower (arrays of arrays) and kept for cross-checking.
 */
import { kmeansMl } from './kmeans-ml.js';
import { Draws, seedDistances, seedForgy, seedPlusPlus } from './kmeans-seeding.js';
import type { KMeansInit, KMeansOptions, KMeansResult } from './kmeans-types.js';
import { seededRandom } from './random.js';
// Re-exported: callers and tests import the PRNG from here.
export { seededRandom };

export type { KMeansInit, KMeansOptions, KMeansResult } from './kmeans-types.js';

/** Mix two integers into a new seed (so per-k / per-run streams are independent). */
export function mixSeed(a: number, b: number): number {
  let h = Math.imul((a | 0) ^ 0x85ebca6b, 0xcc9e2d51) ^ Math.imul((b | 0) + 0x27d4eb2f, 0x1b873593);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h | 0;
}

/** Mean over x, y, z of the population variance — sklearn's tolerance scale. */
export function meanFeatureVariance(p: Float64Array, n: number): number {
  let v = 0;
  for (let d = 0; d < 3; d++) {
    let m = 0;
    for (let i = 0; i < n; i++) m += p[i * 3 + d];
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) { const e = p[i * 3 + d] - m; s += e * e; }
    v += s / n;
  }
  return v / 3;
}

/**
 * k-means of `n` 3-D points (`points` stride 3). Deterministic for a given seed.
 * Throws when k < 1 or k > n.
 */
export function kmeans3(points: Float64Array, n: number, k: number, opts: KMeansOptions = {}): KMeansResult {
  return kmeansMulti(points, n, [k], opts)[0];
}

/**
 * k-means of the same points for several k at once (IonDiff's k = 2…10). Both seedings are
 * prefix-consistent — the first k centres of a k_max seeding are exactly the k-centre seeding
 * from the same PRNG stream — so one seeding per restart serves every k, and
 * `kmeansMulti(p, n, ks)[i]` equals `kmeans3(p, n, ks[i])` exactly.
 */
export function kmeansMulti(points: Float64Array, n: number, ks: readonly number[], opts: KMeansOptions = {}): KMeansResult[] {
  for (const k of ks) if (!(k >= 1 && k <= n)) throw new Error(`kmeans: need 1 ≤ k ≤ n (k=${k}, n=${n})`);
  const init = opts.init ?? 'k-means++';
  const nInit = opts.nInit ?? (init === 'random' ? 10 : 1);
  const maxIter = opts.maxIter ?? 300;
  const tolAbs = (opts.tol ?? 1e-4) * meanFeatureVariance(points, n);
  const seed = opts.seed ?? 0;
  if (opts.engine === 'ml-kmeans') return ks.map((k) => kmeansMl(points, n, k, init, nInit, maxIter, tolAbs, seed));
  let kMax = 0;
  for (const k of ks) if (k > kMax) kMax = k;
  const ws = new Workspace(n, kMax);
  const useBounds = opts.algorithm !== 'lloyd';
  const diameter = useBounds ? cloudDiameter(points, n) : 0;
  const seeds = new Float64Array(kMax * 3);
  const best: (KMeansResult | null)[] = ks.map(() => null);
  // The PRNG's draws for one seeding, taken up front: the seeders then read an array instead of
  // calling a closure that is new for every restart (V8 deoptimized them at each new closure).
  const trials = 2 + Math.floor(Math.log(kMax));
  const draws = new Draws(init === 'random' ? kMax : 1 + 2 * (kMax - 1) * trials);
  // Squared distances of every point to every seed (point-major), which the first assignment of
  // every k reads instead of recomputing (same expressions, so the same values).
  const seedDist = useBounds ? new Float64Array(n * kMax) : null;
  for (let r = 0; r < nInit; r++) {
    draws.fill(seededRandom(mixSeed(seed, r)));
    if (init === 'random') seedForgy(points, n, kMax, draws, seeds);
    else seedPlusPlus(points, n, kMax, draws, seeds, ws.d2, seedDist);
    if (seedDist !== null && init === 'random') seedDistances(points, n, kMax, seeds, seedDist);
    for (let m = 0; m < ks.length; m++) {
      const k = ks[m];
      ws.centres = seeds.slice(0, k * 3);
      const res = seedDist !== null && k >= 2
        ? hamerly(points, n, k, maxIter, tolAbs, diameter, ws, seedDist, kMax)
        : lloyd(points, n, k, maxIter, tolAbs, ws);
      const b = best[m];
      if (b === null || res.inertia < b.inertia) best[m] = res;
    }
  }
  return best as KMeansResult[];
}

class Workspace {
  centres: Float64Array;
  d2: Float64Array;
  constructor(n: number, k: number) {
    this.centres = new Float64Array(k * 3);
    this.d2 = new Float64Array(n);
  }
}

/** Nearest centre of every point; fills labels and d2; returns inertia. */
function assign(p: Float64Array, n: number, k: number, c: Float64Array, labels: Int32Array, d2: Float64Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
    let best = Infinity, bl = 0;
    for (let j = 0; j < k; j++) {
      const dx = x - c[j * 3], dy = y - c[j * 3 + 1], dz = z - c[j * 3 + 2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d < best) { best = d; bl = j; }
    }
    labels[i] = bl; d2[i] = best; inertia += best;
  }
  return inertia;
}

function lloyd(p: Float64Array, n: number, k: number, maxIter: number, tolAbs: number, ws: Workspace): KMeansResult {
  const c = Float64Array.from(ws.centres);
  const d2 = ws.d2;
  const labels = new Int32Array(n);
  const old = new Int32Array(n).fill(-1);
  const sums = new Float64Array(k * 3);
  const cnt = new Int32Array(k);
  let strict = false, it = 0;
  for (; it < maxIter; it++) {
    assign(p, n, k, c, labels, d2);
    sums.fill(0); cnt.fill(0);
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      cnt[l]++; sums[l * 3] += p[i * 3]; sums[l * 3 + 1] += p[i * 3 + 1]; sums[l * 3 + 2] += p[i * 3 + 2];
    }
    relocateEmpty(p, n, k, labels, d2, sums, cnt);
    let shift = 0;
    for (let j = 0; j < k; j++) for (let d = 0; d < 3; d++) {
      const v = sums[j * 3 + d] / cnt[j];
      const e = v - c[j * 3 + d];
      shift += e * e;
      c[j * 3 + d] = v;
    }
    let same = true;
    for (let i = 0; i < n; i++) if (labels[i] !== old[i]) { same = false; break; }
    if (same) { strict = true; it++; break; }
    old.set(labels);
    if (shift <= tolAbs) { it++; break; }
  }
  // Labels consistent with the final centres (sklearn does the same E-step).
  let inertia: number;
  if (!strict) inertia = assign(p, n, k, c, labels, d2);
  else inertia = inertiaOf(p, n, c, labels);
  return { k, labels, centres: c, inertia, nIter: it };
}

/** Relative slack of the bound tests in `hamerly` (rounding of distances and bounds is ~1e-15). */
const BOUND_REL = 1e-9;

/** Diagonal of the bounding box of the points: no point–centre distance exceeds it. */
function cloudDiameter(p: Float64Array, n: number): number {
  let s = 0;
  for (let d = 0; d < 3; d++) {
    let lo = Infinity, hi = -Infinity;
    for (let i = 0; i < n; i++) { const v = p[i * 3 + d]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (hi > lo) s += (hi - lo) * (hi - lo);
  }
  return Math.sqrt(s);
}

/**
 * Lloyd with Hamerly's (2010) bounds, exactly equal to `lloyd`: per point an upper bound on the
 * distance to its centre and a lower bound on the distance to any other centre, moved with the
 * centres; a point whose upper bound is below max(lower bound, half the distance from its centre
 * to the nearest other centre) keeps its centre without a distance evaluation (else its bound is
 * first tightened with the one exact distance). The test keeps a relative margin of BOUND_REL and
 * an absolute `slack` of max(BOUND_REL, 4·maxIter²·1.2e-16) × the cloud diameter: above what
 * rounding can do to the computed distances and to the (cumulative) bound updates, so a skipped
 * point's nearest centre is the one `lloyd`'s scan picks, strictly. Points that fail the test get
 * the plain scan (lowest index on ties); the first iteration's scans read the distances to the
 * seeds computed while seeding (`seedDist`, point-major with stride `kMax`). Centre sums are
 * accumulated in point order (in registers while the label repeats: the same additions in the
 * same order), so the centres, the convergence tests, the iteration count and the final labels
 * and inertia are `lloyd`'s bit for bit. After the first iterations ~90 % of the points pass.
 */
// Long on purpose: Hamerly's bounds, centre moves and relocations share state inside one
// iteration loop; it must reproduce Lloyd's labels bit for bit, which is easiest to audit in one place.
function hamerly(
  p: Float64Array, n: number, k: number, maxIter: number, tolAbs: number, diameter: number, ws: Workspace,
  seedDist: Float64Array, kMax: number,
): KMeansResult {
  const c = Float64Array.from(ws.centres);
  const d2 = ws.d2;
  const labels = new Int32Array(n);
  // Bounds stored relative to the centres' cumulative moves, so that moving every bound is two
  // additions per centre, not two stores per point: for a point with label l set at iteration
  // t0, upper = bnd[2i] + drift[l], lower = bnd[2i + 1] − shrink[l], where drift[l] sums the
  // moves of centre l and shrink[l] the largest moves of the other centres (Hamerly's updates,
  // telescoped while the label stays).
  const bnd = new Float64Array(2 * n);
  const drift = new Float64Array(k), shrink = new Float64Array(k);
  // Points whose label changed in this iteration, with the old label (to undo for the change
  // test after a relocation).
  const logI = new Int32Array(n), logL = new Int32Array(n);
  const sums = new Float64Array(k * 3);
  const cnt = new Int32Array(k);
  const half = new Float64Array(k), move = new Float64Array(k);
  const margin = 1 + BOUND_REL;
  // Absolute slack: the cumulative sums and bounds carry rounding ≲ 4·maxIter²·1.1e-16 × diameter.
  const slack = diameter * Math.max(BOUND_REL, 4 * maxIter * maxIter * 1.2e-16);
  let valid = false; // bounds hold for `labels`
  let strict = false, it = 0;
  for (; it < maxIter; it++) {
    halfGaps(c, k, half);
    sums.fill(0); cnt.fill(0);
    let nLog = 0;
    let rl = -1, sx = 0, sy = 0, sz = 0, sc = 0;
    for (let i = 0; i < n; i++) {
      const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
      const l0 = labels[i];
      let l = l0;
      let scan = !valid;
      if (valid) {
        const lo = bnd[2 * i + 1] - shrink[l0];
        const bound = half[l0] > lo ? half[l0] : lo;
        if (!((bnd[2 * i] + drift[l0]) * margin + slack < bound)) {
          const dx = x - c[l0 * 3], dy = y - c[l0 * 3 + 1], dz = z - c[l0 * 3 + 2];
          const u = Math.sqrt(dx * dx + dy * dy + dz * dz);
          if (u * margin + slack < bound) bnd[2 * i] = u - drift[l0];
          else scan = true;
        }
      }
      if (scan) {
        // Plain scan (lowest index on ties), keeping the second-nearest distance for the bound;
        // the first one reads the distances to the seeds computed while seeding.
        let b1 = Infinity, b2 = Infinity;
        l = 0;
        if (it === 0) {
          for (let j = 0, o = i * kMax; j < k; j++) {
            const d = seedDist[o + j];
            if (d < b1) { b2 = b1; b1 = d; l = j; } else if (d < b2) b2 = d;
          }
        } else {
          for (let j = 0; j < k; j++) {
            const dx = x - c[j * 3], dy = y - c[j * 3 + 1], dz = z - c[j * 3 + 2];
            const d = dx * dx + dy * dy + dz * dz;
            if (d < b1) { b2 = b1; b1 = d; l = j; } else if (d < b2) b2 = d;
          }
        }
        bnd[2 * i] = Math.sqrt(b1) - drift[l];
        bnd[2 * i + 1] = Math.sqrt(b2) + shrink[l];
        if (l !== l0) { logI[nLog] = i; logL[nLog] = l0; nLog++; labels[i] = l; }
      }
      if (l !== rl) {
        if (rl >= 0) { sums[rl * 3] = sx; sums[rl * 3 + 1] = sy; sums[rl * 3 + 2] = sz; cnt[rl] = sc; }
        rl = l; sx = sums[l * 3]; sy = sums[l * 3 + 1]; sz = sums[l * 3 + 2]; sc = cnt[l];
      }
      sx += x; sy += y; sz += z; sc++;
    }
    if (rl >= 0) { sums[rl * 3] = sx; sums[rl * 3 + 1] = sy; sums[rl * 3 + 2] = sz; cnt[rl] = sc; }
    // The first labels always count as a change (as `lloyd`'s start from −1).
    let changed = it === 0 || nLog > 0;
    valid = true;
    let empty = false;
    for (let j = 0; j < k; j++) if (cnt[j] === 0) empty = true;
    if (empty) {
      // Rare: as `lloyd` — distances to the assigned centres, relocation, and the change test
      // redone against this iteration's starting labels; the bounds are rebuilt next time.
      const before = labels.slice();
      for (let q = 0; q < nLog; q++) before[logI[q]] = logL[q];
      exactDistances(p, n, c, labels, d2);
      relocateEmpty(p, n, k, labels, d2, sums, cnt);
      if (it > 0) {
        changed = false;
        for (let i = 0; i < n; i++) if (labels[i] !== before[i]) { changed = true; break; }
      }
      valid = false;
    }
    let shift = 0;
    for (let j = 0; j < k; j++) {
      let mv = 0;
      for (let d = 0; d < 3; d++) {
        const v = sums[j * 3 + d] / cnt[j];
        const e = v - c[j * 3 + d];
        shift += e * e;
        mv += e * e;
        c[j * 3 + d] = v;
      }
      move[j] = Math.sqrt(mv);
    }
    // Upper bounds grow by their centre's move, lower bounds shrink by the largest move of the others.
    let m1 = 0, m2 = 0;
    for (let j = 1; j < k; j++) if (move[j] > move[m1]) m1 = j;
    for (let j = 0; j < k; j++) if (j !== m1 && move[j] > m2) m2 = move[j];
    for (let j = 0; j < k; j++) { drift[j] += move[j]; shrink[j] += j === m1 ? m2 : move[m1]; }
    if (!changed) { strict = true; it++; break; }
    if (shift <= tolAbs) { it++; break; }
  }
  let inertia = 0;
  if (strict) inertia = inertiaOf(p, n, c, labels);
  else {
    // Labels consistent with the final centres, as `lloyd`'s last E-step (same inertia sum).
    halfGaps(c, k, half);
    for (let i = 0; i < n; i++) {
      const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
      const l0 = labels[i];
      const dx = x - c[l0 * 3], dy = y - c[l0 * 3 + 1], dz = z - c[l0 * 3 + 2];
      let best = dx * dx + dy * dy + dz * dz;
      let keep = false;
      if (valid) {
        const lo = bnd[2 * i + 1] - shrink[l0];
        keep = Math.sqrt(best) * margin + slack < (half[l0] > lo ? half[l0] : lo);
      }
      if (!keep) {
        best = Infinity;
        let bl = 0;
        for (let j = 0; j < k; j++) {
          const ex = x - c[j * 3], ey = y - c[j * 3 + 1], ez = z - c[j * 3 + 2];
          const d = ex * ex + ey * ey + ez * ez;
          if (d < best) { best = d; bl = j; }
        }
        labels[i] = bl;
      }
      d2[i] = best;
      inertia += best;
    }
  }
  return { k, labels, centres: c, inertia, nIter: it };
}

/** Half the distance from each centre to its nearest other centre (Infinity for k = 1). */
function halfGaps(c: Float64Array, k: number, half: Float64Array): void {
  for (let j = 0; j < k; j++) {
    let m = Infinity;
    for (let q = 0; q < k; q++) {
      if (q === j) continue;
      const dx = c[j * 3] - c[q * 3], dy = c[j * 3 + 1] - c[q * 3 + 1], dz = c[j * 3 + 2] - c[q * 3 + 2];
      const d = dx * dx + dy * dy + dz * dz;
      if (d < m) m = d;
    }
    half[j] = Math.sqrt(m) / 2;
  }
}

function exactDistances(p: Float64Array, n: number, c: Float64Array, labels: Int32Array, d2: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    const dx = p[i * 3] - c[l * 3], dy = p[i * 3 + 1] - c[l * 3 + 1], dz = p[i * 3 + 2] - c[l * 3 + 2];
    d2[i] = dx * dx + dy * dy + dz * dz;
  }
}

/** sklearn-style: an empty cluster takes over the point farthest from its current centre. */
function relocateEmpty(p: Float64Array, n: number, k: number, labels: Int32Array, d2: Float64Array, sums: Float64Array, cnt: Int32Array): void {
  for (let j = 0; j < k; j++) {
    if (cnt[j] > 0) continue;
    let far = -1, fd = -1;
    for (let i = 0; i < n; i++) if (cnt[labels[i]] > 1 && d2[i] > fd) { fd = d2[i]; far = i; }
    if (far < 0) { // all points in singleton clusters: cannot happen for k ≤ n, but stay safe
      cnt[j] = 1; continue;
    }
    const l = labels[far];
    for (let d = 0; d < 3; d++) { sums[l * 3 + d] -= p[far * 3 + d]; sums[j * 3 + d] = p[far * 3 + d]; }
    cnt[l]--; cnt[j] = 1; labels[far] = j; d2[far] = 0;
  }
}

/** Sum of squared distances of the points to the centres of their labels. */
function inertiaOf(p: Float64Array, n: number, c: Float64Array, labels: Int32Array): number {
  let inertia = 0;
  for (let i = 0; i < n; i++) {
    const l = labels[i];
    const dx = p[i * 3] - c[l * 3], dy = p[i * 3 + 1] - c[l * 3 + 1], dz = p[i * 3 + 2] - c[l * 3 + 2];
    inertia += dx * dx + dy * dy + dz * dz;
  }
  return inertia;
}
