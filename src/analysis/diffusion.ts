/**
 * Diffusion coefficients of one mobile species from its unwrapped trajectory: tracer D,
 * collective ("charge") D, Haven ratio, Nernst–Einstein conductivity, and the hop-based D.
 *
 * FIT-WINDOW RULE (lags in frames, T = number of frames; `fitWindow()`):
 *   end   = ⌊T/2⌋ (at least 2, at most T−1): beyond half the run fewer than T/2 time origins
 *           remain and the MSD gets noisy.
 *   start = max(m_α, ⌈0.05·T⌉), capped at ⌊end/2⌋ so the window spans at least a factor 2 in lag,
 *           where m_α is the first lag whose log-log slope over [m, 2m],
 *           α(m) = ln(MSD(2m)/MSD(m)) / ln 2, has fallen to ≤ 1.1, i.e. the ballistic regime
 *           (α ≈ 2) is over; the 5 % floor also skips the vibrational transient that follows.
 *           The fit has a free intercept, so a vibrational plateau under a linear rise is fine.
 *   Per-ion MSDs are kept on a uniform grid of ≤ ~2000 lags (stride ⌈end/2000⌉); at most 200 of
 *   the window's grid lags (evenly spaced) are fitted, by ordinary least squares MSD = a + 6·D·t.
 *   T < 5 frames gives NaN everywhere (flagged).
 *
 * WHY OLS AND NOT GLS (kinisi's generalised least squares, `fit: 'gls'`, transport/gls.ts): GLS with
 *   the random-walk covariance of the MSD weights the start of the window most, where hopping ions
 *   still carry the back-hop correlation transient; on the generator's lattice models it was
 *   +2.5…8 % biased (D/D_model 1.025–1.079, 4 seeds × 4 materials, 1000 frames) for errors only
 *   ~1.4× smaller, and on LGPS 600 K (barely diffusive) it gave 2.1× the OLS D. The ERROR is
 *   covariance-aware either way: it is the spread of the same linear estimator over ions, which
 *   contains every correlation of the MSD between lags without modelling it.
 * Both ends can be overridden (`fitStartPs`, `fitEndPs`).
 *
 * UNCERTAINTIES (seeded, deterministic):
 *   tracer     — the larger of the spatial-block (cluster-robust) error (transport/ion-clusters.ts:
 *                chains and shared vacancies correlate neighbouring ions) and the bootstrap over
 *                ions: each ion's MSD is fitted with the same window and weights (the OLS
 *                slope is linear in the MSD, so the mean of the per-ion D is the reported D; an
 *                ion's slope is the trace of its tensor forms, evaluated from the spectra of the
 *                MSD's own pass, msd-tensor-form.ts; runs with discontinuities fit each ion's
 *                MSD on the grid) and the per-ion D are resampled with replacement. The
 *                bootstrap standard error of a MEAN has a closed form in the limit of infinitely
 *                many resamples, s_plug-in/√n with s²_plug-in = Σ(D_i − D̄)²/n; that exact value
 *                is used by default (the 1000-resample Monte Carlo it replaces scattered ±2.2 %
 *                around it and cost ~15–25 ms on 192 ions); `nBootstrap` brings the Monte Carlo
 *                back. Honest for independent ions only: on 100 short generated runs (1000
 *                frames, 25 seeds × 4 materials) the ion bootstrap alone covered the lattice-model
 *                truth in 57 % (±1σ) and 90 % (±1.96σ) of runs, the spread over seeds being 1.3×
 *                the error for the chain materials; with the spatial blocks 64 % and 93 %
 *                (bench/transport-calibration.ts; BENCHMARKS.md). With a single ion the time block
 *                bootstrap below is used.
 *                COUNTING FLOOR (with the detected `hops`, transport/shot-noise.ts): a D carried by a
 *                dozen hops is a count, and resampling 24 ions, most of which never hopped, cannot
 *                see how few events there were (Na-hex 24 ions × 1000 frames at 400 K: 55 % / 85 %
 *                coverage). Hops are grouped into events (a concerted chain is one event); the
 *                variance becomes σ_ions² + the between-ion covariance of the chains, at least the
 *                events' shot noise (Campbell), widened by the Student-t 68 % quantile for the
 *                effective number of events − 1. 200 runs of the four lattice models + 40 few-hop
 *                Na-hex runs: 71.5 % / 95.5 % and 65 % / 92.5 % (BENCHMARKS.md, 2026-12-03 16:xx).
 *   per axis   — D along x, y, z and the principal values: each ion's tensor slope (msd.ts
 *                `formLags`, from the same FFTs) projected on the direction, then the same model
 *                (ion bootstrap, blocks, counting floor with the hops' projected lengths).
 *   collective — the centre of mass is a single "particle", so the error comes from its time
 *                series: a moving-block bootstrap of its displacement increments (block length =
 *                the fit start lag, past the correlated short-time motion) rebuilds replicate
 *                trajectories of the same length, each fitted with the same window; the error is
 *                the standard deviation of the replicate D. This measures the spread of the
 *                same estimator (same window, same T), unlike averaging D over short blocks,
 *                whose spread depends on the block length. Each replicate's fitted slope is a
 *                fixed linear form of its MSD, evaluated spectrally (`MsdLinearForm`).
 *   derived    — Haven ratio and both conductivities (Nernst–Einstein from the tracer D, charge
 *                conductivity from the collective D) with their errors, and which values the run
 *                resolves (D > 2σ): transport/resolved.ts.
 *
 * TENSOR: the mean MSD tensor ⟨Δr_a·Δr_b⟩ comes from the same FFTs as the MSD (msd.ts, `tensor`);
 * the same slope weights give D_ab = slope_ab/2 (trace/3 = D); principal values and axes,
 * anisotropy: transport/tensor.ts. The collective D along x, y, z comes from the centre of mass.
 *
 * DISCONTINUITIES (`breaks`: restarts that do not continue the run): windows spanning a break are
 *   not counted, the segments' MSD sums and window counts are added (msd-segments.ts), so without a
 *   break the estimator is unchanged; the rules above take the longest segment's frame count for T.
 *
 * The fitted slope is slightly biased upward when the window starts before the tracer-correlation
 * transient of a hopping ion is over (< 1 hop per ion at the 5 % start): +2.8 ± 0.7 % for the
 * Na-rhombo lattice model at 96 ions × 2000 frames (0.4 hops per ion at the start), +0.4 ± 1.1 %
 * at 4000 frames — well inside the statistical error of such runs (≈ 8 %).
 */
