/**
 * ionsift's default hop detector: time-ordered segmentation of each ion's unwrapped path
 * into residences (vibration about a fixed place) and transits.
 *
 * Model. Per ion, x(t) = c(s(t)) + e(t): a piecewise-constant 3-D mean (the place the ion
 * vibrates about) plus stationary vibrational noise e with per-component variance σ² and
 * autocorrelation ρ(k) = ρ₁ r^(k−1) (OU-like memory). A hop is a change of place between two
 * residences that are (a) statistically distinguishable given the noise and (b) farther apart
 * than κ = 4.5 vibration amplitudes σ (the two clouds barely overlap).
 *
 * Noise model (data-derived, no Å anywhere):
 *  - pool 'species' (default; pass columns of one species): one model for all columns and local
 *    in time — per frame, fitted to the variogram at lags 1…8, γ(k) = 2σ²(1 − ρ₁ r^(k−1)) (least
 *    squares, linear in 2σ², 2σ²ρ₁ for r on a 0.01 grid), where γ(k) at frame f is the median,
 *    over the time origins within W frames of f, of the vibration scale over the ions of the
 *    squared increment (W: ≥ 10⁴ ion-origins per window, 26 frames for 192 ions). That scale is
 *    a truncated median iterated from the lower quartile (default-detector/robust-scale.ts): the
 *    resting ions' component, even when most ions moved within the lag (fast rattling; the
 *    plain median over ions took such hops for vibration). The median over origins makes
 *    collective jumps (a few origins) harmless; short lags keep slow processes out. Local, because a cut must not change the model away from it: one model per
 *    analysed window made σ of a 17.5-ps piece differ from the run's by up to ±4 % (a real
 *    drift of the vibration under the thermostat) and flipped near-threshold hops everywhere;
 *    per-ion iterated estimates were worse still (62 % length consistency). Every decision
 *    about a boundary (merge, residence length and trim, same place) uses the model at its
 *    frame. One segmentation pass per ion.
 *  - pool 'ion': each ion's own σ², ρ and anisotropy (whitening by the Cholesky factor of the
 *    residual covariance shape), iterated: segment → re-estimate from residence residuals
 *    (median-based σ², ρ₁/ρ₂ from the residual variogram, shape from frames within 3.37σ) →
 *    segment, until σ², τ and shape change < 5 % (≤ 6 passes). Used by `segmentIon`.
 *  - or `noise`: models given by the caller (e.g. those of a longer run of the same ions).
 *
 * Segmentation (per ion, independent):
 *  1. Bottom-up contiguous merging: start from one segment per frame and repeatedly merge the
 *     adjacent pair with the smallest mean-change statistic
 *        Z = |m₁ − m₂|² / (σ²[g(n₁)/n₁ + g(n₂)/n₂ − 2 Cov(n₁, n₂)]),
 *     g(n) = 1 + 2 Σ_{k<n}(1 − k/n) ρ(k) the variance inflation of an n-frame mean by the
 *     autocorrelated vibration and Cov = ρ₁(1 − r^n₁)(1 − r^n₂)/((1 − r)² n₁n₂) that of adjacent
 *     means. This is the time-correlation correction (with an i.i.d. penalty a correlated
 *     vibration is over-segmented). A pair merges when Z ≤ χ²₃(1 − α), α = 10⁻⁴ (a fixed
 *     per-test false-alarm rate ≈ a BIC penalty 4·ln n at n ≈ 200 independent samples, but not
 *     growing with the run length, so decisions do not drift with T), or when |m₁ − m₂| ≤ κσ.
 *     Merges only look at neighbours; equal statistics merge the earlier pair first. Heap-driven
 *     (an indexed heap, keys updated in place): O(T log T), memory O(T).
 *  2. Residences: segments that, after trimming edge frames farther than √χ²₃(0.99)·σ = 3.37σ
 *     from their mean, hold n ≥ 2 frames with n/g(n) ≥ 1.5 independent samples (longer than the
 *     vibration's memory). Everything else is transit (label −1).
 *  3. Runs: in time order, a residence joins the current run when at the same place (within κσ
 *     or not significantly apart, the rule of step 1), else it starts a new run — a hop. The
 *     decision involves only the two sides of a hop, so a cut changes at most the run it hits.
 *     A run between two others, on the way from one to the other, along which the ion drifts
 *     that way by more than half of what steady progress across the gap (between the cut-back
 *     ends below) gives, is a slow
 *     stretch of one transit, not a place (an oscillating vibration sampled every
 *     MD step made the eased ends of a transit residences and its middle a third place).
 *     Transit = frames between the last frame consistent with the run left and the first frame
 *     consistent with the run reached: a merged run keeps frames within κσ of its mean and so
 *     absorbs the eased ends of a slow transit, so each run's end facing a hop is cut back to
 *     where its end frames, as a block, lie significantly (one-sided, 0.99) beyond the rest
 *     along the hop direction, searching no farther than the last frame at or behind the run's
 *     mean (if no frame is left between: the boundary frame farther from its place).
 *     from/to are the two runs' means (residence centres), so consecutive hops share an end and
 *     hop vectors telescope exactly to the net displacement between first and last run.
 *  4. Centres (labels): runs, longest first, join the nearest earlier leader at the same place
 *     (revisits share a centre; a run never shares its predecessor's centre).
 *
 * Fixed constants are dimensionless: α = 10⁻⁴, κ = 4.5, the 0.99 trim quantile, n/g(n) ≥ 1.5,
 * n ≥ 2, 8 variogram lags (strided while ρ(stride) ≥ 0.9), 10⁴ ion-origins per noise window,
 * the vibration scale's χ²₃ truncation at quantile 0.999 (started from the lower quartile),
 * "half of steady progress" for a transit piece, and the 0.99 level of a transit's ends. Nothing is a length, hence nothing to tune per
 * material.
 * Complexity: O(T log T) per ion and pass, O(T) memory per ion; the noise field O(T·8·(n + W)).
 *
 * Stages (src/analysis/default-detector/): chi2.ts (χ² statistics), inflation.ts (g(n)),
 * medians.ts (selection), segmentation.ts (step 1, the heap), residences.ts (step 2),
 * assemble.ts (steps 3–4), ion-noise.ts (per-ion σ², ρ and whitening), noise-field.ts (the pooled
 * species model), segment-ion.ts (one ion's passes). Measurements: BENCHMARKS.md, "Default hop
 * detector".
 */
