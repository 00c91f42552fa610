/**
 * `analyze()`: the whole per-trajectory pipeline, pure (no I/O): choose the mobile species,
 * unwrap (framework drift removed), detect hops, attach descriptors and many-body
 * correlations, and compute diffusion. The store writes each returned array as a table.
 */
import { createHash } from 'node:crypto';
import { atomsOf, latticeAt, type Trajectory } from '../trajectory/types.js';
import { volume } from '../trajectory/lattice.js';
import { unwrap } from '../trajectory/unwrap.js';
import { detectHopsDefault } from './hops-default.js';
import { detectHopsIondiff } from './hops-iondiff.js';
import { analyzeCorrelations } from './correlations.js';
import { backHopFlags } from './paths.js';
import { diffusionOf, hopVectorsOf } from './diffusion.js';
import { atomSummaries, elementDescriptors } from './descriptors.js';
import type {
  AnalysisResult, AnalyzeOptions, AtomSummary, ConcertedGroup, CorrelationBin, CorrelationFit,
  DiffusionResult, ElementDescriptors, HopDetection, HopEvent, RawHop,
} from './types.js';

/** Bump when a change to the analysis changes its numbers, so indexed results are redone. */
export const ANALYSIS_VERSION = 2;

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
  const found = MOBILE_CANDIDATES.find((e) => t.species.includes(e));
  if (!found) {
    throw new AnalysisError(
      `no mobile species given and none of ${MOBILE_CANDIDATES.join(', ')} present (species: ${t.species.join(', ')}); pass --species`,
      file,
    );
  }
  return [found];
}

/** The options that determine the numbers, normalised, and their hash. */
export function analysisParams(t: Trajectory, opts: AnalyzeOptions): { params: AnalysisResult['params']; paramsHash: string } {
  const params: AnalysisResult['params'] = {
    version: ANALYSIS_VERSION,
    method: opts.method ?? 'default',
    species: chooseMobile(t, opts.species),
    removeDrift: opts.removeDrift ?? true,
    seed: opts.seed ?? 0,
    frameIntervalFs: t.metadata.frameIntervalFs ?? -1,
    temperatureK: t.metadata.temperatureK ?? -1,
  };
  const paramsHash = createHash('sha256').update(JSON.stringify(params)).digest('hex').slice(0, 16);
  return { params, paramsHash };
}

/** Push many items without spreading them as arguments (which overflows the stack beyond ~10⁵). */
function append<T>(target: T[], items: readonly T[]): void {
  for (const x of items) target.push(x);
}

function detect(method: 'default' | 'iondiff', pos: Float64Array, T: number, atoms: Int32Array, seed: number): HopDetection {
  return method === 'iondiff' ? detectHopsIondiff(pos, T, atoms, { seed }) : detectHopsDefault(pos, T, atoms);
}

// The per-hop callbacks below (and the loops in `analyze` that replaced map/Array.from
// callbacks) avoid closures created per call: V8 re-optimized each such closure for every
// trajectory analysed, a large share of the indexer's CPU for short runs.

/** Hops by atom, then start and end frame. */
function compareHops(a: RawHop, b: RawHop): number {
  return a.atom - b.atom || a.startFrame - b.startFrame || a.endFrame - b.endFrame;
}

/** A hop as the correlation analysis's event (frames first…last, residence centres). */
function placedRunOf(h: RawHop): { atom: number; first: number; last: number; from: RawHop['from']; to: RawHop['to'] } {
  return { atom: h.atom, first: h.startFrame, last: h.endFrame, from: h.from, to: h.to };
}

