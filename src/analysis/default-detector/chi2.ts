/** χ²₃ and χ²₁ statistics the merge, trim and noise-scale rules use. */

import { erfc } from '../../stats/special.js';

export const CHI2_3_99 = 11.344866730144373; // χ²₃ quantile 0.99
/** Standard normal quantile 0.99 (one-sided): the level at which a frame is "still at its place", as the residence trim's χ²₃(0.99). */
export const Z_99 = 2.3263478740408408;
export const MED_CHI2_1 = 0.45493642311957305; // median of χ²₁

/** Upper quantile of χ²₃: solves P(χ²₃ > q) = alpha by bisection. */
export function chi2_3Quantile(alpha: number): number {
  let lo = 0, hi = 200;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (chi2_3Survival(mid) > alpha) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Survival of χ²₃: erfc(√(q/2)) + √(2q/π) e^(−q/2). */
export function chi2_3Survival(q: number): number {
  return erfc(Math.sqrt(q / 2)) + Math.sqrt((2 * q) / Math.PI) * Math.exp(-q / 2);
}

const medianOfMedianCache = new Map<number, number>();

/**
 * The median of the distribution of the per-origin statistic — the value of rank ⌊n/2⌋ (what
 * quickSelectMedian returns) among n independent χ²₃ values: P(Binomial(n, F(m)) ≥ ⌊n/2⌋ + 1) = ½,
 * F the χ²₃ CDF. Dividing by it makes the median over origins an unbiased σ² scale for any
 * number of ions (two ions: the larger of two values).
 */
export function medianOfMedianChi2_3(n: number): number {
  const hit = medianOfMedianCache.get(n);
  if (hit !== undefined) return hit;
  const need = (n >> 1) + 1;
  let lo = 0, hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialTail(n, 1 - chi2_3Survival(mid), need) < 0.5) lo = mid; else hi = mid;
  }
  const v = (lo + hi) / 2;
  medianOfMedianCache.set(n, v);
  return v;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
function binomialTail(n: number, p: number, k: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p), lq = Math.log1p(-p);
  let logC = 0; // log C(n, i), built up from i = 0
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    if (i >= k) sum += Math.exp(logC + i * lp + (n - i) * lq);
  }
  return sum;
}
