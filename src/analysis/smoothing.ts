/**
 * Smoothed event indicators, as IonDiff smooths them: scipy.ndimage.gaussian_filter1d of a 0/1
 * block (mode 'reflect', truncate 4), kept sparse (non-zero only on the block's support), and
 * the sums over overlapping supports that the many-body correlations need.
 */

/** A smoothed column, non-zero only on frames lo … lo+values.length−1. */
export interface SparseColumn {
  lo: number;
  values: Float64Array;
  sum: number;
  /** Σ(x − x̄)² over all T frames. */
  ss: number;
}

/** scipy's kernel radius for gaussian_filter1d. */
export function kernelRadius(sigma: number, truncate = 4): number {
  return Math.floor(truncate * sigma + 0.5);
}

/** Normalised Gaussian weights w[−r…r] (scipy `_gaussian_kernel1d`, order 0). */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const r = kernelRadius(sigma, truncate);
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let m = -r; m <= r; m++) { const v = r === 0 ? 1 : Math.exp((-0.5 * m * m) / (sigma * sigma)); w[m + r] = v; s += v; }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return w;
}

/** Index of extended position k under scipy's 'reflect' (d c b a | a b c d | d c b a). */
function reflectIndex(k: number, T: number): number {
  const p = 2 * T;
  let q = k % p;
  if (q < 0) q += p;
  return q < T ? q : p - 1 - q;
}

/** Dense reference: scipy.ndimage.gaussian_filter1d(x, sigma, mode='reflect', truncate). */
export function gaussianFilter1d(x: ArrayLike<number>, sigma: number, truncate = 4): Float64Array {
  const T = x.length, w = gaussianKernel(sigma, truncate), r = (w.length - 1) / 2;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    let s = 0;
    for (let m = -r; m <= r; m++) s += w[m + r] * x[reflectIndex(i + m, T)];
    out[i] = s;
  }
  return out;
}

/**
 * Smoothed 0/1 block [first, last] of a length-T column, as a sparse column (exactly
 * gaussianFilter1d of the dense column, up to rounding).
 */
export function smoothedBlock(first: number, last: number, T: number, sigma: number, truncate = 4, kernel?: Float64Array): SparseColumn {
  const w = kernel ?? gaussianKernel(sigma, truncate), r = (w.length - 1) / 2;
  // Prefix sums of the kernel: W[q + r + 1] = Σ_{m=−r}^{q} w[m].
  const W = new Float64Array(w.length + 1);
  for (let i = 0; i < w.length; i++) W[i + 1] = W[i] + w[i];
  const Wc = (q: number): number => (q < -r ? 0 : q >= r ? W[2 * r + 1] : W[q + r + 1]);
  const lo = Math.max(0, first - r), hi = Math.min(T - 1, last + r);
  const values = new Float64Array(hi - lo + 1);
  // Images of [first, last] under period-2T reflection that reach [−r, T−1+r].
  const images: [number, number][] = [];
  const p = 2 * T;
  const nLo = Math.floor((-r - 2 * T) / p) - 1, nHi = Math.ceil((T + r) / p) + 1;
  for (let n = nLo; n <= nHi; n++) {
    const a1 = first + n * p, b1 = last + n * p;
    const a2 = p - 1 - last + n * p, b2 = p - 1 - first + n * p;
    if (b1 >= -r && a1 <= T - 1 + r) images.push([a1, b1]);
    if (b2 >= -r && a2 <= T - 1 + r) images.push([a2, b2]);
  }
  let sum = 0, sq = 0;
  for (let i = lo; i <= hi; i++) {
    let v = 0;
    for (const [a, b] of images) v += Wc(b - i) - Wc(a - i - 1);
    values[i - lo] = v;
    sum += v; sq += v * v;
  }
  return { lo, values, sum, ss: sq - (sum * sum) / T };
}

/** Σ x·y over the overlap of two sparse columns. */
export function dotSparse(a: SparseColumn, b: SparseColumn): number {
  const lo = Math.max(a.lo, b.lo), hi = Math.min(a.lo + a.values.length, b.lo + b.values.length) - 1;
  let s = 0;
  for (let i = lo; i <= hi; i++) s += a.values[i - a.lo] * b.values[i - b.lo];
  return s;
}

/**
 * Pairs (i < j) whose supports overlap, found by a sweep over support starts, as a flat list
 * [i₀, j₀, i₁, j₁, …] in sweep order. (A list, not a visitor callback: the callers' callbacks were
 * closures over per-call state, re-optimized by V8 for every call.)
 */
export function overlappingPairs(cols: readonly SparseColumn[]): number[] {
  const M = cols.length;
  const order: number[] = [];
  for (let i = 0; i < M; i++) order.push(i);
  order.sort((a, b) => cols[a].lo - cols[b].lo);
  const pairs: number[] = [];
  for (let x = 0; x < M; x++) {
    const i = order[x], hi = cols[i].lo + cols[i].values.length - 1;
    for (let y = x + 1; y < M; y++) {
      const j = order[y];
      if (cols[j].lo > hi) break;
      pairs.push(i < j ? i : j, i < j ? j : i);
    }
  }
  return pairs;
}
