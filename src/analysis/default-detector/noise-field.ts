/** The pooled 'species' noise model, frame by frame, from a robust short-lag variogram. */
import { quickSelectMedian, slidingMedians } from './medians.js';
import { truncatedScale, truncatedScaleCalibration } from './robust-scale.js';
import type { NoiseField } from './types.js';
import type { Positions } from '../../trajectory/types.js';

const VARIO_LAGS = 8; // lags of the pooled variogram fit
/** Ion-origins (ions × time origins) per estimation window of the local noise model. */
const LOCAL_SAMPLES = 10_000;
/** Smallest half-width (frames) of that window. */
const LOCAL_MIN_HALF = 16;

/**
 * Species noise model, frame by frame, from the pooled variogram at lags s, 2s, …, 8s in a
 * sliding window of time origins: γ(ks) = 2σ²(1 − ρ(s) q^(k−1)) per component, fitted by least
 * squares (linear in 2σ², 2σ²ρ(s) for each q on a 0.01 grid), then converted to frames.
 *
 * Robust and local: for every origin t and lag the vibration scale of |x(t + lag) − x(t)|² over
 * the ions (truncatedScale: the resting ions' χ²₃ component, whatever the share of ions that
 * moved), scaled by that statistic's median for n χ²₃ values;
 * γ at frame f is the median of these over the 2W + 1 origins around f (a median again, so that
 * many ions moving at once cannot inflate it; see slidingMedians for the ends), W such that the
 * window holds ≥ LOCAL_SAMPLES ion-origins (192 ions: W = 26 frames). So a run and a piece of it
 * use the same model for frames farther than W + 8s from the cut, and a thermostat's slow drift
 * of the vibration amplitude is followed. Short lags only: hops barely enter, and no slow
 * process is mistaken for vibration. Runs shorter than the window get one model (every origin).
 * Stride s = 1 unless the frames are far shorter than the vibration's memory (see below).
 * O(T·8·(n log n + W)).
 */
export function localVariogramField(u: Positions, T: number, n: number): NoiseField {
  const field: NoiseField = { s2: new Float64Array(T), rho1: new Float64Array(T), r: new Float64Array(T) };
  if (T < 2) { field.s2.fill(1e-6); return field; }
  const scale = truncatedScaleCalibration(n);
  const buf = new Float64Array(Math.max(n, T));
  let W = Math.max(LOCAL_MIN_HALF, Math.ceil((LOCAL_SAMPLES / n - 1) / 2));
  const fit = new VariogramFit(Math.min(VARIO_LAGS, T - 1));
  const gam = new Float64Array(VARIO_LAGS + 1);
  // Lags s, 2s, …, Ks. Frames written every MD step (1–2 fs) sample the vibration so finely that
  // lags 1…8 never leave its ballistic start (ρ(1) → 1, σ tiny, every wiggle a "hop"): the stride
  // s doubles while the whole window's fit says the first lag is nearly ballistic, ρ(s) ≥ 0.9, or
  // the longest is still correlated, ρ(Ks) ≥ 0.2 — so that the lags reach the plateau 2σ² rather
  // than extrapolate to it (a ballistic start misfits the exponential model: both tests needed).
  let stride = 1, K = 0;
  let med: Float64Array[] = [];
  const unresolved = () => fit.rho1 >= 0.9 || fit.rho1 * fit.r ** (K - 1) >= 0.2;
  for (;;) {
    K = Math.min(VARIO_LAGS, Math.floor((T - 1) / stride));
    med = perOriginMedians(u, T, n, stride, K, scale, buf);
    fit.reset(K);
    for (let k = 1; k <= K; k++) { buf.set(med[k]); gam[k] = quickSelectMedian(buf, med[k].length); }
    fit.fit(gam);
    if (!unresolved() || 2 * stride * VARIO_LAGS > T / 4) break;
    stride *= 2;
  }
  field.resolved = !unresolved();
  // the window also spans a few of the longest lags: slow vibration has few independent origins
  W = Math.max(W, 2 * K * stride);
  if (2 * W + 1 >= T) {
    // one window holds every origin: one model (the fit above)
    setFrameModel(field, 0, T, fit, stride);
    return field;
  }
  const G: Float64Array[] = [new Float64Array(0)];
  for (let k = 1; k <= K; k++) G.push(slidingMedians(med[k], T, W));
  for (let f = 0; f < T; f++) {
    for (let k = 1; k <= K; k++) gam[k] = G[k][f];
    fit.fit(gam);
    setFrameModel(field, f, f + 1, fit, stride);
  }
  return field;
}