import type { AtomCentres, RawHop } from './types.js';
import { Inflation, geometricRho } from './default-detector/inflation.js';
import { localVariogramField } from './default-detector/noise-field.js';
import { Work } from './default-detector/segmentation.js';
import { segmentWith } from './default-detector/segment-ion.js';
import type { DefaultHopDetection, DefaultHopOptions, IonNoise, IonSegmentation } from './default-detector/types.js';
import type { Positions } from '../trajectory/types.js';

export type { DefaultHopDetection, DefaultHopOptions, IonNoise, IonSegmentation, NoiseField } from './default-detector/types.js';
export { chi2_3Quantile, medianOfMedianChi2_3 } from './default-detector/chi2.js';
export { segmentIon } from './default-detector/segment-ion.js';

/**
 * Default hop detection for the ions in `atoms` (file-order indices of the columns of
 * `unwrapped`, which is frame-major [frame][k][xyz], Å, as returned by `unwrap`).
 * Pure and deterministic; RawHop.atom is the file-order index.
 */
export function detectHopsDefault(unwrapped: Positions, nFrames: number, atoms: Int32Array, opts: DefaultHopOptions = {}): DefaultHopDetection {
  const n = atoms.length, T = nFrames;
  if (unwrapped.length !== T * n * 3) throw new Error(`detectHopsDefault: expected ${T * n * 3} values, got ${unwrapped.length}`);
  if (opts.noise && opts.noise.length !== n) throw new Error(`detectHopsDefault: ${opts.noise.length} noise models for ${n} columns`);
  const x = new Float64Array(T * 3);
  const work = new Work();
  const models = opts.noise ?? defaultNoiseModels(unwrapped, T, n, opts);
  const hops: RawHop[] = [];
  const out: AtomCentres[] = [];
  const noise: IonNoise[] = [];
  for (let k = 0; k < n; k++) {
    const seg = segmentWith(copyColumn(unwrapped, T, n, k, x), T, opts, work, models?.[k]);
    noise.push(seg.noise);
    const atom = atoms[k];
    out.push({ atom, nCentres: seg.nCentres, score: 1 - countTransit(seg.labels, T) / T, labels: seg.labels, centres: seg.centres });
    pushHops(hops, atom, seg);
  }
  const warnings: string[] = [];
  const f = models?.[0]?.field;
  if (f && f.resolved === false) {
    warnings.push(`vibration not resolved: frames stay correlated (ρ ≥ 0.9) up to the longest variogram lag the run allows (a quarter of it), so the vibration amplitude σ = ${Math.sqrt(models[0].sigma2).toFixed(3)} Å is underestimated and small moves may count as hops; a longer run, or frames written less often, resolves it`);
  }
  return { method: 'default', hops, atoms: out, noise, warnings };
}

