/**
 * Time-origin-averaged mean squared displacement of unwrapped trajectories.
 *
 * Input layout everywhere: unwrapped Cartesian positions (Å), frame-major `[frame][ion][xyz]`,
 * as returned by `unwrap()`. Lags are in frames, 0 … T−1.
 *
 * Algorithm (Calandrini et al., nMoldyn): for one coordinate x(t),
 *   MSD(m) = S1(m) − 2·S2(m),   S1(m) = Σ_{t<T−m} [x(t)² + x(t+m)²] / (T−m),
 *   S2(m) = Σ_{t<T−m} x(t)·x(t+m) / (T−m)   (autocorrelation by FFT, zero padded to ≥ 2T),
 * and S1 by an O(T) recursion: O(T log T) per ion instead of the direct O(T²).
 *
 * Speed-ups that do not change the answer: each ion's coordinates are centred on their mean
 * (MSD is translation invariant; this keeps S1 and 2·S2 from cancelling catastrophically);
 * two real signals share one complex FFT; power spectra are formed in bit-reversed order, so
 * no bit-reversal pass is needed; the mean MSD needs a single inverse FFT of the summed spectra;
 * ions are copied in small chunks into contiguous buffers (the frame-major input is strided).
 * The per-ion inverse transforms stop at the low quarter when every lag read is below N/4, and
 * the tensor path accumulates the per-ion forms in the passes it makes anyway (msd-tensor-form.ts).
 */
import { fftForwardBitReversed, fftFromBitReversed, fftPlan, nextPow2 } from './fft.js';
import type { Positions } from '../trajectory/types.js';
import { centreSignals, loadChunk, packPair, scratch } from './msd-chunks.js';
import { chunkTensorNormsForm, formKernel, yzForm, zThenXForm, type FormAcc } from './msd-tensor-form.js';

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

/** Component order of `TracerMsd.tensor`: pairs of axes. */
export const TENSOR_COMPONENTS: readonly (readonly [number, number])[] = [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]];

function checkShape(u: Positions, nFrames: number, nIons: number): void {
  if (!Number.isInteger(nFrames) || nFrames < 1) throw new RangeError(`nFrames must be ≥ 1, got ${nFrames}`);
  if (!Number.isInteger(nIons) || nIons < 1) throw new RangeError(`nIons must be ≥ 1, got ${nIons}`);
  if (u.length !== nFrames * nIons * 3) {
    throw new RangeError(`positions length ${u.length} ≠ nFrames·nIons·3 = ${nFrames * nIons * 3}`);
  }
}

/**
 * Reference O(T²·n) MSD (mean over ions), for tests and benchmarks only.
 */
export function msdDirect(unwrapped: Positions, nFrames: number, nIons: number): Float64Array {
  checkShape(unwrapped, nFrames, nIons);
  const T = nFrames, n = nIons;
  const out = new Float64Array(T);
  for (let m = 1; m < T; m++) {
    let s = 0;
    for (let t = 0; t + m < T; t++) {
      const a = t * n * 3, b = (t + m) * n * 3;
      for (let k = 0; k < n * 3; k++) {
        const d = unwrapped[b + k] - unwrapped[a + k];
        s += d * d;
      }
    }
    out[m] = s / ((T - m) * n);
  }
  return out;
}

/**
 * S1 numerator recursion: fills q[m] = Σ_{t<T−m} [d(t) + d(t+m)] for all m, given d(t) = |r(t)|².
 */
function s1Sums(d: Float64Array, T: number, q: Float64Array): void {
  let s = 0;
  for (let t = 0; t < T; t++) s += d[t];
  s *= 2;
  q[0] = s;
  for (let m = 1; m < T; m++) {
    s -= d[m - 1] + d[T - m];
    q[m] = s;
  }
}

/**
 * Adds |A_k|² and |B_k|² (spectra of the real and imaginary input signals packed into one
 * complex FFT, held in bit-reversed order) into p[offA …] and p[offB …] (offB < 0: there is no
 * second signal), and their sum into pSum.
 */
function splitPower(
  re: Float64Array, im: Float64Array, mirror: Uint32Array,
  p: Float64Array, offA: number, offB: number, pSum: Float64Array,
): void {
  const N = re.length;
  for (let k = 0; k < N; k++) {
    const q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    const s = zr * zr + zi * zi + wr * wr + wi * wi;
    const c = 2 * (zr * wr - zi * wi);
    const a = 0.25 * (s + c);
    p[offA + k] += a;
    if (offB >= 0) { p[offB + k] += 0.25 * (s - c); pSum[k] += 0.5 * s; } else pSum[k] += a;
  }
}