import type { DiffusionResult, RawHop } from './types.js';
import { tracerMsd, centreOfMass } from './msd.js';
import { MsdLinearForm } from './msd-linear-form.js';
import { slopeWeights } from '../stats/linfit.js';
import { glsSlopeWeights } from './transport/gls.js';
import { tensorSummary } from './transport/tensor.js';
import { clusterMeanErr, spatialBlocks } from './transport/ion-clusters.js';
import { transportNumbers, unresolvedResult } from './transport/resolved.js';
import { countedError, jumpEventIds, jumpWeights, segmentedJumpWeights, type CountedHop } from './transport/shot-noise.js';
import { blockBootstrapSlopeErr, bootstrapMeanErr, idealBootstrapMeanErr } from './transport/bootstrap.js';
// Re-exported: tests and benches import the bootstraps from here.
export { blockBootstrapSlopeErr, bootstrapMeanErr, idealBootstrapMeanErr };
import { mulberry32 } from './random.js';
import type { Positions } from '../trajectory/types.js';
import { continuousSegments, longestSegment, observedDurationPs } from './segments.js';
import { segmentedBlockBootstrapSlopeErr, segmentedLinearForm, segmentedTracerMsd } from './msd-segments.js';
// Re-exported: callers and tests import the PRNG from here.
export { mulberry32 };

// Re-exported: the constants and the conductivity live with the resolution rules.
export { ELEMENTARY_CHARGE_C, BOLTZMANN_J_K, nernstEinsteinSCm } from './transport/resolved.js';
/** Å²/ps → cm²/s. */
export const A2PS_TO_CM2S = 1e-4;

