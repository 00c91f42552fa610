/**
 * Arrhenius fit of D(T) across temperatures of one material and element:
 *   ln D = ln D0 − Ea / (k_B·T),
 * a weighted line fit of ln D against 1/T with σ_lnD = σ_D / D_fit (weights 1/σ_lnD², the relative
 * error at the fitted D, iterated to convergence); only points the runs resolve (D > 2σ) should be given.
 *
 * Errors: the parameter variances are the larger of (a) the propagated input errors (absolute
 * weights) and (b) the residual scatter (χ²/(n−2)-scaled), so a fit claims neither more precision
 * than the stated D errors allow nor less scatter than it shows; with no usable D errors the fit
 * is unweighted and (b) alone is used. With n = 2 weighted points the line passes through both
 * and (a) alone is used; unweighted, no error (NaN).
 * INTERVALS (68.27 % and 95 %): ± a normal quantile when (a) sets the error, a Student-t quantile
 * with n − 2 degrees of freedom when the scatter does (a scatter from 3 points is itself
 * uncertain). D(300 K) and D0 intervals are exp of the ln-intervals (asymmetric).
 * EXTRAPOLATION: the ratio of the 1/T distance from the coldest fitted T to 300 K to the fitted
 * 1/T width; above 1 the extrapolation spans more than the data, and a warning says so (the
 * interval already widens with it through the intercept–slope covariance, but assumes the line
 * holds that far).
 * CURVATURE: the χ² of the Arrhenius line against the D errors with n − 2 degrees of freedom
 * (p < 0.05: curved, or errors too small), and with ≥ 4 temperatures a VTF fit
 * ln D = ln A − B/(k_B·(T − T0)) compared by ΔAIC; reported, never substituted.
 */
import { fitLine } from '../stats/linfit.js';
import { levenbergMarquardt } from '../stats/nlfit.js';
import { chi2Sf, tMultiplier } from './transport/distributions.js';

/** Boltzmann constant in eV/K. */
export const BOLTZMANN_EV_K = 8.617333262e-5;

export interface ArrheniusPoint {
  temperatureK: number;
  dCm2s: number;
  /** Standard error of D; omitted, 0 or non-finite for unknown. */
  dErrCm2s?: number;
}

export interface VtfFit {
  /** ln A, B (eV) and T0 (K) of ln D = ln A − B/(k_B·(T − T0)). */
  lnA: number;
  bEv: number;
  t0K: number;
  chi2: number;
  /** AIC(VTF) − AIC(Arrhenius) with the same weights: negative favours VTF. */
  deltaAic: number;
}

