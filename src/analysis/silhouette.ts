/**
 * Silhouette score (scikit-learn's `silhouette_score`, Euclidean) of 3-D points without a T×T
 * distance matrix: each row's distances are accumulated into per-cluster sums (O(T²) time,
 * O(T + Σk) memory). Several labelings of the SAME points (k = 2…10 in IonDiff) are scored in
 * one pass, so each pairwise distance is computed once, not once per k.
 *
 * Definition (sklearn): for point i in cluster A, a(i) = Σ_{j∈A, j≠i} d(i,j) / (|A|−1),
 * b(i) = min over other clusters B of the mean distance to B, s(i) = (b−a)/max(a,b),
 * s(i) = 0 when |A| = 1 (and 0/0 → 0). Score = mean of s(i) over the points.
 *
 * Sampled variant (`rows`): s(i) is averaged over a subset of points while a(i), b(i) are still
 * exact over ALL points — an unbiased estimate of the mean with standard error ≈ sd(s)/√m.
 * `sampleRows` picks the subset with a seeded PRNG (deterministic); the hop detector uses it for
 * runs longer than `exactMaxFrames` (default 5000 frames, m = 2000 rows).
 *
 * Early exit (`silhouetteScoresBelow`): the hop detector only needs the exact scores when one of
 * them can reach its threshold (0.7). Each row's s(i) has a cheap rigorous upper bound from the
 * moments of the clusters (module doc of `rowUpperBounds`); the rows are evaluated in the usual
 * order and the sum "exact s(i) of the rows done + bounds of the rest" is an upper bound of every
 * score that tightens row by row. Once it is below the threshold for every labeling (with a
 * margin far above rounding) the remaining rows cannot change the decision and are skipped; if
 * it never is, all rows are evaluated and the scores are bit-identical to `silhouetteScores`.
 */
import { seededRandom } from './kmeans.js';


/**
 * Silhouette score of `n` 3-D points under each of several labelings.
 * `labelings[m][i]` ∈ [0, ks[m]); returns one score per labeling (NaN when a labeling uses
 * fewer than 2 clusters — sklearn raises there). `rows`: average over these points only.
 */
export function silhouetteScores(
  points: Float64Array,
  n: number,
  labelings: readonly Int32Array[],
  ks: readonly number[],
  rows?: Int32Array,
): Float64Array {
  return silhouetteCore(points, n, labelings, ks, rows, NaN).scores;
}

/** Result of `silhouetteScoresBelow`. */
export interface BoundedSilhouettes {
  /**
   * The scores (bit-identical to `silhouetteScores`) when `exact`; otherwise upper bounds of
   * them, each below the threshold. NaN where a labeling uses fewer than 2 clusters.
   */
  scores: Float64Array;
  exact: boolean;
  /** Rows evaluated (all of them when `exact`). */
  rowsDone: number;
}

/**
 * `silhouetteScores`, stopped as soon as every score is proven to stay below `below` (module
 * doc): then `exact` is false and `scores` are upper bounds < `below`. Otherwise the exact scores.
 */
export function silhouetteScoresBelow(
  points: Float64Array,
  n: number,
  labelings: readonly Int32Array[],
  ks: readonly number[],
  below: number,
  rows?: Int32Array,
): BoundedSilhouettes {
  return silhouetteCore(points, n, labelings, ks, rows, below);
}

/** Margin of the early-exit test, per row (the tracked sums carry ≲ 2·rows·1.1e-16 of rounding per row). */
const STOP_MARGIN = 1e-9;

