/**
 * `analyze()`: the whole per-trajectory pipeline, pure (no I/O): choose the mobile species,
 * unwrap (framework drift removed), detect hops, attach descriptors and many-body
 * correlations, and compute diffusion. The store writes each returned array as a table.
 *
 * In three stages, so hop detection (most of the time) can be spread over threads by an edge
 * module (src/parallel/) without this layer knowing about threads: `prepareAnalysis` →
 * `detectHops` on all columns or on subsets of them → `concludeAnalysis`.
 */
import { createHash } from 'node:crypto';
import { atomsOf, latticeAt, type Positions, type Trajectory } from '../trajectory/types.js';
import { volume } from '../trajectory/lattice.js';
import { unwrap } from '../trajectory/unwrap.js';
import { F32_MIN_ION_FRAMES, type AnalyzeOptions } from './analyze-options.js';
import type { DetectRun, OptionValues } from './detectors/detector.js';
import { checkOptionValues } from './detectors/options.js';
import { DEFAULT_DETECTOR, DETECTORS, detectorNamed, type DetectorName } from './detectors/registry.js';
import { analyzeCorrelations } from './correlations.js';
import { concertedHops } from './manybody/concerted.js';
import { manyBodyRows } from './manybody/rows.js';
import { backHopFlags } from './paths.js';
import { diffusionOf, hopVectorsOf } from './diffusion.js';
import { atomSummaries, elementDescriptors } from './descriptors.js';
import { siteStage } from './sites/stage.js';
import { breakWarnings, continuousSegments, dropHopsAcrossBreaks, netDisplacementSq, normalisedBreaks, observedDurationPs } from './segments.js';
import { frameworkAverage, type FrameworkAverage } from './sites/cages-framework.js';
import type {
  AnalysisResult, AtomSummary, ConcertedGroup, CorrelationBin, CorrelationFit,
  DiffusionResult, ElementDescriptors, HopDetection, HopEvent, RawHop, SiteJumpRow, SiteRow,
} from './types.js';

/** Bump when a change to the analysis changes its numbers, so indexed results are redone. */
export const ANALYSIS_VERSION = 13;

/** Candidate mobile cations, lightest first (atomic mass order). */
const MOBILE_CANDIDATES = ['Li', 'Na', 'Mg', 'K', 'Cu', 'Zn', 'Ag'];

/** Formal charges used when the sidecar gives none. */
const DEFAULT_CHARGES: Record<string, number> = { Li: 1, Na: 1, K: 1, Ag: 1, Cu: 1, Mg: 2, Zn: 2, F: -1, Cl: -1, Br: -1, I: -1, O: -2 };

/**
 * Formal charge of an ion for the conductivity: the sidecar's `charges`, else the usual formal
 * charge of the common mobile ions; NaN (σ reported as unknown) rather than a guess otherwise.
 */
export function chargeOf(t: Trajectory, element: string): number {
  return t.metadata.charges[element] ?? DEFAULT_CHARGES[element] ?? NaN;
}

export class AnalysisError extends Error {
  constructor(message: string, readonly file: string) {
    super(`${file}: ${message}`);
    this.name = 'AnalysisError';
  }
}

/** The species analysed: explicit option, else the sidecar's `mobile`, else the lightest mobile cation present. */
export function chooseMobile(t: Trajectory, requested?: readonly string[]): string[] {
  const want = requested && requested.length > 0 ? requested : t.metadata.mobile;
  const file = t.metadata.sourcePaths[0] ?? '(trajectory)';
  if (want && want.length > 0) {
    const missing = want.filter((e) => !t.species.includes(e));
    if (missing.length > 0) throw new AnalysisError(`mobile species ${missing.join(', ')} not in the trajectory (species: ${t.species.join(', ')})`, file);
    return [...want];
  }
  const found = defaultMobile(t.species);
  if (!found) {
    throw new AnalysisError(
      `no mobile species given and none of ${MOBILE_CANDIDATES.join(', ')} present (species: ${t.species.join(', ')}); pass --species`,
      file,
    );
  }
  return [found];
}

/** The lightest mobile cation among `species`, if any (the mobile species when none is named). */
export function defaultMobile(species: readonly string[]): string | undefined {
  return MOBILE_CANDIDATES.find((e) => species.includes(e));
}

