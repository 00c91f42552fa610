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
 */
import { fftForwardBitReversed, fftFromBitReversed, fftPlan, nextPow2 } from './fft.js';

export interface TracerMsd {
  /** Mean over ions of the time-origin-averaged MSD (Å²), index = lag in frames, length T. */
  msd: Float64Array;
  /** Lags (frames) at which per-ion MSDs were kept (empty when not requested). */
  perIonLags: Int32Array;
  /** Per-ion MSD (Å²) at `perIonLags`, ion-major: nIons × perIonLags.length. */
  perIon: Float64Array;
}

function checkShape(u: Float64Array, nFrames: number, nIons: number): void {
  if (!Number.isInteger(nFrames) || nFrames < 1) throw new RangeError(`nFrames must be ≥ 1, got ${nFrames}`);
  if (!Number.isInteger(nIons) || nIons < 1) throw new RangeError(`nIons must be ≥ 1, got ${nIons}`);
  if (u.length !== nFrames * nIons * 3) {
    throw new RangeError(`positions length ${u.length} ≠ nFrames·nIons·3 = ${nFrames * nIons * 3}`);
  }
}

/**
 * Reference O(T²·n) MSD (mean over ions), for tests and benchmarks only.
 */
export function msdDirect(unwrapped: Float64Array, nFrames: number, nIons: number): Float64Array {
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
 * complex FFT, held in bit-reversed order) into pa and pb.
 */
function splitPower(re: Float64Array, im: Float64Array, mirror: Uint32Array, pa: Float64Array, pb: Float64Array | null): void {
  const N = re.length;
  for (let p = 0; p < N; p++) {
    const q = mirror[p];
    const zr = re[p], zi = im[p], wr = re[q], wi = im[q];
    const s = zr * zr + zi * zi + wr * wr + wi * wi;
    const c = 2 * (zr * wr - zi * wi);
    pa[p] += 0.25 * (s + c);
    if (pb) pb[p] += 0.25 * (s - c);
  }
}

/** Frames per tile of the chunk transpose (keeps the strided reads cache-resident). */
const TILE = 256;

/**
 * Tracer MSD: time-origin-averaged MSD of each ion, averaged over ions (lags 0 … T−1), and
 * optionally each ion's own MSD at the lags `perIonLags` (for per-ion fits / bootstrap).
 * Cost: ~1.5 FFTs of size nextPow2(2T) per ion, plus 0.5 per ion when per-ion MSDs are asked.
 */