export interface DiffusionOptions {
  element: string;
  /** Cell volume (Å³). */
  volumeA3: number;
  /** Formal charge of the ion in units of e (e.g. 1 for Li⁺). */
  charge: number;
  /** Temperature (K); null or non-finite gives a NaN conductivity. */
  temperatureK: number | null;
  /** Hop displacement vectors (Å, unwrapped `to − from`), k × 3, of this element's ions. */
  hopVectors?: Float64Array;
  /** The detected hops of this element's ions (RawHop fits): the counting floor of the tracer error (module doc). */
  hops?: readonly CountedHop[];
  /** Cell (lattice rows, Å) for grouping hops into concerted events; without it every hop is its own event. */
  cell?: ArrayLike<number>;
  /** Override the fit window (ps). */
  fitStartPs?: number;
  fitEndPs?: number;
  /** RNG seed for both bootstraps (default 1). */
  seed?: number;
  /** Ion-bootstrap resamples; default: none, the exact infinite-resample limit (module doc). */
  nBootstrap?: number;
  /** Time block-bootstrap replicates (default 150; 75 when T > 20000 frames: the spread of the replicate SD, 1/√(2·150) ≈ 6 %, is far below the uncertainty a single run leaves on a collective D). */
  nTimeBootstrap?: number;
  /** Ion error model: 'blocks' (default; larger of the ion bootstrap and the spatial-block error) or 'independent'. */
  ionErrors?: 'blocks' | 'independent';
  /** Slope estimator: ordinary least squares (default) or generalised with the MSD's model covariance (module doc). */
  fit?: 'gls' | 'ols';
  /** Maximum number of log-spaced MSD points kept in the result (default 200). */
  maxStoredPoints?: number;
  /**
   * Frames f whose step f−1 → f is discontinuous (`Trajectory.discontinuities`): MSD windows
   * spanning one are not counted (msd-segments.ts); the fit-window rule then uses the longest
   * continuous segment's frame count for T, and the hop D the observed time.
   */
  breaks?: readonly number[];
}

/** Fit window (frames, inclusive) by the rule in the module comment. */
export function fitWindow(msd: ArrayLike<number>, nFrames: number): { startFrame: number; endFrame: number } {
  const T = nFrames;
  if (T < 5) throw new RangeError(`a fit window needs at least 5 frames, got ${T}`);
  const end = Math.min(T - 1, Math.max(2, Math.floor(T / 2)));
  const cap = Math.max(1, Math.floor(end / 2));
  let mAlpha = cap;
  for (let m = 1; 2 * m <= T - 1 && m < cap; m++) {
    const a = msd[m], b = msd[2 * m];
    if (a > 0 && b > 0 && Math.log(b / a) / Math.LN2 <= 1.1) { mAlpha = m; break; }
  }
  const start = Math.min(cap, Math.max(1, mAlpha, Math.ceil(0.05 * T)));
  return { startFrame: start, endFrame: end };
}


/** Up to `maxPoints` distinct integer lags, log-spaced over 1 … maxLag. */
export function logSpacedLags(maxLag: number, maxPoints: number): Int32Array {
  if (maxLag < 1 || maxPoints < 1) return new Int32Array(0);
  if (maxLag <= maxPoints) {
    const all = new Int32Array(maxLag);
    for (let i = 0; i < maxLag; i++) all[i] = i + 1;
    return all;
  }
  // Grow the nominal count until the distinct lags fill the budget (rounding merges short lags).
  let best = new Int32Array(0);
  let k = maxPoints;
  const buf = new Int32Array(maxPoints + 1);
  for (let iter = 0; iter < 20; iter++) {
    const count = distinctLogLags(maxLag, k, buf);
    if (count > maxPoints) break;
    best = buf.slice(0, count);
    if (count === maxPoints) break;
    k += maxPoints - count;
  }
  return best;
}

