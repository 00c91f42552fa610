/**
 * Per-ion linear forms of the six MSD tensor components (tracerMsd's `formLags`/`formWeights`),
 * accumulated from the spectra tracerMsd computes anyway: the per-ion tensor slopes behind the
 * errors of D along x, y, z and of the principal values (diffusion.ts).
 */
import { fftForwardBitReversed } from './fft.js';

/** xx, yy, zz, xy, xz, yz: msd.ts's TENSOR_COMPONENTS (not imported: msd.ts imports this file). */
const PAIRS: readonly (readonly [number, number])[] = [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]];

/**
 * A linear form Σ_j g_j·MSD_ab(m_j) per ion (g_j = w_j/(T − m_j) applied to the unnormalised sums):
 * MSD_ab(m)·(T − m) = S1_ab(m) − 2·Σ_s x_a(s)·x_b(s+m) (symmetrised), and Σ_j g_j·ACF(m_j) =
 * Σ_f Re(X̄_a·X_b)(f)·h(f), h(f) = (1/N)·Σ_j g_j·cos(2πf·m_j/N) (weight 2 off the mirror-symmetric
 * frequencies: only half are visited). acc: −2·that spectral part per ion of the chunk (× 6).
 */
export interface FormAcc {
  h: Float64Array;
  acc: Float64Array;
  lags: Int32Array;
  g: Float64Array;
}

export function formKernel(N: number, T: number, lags: Int32Array, w: Float64Array, mirror: Uint32Array, half: Uint32Array, chunk: number): FormAcc {
  const re = new Float64Array(N), im = new Float64Array(N);
  const g = new Float64Array(lags.length);
  for (let j = 0; j < lags.length; j++) { g[j] = w[j] / (T - lags[j]); re[lags[j]] += g[j]; }
  fftForwardBitReversed(re, im, true);
  const h = new Float64Array(N);
  for (let j = 0; j < half.length; j++) { const k = half[j]; h[k] = (mirror[k] === k ? 1 : 2) * re[k] / N; }
  return { h, acc: new Float64Array(chunk * 6), lags, g };
}

/** Ion c of the chunk: its six forms into out[ion·6 …] = S1 part − 2·spectral part (centred coordinates). */
export function formOfIon(buf: Float64Array, T: number, c: number, form: FormAcc, out: Float64Array, o: number, pre: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let comp = 0; comp < 6; comp++) {
    const [a, b] = PAIRS[comp];
    const oa = ox + a * T, ob = ox + b * T;
    // Prefix sums P(t) = Σ_{s<t} x_a(s)·x_b(s); S1(m) = P(T − m) + P(T) − P(m).
    pre[0] = 0;
    for (let t = 0; t < T; t++) pre[t + 1] = pre[t] + buf[oa + t] * buf[ob + t];
    let v = 0;
    for (let j = 0; j < form.lags.length; j++) { const m = form.lags[j]; v += form.g[j] * (pre[T - m] + pre[T] - pre[m]); }
    out[o + comp] = v - 2 * form.acc[c * 6 + comp];
  }
  void oy; void oz;
}

