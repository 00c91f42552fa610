/**
 * Generalised-least-squares slope weights for a time-origin-averaged MSD, as kinisi does: the
 * MSD at different lags is strongly correlated (every lag reuses the same displacements), so the
 * ordinary fit over-weights long, noisy lags. Model covariance of a random walk's averaged MSD
 * (same shape for every D, so no D is needed): for lags m_i ≤ m_j of a T-frame run,
 *   C_ij ∝ m_i² · m_j / (T − m_j),
 * i.e. variance ∝ MSD²/(number of independent windows) and correlation √-decaying with the lag
 * ratio (kinisi's Σ_ij = σ_i²·N_i/N_j). It is of the form f(min)·g(max) with f/g = m(T − m)
 * increasing below T/2, hence positive definite there. The weights c give the GLS slope Σ c_j·y_j
 * of y = a + b·t; the fit stays linear in the MSD, so the same c fit per-ion MSDs (whose spread
 * gives the error: the model only chooses weights, the data give the uncertainty) and bootstrap
 * replicates. Falls back to ordinary least squares when the covariance is not positive definite
 * (a fit window reaching past T/2).
 */
import { slopeWeights } from '../../stats/linfit.js';

/** Slope weights c (Σ c_j·y_j = GLS slope of y on t) for lags `lags` (frames) at times `tPs`. */
export function glsSlopeWeights(lags: ArrayLike<number>, tPs: ArrayLike<number>, nFrames: number): Float64Array {
  const L = lags.length;
  if (L < 3) return slopeWeights(tPs);
  const T = nFrames;
  // Cholesky of C (lower, row-major); scaled by the largest lag to keep entries near 1.
  const s = lags[L - 1];
  const C = new Float64Array(L * L);
  for (let i = 0; i < L; i++) {
    for (let j = 0; j <= i; j++) {
      const a = lags[j] / s, b = lags[i] / s; // a ≤ b (lags ascending)
      C[i * L + j] = (a * a * b) / Math.max(T - lags[i], 1) * s;
    }
  }
  for (let j = 0; j < L; j++) {
    let d = C[j * L + j];
    for (let k = 0; k < j; k++) d -= C[j * L + k] * C[j * L + k];
    if (!(d > 1e-14 * C[j * L + j])) return slopeWeights(tPs);
    const ljj = Math.sqrt(d);
    C[j * L + j] = ljj;
    for (let i = j + 1; i < L; i++) {
      let v = C[i * L + j];
      for (let k = 0; k < j; k++) v -= C[i * L + k] * C[j * L + k];
      C[i * L + j] = v / ljj;
    }
  }
  // u = C⁻¹·1, v = C⁻¹·t; slope weights c = (S11·v − S1t·u)/(S11·Stt − S1t²).
  const u = solve(C, L, () => 1), v = solve(C, L, (i) => tPs[i]);
  let s11 = 0, s1t = 0, stt = 0;
  for (let i = 0; i < L; i++) { s11 += u[i]; s1t += v[i]; stt += v[i] * tPs[i]; }
  const det = s11 * stt - s1t * s1t;
  if (!(det > 0)) return slopeWeights(tPs);
  const c = new Float64Array(L);
  for (let i = 0; i < L; i++) c[i] = (s11 * v[i] - s1t * u[i]) / det;
  return c;
}

/** C⁻¹·b from the Cholesky factor (lower triangle of C). */
function solve(Lc: Float64Array, L: number, b: (i: number) => number): Float64Array {
  const y = new Float64Array(L);
  for (let i = 0; i < L; i++) {
    let v = b(i);
    for (let k = 0; k < i; k++) v -= Lc[i * L + k] * y[k];
    y[i] = v / Lc[i * L + i];
  }
  for (let i = L - 1; i >= 0; i--) {
    let v = y[i];
    for (let k = i + 1; k < L; k++) v -= Lc[k * L + i] * y[k];
    y[i] = v / Lc[i * L + i];
  }
  return y;
}