/** The options that determine the numbers, normalised, and their hash. */
export function analysisParams(t: Trajectory, opts: AnalyzeOptions): { params: AnalysisResult['params']; paramsHash: string } {
  const method = detectorNamed(opts.method ?? DEFAULT_DETECTOR);
  const params: AnalysisResult['params'] = {
    version: ANALYSIS_VERSION,
    method,
    species: chooseMobile(t, opts.species),
    removeDrift: opts.removeDrift ?? true,
    seed: opts.seed ?? 0,
    frameIntervalFs: t.metadata.frameIntervalFs ?? -1,
    temperatureK: t.metadata.temperatureK ?? -1,
  };
  // The site-jump events enter only when asked for (results without keep their hash).
  if (opts.siteJumps) params.siteJumps = true;
  // Likewise float32 positions (they round the positions, so the numbers may differ in the last digits).
  if (useFloat32(t, params.species as string[], opts)) params.positions = 'f32';
  if (opts.siteMap === 'density') params.siteMap = 'density';
  // Detector options enter only when given, as "<method>.<name>" (results without any keep their hash).
  if (opts.detectorOptions) {
    checkOptionValues(method, opts.detectorOptions);
    for (const [name, v] of Object.entries(opts.detectorOptions)) params[`${method}.${name}`] = v;
  }
  const paramsHash = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
  return { params, paramsHash };
}

/** Whether the unwrapped positions are held as float32: asked for, or 'auto' and the largest species has ≥ F32_MIN_ION_FRAMES ion-frames. */
export function useFloat32(t: Trajectory, species: readonly string[], opts: AnalyzeOptions): boolean {
  const p = opts.precision ?? 'auto';
  if (p !== 'auto') return p === 'f32';
  let most = 0;
  for (const e of species) most = Math.max(most, t.counts[t.species.indexOf(e)] ?? 0);
  return most * t.nFrames >= F32_MIN_ION_FRAMES;
}

/** Push many items without spreading them as arguments (which overflows the stack beyond ~10⁵). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

// The per-hop callbacks below (and the loops in `analyze` that replaced map/Array.from
// callbacks) avoid closures created per call: V8 re-optimized each such closure for every
// trajectory analysed, a large share of the indexer's CPU for short runs.

/** Hops by atom, then start and end frame. */
function compareHops<H extends RawHop>(a: H, b: H): number {
  return a.atom - b.atom || a.startFrame - b.startFrame || a.endFrame - b.endFrame;
}

/** A hop as the correlation analysis's event (frames first…last, residence centres). */
/**
 * A hop as the many-body analysis takes it; `fromKind`: the type of the site it leaves (−1: off the
 * map), so each kind of vacancy is refilled at its own rate (manybody/bin-tests.ts, refillLevels).
 */
function placedRunOf(h: RawHop & { fromSite?: number | null }, typeOf: ReadonlyMap<number, number>): { atom: number; first: number; last: number; from: RawHop['from']; to: RawHop['to']; fromKind: number } {
  const kind = h.fromSite == null ? undefined : typeOf.get(h.fromSite);
  return { atom: h.atom, first: h.startFrame, last: h.endFrame, from: h.from, to: h.to, fromKind: kind ?? -1 };
}

/** One mobile species, ready for hop detection: its columns and their unwrapped positions. */
export interface PreparedElement {
  element: string;
  /** File-order index of each column. */
  atoms: Int32Array;
  /** Unwrapped Cartesian positions (Å), frame-major [frame][column][xyz]; float32 for long runs (params.positions). */
  positions: Positions;
  /** Formal charge for the conductivity (NaN when unknown). */
  charge: number;
}

/**
 * Everything `analyze()` needs after the trajectory has been read: what `prepareAnalysis` makes
 * and `concludeAnalysis` consumes. It holds no Trajectory, so detection can run elsewhere
 * (worker threads) on the `positions` alone.
 */