/**
 * The distinct values of round(maxLag^(i/(k−1))), i = 0 … k−1, ascending, into out (which holds
 * maxPoints + 1 values; counting stops there). The sequence is non-decreasing, so distinct
 * values are the changes — no set or sort needed.
 */
function distinctLogLags(maxLag: number, k: number, out: Int32Array): number {
  const lnMax = Math.log(maxLag);
  let count = 0, last = -1;
  for (let i = 0; i < k && count < out.length; i++) {
    const v = Math.round(Math.exp((lnMax * i) / (k - 1)));
    if (v !== last) { out[count++] = v; last = v; }
  }
  return count;
}

/** Hop displacement vectors (to − from, Å) of the given hops, k × 3. */
export function hopVectorsOf(hops: readonly RawHop[]): Float64Array {
  const v = new Float64Array(hops.length * 3);
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    for (let d = 0; d < 3; d++) v[i * 3 + d] = h.to[d] - h.from[d];
  }
  return v;
}

/** Hop-based tracer D (cm²/s): Σ|hop vector|² / (6·N·t), t = duration (ps). */
export function hopDiffusionCm2s(hopVectors: Float64Array, nIons: number, durationPs: number): number {
  if (!(nIons > 0) || !(durationPs > 0)) return NaN;
  let s = 0;
  for (let i = 0; i < hopVectors.length; i++) s += hopVectors[i] * hopVectors[i];
  return (s / (6 * nIons * durationPs)) * A2PS_TO_CM2S;
}

/**
 * All diffusion quantities of one species. `unwrapped` is [frame][ion][xyz] (Å) of that species
 * only (drift removal, if wanted, is the caller's: `unwrap(..., {removeDriftExcept})`).
 */