/** Per lag k = 1…K (index k), per origin t: the vibration scale over the ions of |x(t + ks) − x(t)|² / scale. */
function perOriginMedians(u: Positions, T: number, n: number, s: number, K: number, scale: number, buf: Float64Array): Float64Array[] {
  const med: Float64Array[] = [new Float64Array(0)];
  const ions = buf.length === n ? buf : new Float64Array(n);
  for (let k = 1; k <= K; k++) {
    const lag = k * s;
    const m = new Float64Array(T - lag);
    for (let t = 0; t + lag < T; t++) m[t] = originScale(u, n, t, lag, ions) / scale;
    med.push(m);
  }
  return med;
}

/**
 * Frames [a, b) get the fitted model, converted from lag units of `stride` frames to frames:
 * γ(ks) = 2σ²(1 − B q^(k−1)) means ρ(k s) = B q^(k−1), so r = q^(1/s), ρ(1) = B / r^(s−1).
 */
function setFrameModel(field: NoiseField, a: number, b: number, fit: VariogramFit, stride: number): void {
  let rho1 = fit.rho1, r = fit.r;
  if (stride > 1 && r > 0) {
    // A vibration that decays slower than exponentially at short lags (ballistic start) asks
    // for ρ(1) > 1 here; capped at 0.99, the model then under-states the memory at lags < s.
    r = Math.min(r ** (1 / stride), 0.999);
    rho1 = Math.min(rho1 / r ** (stride - 1), 0.99);
  }
  // (r = 0: the fitted correlation ends after one stride; ρ(1) = the fitted ρ(s), nothing after)
  field.s2.fill(fit.sigma2, a, b); field.rho1.fill(rho1, a, b); field.r.fill(r, a, b);
}

/** Vibration scale (truncatedScale) of |x(t+k) − x(t)|² over the n ions (frame-major u, n columns); buf holds exactly n values. */
function originScale(u: Positions, n: number, t: number, k: number, buf: Float64Array): number {
  const o = t * n * 3, q = (t + k) * n * 3;
  for (let j = 0; j < n; j++) {
    const a = u[q + 3 * j] - u[o + 3 * j], b = u[q + 3 * j + 1] - u[o + 3 * j + 1], c = u[q + 3 * j + 2] - u[o + 3 * j + 2];
    buf[j] = a * a + b * b + c * c;
  }
  return truncatedScale(buf, n);
}

/**
 * Least-squares fit of γ(k) = A − B r^(k−1), k = 1…K, over r on a 0.01 grid (A = 2σ², B = 2σ²ρ₁);
 * the r-only sums are precomputed once.
 */
class VariogramFit {
  sigma2 = 0; rho1 = 0; r = 0;
  private K = 0;
  private pw = new Float64Array(0); // pw[ri·K + k − 1] = r^(k−1)
  private readonly sf = new Float64Array(100);
  private readonly det = new Float64Array(100);
  private readonly sff = new Float64Array(100);
  constructor(K: number) { this.reset(K); }
  /** Precompute the r-only sums for K lags. */
  reset(K: number): void {
    if (K === this.K) return;
    this.K = K;
    this.pw = new Float64Array(100 * K);
    for (let ri = 0; ri <= 99; ri++) {
      const r = ri / 100;
      let sf = 0, sff = 0;
      for (let k = 1, f = 1; k <= K; k++, f *= r) { this.pw[ri * K + k - 1] = f; sf += f; sff += f * f; }
      this.sf[ri] = sf; this.sff[ri] = sff; this.det[ri] = K * sff - sf * sf;
    }
  }
  fit(gam: Float64Array): void {
    const K = this.K;
    let sg = 0;
    for (let k = 1; k <= K; k++) sg += gam[k];
    let bestErr = Infinity;
    this.sigma2 = gam[K] / 2; this.rho1 = 0; this.r = 0;
    for (let ri = 0; ri <= 99; ri++) {
      const det = this.det[ri];
      if (Math.abs(det) < 1e-12) continue;
      let sgf = 0;
      const o = ri * K;
      for (let k = 1; k <= K; k++) sgf += gam[k] * this.pw[o + k - 1];
      const sf = this.sf[ri];
      const A = (sg * this.sff[ri] - sf * sgf) / det, B = (sg * sf - K * sgf) / det;
      if (!(A > 0) || B < 0 || B >= A) continue;
      let err = 0;
      for (let k = 1; k <= K; k++) err += (gam[k] - A + B * this.pw[o + k - 1]) ** 2;
      if (err < bestErr) { bestErr = err; this.sigma2 = A / 2; this.rho1 = B / A; this.r = ri / 100; }
    }
  }
}