export interface PreparedAnalysis {
  /** First source file, for error messages. */
  file: string;
  method: DetectorName;
  /** The detector's options as given (checked); undefined: all defaults. */
  detectorOptions: OptionValues | undefined;
  seed: number;
  params: AnalysisResult['params'];
  paramsHash: string;
  mobile: string[];
  nFrames: number;
  frameIntervalFs: number;
  temperatureK: number | null;
  /** A representative cell (frame 0) for minimum-image questions. */
  cell: Float64Array;
  /** Mean cell volume (Å³). */
  volumeA3: number;
  elements: PreparedElement[];
  /** The framework's time-averaged positions (site cages); empty for files of the mobile species only. */
  framework: FrameworkAverage;
  /**
   * Frames f whose step f−1 → f the reader flagged as discontinuous: hops across them are no
   * events (left out everywhere, counted in a warning), and the MSD and residences are taken per
   * continuous segment (segments.ts).
   */
  breaks: number[];
  /** Wall time per stage so far (ms); the later stages add theirs. */
  timingsMs: Record<string, number>;
}

/** Validation only (no unwrapping): throws AnalysisError for what would make `analyze` fail up front. */
export function checkAnalyzable(t: Trajectory): void {
  const file = t.metadata.sourcePaths[0] ?? '(trajectory)';
  const dtFs = t.metadata.frameIntervalFs;
  if (dtFs === null || !(dtFs > 0)) {
    throw new AnalysisError('frame interval unknown: give POTIM and NBLOCK in INCAR, "frame_interval_fs" in ionsift.json, or --frame-interval-fs', file);
  }
  if (t.nFrames < 5) throw new AnalysisError(`only ${t.nFrames} frames; at least 5 are needed`, file);
}

/**
 * Stage 1: validate, normalise the options, choose the species and unwrap their positions
 * (`shared`: on SharedArrayBuffers, for worker threads). Nothing returned refers to `t.frac`.
 */
export function prepareAnalysis(t: Trajectory, opts: AnalyzeOptions = {}, shared = false): PreparedAnalysis {
  checkAnalyzable(t);
  const file = t.metadata.sourcePaths[0] ?? '(trajectory)';
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const { params, paramsHash } = analysisParams(t, opts);
  const mobile = params.species as string[];
  const T = t.nFrames;
  const removeDrift = opts.removeDrift ?? true;
  let vol = 0;
  const nCells = t.variableCell ? T : 1;
  for (let f = 0; f < nCells; f++) vol += volume(latticeAt(t, f));
  vol /= nCells;
  const elements: PreparedElement[] = [];
  if (t.reduced) {
    // Reduced while read (trajectory/mobile-frames.ts): the same float32 positions and framework
    // average as below, provided they were made for these species, this drift choice and f32.
    const r = t.reduced;
    const asked = `species ${mobile.join(', ')}, drift ${removeDrift ? 'removed' : 'kept'}, positions ${params.positions ?? 'f64'}`;
    const made = `species ${r.mobile.join(', ')}, drift ${r.removeDrift ? 'removed' : 'kept'}, positions f32`;
    if (asked !== made) throw new AnalysisError(`the frames were reduced while read for ${made}; asked for ${asked}: read the file again without reducing it`, file);
    for (const el of r.elements) elements.push({ element: el.element, atoms: el.atoms, positions: el.positions, charge: chargeOf(t, el.element) });
    timings.framework = performance.now() - clock;
    return {
      file, method: params.method as DetectorName, detectorOptions: opts.detectorOptions, seed: opts.seed ?? 0, params, paramsHash, mobile,
      nFrames: T, frameIntervalFs: t.metadata.frameIntervalFs as number, temperatureK: t.metadata.temperatureK,
      cell: latticeAt(t, 0).slice(), volumeA3: vol, elements,
      framework: { elements: [...r.framework.elements], frac: r.framework.frac },
      breaks: normalisedBreaks(T, t.discontinuities.map((d) => d.frame)), timingsMs: timings,
    };
  }
  for (const element of mobile) {
    const atoms = atomsOf(t, [element]);
    const positions = unwrap(t, { atoms, removeDriftExcept: removeDrift ? mobile : undefined, float32: params.positions === 'f32', shared });
    elements.push({ element, atoms, positions, charge: chargeOf(t, element) });
    const now = performance.now();
    timings[`unwrap:${element}`] = now - clock;
    clock = now;
  }
  const framework = frameworkAverage(t, mobile, removeDrift);
  timings.framework = performance.now() - clock;
  return {
    file,
    method: params.method as DetectorName,
    detectorOptions: opts.detectorOptions,
    seed: opts.seed ?? 0,
    params, paramsHash, mobile,
    nFrames: T,
    frameIntervalFs: t.metadata.frameIntervalFs as number,
    temperatureK: t.metadata.temperatureK,
    cell: latticeAt(t, 0).slice(),
    volumeA3: vol,
    elements,
    framework,
    breaks: normalisedBreaks(T, t.discontinuities.map((d) => d.frame)),
    timingsMs: timings,
  };
}