export function diffusionOf(
  unwrapped: Positions,
  nFrames: number,
  nIons: number,
  frameIntervalFs: number,
  opts: DiffusionOptions,
): DiffusionResult {
  if (!(frameIntervalFs > 0)) throw new RangeError(`frameIntervalFs must be > 0, got ${frameIntervalFs}`);
  const T = nFrames, n = nIons;
  const dtPs = frameIntervalFs * 1e-3;
  // Segments between discontinuities; Tc (the longest one) takes T's place in the lag rules.
  const segs = continuousSegments(T, opts.breaks ?? []);
  const segmented = segs.length > 1;
  const Tc = longestSegment(segs);
  const durationPs = segmented ? observedDurationPs(T, opts.breaks ?? [], dtPs) : (T - 1) * dtPs;
  const dHops = opts.hopVectors ? hopDiffusionCm2s(opts.hopVectors, n, durationPs) : NaN;
  const maxStored = opts.maxStoredPoints ?? 200;
  if (T < 5 || n < 1) return unresolvedResult(opts.element, n, dHops, ['too few frames or ions for an MSD fit']);
  if (Tc < 5) return unresolvedResult(opts.element, n, dHops, [`longest continuous segment between discontinuities has ${Tc} frames; an MSD fit needs 5`]);

  // Per-ion MSDs are kept on a uniform grid over 1 … ⌊T/2⌋ (the largest possible fit end).
  const endMax = Math.min(Tc - 1, Math.max(2, Math.floor(Tc / 2)));
  const overrideEnd = opts.fitEndPs !== undefined ? Math.round(opts.fitEndPs / dtPs) : null;
  const gridEnd = Math.min(Tc - 1, Math.max(endMax, overrideEnd ?? 0));
  const gridLags = uniformLags(gridEnd, Math.max(1, Math.ceil(gridEnd / 2000)));
  // The per-ion tensor slopes (per-axis errors; their trace is each ion's D) come out of the MSD's
  // own FFTs when the window is known beforehand: the usual auto window (5 % … Tc/2, when the
  // ballistic regime ends earlier) or the caller's; otherwise a second pass computes them. No
  // per-ion MSD curve is formed then (its inverse FFT per ion pair was a fifth of the stage).
  // Runs with discontinuities use the segmented MSD (windows spanning a break are not counted):
  // per-ion MSDs on the grid, without per-axis errors.
  const overrideStart = opts.fitStartPs !== undefined ? Math.max(1, Math.round(opts.fitStartPs / dtPs)) : null;
  const guess = segmented ? null : fitLags(gridLags, overrideStart ?? Math.min(Math.max(1, Math.floor(endMax / 2)), Math.max(1, Math.ceil(0.05 * Tc))), overrideEnd !== null ? Math.min(Tc - 1, overrideEnd) : endMax, dtPs, Tc, opts.fit);
  let tr = guess === null
    ? segmentedTracerMsd(unwrapped, T, n, gridLags, { tensor: true }, segs)
    : tracerMsd(unwrapped, T, n, NO_LAGS, { tensor: true, formLags: guess.lags, formWeights: guess.c });

  const auto = fitWindow(tr.msd, Tc);
  let start = overrideStart ?? auto.startFrame;
  let end = overrideEnd !== null ? Math.min(Tc - 1, overrideEnd) : auto.endFrame;
  if (end <= start) { start = auto.startFrame; end = auto.endFrame; }
  const { lags: lagsInt, c } = fitLags(gridLags, start, end, dtPs, Tc, opts.fit);
  if (guess !== null && !sameLags(lagsInt, guess.lags)) {
    tr = tracerMsd(unwrapped, T, n, NO_LAGS, { tensor: true, formLags: lagsInt, formWeights: c });
  }
  const toD = A2PS_TO_CM2S / 6; // slope (Å²/ps) → D (cm²/s)

  // Tracer D (the fitted slope is linear in the MSD: the mean of the per-ion D) and its error.
  const dIon = guess === null
    ? perIonSlopes(tr.perIon, gridLags.length, lagIndices(gridLags, lagsInt), c, n, toD)
    : traceSlopes(tr.perIonTensorForm, n, toD);
  let dTracer = 0;
  for (let i = 0; i < n; i++) dTracer += dIon[i] / n;
  const rng = mulberry32(opts.seed ?? 1);
  const nTimeBoot = opts.nTimeBootstrap ?? (T > 20000 ? 75 : 150);
  let dTracerErr: number;
  // The fitted slope as a linear form of a single-particle MSD (time bootstraps, centre of mass).
  const form = segmented ? null : new MsdLinearForm(T, lagsInt, c);
  const blocks = n >= 16 && opts.ionErrors !== 'independent' ? spatialBlocks(unwrapped.subarray(0, n * 3), n) : null;
  const hops = opts.hops && opts.hops.length > 0 ? opts.hops : null;
  const counting = hops ? { ids: jumpEventIds(hops, opts.cell ?? null), w: segmented ? segmentedJumpWeights(T, segs, lagsInt, c) : jumpWeights(T, lagsInt, c) } : null;
  // Ion resampling (larger of the bootstrap and the spatial blocks), then the counting floor of the hops.
  const ionMeanErr = (vals: Float64Array, scale: number, dir: readonly number[] | null, mcRng: (() => number) | null): number => {
    let e = mcRng !== null && opts.nBootstrap !== undefined ? bootstrapMeanErr(vals, opts.nBootstrap, mcRng) : idealBootstrapMeanErr(vals);
    // Correlated neighbours (chains, shared vacancies): the larger of it and the spatial-block error.
    if (blocks !== null) e = Math.max(e, clusterMeanErr(vals, blocks));
    return counting && hops ? countedError(e, hops, counting.ids, counting.w, scale / n, dir) : e;
  };
  let tensorErr: { axis: Float64Array; principal: Float64Array } | null = null;
  if (n >= 2) {
    dTracerErr = ionMeanErr(dIon, toD, null, rng);
  } else {
    dTracerErr = (form ? blockBootstrapSlopeErr(unwrapped, T, lagsInt, c, lagsInt[0], nTimeBoot, rng, form)
      : segmentedBlockBootstrapSlopeErr(unwrapped, T, segs, lagsInt, c, lagsInt[0], nTimeBoot, rng)) * toD;
  }
  // Tensor: the same weights on each component of the mean MSD tensor; D_ab = slope_ab / 2.
  const tensorD = new Float64Array(6);
  for (let k = 0; k < 6; k++) tensorD[k] = dotAt(tr.tensor[k], lagsInt, c) * (A2PS_TO_CM2S / 2);
  const tensor = tensorSummary(tensorD);
  // Errors of D along x, y, z and of the principal values: the same error model on each ion's D
  // along the direction (to first order a principal value moves as uᵀ·δD·u along its own axis u).
  if (n >= 2 && tr.perIonTensorForm.length === n * 6) {
    const dirs = [[1, 0, 0], [0, 1, 0], [0, 0, 1], ...[0, 1, 2].map((k) => Array.from(tensor.axes.subarray(k * 3, k * 3 + 3)))];
    const errs = dirs.map((u) => ionMeanErr(alongDirection(tr.perIonTensorForm, n, u, A2PS_TO_CM2S / 2), A2PS_TO_CM2S / 2, u, null));
    tensorErr = { axis: Float64Array.from(errs.slice(0, 3)), principal: Float64Array.from(errs.slice(3)) };
  }
  if (tensorErr) { tensor.axisErr = tensorErr.axis; tensor.principalErr = tensorErr.principal; }

  // Collective D: N · MSD of the centre of mass, same window, block bootstrap in time.
  const com = centreOfMass(unwrapped, T, n);
  const pair = new Float64Array(2);
  if (form) form.evaluate(com, null, pair);
  else pair[0] = segmentedLinearForm(com, T, segs, lagsInt, c);
  const dColl = pair[0] * n * toD;
  const dCollErr = (form ? blockBootstrapSlopeErr(com, T, lagsInt, c, lagsInt[0], nTimeBoot, rng, form)
    : segmentedBlockBootstrapSlopeErr(com, T, segs, lagsInt, c, lagsInt[0], nTimeBoot, rng)) * n * toD;
  const comTensor = segmentedTracerMsd(com, T, 1, new Int32Array(0), { tensor: true }, segs).tensor;
  const collAxes = Float64Array.from([0, 1, 2], (k) => dotAt(comTensor[k], lagsInt, c) * n * (A2PS_TO_CM2S / 2));

  const stored = logSpacedLags(Tc - 1, maxStored);
  return {
    ...transportNumbers({
      element: opts.element, nIons: n, dTracer, dTracerErr, dCollective: dColl, dCollectiveErr: dCollErr,
      nIndependentTracer: n >= 2 ? n : null,
      charge: opts.charge, volumeA3: opts.volumeA3, temperatureK: opts.temperatureK,
    }),
    tracerTensor: tensor,
    dCollectiveAxesCm2s: collAxes,
    fitMethod: opts.fit === 'gls' ? 'gls' : 'ols',
    fitStartPs: lagsInt[0] * dtPs,
    fitEndPs: lagsInt[lagsInt.length - 1] * dtPs,
    dHopsCm2s: dHops,
    msdTimesPs: scaledBy(stored, dtPs),
    msdA2: gather(tr.msd, stored),
  };
}

