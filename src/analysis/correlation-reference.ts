/**
 * IonDiff's reference threshold for "correlated": the mean correlation of randomly placed
 * single blocks, by the published Monte-Carlo recipe (seeded here) or exactly (its limit).
 */
import { seededRandom } from './kmeans.js';
import { dotSparse, gaussianKernel, overlappingPairs, smoothedBlock, type SparseColumn } from './smoothing.js';

/**
 * The reference's random threshold: mean over `nRandom` layouts of the mean off-diagonal
 * correlation of M random single blocks of length L (σ = L/2.355). NaN when M < 2 or L ≥ T or L < 1.
 */
export function randomReferenceThreshold(M: number, L: number, T: number, nRandom = 200, seed = 0, truncate = 4): number {
  if (M < 2 || L < 1 || L >= T) return NaN;
  const sigma = L / 2.355, kernel = gaussianKernel(sigma, truncate), r = (kernel.length - 1) / 2;
  // Interior blocks (support inside [0, T)) all have the same profile: cache it and its autocorrelation.
  const interior = smoothedBlock(r, r + L - 1, T, sigma, truncate, kernel);
  const len = interior.values.length;
  const interiorOk = r + L - 1 + r <= T - 1;
  const auto = new Float64Array(len);
  if (interiorOk) for (let d = 0; d < len; d++) {
    let s = 0;
    for (let i = 0; i + d < len; i++) s += interior.values[i] * interior.values[i + d];
    auto[d] = s;
  }
  const edgeCache = new Map<number, SparseColumn>();
  const rng = seededRandom(seed);
  const starts = new Int32Array(M);
  const cols: SparseColumn[] = new Array(M);
  const isInt = new Uint8Array(M);
  let total = 0;
  for (let rep = 0; rep < nRandom; rep++) {
    for (let j = 0; j < M; j++) {
      const s = Math.floor(rng() * (T - L));
      starts[j] = s;
      if (interiorOk && s - r >= 0 && s + L - 1 + r <= T - 1) {
        isInt[j] = 1;
        cols[j] = { lo: s - r, values: interior.values, sum: interior.sum, ss: interior.ss };
      } else {
        isInt[j] = 0;
        let c = edgeCache.get(s);
        if (!c) edgeCache.set(s, (c = smoothedBlock(s, s + L - 1, T, sigma, truncate, kernel)));
        cols[j] = c;
      }
    }
    // Σ_{i≠j} corr = Σ_{i≠j} Sxy/(√ss_i √ss_j) − (1/T)[(Σ sum/√ss)² − Σ (sum/√ss)²]
    let zs = 0, zz = 0;
    for (let j = 0; j < M; j++) { const z = cols[j].sum / Math.sqrt(cols[j].ss); zs += z; zz += z * z; }
    let cross = 0;
    const pairs = overlappingPairs(cols);
    for (let q = 0; q < pairs.length; q += 2) {
      const i = pairs[q], j = pairs[q + 1];
      const sxy = isInt[i] && isInt[j] ? auto[Math.abs(starts[i] - starts[j])] : dotSparse(cols[i], cols[j]);
      cross += sxy / Math.sqrt(cols[i].ss * cols[j].ss);
    }
    total += (2 * cross - (zs * zs - zz) / T) / (M * (M - 1));
  }
  return total / nRandom;
}

/**
 * The exact value that `randomReferenceThreshold` estimates: E[corr(s1, s2)] for two smoothed
 * blocks of length L (σ = L/2.355) with starts s1, s2 iid uniform on 0 … K−1, K = T − L
 * (the reference's `randint(0, T−L)`), i.e. (1/K²)·Σ_{s1,s2} corr(s1, s2), s1 = s2 included
 * (two random events may share a start). With u_s = 1/√ss_s and z_s = sum_s·u_s,
 *   Σ_{s1,s2} corr = Σ_{s1,s2} Σ_i u1·x1[i]·u2·x2[i] − (Σ_s z_s)²/T = Σ_i R[i]² − (Σ_s z_s)²/T,
 * with R = Σ_s u_s·x_s the superposition of all K normalised blocks. Interior blocks (support
 * inside [0, T)) share one profile v, so their part of R is u·(prefix sums of v); only the
 * ≤ ~2r blocks that touch an end are built one by one. O(T + r·len). NaN when L < 1 or L ≥ T.
 */
export function exactReferenceThreshold(L: number, T: number, truncate = 4): number {
  if (L < 1 || L >= T) return NaN;
  const K = T - L;
  const sigma = L / 2.355, kernel = gaussianKernel(sigma, truncate), r = (kernel.length - 1) / 2;
  // Interior starts: s − r ≥ 0 and s + L − 1 + r ≤ T − 1, i.e. s ∈ [r, T − L − r] ∩ [0, K − 1].
  const iLo = r, iHi = Math.min(K - 1, T - L - r);
  const R = new Float64Array(T);
  let zSum = 0;
  if (iHi >= iLo) {
    const c = smoothedBlock(iLo, iLo + L - 1, T, sigma, truncate, kernel), v = c.values, u = 1 / Math.sqrt(c.ss);
    zSum += (iHi - iLo + 1) * c.sum * u;
    // Block s covers frames s − r … s − r + len − 1 with x_s[i] = v[i − s + r].
    const pre = new Float64Array(v.length + 1);
    for (let j = 0; j < v.length; j++) pre[j + 1] = pre[j] + v[j];
    for (let i = 0; i < T; i++) {
      const j0 = Math.max(0, i - iHi + r), j1 = Math.min(v.length - 1, i - iLo + r);
      if (j1 >= j0) R[i] += u * (pre[j1 + 1] - pre[j0]);
    }
  }
  for (let s = 0; s < K; s++) {
    if (s >= iLo && s <= iHi) continue;
    const c = smoothedBlock(s, s + L - 1, T, sigma, truncate, kernel), u = 1 / Math.sqrt(c.ss);
    zSum += c.sum * u;
    for (let i = 0; i < c.values.length; i++) R[c.lo + i] += u * c.values[i];
  }
  let rr = 0;
  for (let i = 0; i < T; i++) rr += R[i] * R[i];
  return (rr - (zSum * zSum) / T) / (K * K);
}