// tracerMsd is a driver over the small phase functions below. One big function with all the
// loops was OSR-compiled ~6 times per cold call (each new phase deoptimized it for lack of type
// feedback, 4–30 ms per compile); small functions are each compiled once.

/** pSum += |Z_k|² (both packed spectra at once; symmetrised at the end). */
function addPower(re: Float64Array, im: Float64Array, pSum: Float64Array): void {
  for (let k = 0; k < re.length; k++) pSum[k] += re[k] * re[k] + im[k] * im[k];
}

/** Forward transforms of the chunk's signals, two per FFT; spectra into pSum (and per ion into pIon). */
function chunkSpectra(
  buf: Float64Array, T: number, nc: number, re: Float64Array, im: Float64Array, mirror: Uint32Array,
  pSum: Float64Array, pIon: Float64Array | null,
): void {
  const nSig = nc * 3, N = re.length;
  for (let s = 0; s < nSig; s += 2) {
    packPair(buf, T, s, nSig, re, im);
    fftForwardBitReversed(re, im, true);
    if (pIon === null) { addPower(re, im, pSum); continue; }
    const ca = (s / 3) | 0, cb = ((s + 1) / 3) | 0;
    splitPower(re, im, mirror, pIon, ca * N, s + 1 < nSig ? cb * N : -1, pSum);
  }
}

/** d(t) = |r(t)|² of chunk ion c (centred coordinates) into dIon, and added to dSum. */
function squaredNorms(buf: Float64Array, T: number, c: number, dIon: Float64Array, dSum: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let t = 0; t < T; t++) {
    const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t];
    const d = x * x + y * y + z * z;
    dIon[t] = d;
    dSum[t] += d;
  }
}

/** d(t) = |r(t)|² of chunk ion c (centred coordinates) into dIon (as tensorNorms computes it). */
function ionNorms(buf: Float64Array, T: number, c: number, dIon: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let t = 0; t < T; t++) { const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t]; dIon[t] = x * x + y * y + z * z; }
}

/** perIon[row + j] = S1(lags[j]) of one ion from its S1 sums q. */
function perIonS1(q: Float64Array, T: number, lags: Int32Array, perIon: Float64Array, row: number): void {
  for (let j = 0; j < lags.length; j++) { const m = lags[j]; perIon[row + j] = q[m] / (T - m); }
}

/**
 * Per-ion autocorrelations from the per-ion power spectra of chunk ions c and c+1 (one inverse
 * FFT: real spectra → real autocorrelations in re / im), subtracted as −2·S2 at the lags.
 */
