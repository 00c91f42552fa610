/**
 * The per-ion noise model ('ion' pooling): initial σ², re-estimation from residence residuals,
 * and whitening of an anisotropic vibration.
 */
import { CHI2_3_99, MED_CHI2_1 } from './chi2.js';
import type { Inflation } from './inflation.js';
import { quickMedian, quickSelectMedian } from './medians.js';
import type { Residence } from './residences.js';

/** Initial σ² (step 1): half the largest median-based per-component variogram over lags 1…4. */
export function initialSigma2(x: Float64Array, T: number): number {
  let best = 0;
  const stride = Math.max(1, Math.floor(T / 20000));
  const buf: number[] = [];
  for (let d = 1; d <= 4 && d < T; d++) {
    buf.length = 0;
    for (let t = 0; t + d < T; t += stride) for (let c = 0; c < 3; c++) {
      const v = x[3 * (t + d) + c] - x[3 * t + c];
      buf.push(v * v);
    }
    const med = quickMedian(buf);
    const v = med / 0.45493642311957305 / 2; // median of χ²₁
    if (v > best) best = v;
  }
  return best > 0 ? best : 1e-6;
}

/**
 * Residual statistics over residences (step 5), median-based so that a minority of frames at
 * an unresolved second place cannot inflate σ (which would widen δ, merge more, and run away).
 * σ² = median(r²)/med(χ²₁) per component, corrected for the fitted means; ρ(k) from the
 * median-based variogram of the residuals, 1 − γ(k)/(2σ²), up to its first non-positive value.
 */
export function reestimate(x: Float64Array, res: Residence[], T: number, inf: Inflation, buf: Float64Array): { sigma2: number; rho: Float64Array } | null {
  let nFrames = 0, dof = 0;
  for (const r of res) {
    const n = r.end - r.start + 1;
    nFrames += n;
    dof += Math.max(n - inf.g(n), 0.5);
  }
  if (nFrames < 8) return null;
  const stride = Math.max(1, Math.floor(nFrames / 20000));
  let m = 0;
  for (const r of res) {
    for (let t = r.start; t <= r.end; t += stride) {
      buf[m++] = (x[3 * t] - r.mx) ** 2; buf[m++] = (x[3 * t + 1] - r.my) ** 2; buf[m++] = (x[3 * t + 2] - r.mz) ** 2;
    }
  }
  const sigma2 = (quickSelectMedian(buf, m) / MED_CHI2_1) * (nFrames / dof);
  if (!(sigma2 > 0)) return null;
  // Only ρ(1) and ρ(2) are measured; beyond, ρ(k) = ρ(1)·r^(k−1) with r = ρ(2)/ρ(1) (exact for
  // OU-like vibration). Longer lags would pick up unresolved place changes (slow and large),
  // inflate τ, merge more, and so feed back into ever coarser residences.
  const rl = [0, 0];
  const kMax = Math.min(256, Math.floor(T / 4));
  for (let k = 1; k <= 2; k++) {
    m = 0;
    for (const r of res) {
      for (let t = r.start; t + k <= r.end; t += stride) {
        const u = t + k;
        buf[m++] = (x[3 * u] - x[3 * t]) ** 2; buf[m++] = (x[3 * u + 1] - x[3 * t + 1]) ** 2; buf[m++] = (x[3 * u + 2] - x[3 * t + 2]) ** 2;
      }
    }
    if (m < 30) break;
    rl[k - 1] = 1 - quickSelectMedian(buf, m) / MED_CHI2_1 / (2 * sigma2);
  }
  const rho: number[] = [];
  if (rl[0] > 0) {
    rho.push(Math.min(rl[0], 0.99));
    const r = rl[1] > 0 ? Math.min(rl[1] / rho[0], 0.99) : 0;
    for (let v = rho[0] * r; v > 1e-3 && rho.length < kMax; v *= r) rho.push(v);
  }
  return { sigma2, rho: Float64Array.from(rho) };
}

export function unwhiten(c: Float64Array, W: Float64Array): void {
  for (let i = 0; 3 * i < c.length; i++) {
    const a0 = c[3 * i], a1 = c[3 * i + 1], a2 = c[3 * i + 2];
    const z0 = a0 / W[0];
    const z1 = (a1 - W[3] * z0) / W[4];
    const z2 = (a2 - W[6] * z0 - W[7] * z1) / W[8];
    c[3 * i] = z0; c[3 * i + 1] = z1; c[3 * i + 2] = z2;
  }
}

/**
 * Anisotropic vibration: the covariance shape S (trace 3) of the residuals inside residences
 * (frames within √χ²₃(0.99)·σ of their mean, so unresolved places cannot stretch it) is removed by
 * y ← L⁻¹ y with S = L Lᵀ (Cholesky); W accumulates the transform. Returns ‖S − I‖ (max abs).
 */
export function rewhiten(y: Float64Array, T: number, res: Residence[], sigma2: number, W: Float64Array): number {
  const lim = CHI2_3_99 * sigma2;
  let sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0, n = 0;
  for (const r of res) {
    for (let t = r.start; t <= r.end; t++) {
      const dx = y[3 * t] - r.mx, dy = y[3 * t + 1] - r.my, dz = y[3 * t + 2] - r.mz;
      if (dx * dx + dy * dy + dz * dz > lim) continue;
      sxx += dx * dx; syy += dy * dy; szz += dz * dz; sxy += dx * dy; sxz += dx * dz; syz += dy * dz; n++;
    }
  }
  if (n < 30) return 0;
  const tr = (sxx + syy + szz) / 3;
  const S = [sxx / tr, sxy / tr, sxz / tr, sxy / tr, syy / tr, syz / tr, sxz / tr, syz / tr, szz / tr];
  let dev = 0;
  for (let i = 0; i < 9; i++) dev = Math.max(dev, Math.abs(S[i] - (i % 4 === 0 ? 1 : 0)));
  // Cholesky S = L Lᵀ
  const l00 = Math.sqrt(S[0]);
  const l10 = S[3] / l00, l20 = S[6] / l00;
  const l11 = Math.sqrt(Math.max(S[4] - l10 * l10, 1e-9));
  const l21 = (S[7] - l20 * l10) / l11;
  const l22 = Math.sqrt(Math.max(S[8] - l20 * l20 - l21 * l21, 1e-9));
  // M = L⁻¹ (lower-triangular)
  const m00 = 1 / l00, m11 = 1 / l11, m22 = 1 / l22;
  const m10 = -l10 * m00 / l11;
  const m21 = -l21 * m11 / l22;
  const m20 = -(l20 * m00 + l21 * m10) / l22;
  for (let t = 0; t < T; t++) {
    const a = y[3 * t], b = y[3 * t + 1], c = y[3 * t + 2];
    y[3 * t] = m00 * a; y[3 * t + 1] = m10 * a + m11 * b; y[3 * t + 2] = m20 * a + m21 * b + m22 * c;
  }
  for (const r of res) {
    const a = r.mx, b = r.my, c = r.mz;
    r.mx = m00 * a; r.my = m10 * a + m11 * b; r.mz = m20 * a + m21 * b + m22 * c;
  }
  // W ← M W (both lower-triangular)
  const w = Float64Array.from(W);
  W[0] = m00 * w[0];
  W[3] = m10 * w[0] + m11 * w[3]; W[4] = m11 * w[4];
  W[6] = m20 * w[0] + m21 * w[3] + m22 * w[6]; W[7] = m21 * w[4] + m22 * w[7]; W[8] = m22 * w[8];
  return dev;
}