/**
 * Stage 2 for any subset of an element's columns. Every detector gives a subset exactly its
 * share of the whole call's hops, once given its slice of the whole call's `sharedModelsFor`
 * (iondiff's ions are independent; default pools its noise model over the columns).
 */
export function detectHops(method: DetectorName, positions: Positions, nFrames: number, atoms: Int32Array, run: DetectRun<unknown>): HopDetection {
  return DETECTORS[method].detect(positions, nFrames, atoms, run);
}

/**
 * The models a whole-element `detectHops` call would pool (one per column), to hand each subset
 * its slice; undefined when the detector pools none (subsets then need nothing shared).
 */
export function sharedModelsFor(method: DetectorName, positions: Positions, nFrames: number, nCols: number, options?: OptionValues): unknown[] | undefined {
  return DETECTORS[method].sharedModels?.(positions, nFrames, nCols, options);
}

/** Stage 2, in this thread: one detection per prepared element, in order. */
export function detectPrepared(p: PreparedAnalysis): HopDetection[] {
  const out: HopDetection[] = [];
  for (const el of p.elements) {
    const t0 = performance.now();
    out.push(detectHops(p.method, el.positions, p.nFrames, el.atoms, { seed: p.seed, options: p.detectorOptions }));
    p.timingsMs[`hops:${el.element}`] = performance.now() - t0;
  }
  return out;
}

/**
 * Stage 3: everything after detection — hops sorted, back-hops, correlations, events, per-atom
 * summaries, diffusion and descriptors. `detections[i]` belongs to `p.elements[i]`, its atoms in
 * column order (the order a single whole-element call gives).
 */
