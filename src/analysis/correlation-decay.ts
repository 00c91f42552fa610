/** The exponential fit of the n-body distribution, y(n) = |A| + B·exp(−C·n) (IonDiff §4, last step). */
import type { CorrelationFit } from './types.js';
import { levenbergMarquardt } from '../stats/nlfit.js';

// Model and Jacobian of fitCorrelationDecay at module scope: as arrow functions in the call they
// were new closures per fit, each re-optimized by TurboFan (once per trajectory in the indexer).
function decayModel(x: number, p: Float64Array): number {
  return Math.abs(p[0]) + p[1] * Math.exp(-p[2] * x);
}

function decayJacobian(x: number, p: Float64Array, out: Float64Array): void {
  const e = Math.exp(-p[2] * x); out[0] = p[0] < 0 ? -1 : 1; out[1] = e; out[2] = -p[1] * x * e;
}

/**
 * Fit y(n) = |A| + B·exp(−C·n) to the n-body histogram: n = 2…min(maxBodies, largest n),
 * counts normalised to sum 1 (reference §4 final step). Parameters NaN with < 3 points,
 * errors NaN with < 4 (no degrees of freedom).
 */
export function fitCorrelationDecay(bins: readonly { nBodies: number; count: number }[], element: string, maxBodies = 20): CorrelationFit {
  let nMax = 0;
  for (const b of bins) if (b.nBodies > nMax) nMax = b.nBodies;
  const top = Math.min(nMax, maxBodies);
  const xs: number[] = [], ys: number[] = [];
  for (let n = 2; n <= top; n++) {
    let c = 0;
    for (const b of bins) if (b.nBodies === n) c += b.count;
    xs.push(n); ys.push(c);
  }
  const tot = ys.reduce((s, v) => s + v, 0);
  const nan: CorrelationFit = {
    element, method: 'iondiff', offset: NaN, offsetErr: NaN, amplitude: NaN, amplitudeErr: NaN, decayRate: NaN, decayRateErr: NaN, r2: NaN, nPoints: xs.length,
    chi2Reduced: NaN, dof: NaN, pValue: NaN, nGroupsExcess: NaN, verdict: null,
  };
  if (xs.length < 3 || !(tot > 0)) return nan;
  for (let i = 0; i < ys.length; i++) ys[i] /= tot;
  const res = levenbergMarquardt(decayModel, decayJacobian, xs, ys, [0.01, 0.1, 0.1]);
  const [A, B, C] = res.params;
  return {
    ...nan, offset: Math.abs(A), offsetErr: res.stdErr[0], amplitude: B, amplitudeErr: res.stdErr[1],
    decayRate: C, decayRateErr: res.stdErr[2], r2: res.r2,
  };
}
