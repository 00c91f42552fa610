/**
 * Error of a mean over ions that are not independent. Concerted chains and shared vacancies
 * correlate the per-ion D of neighbouring ions, and the ion bootstrap (independent ions) then
 * understates the error: on the generator's lattice models with chains (Li-bcc p = 0.4, Na-hex
 * p = 0.25) the spread of D over histories was ~1.3× the bootstrap error. Neighbours are grouped
 * by position at the first frame (median splits along x, y, z: 8 spatial blocks) and the
 * cluster-robust (sandwich) variance of the mean is used, which counts every covariance inside a
 * block. It is noisier than the ion bootstrap (8 blocks), so the larger of the two is reported.
 */

/** Block (0 … 7) of each ion from its frame-0 position (frame-major [ion][xyz] of frame 0). */
export function spatialBlocks(frame0: ArrayLike<number>, nIons: number): Int32Array {
  const out = new Int32Array(nIons);
  for (let d = 0; d < 3; d++) {
    const xs = Float64Array.from({ length: nIons }, (_, i) => frame0[i * 3 + d]).sort();
    const med = nIons % 2 ? xs[(nIons - 1) / 2] : 0.5 * (xs[nIons / 2 - 1] + xs[nIons / 2]);
    for (let i = 0; i < nIons; i++) if (frame0[i * 3 + d] > med) out[i] |= 1 << d;
  }
  return out;
}

/**
 * Cluster-robust standard error of the mean of `values` with clusters `block`:
 * √(K/(K−1)·Σ_k (S_k − n_k·x̄)²)/n over the K non-empty clusters; NaN with fewer than 2.
 */
export function clusterMeanErr(values: ArrayLike<number>, block: Int32Array, nBlocks = 8): number {
  const n = values.length;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += values[i] / n;
  const s = new Float64Array(nBlocks), c = new Float64Array(nBlocks);
  for (let i = 0; i < n; i++) { s[block[i]] += values[i]; c[block[i]]++; }
  let k = 0, ss = 0;
  for (let b = 0; b < nBlocks; b++) {
    if (c[b] === 0) continue;
    k++;
    ss += (s[b] - c[b] * mean) ** 2;
  }
  if (k < 2) return NaN;
  return Math.sqrt((k / (k - 1)) * ss) / n;
}