export function concludeAnalysis(p: PreparedAnalysis, detections: readonly HopDetection[]): AnalysisResult {
  // Long: one pass per element fills every result table, so their ids and order read top to bottom.
  if (detections.length !== p.elements.length) {
    throw new AnalysisError(`${detections.length} hop detections for ${p.elements.length} species`, p.file);
  }
  const timings = p.timingsMs;
  let clock = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = now - clock; clock = now; };
  const { seed, cell, nFrames: T, frameIntervalFs: dtFs } = p;
  const dtPs = dtFs / 1000;
  const durationPs = (T - 1) * dtPs;
  // Time in which hops could be seen: the discontinuous steps are no time (rates, hop D).
  const breaks = p.breaks;
  const observedPs = breaks.length > 0 ? observedDurationPs(T, breaks, dtPs) : durationPs;
  const segs = continuousSegments(T, breaks);

  const events: HopEvent[] = [];
  const atoms: AtomSummary[] = [];
  const groups: ConcertedGroup[] = [];
  const correlations: CorrelationBin[] = [];
  const correlationFits: CorrelationFit[] = [];
  const diffusion: DiffusionResult[] = [];
  const descriptors: ElementDescriptors[] = [];
  const sites: SiteRow[] = [];
  const siteJumps: SiteJumpRow[] = [];
  const warnings: string[] = [];

  for (let e = 0; e < p.elements.length; e++) {
    const { element, atoms: idx, positions: pos, charge } = p.elements[e];
    for (const w of detections[e].warnings ?? []) warnings.push(`${element}: ${w}`);
    const det = detections[e];
    const n = idx.length;

    // The site stage: site map, jump network, and (with `siteJumps`) the site-to-site jumps as
    // events; otherwise the detector's hops stay, labelled with the sites of their centres.
    const st = siteStage({
      element, positions: pos, nFrames: T, atoms: idx, cell, volumeA3: p.volumeA3, seed,
      frameIntervalFs: dtFs, detection: det, framework: p.framework, breaks,
      siteMap: p.params.siteMap === 'density' ? 'density' : 'mixture',
    });
    lap(`sites:${element}`);
    append(sites, st.sites);
    append(siteJumps, st.jumps);
    const useSiteJumps = p.params.siteJumps === true && st.hops !== null;
    const allHops: (RawHop & { fromSite?: number | null; toSite?: number | null })[] = useSiteJumps
      ? [...st.hops!].sort(compareHops)
      : [...det.hops].sort(compareHops).map((h) => ({ ...h, fromSite: st.siteOf(h.from), toSite: st.siteOf(h.to) }));
    // A transit across a discontinuity is the restart's jump, not a hop (site jumps: dropped in the site stage).
    const atBreaks = dropHopsAcrossBreaks(allHops, breaks);
    const hops = atBreaks.kept;
    append(warnings, breakWarnings(element, useSiteJumps ? st.acrossBreaks : atBreaks.dropped, useSiteJumps ? 'site jumps' : 'hops'));
    const back = backHopFlags(hops, cell);
    // IonDiff's time-only count is kept for comparison (method 'iondiff'); groups, n_bodies and
    // the descriptors come from the null-model-calibrated analysis (manybody/).
    // The calibrated relations find sites by clustering the hop centres, as validated
    // (manybody/pair-relations.ts); of the site map only the types go in, for the refill hazard.
    const typeOf = new Map(st.sites.map((r) => [r.siteId, r.siteType]));
    const placed = hops.map((h) => placedRunOf(h, typeOf));
    const corr = analyzeCorrelations(placed, T, element, { seed });
    const calibrated = concertedHops(placed, T, { lattice: cell, seed, breaks: p.breaks });
    const many = manyBodyRows(calibrated, element, placed);
    lap(`correlations:${element}`);
    const groupBase = groups.length;
    const elementEvents: HopEvent[] = [];
    for (let i = 0; i < hops.length; i++) {
      const h = hops[i];
      const dx = h.to[0] - h.from[0], dy = h.to[1] - h.from[1], dz = h.to[2] - h.from[2];
      elementEvents.push({
        atom: h.atom, startFrame: h.startFrame, endFrame: h.endFrame, from: h.from, to: h.to,
        eventId: events.length + i,
        element,
        startPs: h.startFrame * dtPs,
        durationPs: (h.endFrame - h.startFrame + 1) * dtPs,
        lengthA: Math.hypot(dx, dy, dz),
        groupId: calibrated.groupOf[i] >= 0 ? groupBase + calibrated.groupOf[i] : null,
        nBodies: calibrated.bodies[i],
        backHop: back[i] === 1,
        fromSite: h.fromSite ?? null,
        toSite: h.toSite ?? null,
      });
    }
    append(events, elementEvents);
    for (const g of many.groups) groups.push({ ...g, groupId: groupBase + g.groupId });
    append(correlations, many.bins);
    append(correlations, corr.bins);
    correlationFits.push(many.fit, corr.fit);

    const centresOf = useSiteJumps && st.nPlaces
      ? new Map(Array.from(idx, (a, k) => [a, st.nPlaces![k]]))
      : new Map(det.atoms.map((a) => [a.atom, a.nCentres]));
    const perAtom = [];
    for (let k = 0; k < n; k++) {
      const atom = idx[k];
      perAtom.push({ atom, element, nCentres: centresOf.get(atom) ?? 1, msdFinalA2: netDisplacementSq(pos, n, k, segs) });
    }
    append(atoms, atomSummaries(perAtom, elementEvents, dtFs, breaks));

    diffusion.push(diffusionOf(pos, T, n, dtFs, {
      element,
      volumeA3: p.volumeA3,
      charge,
      temperatureK: p.temperatureK,
      hopVectors: hopVectorsOf(hops),
      hops,
      cell,
      seed: seed + 1,
      breaks,
    }));
    lap(`diffusion:${element}`);
    descriptors.push({ ...elementDescriptors(element, n, observedPs, elementEvents, dtFs, many.descriptors, corr.bodies, breaks), ...st.summary });
  }

  return {
    method: p.method, params: p.params, paramsHash: p.paramsHash, mobile: p.mobile, frameIntervalFs: dtFs, durationPs,
    events, atoms, groups, correlations, correlationFits, diffusion, descriptors, sites, siteJumps,
    timingsMs: timings, warnings,
  };
}

/** The whole pipeline in this thread: prepare → detect → conclude. */
export function analyze(t: Trajectory, opts: AnalyzeOptions = {}): AnalysisResult {
  const p = prepareAnalysis(t, opts);
  return concludeAnalysis(p, detectPrepared(p));
}