export function tracerMsd(
  unwrapped: Float64Array,
  nFrames: number,
  nIons: number,
  perIonLags: Int32Array = new Int32Array(0),
): TracerMsd {
  checkShape(unwrapped, nFrames, nIons);
  const T = nFrames, n = nIons;
  for (const m of perIonLags) if (!(m >= 0 && m < T)) throw new RangeError(`per-ion lag ${m} outside 0…${T - 1}`);
  const wantPerIon = perIonLags.length > 0;
  const L = perIonLags.length;
  const perIon = new Float64Array(wantPerIon ? n * L : 0);
  const N = nextPow2(2 * T);
  const { mirror } = fftPlan(N);
  const re = new Float64Array(N), im = new Float64Array(N);
  const pSum = new Float64Array(N);
  const dSum = new Float64Array(T);
  // Ions are processed in chunks copied to [ion][axis][t]; ~24 MB of buffer, 8…64 ions.
  const chunk = Math.min(n, Math.max(8, Math.min(64, Math.floor((24 << 20) / (24 * T)))));
  const buf = new Float64Array(chunk * 3 * T);
  // Per-ion power spectra of the current chunk (needed only for per-ion MSDs).
  const pIon = wantPerIon ? Array.from({ length: chunk }, () => new Float64Array(N)) : [];
  const dIon = new Float64Array(T), q = new Float64Array(T);
  const sig = (c: number, ax: number) => buf.subarray((c * 3 + ax) * T, (c * 3 + ax + 1) * T);
  const rowStride = n * 3;

  for (let i0 = 0; i0 < n; i0 += chunk) {
    const nc = Math.min(chunk, n - i0);
    const w = nc * 3;
    // Tiled transpose of the chunk's columns into [signal][t].
    for (let ta = 0; ta < T; ta += TILE) {
      const tb = Math.min(T, ta + TILE);
      for (let j = 0; j < w; j++) {
        const dst = j * T;
        let o = ta * rowStride + i0 * 3 + j;
        for (let t = ta; t < tb; t++, o += rowStride) buf[dst + t] = unwrapped[o];
      }
    }
    // Centre each coordinate on its mean (MSD is translation invariant; avoids cancellation).
    for (let s = 0; s < w; s++) {
      const x = buf.subarray(s * T, (s + 1) * T);
      let mean = 0;
      for (let t = 0; t < T; t++) mean += x[t];
      mean /= T;
      for (let t = 0; t < T; t++) x[t] -= mean;
    }
    for (const p of pIon) p.fill(0);
    // Pack the chunk's 3·nc real signals two per complex FFT.
    const nSig = nc * 3;
    for (let s = 0; s < nSig; s += 2) {
      re.set(sig((s / 3) | 0, s % 3));
      re.fill(0, T);
      const has2 = s + 1 < nSig;
      if (has2) { im.set(sig(((s + 1) / 3) | 0, (s + 1) % 3)); im.fill(0, T); } else im.fill(0);
      fftForwardBitReversed(re, im, true);
      if (wantPerIon) {
        const ca = (s / 3) | 0, cb = ((s + 1) / 3) | 0;
        if (!has2) splitPower(re, im, mirror, pIon[ca], null);
        else if (ca === cb) splitPower(re, im, mirror, pIon[ca], pIon[ca]);
        else splitPower(re, im, mirror, pIon[ca], pIon[cb]);
      } else {
        // Sum of both spectra: (|Z_k|² + |Z_{N−k}|²)/2 — folded in once at the end.
        for (let p = 0; p < N; p++) pSum[p] += re[p] * re[p] + im[p] * im[p];
      }
    }
    // S1 pieces: d(t) = |r(t)|² per ion.
    for (let c = 0; c < nc; c++) {
      const x = sig(c, 0), y = sig(c, 1), z = sig(c, 2);
      for (let t = 0; t < T; t++) {
        const d = x[t] * x[t] + y[t] * y[t] + z[t] * z[t];
        dIon[t] = d;
        dSum[t] += d;
      }
      if (!wantPerIon) continue;
      s1Sums(dIon, T, q);
      const row = (i0 + c) * L;
      for (let j = 0; j < L; j++) { const m = perIonLags[j]; perIon[row + j] = q[m] / (T - m); }
    }
    if (wantPerIon) {
      // Inverse transforms two ions at a time: real spectra → real autocorrelations in re / im.
      for (let c = 0; c < nc; c += 2) {
        const pa = pIon[c], pb = c + 1 < nc ? pIon[c + 1] : null;
        for (let p = 0; p < N; p++) {
          re[p] = pa[p]; im[p] = pb ? pb[p] : 0;
          pSum[p] += pa[p] + (pb ? pb[p] : 0);
        }
        fftFromBitReversed(re, im, true);
        for (let j = 0; j < L; j++) {
          const m = perIonLags[j];
          perIon[(i0 + c) * L + j] -= (2 * re[m]) / (T - m);
          if (pb) perIon[(i0 + c + 1) * L + j] -= (2 * im[m]) / (T - m);
        }
      }
    }
  }
  if (!wantPerIon) {
    // pSum holds Σ|Z_k|²; the summed spectra of the packed real signals are its symmetrisation.
    for (let p = 0; p < N; p++) { re[p] = 0.5 * (pSum[p] + pSum[mirror[p]]); im[p] = 0; }
  } else {
    re.set(pSum); im.fill(0);
  }
  fftFromBitReversed(re, im, true);
  s1Sums(dSum, T, q);
  const msd = new Float64Array(T);
  for (let m = 1; m < T; m++) msd[m] = (q[m] - 2 * re[m]) / ((T - m) * n);
  return { msd, perIonLags: perIonLags.slice(), perIon };
}

/** Centre of mass (equal weights) of the ions per frame: T × 3. */
export function centreOfMass(unwrapped: Float64Array, nFrames: number, nIons: number): Float64Array {
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
export function collectiveMsd(unwrapped: Float64Array, nFrames: number, nIons: number): Float64Array {
  const com = centreOfMass(unwrapped, nFrames, nIons);
  const msd = tracerMsd(com, nFrames, 1).msd;
  for (let m = 0; m < nFrames; m++) msd[m] *= nIons;
  return msd;
}