/** Each ion's D along unit u, uᵀ·D_i·u, from its six tensor forms (xx, yy, zz, xy, xz, yz) × scale. */
function alongDirection(forms: Float64Array, n: number, u: readonly number[], scale: number): Float64Array {
  const out = new Float64Array(n);
  const [x, y, z] = u;
  for (let i = 0; i < n; i++) {
    const o = i * 6;
    out[i] = scale * (forms[o] * x * x + forms[o + 1] * y * y + forms[o + 2] * z * z + 2 * (forms[o + 3] * x * y + forms[o + 4] * x * z + forms[o + 5] * y * z));
  }
  return out;
}

/**
 * The fitted lags of the window [start, end] (frames) on the grid, at most MAX_FIT_LAGS evenly
 * spaced in index (the GLS solve is O(L³)), every grid lag for very short runs, and their slope
 * weights.
 */
function fitLags(gridLags: Int32Array, start: number, end: number, dtPs: number, T: number, fit: 'gls' | 'ols' | undefined): { lags: Int32Array; c: Float64Array; tPs: Float64Array } {
  // The grid is ascending, so the window is the index range [j0, j1).
  let j0 = 0;
  while (j0 < gridLags.length && gridLags[j0] < start) j0++;
  let j1 = j0;
  while (j1 < gridLags.length && gridLags[j1] <= end) j1++;
  if (j1 - j0 < 2) { j0 = 0; j1 = gridLags.length; }
  const lags = Int32Array.from(gather(gridLags, evenIndices(j0, j1, MAX_FIT_LAGS)));
  const tPs = scaledBy(lags, dtPs);
  return { lags, tPs, c: fit === 'gls' ? glsSlopeWeights(lags, tPs, T) : slopeWeights(tPs) };
}