export interface ArrheniusFit {
  eaEv: number;
  eaErrEv: number;
  /** 95 % interval of Ea (eV). */
  eaCi95Ev: [number, number];
  /** Prefactor D0 (cm²/s) and its error (from σ of ln D0). */
  d0Cm2s: number;
  d0ErrCm2s: number;
  lnD0: number;
  lnD0Err: number;
  /** Extrapolated D at the reference temperature (cm²/s) with error (intercept–slope covariance included). */
  d300kCm2s: number;
  d300kErrCm2s: number;
  lnD300Err: number;
  /** 68.27 % and 95 % intervals of D at the reference temperature (cm²/s). */
  d300kCi68Cm2s: [number, number];
  d300kCi95Cm2s: [number, number];
  /** Degrees of freedom behind the interval quantiles (Infinity: the D errors set them). */
  intervalDof: number;
  r2: number;
  /** Points used in the fit, and points excluded (D ≤ 0 or non-finite). */
  n: number;
  nExcluded: number;
  weighted: boolean;
  /** (1/T_ref − 1/T_min) / (1/T_min − 1/T_max): > 1 extrapolates beyond the fitted 1/T width. */
  extrapolationRatio: number;
  /** χ² of the line against the D errors and its p-value (n − 2 dof); NaN unweighted or n = 2. */
  chi2: number;
  chi2P: number;
  /** VTF fit with ≥ 4 distinct temperatures (null otherwise or when it does not converge). */
  vtf: VtfFit | null;
  warnings: string[];
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
  // σ_lnD = σ_D / D evaluated at the FITTED D, iterated (IRLS): at the measured D an upward
  // fluctuation would get a smaller relative error and pull the line (with σ_D ≈ D/3 the first
  // fit of the Na-hex dataset put Ea 2.8σ low; the 400 K point was 1.9σ high in D).
  let weights = weighted ? Float64Array.from(ok, (p) => (p.dCm2s / (p.dErrCm2s as number)) ** 2) : undefined;
  const mode = weighted ? (n === 2 ? 'absolute' : 'max') : 'scaled';
  let fit = fitLine(x, y, { weights, errors: mode });
  for (let it = 0; weights && it < 50; it++) {
    const w = Float64Array.from(ok, (p, i) => (Math.exp(fit.intercept + fit.slope * x[i]) / (p.dErrCm2s as number)) ** 2);
    const next = fitLine(x, y, { weights: w, errors: mode });
    const done = Math.abs(next.slope - fit.slope) < 1e-10 * (1 + Math.abs(fit.slope));
    fit = next;
    weights = w;
    if (done) break;
  }
  const chi2 = weighted && n > 2 ? fit.chi2 : NaN;
  // Which variance won decides the quantiles: the stated errors (normal) or the scatter (t, n − 2).
  const scatterWins = !weighted || (n > 2 && fit.chi2 / (n - 2) > 1);
  const dof = scatterWins ? n - 2 : Infinity;
  const q68 = tMultiplier(0.6827, dof), q95 = tMultiplier(0.95, dof);
  const x0 = 1 / (BOLTZMANN_EV_K * refTemperatureK);
  const lnD300 = fit.intercept + fit.slope * x0;
  const varLn300 = fit.varIntercept + x0 * x0 * fit.varSlope + 2 * x0 * fit.covInterceptSlope;
  const sLn300 = Math.sqrt(varLn300);
  const d0 = Math.exp(fit.intercept);
  const d300 = Math.exp(lnD300);
  const tMin = Math.min(...ok.map((p) => p.temperatureK)), tMax = Math.max(...ok.map((p) => p.temperatureK));
  const extrapolationRatio = tMax > tMin ? (1 / refTemperatureK - 1 / tMin) / (1 / tMin - 1 / tMax) : NaN;
  const warnings: string[] = [];
  if (extrapolationRatio > 1) {
    warnings.push(`D(${refTemperatureK} K) extrapolates ${extrapolationRatio.toFixed(1)}× the fitted 1/T range (${tMin}–${tMax} K); it assumes the same mechanism down to ${refTemperatureK} K`);
  }
  const chi2P = Number.isFinite(chi2) ? chi2Sf(chi2, n - 2) : NaN;
  if (chi2P < 0.05) warnings.push(`ln D is not a straight line in 1/T within its errors (χ² = ${chi2.toFixed(1)} for ${n - 2} dof, p = ${chi2P.toPrecision(2)}): curvature, or errors too small`);
  const vtf = weights && new Set(ok.map((p) => p.temperatureK)).size >= 4 ? vtfFit(ok.map((p) => p.temperatureK), y, weights, fit.chi2) : null;
  if (vtf && vtf.deltaAic < -2) warnings.push(`a VTF law fits better than Arrhenius (ΔAIC = ${vtf.deltaAic.toFixed(1)}, T0 = ${vtf.t0K.toFixed(0)} K); the Arrhenius numbers are kept`);
  const ci = (c: number, s: number, q: number): [number, number] => [Math.exp(c - q * s), Math.exp(c + q * s)];
  return {
    eaEv: -fit.slope,
    eaErrEv: fit.slopeErr,
    eaCi95Ev: [-fit.slope - q95 * fit.slopeErr, -fit.slope + q95 * fit.slopeErr],
    d0Cm2s: d0,
    d0ErrCm2s: d0 * fit.interceptErr,
    lnD0: fit.intercept,
    lnD0Err: fit.interceptErr,
    d300kCm2s: d300,
    d300kErrCm2s: d300 * sLn300,
    lnD300Err: sLn300,
    d300kCi68Cm2s: ci(lnD300, sLn300, q68),
    d300kCi95Cm2s: ci(lnD300, sLn300, q95),
    intervalDof: dof,
    r2: fit.r2,
    n,
    nExcluded: points.length - n,
    weighted,
    extrapolationRatio,
    chi2,
    chi2P,
    vtf,
    warnings,
  };
}

/** Weighted VTF fit ln D = ln A − B/(k_B·(T − T0)), T0 < min T; null when it does not converge. */
function vtfFit(temps: number[], lnD: Float64Array, w: Float64Array, chi2Arrhenius: number): VtfFit | null {
  const n = temps.length;
  const sw = Float64Array.from(w, Math.sqrt);
  const tMin = Math.min(...temps);
  // Parameters (ln A, B, u) with T0 = tMin·(1 − exp(u)): T0 stays below the coldest point.
  const t0Of = (u: number): number => tMin * (1 - Math.exp(u));
  const model = (i: number, p: Float64Array): number => sw[i] * (p[0] - p[1] / (BOLTZMANN_EV_K * (temps[i] - t0Of(p[2]))));
  const jac = (i: number, p: Float64Array, out: Float64Array): void => {
    const dT = temps[i] - t0Of(p[2]);
    out[0] = sw[i];
    out[1] = -sw[i] / (BOLTZMANN_EV_K * dT);
    // ∂/∂u of −B/(k·(T − T0(u))) = −B/(k·dT²)·dT0/du, dT0/du = −tMin·e^u.
    out[2] = sw[i] * (-p[1] / (BOLTZMANN_EV_K * dT * dT)) * (-tMin * Math.exp(p[2]));
  };
  const idx = Float64Array.from({ length: n }, (_, i) => i);
  const yw = Float64Array.from(lnD, (v, i) => v * sw[i]);
  let best: VtfFit | null = null;
  for (const frac of [0.2, 0.5, 0.8]) {
    const line = fitLine(temps.map((T) => 1 / (BOLTZMANN_EV_K * (T - tMin * frac))), lnD, { weights: w });
    const r = levenbergMarquardt(model, jac, idx, yw, [line.intercept, -line.slope, Math.log(1 - frac)]);
    if (!r.converged || !Number.isFinite(r.ssr)) continue;
    if (!best || r.ssr < best.chi2) {
      best = { lnA: r.params[0], bEv: r.params[1], t0K: t0Of(r.params[2]), chi2: r.ssr, deltaAic: r.ssr + 2 * 3 - (chi2Arrhenius + 2 * 2) };
    }
  }
  return best;
}
