/**
 * Small kernels shared by the two paths of tracerMsd (msd.ts: scalar MSD; msd-tensor.ts: MSD
 * tensor): the S1 recursion, per-ion S1 and S2 at chosen lags, the mean MSD from summed terms,
 * and the half-spectrum indexing of products of real signals' spectra.
 */
import { fftFromBitReversed } from './fft.js';

export interface TracerMsd {
  /** Mean over ions of the time-origin-averaged MSD (Å²), index = lag in frames, length T. */
  msd: Float64Array;
  /** Lags (frames) at which per-ion MSDs were kept (empty when not requested). */
  perIonLags: Int32Array;
  /** Per-ion MSD (Å²) at `perIonLags`, ion-major: nIons × perIonLags.length. */
  perIon: Float64Array;
  /**
   * With `tensor`: the mean MSD tensor ⟨Δr_a·Δr_b⟩ (Å²), components xx, yy, zz, xy, xz, yz, each
   * indexed by lag (length T); the trace is `msd`. Empty otherwise.
   */
  tensor: Float64Array[];
  /**
   * With `tensor` and `formLags`/`formWeights`: each ion's linear form Σ_j w_j·MSD_ab,ion(formLags_j)
   * of its six MSD tensor components (ion-major, n × 6, order of TENSOR_COMPONENTS): per-ion
   * fitted tensor slopes for their errors. Empty otherwise.
   */
  perIonTensorForm: Float64Array;
}

/**
 * S1 numerator recursion: fills q[m] = Σ_{t<T−m} [d(t) + d(t+m)] for all m, given d(t) = |r(t)|².
 */
export function s1Sums(d: Float64Array, T: number, q: Float64Array): void {
  let s = 0;
  for (let t = 0; t < T; t++) s += d[t];
  s *= 2;
  q[0] = s;
  for (let m = 1; m < T; m++) {
    s -= d[m - 1] + d[T - m];
    q[m] = s;
  }
}

/** d(t) = |r(t)|² of chunk ion c (centred coordinates, buf as [ion][axis][t]) into dIon. */
export function ionNorms(buf: Float64Array, T: number, c: number, dIon: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let t = 0; t < T; t++) { const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t]; dIon[t] = x * x + y * y + z * z; }
}

/** perIon[row + j] = S1(lags[j]) of one ion from its S1 sums q. */
export function perIonS1(q: Float64Array, T: number, lags: Int32Array, perIon: Float64Array, row: number): void {
  for (let j = 0; j < lags.length; j++) { const m = lags[j]; perIon[row + j] = q[m] / (T - m); }
}

/**
 * Per-ion autocorrelations from the per-ion power spectra of chunk ions c and c+1 (one inverse
 * FFT: real spectra → real autocorrelations in re / im), subtracted as −2·S2 at the lags.
 * With `sym` (tensor path) pIon holds each ion's power at the half indices only, compact
 * (`half.length` values per ion), mirrored while copied; otherwise N values per ion.
 */
export function perIonS2(
  pIon: Float64Array, c: number, nc: number, re: Float64Array, im: Float64Array,
  T: number, lags: Int32Array, perIon: Float64Array, rowA: number, sym: { mirror: Uint32Array; half: Uint32Array } | null,
  lowQuarter: boolean,
): void {
  const N = re.length, L = lags.length;
  const has2 = c + 1 < nc;
  if (sym !== null) {
    const H = sym.half.length;
    mirroredCopy(pIon, c * H, re, sym.mirror, sym.half);
    if (has2) mirroredCopy(pIon, (c + 1) * H, im, sym.mirror, sym.half); else im.fill(0);
  } else {
    re.set(pIon.subarray(c * N, (c + 1) * N));
    if (has2) im.set(pIon.subarray((c + 1) * N, (c + 2) * N)); else im.fill(0);
  }
  // All lags below N/4 (the usual ≤ T/2 grid): the last pass is pruned to the outputs read.
  fftFromBitReversed(re, im, true, lowQuarter);
  for (let j = 0; j < L; j++) {
    const m = lags[j];
    perIon[rowA + j] -= (2 * re[m]) / (T - m);
    if (has2) perIon[rowA + L + j] -= (2 * im[m]) / (T - m);
  }
}

/** MSD(m) = (S1 sums − 2·autocorrelation)/((T − m)·n) for m ≥ 1; MSD(0) = 0. */
export function meanMsd(q: Float64Array, acf: Float64Array, T: number, n: number): Float64Array {
  const msd = new Float64Array(T);
  for (let m = 1; m < T; m++) msd[m] = (q[m] - 2 * acf[m]) / ((T - m) * n);
  return msd;
}

/**
 * Indices k (bit-reversed order) with mirror[k] ≥ k: products of spectra of real signals are
 * symmetric under k ↔ N − k, so only these are accumulated, compactly (entry j for index half[j]),
 * and `mirroredCopy` spreads them over both positions.
 */
export function halfIndices(mirror: Uint32Array): Uint32Array {
  let h = halves.get(mirror);
  if (h !== undefined) return h;
  const out: number[] = [];
  for (let k = 0; k < mirror.length; k++) if (mirror[k] >= k) out.push(k);
  h = Uint32Array.from(out);
  halves.set(mirror, h);
  return h;
}

/** Per FFT plan's mirror table (plans are cached per size, so this is too). */
const halves = new WeakMap<Uint32Array, Uint32Array>();

/** dst[k] = dst[mirror[k]] = src[off + j] for k = half[j] (every index is one or the other). */
export function mirroredCopy(src: Float64Array, off: number, dst: Float64Array, mirror: Uint32Array, half: Uint32Array): void {
  for (let j = 0; j < half.length; j++) { const k = half[j], v = src[off + j]; dst[k] = v; dst[mirror[k]] = v; }
}