// Long on purpose: one pass over the rows shares a dozen typed-array workspaces and the
// early-exit bookkeeping; pieces would pass them all around for no clarity.
function silhouetteCore(
  points: Float64Array,
  n: number,
  labelings: readonly Int32Array[],
  ks: readonly number[],
  rows: Int32Array | undefined,
  below: number,
): BoundedSilhouettes {
  const nm = labelings.length;
  const out = new Float64Array(nm);
  const nRows = rows ? rows.length : n;
  if (nm === 0) return { scores: out, exact: true, rowsDone: nRows };
  // Cells of the common refinement of all labelings: points sharing every label. Each row then
  // needs one add per point (into its cell) plus nCells·nm adds, instead of n·nm scattered adds.
  // k-means partitions of one cloud for different k are nearly nested, so nCells ≪ n.
  const cell = new Int32Array(n);
  let nCells = 1;
  for (let m = 0; m < nm; m++) {
    const k = ks[m], lab = labelings[m];
    const remap = new Int32Array(nCells * k).fill(-1);
    let next = 0;
    for (let j = 0; j < n; j++) {
      const key = cell[j] * k + lab[j];
      let c = remap[key];
      if (c < 0) { c = next++; remap[key] = c; }
      cell[j] = c;
    }
    nCells = next;
  }
  // Label of each cell under each labeling, and cluster sizes.
  const base = new Int32Array(nm + 1);
  for (let m = 0; m < nm; m++) base[m + 1] = base[m] + ks[m];
  const W = base[nm];
  const cellOff = new Int32Array(nCells * nm);
  const cellSeen = new Uint8Array(nCells);
  const sizes = new Int32Array(W);
  for (let j = 0; j < n; j++) {
    const c = cell[j];
    for (let m = 0; m < nm; m++) sizes[base[m] + labelings[m][j]]++;
    if (cellSeen[c]) continue;
    cellSeen[c] = 1;
    for (let m = 0; m < nm; m++) cellOff[c * nm + m] = base[m] + labelings[m][j];
  }
  const used = new Int32Array(nm);
  for (let m = 0; m < nm; m++) for (let c = 0; c < ks[m]; c++) if (sizes[base[m] + c] > 0) used[m]++;

  // Early exit: per-row upper bounds, their running total per labeling (`bound`), and the
  // labelings that still matter (a labeling with < 2 used clusters scores NaN either way).
  const early = !Number.isNaN(below);
  let hi: Float64Array | null = null;
  const bound = new Float64Array(nm);
  const limit = (below - STOP_MARGIN) * nRows;
  if (early) {
    hi = rowUpperBounds(points, n, labelings, ks, base, sizes, rows, cell, nCells, cellOff);
    for (let r = 0; r < nRows; r++) for (let m = 0; m < nm; m++) bound[m] += hi[r * nm + m];
    if (allBelow(bound, used, nm, limit)) return boundsResult(bound, used, nm, nRows, 0);
  }

  // Points reordered by cell (counting sort) so each row sums a cell's distances in registers:
  // no scattered read-modify-write chain through memory (≈3× faster than indexing by cell).
  const cellStart = new Int32Array(nCells + 1);
  for (let j = 0; j < n; j++) cellStart[cell[j] + 1]++;
  for (let c = 0; c < nCells; c++) cellStart[c + 1] += cellStart[c];
  const fillPos = cellStart.slice(0, nCells);
  const qx = new Float64Array(n), qy = new Float64Array(n), qz = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    const q = fillPos[cell[j]]++;
    qx[q] = points[j * 3]; qy[q] = points[j * 3 + 1]; qz[q] = points[j * 3 + 2];
  }
  const acc = new Float64Array(nm);
  const sums = new Float64Array(W);
  const cellSum = new Float64Array(nCells);
  for (let r = 0; r < nRows; r++) {
    const i = rows ? rows[r] : r;
    const x = points[i * 3], y = points[i * 3 + 1], z = points[i * 3 + 2];
    for (let c = 0; c < nCells; c++) {
      const e = cellStart[c + 1];
      let j = cellStart[c], s0 = 0, s1 = 0;
      for (; j + 1 < e; j += 2) {
        const dx = qx[j] - x, dy = qy[j] - y, dz = qz[j] - z;
        const ex = qx[j + 1] - x, ey = qy[j + 1] - y, ez = qz[j + 1] - z;
        s0 += Math.sqrt(dx * dx + dy * dy + dz * dz);
        s1 += Math.sqrt(ex * ex + ey * ey + ez * ez);
      }
      if (j < e) {
        const dx = qx[j] - x, dy = qy[j] - y, dz = qz[j] - z;
        s0 += Math.sqrt(dx * dx + dy * dy + dz * dz);
      }
      cellSum[c] = s0 + s1;
    }
    sums.fill(0);
    for (let c = 0; c < nCells; c++) {
      const v = cellSum[c], o = c * nm;
      for (let m = 0; m < nm; m++) sums[cellOff[o + m]] += v;
    }
    const io = cell[i] * nm;
    for (let m = 0; m < nm; m++) {
      const own = cellOff[io + m];
      const na = sizes[own];
      let s = 0;
      if (na > 1) { // singleton: s = 0
        const a = sums[own] / (na - 1);
        let b = Infinity;
        for (let c = base[m]; c < base[m + 1]; c++) {
          if (c === own || sizes[c] === 0) continue;
          const v = sums[c] / sizes[c];
          if (v < b) b = v;
        }
        const mx = a > b ? a : b;
        if (mx > 0 && b !== Infinity) {
          s = (b - a) / mx;
          acc[m] += s;
        }
      }
      if (hi !== null) bound[m] += s - hi[r * nm + m];
    }
    if (hi !== null && r + 1 < nRows && allBelow(bound, used, nm, limit)) return boundsResult(bound, used, nm, nRows, r + 1);
  }
  for (let m = 0; m < nm; m++) out[m] = used[m] < 2 ? NaN : acc[m] / nRows;
  return { scores: out, exact: true, rowsDone: nRows };
}