function perIonS2(
  pIon: Float64Array, c: number, nc: number, re: Float64Array, im: Float64Array,
  T: number, lags: Int32Array, perIon: Float64Array, rowA: number, sym: { mirror: Uint32Array; half: Uint32Array } | null,
  lowQuarter: boolean,
): void {
  const N = re.length, L = lags.length;
  const has2 = c + 1 < nc;
  if (sym !== null) {
    // Tensor path: only the half indices of pIon were accumulated; mirrored while copying.
    mirroredCopy(pIon, c * N, re, sym.mirror, sym.half);
    if (has2) mirroredCopy(pIon, (c + 1) * N, im, sym.mirror, sym.half); else im.fill(0);
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

/**
 * Tensor path of the forward transforms: each packed FFT is split into the spectra of its two
 * real signals (A_k = (Z_k + Z̄_{N−k})/2, B_k = (Z_k − Z̄_{N−k})/2i) in the same pass that adds an
 * ion's six Re(X̄_a·X_b) into `cross` (6 × N) and its power |X|²+|Y|²+|Z|² into pIon (when asked).
 * Signals run ion-major (x, y, z of ion 0, then ion 1 …), so pairs come in three kinds by s mod 3:
 * (x_c, y_c) kept in `spec`; (z_c, x_{c+1}): ion c completed, x_{c+1} kept; (y_c, z_c): ion c
 * completed. Exact split spectra: pSum needs no symmetrisation afterwards.
 */
function chunkSpectraTensor(
  buf: Float64Array, T: number, nc: number, re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array,
  spec: Float64Array, cross: Float64Array, pIon: Float64Array | null, form: FormAcc | null,
): void {
  const nSig = nc * 3;
  if (form !== null) form.acc.fill(0);
  for (let s = 0; s < nSig; s += 2) {
    packPair(buf, T, s, nSig, re, im);
    fftForwardBitReversed(re, im, true);
    const kind = s % 3, c = (s / 3) | 0;
    if (kind === 0) keepXY(re, im, mirror, half, spec);
    else if (kind === 2) zThenX(re, im, mirror, half, spec, cross, pIon, c, s + 1 < nSig, form);
    else yz(re, im, mirror, half, spec, cross, pIon, c, form);
  }
}

/**
 * Indices k (bit-reversed order) with mirror[k] ≥ k: products of spectra of real signals are
 * symmetric under k ↔ N − k, so only these are accumulated and `mirrorFill` copies the rest.
 */
function halfIndices(mirror: Uint32Array): Uint32Array {
  const out: number[] = [];
  for (let k = 0; k < mirror.length; k++) if (mirror[k] >= k) out.push(k);
  return Uint32Array.from(out);
}

/** dst[k] = dst[mirror[k]] = src[off + k] for the half indices (every index is one or the other). */
function mirroredCopy(src: Float64Array, off: number, dst: Float64Array, mirror: Uint32Array, half: Uint32Array): void {
  for (let j = 0; j < half.length; j++) { const k = half[j], v = src[off + k]; dst[k] = v; dst[mirror[k]] = v; }
}

/** a[off + mirror[k]] = a[off + k] for the half indices. */
function mirrorFill(a: Float64Array, off: number, mirror: Uint32Array, half: Uint32Array): void {
  for (let j = 0; j < half.length; j++) { const k = half[j]; a[off + mirror[k]] = a[off + k]; }
}

/** Pair (x_c, y_c): both spectra into spec (x at 0…2N, y at 2N…4N; re then im). */
function keepXY(re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array): void {
  const N = re.length;
  for (let j = 0; j < half.length; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    spec[k] = 0.5 * (zr + wr); spec[N + k] = 0.5 * (zi - wi);
    spec[2 * N + k] = 0.5 * (zi + wi); spec[3 * N + k] = -0.5 * (zr - wr);
  }
}

/** Pair (z_c, x_{c+1}): ion c's products with its z; then x_{c+1} replaces x_c in spec (same k: read before write). */
function zThenX(
  re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array,
  pIon: Float64Array | null, c: number, hasNext: boolean, form: FormAcc | null,
): void {
  if (form !== null) { zThenXForm(re, im, mirror, half, spec, cross, pIon, c, hasNext, form); return; }
  const N = re.length, pOff = c * N;
  for (let j = 0; j < half.length; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    const cr = 0.5 * (zr + wr), ci = 0.5 * (zi - wi);
    addProducts(spec[k], spec[N + k], spec[2 * N + k], spec[3 * N + k], cr, ci, cross, N, k, pIon, pOff);
    if (hasNext) { spec[k] = 0.5 * (zi + wi); spec[N + k] = -0.5 * (zr - wr); }
  }
}

/** Pair (y_c, z_c): ion c's products with x from spec. */
function yz(re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array, pIon: Float64Array | null, c: number, form: FormAcc | null): void {
  if (form !== null) { yzForm(re, im, mirror, half, spec, cross, pIon, c, form); return; }
  const N = re.length, pOff = c * N;
  for (let j = 0; j < half.length; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    addProducts(spec[k], spec[N + k], 0.5 * (zr + wr), 0.5 * (zi - wi), 0.5 * (zi + wi), -0.5 * (zr - wr), cross, N, k, pIon, pOff);
  }
}

/** cross[·N + k] += the six Re(X̄_a·X_b) of one ion at k; its power into pIon[pOff + k]. */
function addProducts(
  ar: number, ai: number, br: number, bi: number, cr: number, ci: number,
  cross: Float64Array, N: number, k: number, pIon: Float64Array | null, pOff: number,
): void {
  const xx = ar * ar + ai * ai, yy = br * br + bi * bi, zz = cr * cr + ci * ci;
  cross[k] += xx;
  cross[N + k] += yy;
  cross[2 * N + k] += zz;
  cross[3 * N + k] += ar * br + ai * bi;
  cross[4 * N + k] += ar * cr + ai * ci;
  cross[5 * N + k] += br * cr + bi * ci;
  if (pIon !== null) pIon[pOff + k] += xx + yy + zz;
}

/** Chunk ion c: d(t) = |r(t)|² into dIon, and x_a(t)·x_b(t) added into dTensor (6 × T), centred coordinates. */
function tensorNorms(buf: Float64Array, T: number, c: number, dIon: Float64Array, dTensor: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let t = 0; t < T; t++) {
    const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t];
    const xx = x * x, yy = y * y, zz = z * z;
    dIon[t] = xx + yy + zz;
    dTensor[t] += xx; dTensor[T + t] += yy; dTensor[2 * T + t] += zz;
    dTensor[3 * T + t] += x * y; dTensor[4 * T + t] += x * z; dTensor[5 * T + t] += y * z;
  }
}

