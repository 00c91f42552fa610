/**
 * The exponential law of the n-body distribution, TESTED rather than always fitted: the excess
 * number of concerted groups of n ions (observed − null, concerted.ts), n ≥ 2, weighted by its
 * error, against c(n) = A·exp(−C·(n − 2)). The fit runs over n = 2 … (largest n seen) + 1: the
 * first empty size says where the distribution stops, which a fixed-size law (all groups of one
 * size) cannot pass as exponential. Goodness of fit: χ² with absolute errors, reduced χ² and
 * its p-value; verdict 'exponential' when p ≥ `pMin` and C > 0 by more than 2σ.
 */
import { levenbergMarquardt } from '../../stats/nlfit.js';
import type { NBodyRow } from './concerted.js';
import { chiSquareUpperTail } from '../../stats/special.js';

export type LawVerdict = 'exponential' | 'not exponential' | 'too few groups';

export interface ExponentialLawFit {
  /** Groups of 2 ions implied by the fit, A. */
  amplitude: number;
  amplitudeErr: number;
  /** C per body. */
  decayRate: number;
  decayRateErr: number;
  chi2: number;
  dof: number;
  chi2Reduced: number;
  pValue: number;
  nPoints: number;
  /** Σ excess groups with n ≥ 2. */
  nGroupsExcess: number;
  verdict: LawVerdict;
}

/** Fewer excess groups than this cannot tell one law from another. */
const MIN_GROUPS = 10;

export function testExponentialLaw(groupSizes: readonly NBodyRow[], pMin = 0.01): ExponentialLawFit {
  const rows = groupSizes.filter((r) => r.nBodies >= 2);
  let nMax = 1;
  for (const r of rows) if (r.observed > 0) nMax = Math.max(nMax, r.nBodies);
  const ns: number[] = [], ys: number[] = [], sig: number[] = [];
  for (let n = 2; n <= nMax + 1; n++) {
    const r = rows.find((x) => x.nBodies === n);
    ns.push(n);
    ys.push(r ? r.excess : 0);
    sig.push(r ? r.excessErr : 1);
  }
  const nGroupsExcess = ys.reduce((s, v) => s + v, 0);
  const base: ExponentialLawFit = {
    amplitude: NaN, amplitudeErr: NaN, decayRate: NaN, decayRateErr: NaN, chi2: NaN, dof: ns.length - 2,
    chi2Reduced: NaN, pValue: NaN, nPoints: ns.length, nGroupsExcess, verdict: 'too few groups',
  };
  if (nMax < 2 || ns.length < 3 || !(nGroupsExcess >= MIN_GROUPS)) return base;
  // Weighted residuals (y − f)/σ through the unweighted LM: x is the point index.
  const model = (i: number, p: Float64Array): number => Math.exp(p[0] - p[1] * (ns[i] - 2)) / sig[i];
  const jac = (i: number, p: Float64Array, out: Float64Array): void => {
    const f = Math.exp(p[0] - p[1] * (ns[i] - 2)) / sig[i];
    out[0] = f; out[1] = -(ns[i] - 2) * f;
  };
  const xs = ns.map((_, i) => i), yw = ys.map((y, i) => y / sig[i]);
  const a0 = Math.max(ys[0], ys[1], 1);
  const c0 = ys[1] > 0 && ys[0] > 0 ? Math.log(ys[0] / ys[1]) : 1;
  const fit = levenbergMarquardt(model, jac, xs, yw, [Math.log(a0), c0]);
  const chi2 = fit.ssr, dof = ns.length - 2;
  // LM scales the covariance by s² = χ²/dof; the errors here are absolute, so undo it.
  const s = Math.sqrt(chi2 / dof);
  const lnAErr = s > 0 ? fit.stdErr[0] / s : NaN, cErr = s > 0 ? fit.stdErr[1] / s : NaN;
  const A = Math.exp(fit.params[0]), C = fit.params[1];
  const pValue = chiSquareUpperTail(chi2, dof);
  const verdict: LawVerdict = pValue >= pMin && (C > 2 * cErr || (Number.isNaN(cErr) && C > 0)) ? 'exponential' : 'not exponential';
  return {
    ...base, amplitude: A, amplitudeErr: A * lnAErr, decayRate: C, decayRateErr: cErr,
    chi2, dof, chi2Reduced: chi2 / dof, pValue, verdict,
  };
}
