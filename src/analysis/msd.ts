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
 * The per-ion inverse transforms stop at the low quarter when every lag read is below N/4. The
 * tensor path (msd-tensor.ts) accumulates the per-ion forms in the passes it makes anyway
 * (msd-tensor-form.ts) and sums per chunk of ions, so that it splits over threads.
 */
import { fftForwardBitReversed, fftFromBitReversed, fftPlan, nextPow2 } from './fft.js';
import type { Positions } from '../trajectory/types.js';
import { centreSignals, loadChunk, packPair, scratch } from './msd-chunks.js';
import { meanMsd, perIonS1, perIonS2, s1Sums } from './msd-kernels.js';
import { tensorTracerMsd } from './msd-tensor.js';

// The result type lives with the kernels both paths share (msd-tensor.ts builds it too).
export type { TracerMsd } from './msd-kernels.js';
import type { TracerMsd } from './msd-kernels.js';

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
  // The tensor path (msd-tensor.ts) sums per chunk of ions, splittable over threads.
  if (opts.tensor === true) return tensorTracerMsd(unwrapped, T, n, perIonLags, opts.formLags, opts.formWeights);
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

  for (let i0 = 0; i0 < n; i0 += chunk) {
    const nc = Math.min(chunk, n - i0);
    loadChunk(unwrapped, T, rowStride, i0, nc, buf, sums);
    centreSignals(buf, T, nc * 3, sums);
    if (pIon !== null) pIon.fill(0);
    chunkSpectra(buf, T, nc, re, im, mirror, pSum, pIon);
    for (let c = 0; c < nc; c++) {
      squaredNorms(buf, T, c, dIon, dSum);
      if (!wantPerIon) continue;
      s1Sums(dIon, T, q);
      perIonS1(q, T, perIonLags, perIon, (i0 + c) * L);
    }
    if (pIon !== null) for (let c = 0; c < nc; c += 2) perIonS2(pIon, c, nc, re, im, T, perIonLags, perIon, (i0 + c) * L, null, maxLag < N >> 2);
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
