import { fftForwardBitReversed, fftPlan, nextPow2 } from './fft.js';

/**
 * A fixed linear form of the MSD, F = Σ_j w_j·MSD(m_j), evaluated for many single-particle
 * trajectories of T frames (bootstrap replicates, a centre of mass) without forming the MSD.
 * With g_j = w_j/(T − m_j) and the terms of `tracerMsd`,
 *   F = Σ_t h(t)·|r(t)|² − 2·Σ_j g_j·A(m_j),   h(t) = Σ_j g_j·([t ≤ T−1−m_j] + [t ≥ m_j]),
 * and by Parseval Σ_j g_j·A(m_j) = Σ_k W_k·|R_k|² with W = Re(DFT of the g_j placed at the m_j)/N,
 * a real spectrum symmetric in k. So F costs one O(T) dot product and the forward FFTs only —
 * no inverse transform, no MSD array — and W needs no splitting of two signals packed in one
 * complex FFT: Σ W·|X + iY|² = Σ W·(|X|² + |Y|²).
 *
 * FFT size: only lags ≤ m_max = max m_j matter, so N = nextPow2(T + m_max) has no circular
 * wrap-around (nextPow2(2T) would). A smaller N ≥ T is used when its wrap-around is cheap to
 * remove: at lag m > N − T the circular autocorrelation adds Σ_{t=N−m}^{T−1} x(t)·x(t+m−N), a few
 * hundred products at most (e.g. T = 700, lags ≤ 350: N = 1024 instead of 2048, 351 products).
 * Equal to Σ_j w_j·tracerMsd(r).msd[m_j] up to rounding (both centre each coordinate first).
 */
export class MsdLinearForm {
  readonly nFrames: number;
  private readonly h: Float64Array;
  /** W in the bit-reversed order of `fftForwardBitReversed` output. */
  private readonly w: Float64Array;
  private readonly mirror: Uint32Array;
  private readonly re: Float64Array;
  private readonly im: Float64Array;
  /** Inputs fill at most the lower half of the FFT buffer (enables the cheaper first pass). */
  private readonly zeroUpper: boolean;
  /** Lags with circular wrap-around (m > N − T) and their g. */
  private readonly wrapLags: Int32Array;
  private readonly wrapG: Float64Array;
  /** Results of `weighedSpectrum`. */
  private readonly sums = new Float64Array(4);

  /** `lags` (frames, 1 … T−1) and their weights `weights` (same length). */
  constructor(nFrames: number, lags: ArrayLike<number>, weights: ArrayLike<number>) {
    const T = nFrames;
    if (!Number.isInteger(T) || T < 2) throw new RangeError(`nFrames must be ≥ 2, got ${T}`);
    if (lags.length !== weights.length) throw new RangeError(`lags (${lags.length}) and weights (${weights.length}) differ in length`);
    let mMax = 0;
    for (let j = 0; j < lags.length; j++) {
      const m = lags[j];
      if (!(Number.isInteger(m) && m >= 1 && m < T)) throw new RangeError(`lag ${m} outside 1…${T - 1}`);
      mMax = Math.max(mMax, m);
    }
    let N = nextPow2(T + mMax);
    const small = nextPow2(T);
    if (small < N) {
      let cost = 0;
      for (let j = 0; j < lags.length; j++) cost += Math.max(0, T - small + lags[j]);
      // Wrap products vs the saved FFT work (~N·log2 N per transform): take the small size
      // while the products cost well under the transforms they replace.
      if (cost <= (small * Math.log2(small)) / 2) N = small;
    }
    this.nFrames = T;
    this.mirror = fftPlan(N).mirror;
    this.re = new Float64Array(N);
    this.im = new Float64Array(N);
    this.zeroUpper = 2 * T <= N;
    // h by difference arrays: +g on [0, T−1−m] and on [m, T−1].
    const diff = new Float64Array(T + 1);
    const G = new Float64Array(N), Gi = new Float64Array(N);
    const wl: number[] = [], wg: number[] = [];
    for (let j = 0; j < lags.length; j++) {
      const m = lags[j];
      const g = weights[j] / (T - m);
      diff[0] += g; diff[T - m] -= g;
      diff[m] += g; diff[T] -= g;
      G[m] += g;
      if (m > N - T) { wl.push(m); wg.push(g); }
    }
    this.wrapLags = Int32Array.from(wl);
    this.wrapG = Float64Array.from(wg);
    this.h = new Float64Array(T);
    let run = 0;
    for (let t = 0; t < T; t++) { run += diff[t]; this.h[t] = run; }
    fftForwardBitReversed(G, Gi, 2 * mMax < N);
    for (let p = 0; p < N; p++) G[p] /= N;
    this.w = G;
  }