/** True when every labeling with ≥ 2 used clusters has its bound total below `limit`. */
function allBelow(bound: Float64Array, used: Int32Array, nm: number, limit: number): boolean {
  for (let m = 0; m < nm; m++) if (used[m] >= 2 && !(bound[m] < limit)) return false;
  return true;
}

function boundsResult(bound: Float64Array, used: Int32Array, nm: number, nRows: number, rowsDone: number): BoundedSilhouettes {
  const scores = new Float64Array(nm);
  for (let m = 0; m < nm; m++) scores[m] = used[m] < 2 ? NaN : Math.min(1, bound[m] / nRows);
  return { scores, exact: false, rowsDone };
}

/** Relative and absolute (× the cloud's extent) slack of the per-row bounds; rounding is ≲ 1e-10 of either. */
const BOUND_REL = 1e-6;
const BOUND_ABS = 1e-7;

/**
 * Upper bound of s(i) for every row and labeling (`[row][labeling]`), from per-cluster moments,
 * O(rows · Σk). For point x_i in cluster A (size m_A, m_A ≥ 2) and another cluster B:
 * - a(i)·(m_A − 1) = Σ_{j∈A} |x_i − x_j| ≥ |Σ_{j∈A} (x_i − x_j)| (triangle inequality), and, by
 *   Cauchy–Schwarz twice (Σd² ≤ √(Σd·Σd³), Σd³ ≤ √(Σd²·Σd⁴)), ≥ (Σd²)^{3/2} / (Σd⁴)^{1/2};
 * - b(i) ≤ mean_{j∈B} |x_i − x_j| ≤ (mean_{j∈B} |x_i − x_j|²)^{1/2} for every B;
 * and s(i) ≤ max(0, 1 − a_lo/b_hi). The power sums over a cluster are polynomials in x_i with
 * coefficients from the cluster's moments (about its mean, for small numbers): with y_j = x_j − μ,
 * p = x_i − μ, Y = Σy, S2 = Σ|y|², S4 = Σ|y|⁴, V = Σ|y|²y, M = Σyyᵀ:
 *   Σ|p − y|² = m|p|² − 2p·Y + S2,
 *   Σ|p − y|⁴ = m|p|⁴ + 4pᵀMp + S4 − 4|p|²(p·Y) + 2|p|²S2 − 4p·V  (exact identities).
 * Rounding: the terms of Σ|p − y|⁴ sum in absolute value to ≤ 8(m + 1) times the result, so its
 * relative error is ≲ 1e-14·m; Σ|p − y|² has no cancellation beyond its last term (p·Y, Y ≈ 0);
 * the coordinates' own rounding moves a distance by ≲ 1e-16 of the cloud's extent E (bounding-box
 * diagonal, ≥ |p| and ≥ max|y|). BOUND_REL and 2·BOUND_ABS·E are far above all of it, so the
 * bounds hold for the computed scores too.
 */