/**
 * The noise models `detectHopsDefault` uses for these columns when none are given: with
 * 'species' pooling (default, n ≥ 2) one model from the pooled short-lag variogram of all
 * columns; undefined for 'ion' pooling (each ion then estimates its own). Splitting the columns
 * into subsets and passing each subset its slice of these models as `noise` gives exactly the
 * hops of the whole call — what a per-ion split over workers needs.
 */
export function defaultNoiseModels(unwrapped: Positions, nFrames: number, nCols: number, opts: DefaultHopOptions = {}): IonNoise[] | undefined {
  if ((opts.pool ?? 'species') !== 'species' || nCols < 2) return undefined;
  // One isotropic noise model for all columns, pooled over them and local in time: per-ion,
  // iterated estimates fluctuate with the window analysed and flip marginal hops, and so does
  // one model for the whole window (σ of a 17.5-ps piece differs from the run's by up to ±4 %).
  const T = nFrames;
  const I = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const field = localVariogramField(unwrapped, T, nCols);
  // scalar summary: the frame averages
  let s2 = 0, rho1 = 0, r = 0;
  for (let t = 0; t < T; t++) { s2 += field.s2[t]; rho1 += field.rho1[t]; r += field.r[t]; }
  s2 /= T; rho1 /= T; r /= T;
  const rho = geometricRho(rho1, r, Math.min(256, Math.floor(T / 4)));
  const m: IonNoise = { sigma2: s2, rho, tauInt: new Inflation(rho).tau, passes: 0, whitening: I, sigma2Whitened: s2, field };
  return new Array<IonNoise>(nCols).fill(m);
}

// The helpers below were closures or inline loops of detectHopsDefault / the variogram fit,
// which run once per species per trajectory: V8 recompiled the closures and on-stack-replaced the
// long loops on every call (detectHopsDefault 43×, the variogram fit 45× for 52 trajectories).
// As module-level functions called per column they get hot once and stay optimized.

/** Column k of the frame-major T × n × 3 array u, copied into x (T × 3); returns x. */
function copyColumn(u: Positions, T: number, n: number, k: number, x: Float64Array): Float64Array {
  for (let t = 0; t < T; t++) {
    const o = (t * n + k) * 3;
    x[3 * t] = u[o]; x[3 * t + 1] = u[o + 1]; x[3 * t + 2] = u[o + 2];
  }
  return x;
}

/** Number of transit frames (label −1) among the first T. */
function countTransit(labels: Int16Array, T: number): number {
  let inTransit = 0;
  for (let t = 0; t < T; t++) if (labels[t] < 0) inTransit++;
  return inTransit;
}

/** Appends one ion's hops (its own frames; ends from seg.hopEnds) as RawHops of `atom`. */
function pushHops(hops: RawHop[], atom: number, seg: IonSegmentation): void {
  const q = seg.hopEnds;
  for (let i = 0; i < seg.hops.length; i++) {
    const [s, e] = seg.hops[i];
    const o = 6 * i;
    hops.push({ atom, startFrame: s, endFrame: e, from: [q[o], q[o + 1], q[o + 2]], to: [q[o + 3], q[o + 4], q[o + 5]] });
  }
}