/** The six mean MSD components from the summed cross spectra and S1 terms (3 inverse FFTs, two real spectra each). */
function tensorMsds(cross: Float64Array, dTensor: Float64Array, T: number, n: number, re: Float64Array, im: Float64Array, q: Float64Array): Float64Array[] {
  const N = re.length;
  const out: Float64Array[] = [];
  for (let c = 0; c < 6; c += 2) {
    re.set(cross.subarray(c * N, (c + 1) * N));
    im.set(cross.subarray((c + 1) * N, (c + 2) * N));
    fftFromBitReversed(re, im, true);
    s1Sums(dTensor.subarray(c * T, (c + 1) * T), T, q);
    out.push(meanMsd(q, re, T, n));
    s1Sums(dTensor.subarray((c + 1) * T, (c + 2) * T), T, q);
    out.push(meanMsd(q, im, T, n));
  }
  return out;
}

/**
 * Tracer MSD: time-origin-averaged MSD of each ion, averaged over ions (lags 0 … T−1), and
 * optionally each ion's own MSD at the lags `perIonLags` (for per-ion fits / bootstrap).
 * Cost: ~1.5 FFTs of size nextPow2(2T) per ion, plus 0.5 per ion when per-ion MSDs are asked.
 */
export function tracerMsd(
  unwrapped: Positions,
  nFrames: number,
  nIons: number,
  perIonLags: Int32Array = new Int32Array(0),
  opts: { tensor?: boolean; formLags?: Int32Array; formWeights?: Float64Array } = {},
): TracerMsd {
  checkShape(unwrapped, nFrames, nIons);
  const T = nFrames, n = nIons;
  for (let j = 0; j < perIonLags.length; j++) {
    const m = perIonLags[j];
    if (!(m >= 0 && m < T)) throw new RangeError(`per-ion lag ${m} outside 0…${T - 1}`);
  }
  const wantPerIon = perIonLags.length > 0;
  let maxLag = 0;
  for (let j = 0; j < perIonLags.length; j++) maxLag = Math.max(maxLag, perIonLags[j]);
  const L = perIonLags.length;
  const perIon = new Float64Array(wantPerIon ? n * L : 0);
  const N = nextPow2(2 * T);
  const { mirror } = fftPlan(N);
  const re = scratch('re', N), im = scratch('im', N);
  const pSum = new Float64Array(N);
  const dSum = new Float64Array(T);
  // Ions are processed in chunks copied to [ion][axis][t]; ~24 MB of buffer, 8…64 ions.
  const chunk = Math.min(n, Math.max(8, Math.min(64, Math.floor((24 << 20) / (24 * T)))));
  const buf = scratch('buf', chunk * 3 * T);
  const sums = new Float64Array(chunk * 3);
  // Per-ion power spectra of the current chunk (needed only for per-ion MSDs), ion-major.
  const pIon = wantPerIon ? scratch('pIon', chunk * N) : null;
  const dIon = new Float64Array(T), q = new Float64Array(T);
  const rowStride = n * 3;
  const wantTensor = opts.tensor === true;
  // Tensor path: x and y spectra of the current ion (2 × complex N), summed cross spectra (6 × N).
  const spec = wantTensor ? scratch('spec', 4 * N) : null;
  const cross = wantTensor ? new Float64Array(6 * N) : null;
  const dTensor = wantTensor ? new Float64Array(6 * T) : null;
  const half = wantTensor ? halfIndices(mirror) : null;
  const form = wantTensor && half !== null && opts.formLags && opts.formWeights && opts.formLags.length > 0
    ? formKernel(N, T, opts.formLags, opts.formWeights, mirror, half, chunk) : null;
  const perIonTensorForm = new Float64Array(form !== null ? n * 6 : 0);
  const sym = half !== null ? { mirror, half } : null;

  for (let i0 = 0; i0 < n; i0 += chunk) {
    const nc = Math.min(chunk, n - i0);
    loadChunk(unwrapped, T, rowStride, i0, nc, buf, sums);
    centreSignals(buf, T, nc * 3, sums);
    if (pIon !== null) pIon.fill(0);
    if (spec !== null && cross !== null && dTensor !== null) {
      chunkSpectraTensor(buf, T, nc, re, im, mirror, half as Uint32Array, spec, cross, pIon, form);
    } else chunkSpectra(buf, T, nc, re, im, mirror, pSum, pIon);
    const tiled = dTensor !== null && form !== null;
    if (tiled) chunkTensorNormsForm(buf, T, nc, dTensor, form, perIonTensorForm, i0 * 6);
    for (let c = 0; c < nc; c++) {
      if (tiled) { if (wantPerIon) ionNorms(buf, T, c, dIon); }
      else if (dTensor !== null) tensorNorms(buf, T, c, dIon, dTensor);
      else squaredNorms(buf, T, c, dIon, dSum);
      if (!wantPerIon) continue;
      s1Sums(dIon, T, q);
      perIonS1(q, T, perIonLags, perIon, (i0 + c) * L);
    }
    if (pIon !== null) for (let c = 0; c < nc; c += 2) perIonS2(pIon, c, nc, re, im, T, perIonLags, perIon, (i0 + c) * L, sym, maxLag < N >> 2);
  }
  if (cross !== null && dTensor !== null && half !== null) {
    for (let c = 0; c < 6; c++) mirrorFill(cross, c * N, mirror, half);
    const tensor = tensorMsds(cross, dTensor, T, n, re, im, q);
    const msd = new Float64Array(T);
    for (let m = 0; m < T; m++) msd[m] = tensor[0][m] + tensor[1][m] + tensor[2][m];
    return { msd, perIonLags: perIonLags.slice(), perIon, tensor, perIonTensorForm };
  }
  if (!wantPerIon) symmetrised(pSum, mirror, re, im);
  else { re.set(pSum); im.fill(0); }
  fftFromBitReversed(re, im, true);
  s1Sums(dSum, T, q);
  return { msd: meanMsd(q, re, T, n), perIonLags: perIonLags.slice(), perIon, tensor: [], perIonTensorForm: new Float64Array(0) };
}