  /**
   * F of trajectory a and, when given, of trajectory b (each T × 3, frame-major xyz), written to
   * out[0] and out[1]. Two at a time because their z coordinates share one complex FFT
   * (3 FFTs per pair instead of 4).
   */
  evaluate(a: Float64Array, b: Float64Array | null, out: Float64Array): void {
    const T = this.nFrames;
    if (a.length !== 3 * T || (b !== null && b.length !== 3 * T)) throw new RangeError(`trajectories must hold ${T} × 3 values`);
    const { re, im } = this;
    const sums = this.sums;
    // x + iy of a, then of b: Σ W·|Z|² = Σ W·(|X|² + |Y|²), no splitting needed.
    centredAxis(a, T, 0, re); centredAxis(a, T, 1, im);
    this.weighedSpectrum(false);
    out[0] = this.s1Part(a) - 2 * sums[0];
    if (b !== null) {
      centredAxis(b, T, 0, re); centredAxis(b, T, 1, im);
      this.weighedSpectrum(false);
      out[1] = this.s1Part(b) - 2 * sums[0];
    }
    // z of a (real part) and of b (imaginary part) in one transform:
    // |A_k|² = (|C_k|² + |C_{N−k}|² ± 2·Re(C_k·C_{N−k}))/4 and W_k = W_{N−k}.
    centredAxis(a, T, 2, re);
    if (b !== null) centredAxis(b, T, 2, im); else im.fill(0, 0, T);
    this.weighedSpectrum(true);
    out[0] -= sums[0] + sums[1] - 2 * sums[2];
    if (b !== null) out[1] -= sums[0] - sums[1] - 2 * sums[3];
  }

  /**
   * FFT of the centred signals in re[0…T) + i·im[0…T) (zero padded here) and into `sums`:
   * [0] Σ W·|Z|² minus the wrap terms of both signals (when `split` is false) or without them;
   * with `split`, [1] Σ W·Re(Z_k·Z_{N−k}) and [2], [3] the wrap terms of re and im separately.
   * The single FFT call site of the class (TurboFan inlines the transform into its caller once).
   */
  private weighedSpectrum(split: boolean): void {
    const { re, im, w, mirror, sums } = this;
    const T = this.nFrames, N = re.length;
    re.fill(0, T); im.fill(0, T);
    const wr = this.wrapSum(re), wi = this.wrapSum(im);
    fftForwardBitReversed(re, im, this.zeroUpper);
    let s = 0, x = 0;
    if (split) {
      for (let p = 0; p < N; p++) {
        const q = mirror[p];
        s += w[p] * (re[p] * re[p] + im[p] * im[p]);
        x += w[p] * (re[p] * re[q] - im[p] * im[q]);
      }
      sums[0] = s; sums[1] = x; sums[2] = wr; sums[3] = wi;
    } else {
      for (let p = 0; p < N; p++) s += w[p] * (re[p] * re[p] + im[p] * im[p]);
      sums[0] = s - wr - wi;
    }
  }

  /** Σ_t h(t)·|r(t)|² with each coordinate centred on its mean. */
  private s1Part(r: Float64Array): number {
    const T = this.nFrames, h = this.h;
    let mx = 0, my = 0, mz = 0;
    for (let t = 0; t < T; t++) { mx += r[t * 3]; my += r[t * 3 + 1]; mz += r[t * 3 + 2]; }
    mx /= T; my /= T; mz /= T;
    let s = 0;
    for (let t = 0; t < T; t++) {
      const x = r[t * 3] - mx, y = r[t * 3 + 1] - my, z = r[t * 3 + 2] - mz;
      s += h[t] * (x * x + y * y + z * z);
    }
    return s;
  }

  /** Σ_j g_j·Σ_{t=N−m_j}^{T−1} x(t)·x(t+m_j−N): what the circular correlation adds at the wrapped lags. */
  private wrapSum(x: Float64Array): number {
    const T = this.nFrames, N = x.length;
    const { wrapLags, wrapG } = this;
    let s = 0;
    for (let j = 0; j < wrapLags.length; j++) {
      const d = wrapLags[j] - N;
      let v = 0;
      for (let t = N - wrapLags[j]; t < T; t++) v += x[t] * x[t + d];
      s += wrapG[j] * v;
    }
    return s;
  }
}

/** dst[t] = r[t·3 + axis] − its mean over t, for t < T. */
function centredAxis(r: Float64Array, T: number, axis: number, dst: Float64Array): void {
  let m = 0;
  for (let t = 0; t < T; t++) m += r[t * 3 + axis];
  m /= T;
  for (let t = 0; t < T; t++) dst[t] = r[t * 3 + axis] - m;
}