export function analyze(t: Trajectory, opts: AnalyzeOptions = {}): AnalysisResult {
  const file = t.metadata.sourcePaths[0] ?? '(trajectory)';
  const dtFs = t.metadata.frameIntervalFs;
  if (dtFs === null || !(dtFs > 0)) {
    throw new AnalysisError('frame interval unknown: give POTIM and NBLOCK in INCAR, "frame_interval_fs" in ionsift.json, or --frame-interval-fs', file);
  }
  if (t.nFrames < 5) throw new AnalysisError(`only ${t.nFrames} frames; at least 5 are needed`, file);
  const timings: Record<string, number> = {};
  let clock = performance.now();
  const lap = (name: string) => { const now = performance.now(); timings[name] = now - clock; clock = now; };

  const method = opts.method ?? 'default';
  const seed = opts.seed ?? 0;
  const { params, paramsHash } = analysisParams(t, opts);
  const mobile = params.species as string[];
  const T = t.nFrames;
  const dtPs = dtFs / 1000;
  const durationPs = (T - 1) * dtPs;
  const removeDrift = opts.removeDrift ?? true;
  // A representative cell for minimum-image questions (fixed cells: the cell).
  const cell = latticeAt(t, 0);
  let vol = 0;
  const nCells = t.variableCell ? T : 1;
  for (let f = 0; f < nCells; f++) vol += volume(latticeAt(t, f));
  vol /= nCells;

  const events: HopEvent[] = [];
  const atoms: AtomSummary[] = [];
  const groups: ConcertedGroup[] = [];
  const correlations: CorrelationBin[] = [];
  const correlationFits: CorrelationFit[] = [];
  const diffusion: DiffusionResult[] = [];
  const descriptors: ElementDescriptors[] = [];

  for (const element of mobile) {
    const idx = atomsOf(t, [element]);
    const n = idx.length;
    const pos = unwrap(t, { atoms: idx, removeDriftExcept: removeDrift ? mobile : undefined });
    lap(`unwrap:${element}`);
    const det = detect(method, pos, T, idx, seed);
    lap(`hops:${element}`);

    const hops: RawHop[] = [...det.hops].sort(compareHops);
    const back = backHopFlags(hops, cell);
    // Centres + cell let concerted groups require the vacancy relation (B ends where A started),
    // not just temporal overlap; the per-event n-body count stays IonDiff's.
    const corr = analyzeCorrelations(
      hops.map(placedRunOf),
      T, element, { seed, lattice: cell },
    );
    lap(`correlations:${element}`);
    const groupBase = groups.length;
    const elementEvents: HopEvent[] = [];
    for (let i = 0; i < hops.length; i++) {
      const h = hops[i];
      const dx = h.to[0] - h.from[0], dy = h.to[1] - h.from[1], dz = h.to[2] - h.from[2];
      elementEvents.push({
        ...h,
        eventId: events.length + i,
        element,
        startPs: h.startFrame * dtPs,
        durationPs: (h.endFrame - h.startFrame + 1) * dtPs,
        lengthA: Math.hypot(dx, dy, dz),
        groupId: corr.groupOf[i] >= 0 ? groupBase + corr.groupOf[i] : null,
        nBodies: corr.bodies[i],
        backHop: back[i] === 1,
      });
    }
    append(events, elementEvents);
    for (const g of corr.groups) groups.push({ ...g, groupId: groupBase + g.groupId });
    append(correlations, corr.bins);
    correlationFits.push(corr.fit);

    const centresOf = new Map(det.atoms.map((a) => [a.atom, a.nCentres]));
    const perAtom = [];
    for (let k = 0; k < n; k++) {
      const atom = idx[k];
      const o0 = k * 3, o1 = ((T - 1) * n + k) * 3;
      const d2 = (pos[o1] - pos[o0]) ** 2 + (pos[o1 + 1] - pos[o0 + 1]) ** 2 + (pos[o1 + 2] - pos[o0 + 2]) ** 2;
      perAtom.push({ atom, element, nCentres: centresOf.get(atom) ?? 1, msdFinalA2: d2 });
    }
    append(atoms, atomSummaries(perAtom, elementEvents, dtFs));

    diffusion.push(diffusionOf(pos, T, n, dtFs, {
      element,
      volumeA3: vol,
      charge: chargeOf(t, element),
      temperatureK: t.metadata.temperatureK,
      hopVectors: hopVectorsOf(hops),
      seed: seed + 1,
    }));
    lap(`diffusion:${element}`);
    descriptors.push(elementDescriptors(element, n, durationPs, elementEvents, dtFs, corr.fit));
  }

  return {
    method, params, paramsHash, mobile, frameIntervalFs: dtFs, durationPs,
    events, atoms, groups, correlations, correlationFits, diffusion, descriptors,
    timingsMs: timings,
  };
}