/**
 * re = (pSum + pSum mirrored)/2, im = 0: pSum holds Σ|Z_k|² of packed pairs of real signals, and
 * the sum of their own spectra is its symmetrisation.
 */
function symmetrised(pSum: Float64Array, mirror: Uint32Array, re: Float64Array, im: Float64Array): void {
  for (let p = 0; p < pSum.length; p++) { re[p] = 0.5 * (pSum[p] + pSum[mirror[p]]); im[p] = 0; }
}

/** MSD(m) = (S1 sums − 2·autocorrelation)/((T − m)·n) for m ≥ 1; MSD(0) = 0. */
function meanMsd(q: Float64Array, acf: Float64Array, T: number, n: number): Float64Array {
  const msd = new Float64Array(T);
  for (let m = 1; m < T; m++) msd[m] = (q[m] - 2 * acf[m]) / ((T - m) * n);
  return msd;
}

/** Centre of mass (equal weights) of the ions per frame: T × 3. */
export function centreOfMass(unwrapped: Positions, nFrames: number, nIons: number): Float64Array {
  checkShape(unwrapped, nFrames, nIons);
  const out = new Float64Array(nFrames * 3);
  const inv = 1 / nIons;
  for (let t = 0; t < nFrames; t++) {
    let sx = 0, sy = 0, sz = 0;
    const base = t * nIons * 3;
    for (let k = 0; k < nIons; k++) {
      const o = base + k * 3;
      sx += unwrapped[o]; sy += unwrapped[o + 1]; sz += unwrapped[o + 2];
    }
    out[t * 3] = sx * inv; out[t * 3 + 1] = sy * inv; out[t * 3 + 2] = sz * inv;
  }
  return out;
}

/**
 * Collective ("charge") MSD: ⟨|Σ_i Δr_i(m)|²⟩ / N = N · MSD of the centre of mass, lags 0 … T−1.
 * Equals the tracer MSD for uncorrelated ions and N times it for perfectly correlated ones.
 */
export function collectiveMsd(unwrapped: Positions, nFrames: number, nIons: number): Float64Array {
  const com = centreOfMass(unwrapped, nFrames, nIons);
  const msd = tracerMsd(com, nFrames, 1).msd;
  for (let m = 0; m < nFrames; m++) msd[m] *= nIons;
  return msd;
}