function sameLags(a: Int32Array, b: Int32Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of each of `lags` in the ascending `grid` (every lag is on it). */
function lagIndices(grid: Int32Array, lags: Int32Array): Int32Array {
  const out = new Int32Array(lags.length);
  let g = 0;
  for (let j = 0; j < lags.length; j++) { while (grid[g] !== lags[j]) g++; out[j] = g; }
  return out;
}

/** Lags fitted at most (evenly spaced in the window). */
const MAX_FIT_LAGS = 200;

/** Up to k indices evenly spaced over [a, b), always including a and b − 1. */
function evenIndices(a: number, b: number, k: number): Int32Array {
  const n = b - a;
  if (n <= k) return Int32Array.from({ length: n }, (_, i) => a + i);
  const out = new Int32Array(k);
  for (let i = 0; i < k; i++) out[i] = a + Math.round((i * (n - 1)) / (k - 1));
  return out;
}

/** Σ_j c_j·y[lags_j]. */
function dotAt(y: Float64Array, lags: Int32Array, c: Float64Array): number {
  let s = 0;
  for (let j = 0; j < lags.length; j++) s += c[j] * y[lags[j]];
  return s;
}

// The loops of diffusionOf live in the helpers below, so that diffusionOf itself never gets
// OSR-compiled (with everything it calls inlined: a ~50 ms compile, deoptimized again by the
// next phase); gather / scaledBy replace `Float64Array.from(xs, (m) => …)`, whose arrow
// functions were new closures per call, which V8 re-optimized for every trajectory.

/** stride, 2·stride, … ≤ end, and end itself if the stride misses it. */
function uniformLags(end: number, stride: number): Int32Array {
  const k = Math.floor(end / stride);
  const out = new Int32Array(k * stride === end ? k : k + 1);
  for (let i = 0; i < k; i++) out[i] = (i + 1) * stride;
  out[out.length - 1] = end;
  return out;
}

/** D_i = scale·Σ_k c_k·perIon[i·L + idx_k] for each ion (per-ion slopes over the window). */
function perIonSlopes(perIon: Float64Array, L: number, idx: Int32Array, c: Float64Array, n: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const o = i * L;
    let v = 0;
    for (let k = 0; k < c.length; k++) v += c[k] * perIon[o + idx[k]];
    out[i] = v * scale;
  }
  return out;
}

/** D_i = scale·(F_xx + F_yy + F_zz) of each ion's six tensor forms (xx, yy, zz, xy, xz, yz). */
function traceSlopes(forms: Float64Array, n: number, scale: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = (forms[i * 6] + forms[i * 6 + 1] + forms[i * 6 + 2]) * scale;
  return out;
}

const NO_LAGS = new Int32Array(0);

/** out[k] = src[idx[k]]. */
function gather(src: ArrayLike<number>, idx: ArrayLike<number>): Float64Array {
  const out = new Float64Array(idx.length);
  for (let k = 0; k < idx.length; k++) out[k] = src[idx[k]];
  return out;
}

/** out[k] = xs[k] · f. */
function scaledBy(xs: ArrayLike<number>, f: number): Float64Array {
  const out = new Float64Array(xs.length);
  for (let k = 0; k < xs.length; k++) out[k] = xs[k] * f;
  return out;
}
