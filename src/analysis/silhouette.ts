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
  const nm = labelings.length;
  const out = new Float64Array(nm);
  if (nm === 0) return out;
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
  const nRows = rows ? rows.length : n;
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
      if (na <= 1) continue; // singleton: s = 0
      const a = sums[own] / (na - 1);
      let b = Infinity;
      for (let c = base[m]; c < base[m + 1]; c++) {
        if (c === own || sizes[c] === 0) continue;
        const v = sums[c] / sizes[c];
        if (v < b) b = v;
      }
      const mx = a > b ? a : b;
      if (mx > 0 && b !== Infinity) acc[m] += (b - a) / mx;
    }
  }
  for (let m = 0; m < nm; m++) out[m] = used[m] < 2 ? NaN : acc[m] / nRows;
  return out;
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