// Long on purpose: the moment identities above evaluated in one loop nest per cluster pair.
function rowUpperBounds(
  points: Float64Array, n: number, labelings: readonly Int32Array[], ks: readonly number[],
  base: Int32Array, sizes: Int32Array, rows: Int32Array | undefined,
  cell: Int32Array, nCells: number, cellOff: Int32Array,
): Float64Array {
  const nm = labelings.length, W = base[nm];
  const nRows = rows ? rows.length : n;
  let ext = 0;
  for (let d = 0; d < 3; d++) {
    let lo = Infinity, hi = -Infinity;
    for (let j = 0; j < n; j++) { const v = points[j * 3 + d]; if (v < lo) lo = v; if (v > hi) hi = v; }
    if (hi > lo) ext += (hi - lo) * (hi - lo);
  }
  const slack = 2 * BOUND_ABS * Math.sqrt(ext);
  // Per cluster (all labelings side by side): mean, then Y, S2, S4, V, M (xx xy xz yy yz zz).
  const mu = new Float64Array(W * 3), Y = new Float64Array(W * 3), S2 = new Float64Array(W), S4 = new Float64Array(W);
  const V = new Float64Array(W * 3), M = new Float64Array(W * 6);
  for (let m = 0; m < nm; m++) {
    const lab = labelings[m], b0 = base[m];
    for (let j = 0; j < n; j++) {
      const c = b0 + lab[j];
      mu[c * 3] += points[j * 3]; mu[c * 3 + 1] += points[j * 3 + 1]; mu[c * 3 + 2] += points[j * 3 + 2];
    }
    for (let c = b0; c < base[m + 1]; c++) if (sizes[c] > 0) for (let d = 0; d < 3; d++) mu[c * 3 + d] /= sizes[c];
    for (let j = 0; j < n; j++) {
      const c = b0 + lab[j];
      const y0 = points[j * 3] - mu[c * 3], y1 = points[j * 3 + 1] - mu[c * 3 + 1], y2 = points[j * 3 + 2] - mu[c * 3 + 2];
      const r2 = y0 * y0 + y1 * y1 + y2 * y2;
      Y[c * 3] += y0; Y[c * 3 + 1] += y1; Y[c * 3 + 2] += y2;
      S2[c] += r2; S4[c] += r2 * r2;
      V[c * 3] += r2 * y0; V[c * 3 + 1] += r2 * y1; V[c * 3 + 2] += r2 * y2;
      const q = c * 6;
      M[q] += y0 * y0; M[q + 1] += y0 * y1; M[q + 2] += y0 * y2; M[q + 3] += y1 * y1; M[q + 4] += y1 * y2; M[q + 5] += y2 * y2;
    }
  }
  // b_hi² of cluster B = |p|² − 2p·Y/m + S2/m (p = x − μ_B): per cluster Y/m and S2/m.
  const Ym = new Float64Array(W * 3), S2m = new Float64Array(W);
  for (let c = 0; c < W; c++) {
    if (sizes[c] === 0) continue;
    const inv = 1 / sizes[c];
    Ym[c * 3] = Y[c * 3] * inv; Ym[c * 3 + 1] = Y[c * 3 + 1] * inv; Ym[c * 3 + 2] = Y[c * 3 + 2] * inv;
    S2m[c] = S2[c] * inv;
  }
  // Any other cluster B bounds b(i); the one used for a row is chosen per cell (the common
  // refinement of the labelings, see silhouetteCore) as the best at the cell's mean, so a row
  // costs one evaluation per labeling instead of k − 1.
  const cm = new Float64Array(nCells * 3), cn = new Int32Array(nCells);
  for (let j = 0; j < n; j++) {
    const c = cell[j];
    cn[c]++; cm[c * 3] += points[j * 3]; cm[c * 3 + 1] += points[j * 3 + 1]; cm[c * 3 + 2] += points[j * 3 + 2];
  }
  const pick = new Int32Array(nCells * nm).fill(-1);
  for (let c = 0; c < nCells; c++) {
    if (cn[c] === 0) continue;
    const x = cm[c * 3] / cn[c], y = cm[c * 3 + 1] / cn[c], z = cm[c * 3 + 2] / cn[c];
    for (let m = 0; m < nm; m++) {
      const A = cellOff[c * nm + m];
      let b2 = Infinity;
      for (let B = base[m]; B < base[m + 1]; B++) {
        if (B === A || sizes[B] === 0) continue;
        const b0 = x - mu[B * 3], b1 = y - mu[B * 3 + 1], bz = z - mu[B * 3 + 2];
        const v = b0 * b0 + b1 * b1 + bz * bz - 2 * (b0 * Ym[B * 3] + b1 * Ym[B * 3 + 1] + bz * Ym[B * 3 + 2]) + S2m[B];
        if (v < b2) { b2 = v; pick[c * nm + m] = B; }
      }
    }
  }
  const hi = new Float64Array(nRows * nm);
  for (let r = 0; r < nRows; r++) {
    const i = rows ? rows[r] : r;
    const x = points[i * 3], y = points[i * 3 + 1], z = points[i * 3 + 2];
    const co = cell[i] * nm;
    for (let m = 0; m < nm; m++) {
      const A = base[m] + labelings[m][i];
      const mA = sizes[A];
      if (mA <= 1) continue; // singleton: s = 0
      const B = pick[co + m];
      if (B < 0) continue; // one used cluster: the score is NaN anyway
      const b0 = x - mu[B * 3], b1 = y - mu[B * 3 + 1], bz = z - mu[B * 3 + 2];
      const b2 = b0 * b0 + b1 * b1 + bz * bz - 2 * (b0 * Ym[B * 3] + b1 * Ym[B * 3 + 1] + bz * Ym[B * 3 + 2]) + S2m[B];
      const bHi = Math.sqrt(b2 > 0 ? b2 : 0) * (1 + BOUND_REL) + slack;
      const p0 = x - mu[A * 3], p1 = y - mu[A * 3 + 1], p2 = z - mu[A * 3 + 2];
      const pp = p0 * p0 + p1 * p1 + p2 * p2;
      const pY = p0 * Y[A * 3] + p1 * Y[A * 3 + 1] + p2 * Y[A * 3 + 2];
      const q = A * 6;
      const pMp = M[q] * p0 * p0 + M[q + 3] * p1 * p1 + M[q + 5] * p2 * p2 + 2 * (M[q + 1] * p0 * p1 + M[q + 2] * p0 * p2 + M[q + 4] * p1 * p2);
      const pV = p0 * V[A * 3] + p1 * V[A * 3 + 1] + p2 * V[A * 3 + 2];
      const s2 = mA * pp - 2 * pY + S2[A];
      const s4 = mA * pp * pp + 4 * pMp + S4[A] - 4 * pp * pY + 2 * pp * S2[A] - 4 * pV;
      const jx = mA * p0 - Y[A * 3], jy = mA * p1 - Y[A * 3 + 1], jz = mA * p2 - Y[A * 3 + 2];
      let aLo = Math.sqrt(jx * jx + jy * jy + jz * jz);
      if (s2 > 0 && s4 > 0) { const cs = (s2 * Math.sqrt(s2)) / Math.sqrt(s4); if (cs > aLo) aLo = cs; }
      aLo = (aLo / (mA - 1)) * (1 - BOUND_REL) - slack;
      if (aLo < 0) aLo = 0;
      if (bHi > aLo) hi[r * nm + m] = 1 - aLo / bHi;
    }
  }
  return hi;
}

/** Silhouette score of one labeling (exact). */
export function silhouetteScore(points: Float64Array, n: number, labels: Int32Array, k: number): number {
  return silhouetteScores(points, n, [labels], [k])[0];
}

/** `m` distinct row indices out of n, sorted, chosen by a seeded PRNG (partial Fisher–Yates). */
export function sampleRows(n: number, m: number, seed = 0): Int32Array {
  if (m >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  const rng = seededRandom(seed);
  for (let j = 0; j < m; j++) {
    const r = j + Math.floor(rng() * (n - j));
    const t = idx[j]; idx[j] = idx[r]; idx[r] = t;
  }
  return idx.slice(0, m).sort();
}

/**
 * Sampled silhouette for long runs: mean of s(i) over `sampleSize` seeded-random points, each
 * s(i) exact over all n points. Equals the exact score when sampleSize ≥ n.
 */
export function sampledSilhouetteScores(
  points: Float64Array,
  n: number,
  labelings: readonly Int32Array[],
  ks: readonly number[],
  sampleSize = 2000,
  seed = 0,
): Float64Array {
  return silhouetteScores(points, n, labelings, ks, sampleSize >= n ? undefined : sampleRows(n, sampleSize, seed));
}
