/** One ion's segmentation: the passes of steps 1–2 with its noise model, then assembly. */
import { assemble } from './assemble.js';
import { chi2_3Quantile } from './chi2.js';
import { Inflation } from './inflation.js';
import { initialSigma2, reestimate, rewhiten, unwhiten } from './ion-noise.js';
import { findResidences, type Residence } from './residences.js';
import { Work } from './segmentation.js';
import type { DefaultHopOptions, IonNoise, IonSegmentation, NoiseField } from './types.js';

/**
 * Segment one ion's unwrapped path x (T × 3, Å, frame-major) into residences and hops, with the
 * ion's own iterated noise model ('ion' pooling) or the given one. Hop ends are in `hopEnds`.
 */
export function segmentIon(x: Float64Array, T: number, opts: DefaultHopOptions = {}, fixed?: IonNoise): IonSegmentation {
  return segmentWith(x, T, opts, new Work(), fixed);
}

export function segmentWith(x: Float64Array, T: number, opts: DefaultHopOptions, work: Work, fixed?: IonNoise): IonSegmentation {
  const alpha = opts.alpha ?? 1e-4;
  const kappa = opts.separationSigma ?? 4.5;
  const maxPasses = opts.maxPasses ?? 6;
  const pen = chi2_3Quantile(alpha);
  const minEff = opts.minResidenceEff ?? 1.5;
  // y = W x: the series in whitened coordinates (vibration isotropic); W starts as identity
  const y = work.series(3 * T);
  y.set(x.subarray(0, 3 * T));
  const W = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  // a given model replaces the initial estimate (a quarter of the run time when computed anyway)
  let sigma2 = fixed ? fixed.sigma2Whitened : initialSigma2(y, T);
  let rho: Float64Array = new Float64Array(0);
  let inf = new Inflation(rho);
  let residences: Residence[] = [];
  let passes = 0;
  if (fixed) {
    W.set(fixed.whitening);
    whiten(y, T, W);
    sigma2 = fixed.sigma2Whitened; rho = fixed.rho; inf = new Inflation(rho);
  }
  const kappa2 = kappa * kappa;
  // a time-varying model given for exactly this series, else the scalars (constant in time)
  const given = fixed?.field && fixed.field.s2.length === T ? fixed.field : null;
  // `field` always holds the model of the current σ², ρ (refilled only when they change)
  let field: NoiseField = given ?? work.constantField(T, sigma2, inf.rho1, inf.ratio);
  for (;;) {
    passes++;
    residences = findResidences(y, T, field, pen, kappa2, work, minEff);
    if (fixed || passes >= maxPasses) break;
    const est = reestimate(y, residences, T, inf, work.buffer(3 * T));
    if (!est) break;
    const inf2 = new Inflation(est.rho);
    const dS = Math.abs(est.sigma2 - sigma2) / sigma2, dT = Math.abs(inf2.tau - inf.tau) / inf.tau;
    sigma2 = est.sigma2; rho = est.rho; inf = inf2;
    const dW = rewhiten(y, T, residences, sigma2, W);
    field = work.constantField(T, sigma2, inf.rho1, inf.ratio);
    if (dS < 0.05 && dT < 0.05 && dW < 0.05) {
      residences = findResidences(y, T, field, pen, kappa2, work, minEff);
      passes++;
      break;
    }
  }
  // report σ² in Å²: the geometric mean of the vibration's principal variances
  const detW = W[0] * (W[4] * W[8] - W[5] * W[7]) - W[1] * (W[3] * W[8] - W[5] * W[6]) + W[2] * (W[3] * W[7] - W[4] * W[6]);
  const noise: IonNoise = given && fixed
    ? { ...fixed, passes }
    : { sigma2: sigma2 / Math.cbrt(detW * detW), rho, tauInt: inf.tau, passes, whitening: Float64Array.from(W), sigma2Whitened: sigma2 };
  const seg = assemble(y, T, residences, field, pen, kappa2, noise);
  // centres and hop ends back to Å: c = W⁻¹ c_y (W is lower-triangular)
  unwhiten(seg.centres, W);
  unwhiten(seg.hopEnds, W);
  return seg;
}

/**
 * y ← W y per frame (W lower-triangular). A function of its own: as a loop inside segmentWith it
 * was optimized on-stack and deoptimized right after it on every call (no feedback yet for what
 * follows), once per ion.
 */
function whiten(y: Float64Array, T: number, W: Float64Array): void {
  for (let t = 0; t < T; t++) {
    const a = y[3 * t], b = y[3 * t + 1], c = y[3 * t + 2];
    y[3 * t] = W[0] * a; y[3 * t + 1] = W[3] * a + W[4] * b; y[3 * t + 2] = W[6] * a + W[7] * b + W[8] * c;
  }
}
