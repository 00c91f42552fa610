/**
 * Arrhenius fit of D(T) across temperatures of one material and element:
 *   ln D = ln D0 − Ea / (k_B·T),
 * a weighted line fit of ln D against 1/T with σ_lnD = σ_D / D (weights 1/σ_lnD²).
 *
 * Errors: with n ≥ 3 points the parameter variances are the larger of (a) the propagated input
 * errors (absolute weights) and (b) the residual scatter (χ²/(n−2)-scaled), so a fit claims
 * neither more precision than the stated D errors allow nor less scatter than it shows; with no
 * usable D errors the fit is unweighted and (b) alone is used. With n = 2 the line passes through
 * both points and no error is estimated (NaN). Points with D ≤ 0 or non-finite D/T cannot be
 * put on a log scale; they are excluded and counted in `nExcluded`.
 */
import { fitLine } from '../stats/linfit.js';

/** Boltzmann constant in eV/K. */
export const BOLTZMANN_EV_K = 8.617333262e-5;

export interface ArrheniusPoint {
  temperatureK: number;
  dCm2s: number;
  /** Standard error of D; omitted, 0 or non-finite for unknown. */
  dErrCm2s?: number;
}

export interface ArrheniusFit {
  eaEv: number;
  eaErrEv: number;
  /** Prefactor D0 (cm²/s) and its error (from σ of ln D0). */
  d0Cm2s: number;
  d0ErrCm2s: number;
  lnD0: number;
  lnD0Err: number;
  /** Extrapolated D at 300 K (cm²/s) with error (intercept–slope covariance included). */
  d300kCm2s: number;
  d300kErrCm2s: number;
  r2: number;
  /** Points used in the fit, and points excluded (D ≤ 0 or non-finite). */
  n: number;
  nExcluded: number;
  weighted: boolean;
}

/** D(T) = D0·exp(−Ea/(k_B T)) (cm²/s). */
export function arrheniusD(d0Cm2s: number, eaEv: number, temperatureK: number): number {
  return d0Cm2s * Math.exp(-eaEv / (BOLTZMANN_EV_K * temperatureK));
}

/** Fit Ea and D0. Throws when fewer than 2 usable points or a single temperature. */
export function arrheniusFit(points: readonly ArrheniusPoint[], refTemperatureK = 300): ArrheniusFit {
  const ok = points.filter((p) => Number.isFinite(p.dCm2s) && p.dCm2s > 0 && Number.isFinite(p.temperatureK) && p.temperatureK > 0);
  const n = ok.length;
  if (n < 2) throw new RangeError(`an Arrhenius fit needs at least 2 temperatures with D > 0, got ${n}`);
  // x in 1/(k_B T) (1/eV), so the slope is −Ea directly.
  const x = Float64Array.from(ok, (p) => 1 / (BOLTZMANN_EV_K * p.temperatureK));
  const y = Float64Array.from(ok, (p) => Math.log(p.dCm2s));
  const weighted = ok.every((p) => p.dErrCm2s !== undefined && Number.isFinite(p.dErrCm2s) && p.dErrCm2s > 0);
  const weights = weighted ? Float64Array.from(ok, (p) => (p.dCm2s / (p.dErrCm2s as number)) ** 2) : undefined;
  const fit = fitLine(x, y, { weights, errors: weighted ? 'max' : 'scaled' });
  const x0 = 1 / (BOLTZMANN_EV_K * refTemperatureK);
  const lnD300 = fit.intercept + fit.slope * x0;
  const varLn300 = fit.varIntercept + x0 * x0 * fit.varSlope + 2 * x0 * fit.covInterceptSlope;
  const d0 = Math.exp(fit.intercept);
  const d300 = Math.exp(lnD300);
  return {
    eaEv: -fit.slope,
    eaErrEv: fit.slopeErr,
    d0Cm2s: d0,
    d0ErrCm2s: d0 * fit.interceptErr,
    lnD0: fit.intercept,
    lnD0Err: fit.interceptErr,
    d300kCm2s: d300,
    d300kErrCm2s: d300 * Math.sqrt(varLn300),
    r2: fit.r2,
    n,
    nExcluded: points.length - n,
    weighted,
  };
}
