/**
 * Result types of the analysis layer. `analyze()` returns an `AnalysisResult`; the store
 * writes each array as a table (see docs/DESIGN.md). Units are in the field names:
 * Ps = picoseconds, A = Ångström, Cm2s = cm²/s, SCm = S/cm. Frames are 0-based.
 */
import type { TensorSummary } from './transport/tensor.js';

/** One hop as found by a detector, before descriptors are attached. */
export interface RawHop {
  /** Atom index (file order, all species). */
  atom: number;
  /** First and last frame of the transit (inclusive). */
  startFrame: number;
  endFrame: number;
  /** Unwrapped Cartesian position (Å) of the centre left and the centre reached. */
  from: [number, number, number];
  to: [number, number, number];
}

/** Per analysed atom: the vibration centres the detector found. */
export interface AtomCentres {
  atom: number;
  /** Number of vibration centres (1 = never hopped). */
  nCentres: number;
  /** Silhouette (iondiff: the best over k; for an ion proven below the 0.7 threshold an upper bound unless `exactSilhouettes`) or the method's own quality score; NaN when not applicable. */
  score: number;
  /** Per frame: index of the centre the atom vibrates at, or -1 while in transit. */
  labels: Int16Array;
  /** Centre positions, unwrapped Cartesian Å, nCentres × 3. */
  centres: Float64Array;
}

export interface HopDetection {
  method: string;
  hops: RawHop[];
  atoms: AtomCentres[];
  /** What makes these hops doubtful (e.g. a vibration the run cannot resolve). */
  warnings?: string[];
}

export interface HopEvent extends RawHop {
  /** 0-based, ordered by (atom, startFrame). */
  eventId: number;
  element: string;
  startPs: number;
  durationPs: number;
  /** Distance between the two unwrapped centres, |to − from| (Å). */
  lengthA: number;
  /** Concerted group id, or null when the hop correlates with no other. */
  groupId: number | null;
  /** Number of correlated events including itself (≥ 1). */
  nBodies: number;
  /** True when the ion returns to the centre it left in its previous hop. */
  backHop: boolean;
  /** Site map ids (sites.site_id) of the sites left and reached; null when the site map could not assign them. */
  fromSite: number | null;
  toSite: number | null;
}

/** One site of a species' site map (the `sites` table). */
export interface SiteRow {
  element: string;
  siteId: number;
  siteType: number;
  fracX: number; fracY: number; fracZ: number;
  xA: number; yA: number; zA: number;
  covXxA2: number; covYyA2: number; covZzA2: number;
  covXyA2: number; covXzA2: number; covYzA2: number;
  /** Mean number of ions at the site (ion-frames in its basin / frames). */
  occupancy: number;
  /** Mean stay from arrival to departure (ps); null when no stay was seen whole. */
  residencePsMean: number | null;
  /** Type from the framework environment (sites/env-types.ts); null without framework atoms in the file. */
  envType: number | null;
  /** Cage (sites/cages.ts); null without cages. */
  cageId: number | null;
  /** Standard error of the centre per axis (Å; sites/centre-error.ts); null when no frame reached the site's core. */
  centreErrA: number | null;
}

/** Jumps between one ordered pair of sites (the `site_jumps` table). */
export interface SiteJumpRow {
  element: string;
  fromSite: number;
  toSite: number;
  count: number;
  ratePerPs: number;
  transitPsMean: number;
  /** Fraction of these jumps the same ion undid by its very next jump (B → A). */
  returnFraction: number;
  /** Mean distance between the two centres, in the images the ions used (Å). */
  lengthA: number;
  /** By the cages of sites around free framework atoms (sites/cages.ts); null when the framework has none. */
  jumpClass: JumpClass | null;
}

/** A site jump by cage (sites/cages.ts): within a doublet, within one cage, or between cages. */
export type JumpClass = 'doublet' | 'intra_cage' | 'inter_cage';

export interface AtomSummary {
  atom: number;
  element: string;
  nEvents: number;
  nCentres: number;
  /** Mean time spent at a centre between hops (ps); null when the atom never hopped. */
  residencePsMean: number | null;
  /** Squared displacement between first and last frame (Å²). */
  msdFinalA2: number;
}

export interface ConcertedGroup {
  groupId: number;
  element: string;
  nBodies: number;
  /** Hops in the group (an ion may hop more than once in it). */
  nHops: number;
  startFrame: number;
  endFrame: number;
  atoms: number[];
}

/**
 * One n of an n-body distribution. `method` 'calibrated': the null-model groups (analysis/manybody),
 * `counted` 'hops' (hops whose group has n ions) or 'groups' (groups of n ions; n = 1: hops in no
 * group), with the expectation under independent hops and the excess. 'iondiff': IonDiff's
 * time-only per-hop count (expected/excess NaN).
 */
export interface CorrelationBin {
  element: string;
  method: 'calibrated' | 'iondiff';
  counted: 'hops' | 'groups';
  nBodies: number;
  count: number;
  fraction: number;
  expected: number;
  expectedSd: number;
  excess: number;
  excessErr: number;
}

/**
 * y(n) = A + B·exp(−C·n) fitted to an n-body distribution. 'calibrated': the excess group-size
 * distribution, weighted, A = 0, with χ², p-value and a verdict (analysis/manybody/exponential-law.ts);
 * 'iondiff': IonDiff's unweighted fit of its per-hop distribution (no test: chi2 … verdict NaN/null).
 */
export interface CorrelationFit {
  element: string;
  method: 'calibrated' | 'iondiff';
  offset: number;
  offsetErr: number;
  amplitude: number;
  amplitudeErr: number;
  decayRate: number;
  decayRateErr: number;
  r2: number;
  nPoints: number;
  chi2Reduced: number;
  dof: number;
  pValue: number;
  /** Excess groups of ≥ 2 ions that the calibrated fit saw. */
  nGroupsExcess: number;
  verdict: 'exponential' | 'not exponential' | 'too few groups' | null;
}

export interface DiffusionResult {
  element: string;
  nIons: number;
  /** Fitted tracer D (cm²/s) and standard error; the fit's value even when not resolved. */
  dTracerCm2s: number;
  dTracerErrCm2s: number;
  /** D > 2σ (analysis/transport/resolved.ts); the store writes NULL otherwise. */
  dTracerResolved: boolean;
  dCollectiveCm2s: number;
  dCollectiveErrCm2s: number;
  dCollectiveResolved: boolean;
  /** D_tracer/D_collective with error; NaN unless both are resolved. */
  havenRatio: number;
  havenRatioErr: number;
  /** Nernst–Einstein conductivity from the tracer D (S/cm); NaN unless the tracer D is resolved. */
  conductivityNeSCm: number;
  conductivityNeErrSCm: number;
  /** Conductivity from the collective D (S/cm); NaN unless the collective D is resolved. */
  conductivitySCm: number;
  conductivityErrSCm: number;
  /** Tracer D tensor (cm²/s): components, principal values and axes, anisotropy. */
  tracerTensor: TensorSummary;
  /** Collective D along x, y, z (cm²/s). */
  dCollectiveAxesCm2s: Float64Array;
  /** Slope estimator of the MSD fit. */
  fitMethod: 'gls' | 'ols';
  /** Why a value is missing (not resolved, no volume/temperature), one sentence each. */
  flags: string[];
  /** Fit window of the MSD (ps). */
  fitStartPs: number;
  fitEndPs: number;
  /** Tracer D implied by the detected hops: Σ|hop|² / (6·N·t). */
  dHopsCm2s: number;
  /** Time-origin-averaged tracer MSD (Å²) at lags `msdTimesPs` (downsampled for storage). */
  msdTimesPs: Float64Array;
  msdA2: Float64Array;
}

export interface ElementDescriptors {
  element: string;
  nIons: number;
  nEvents: number;
  timeToFirstHopPsMean: number | null;
  eventDurationPsMean: number | null;
  hopLengthAMean: number | null;
  hopRatePerIonPs: number;
  residencePsMean: number | null;
  /** Fraction of hops in calibrated concerted groups (analysis/manybody), and under independence. */
  concertedFraction: number | null;
  concertedFractionExpected: number | null;
  /** concertedFraction − expected, its error and one-sided p-value. */
  concertedFractionExcess: number | null;
  concertedFractionExcessErr: number | null;
  concertedPValue: number | null;
  /** Mean ions per hop's calibrated group (1 for a hop in none), under independence, and the excess + 1. */
  nBodiesMean: number | null;
  nBodiesMeanExpected: number | null;
  nBodiesMeanExcess: number | null;
  nBodiesMeanExcessErr: number | null;
  /** IonDiff's time-only per-hop numbers (reference threshold = mean random correlation). */
  iondiffConcertedFraction: number | null;
  iondiffNBodiesMean: number | null;
  /** Decay rate of the calibrated group-size law; null unless its verdict is 'exponential'. */
  decayRate: number | null;
  /** Verdict of the exponential law (exponential-law.ts). */
  correlationLaw: string | null;
  /** Haven ratio implied by the concerted groups (manybody/haven.ts) and its error. */
  havenRatioGroups: number | null;
  havenRatioGroupsErr: number | null;
  backHopFraction: number | null;
  sitesPerIon: number | null;
  siteTypeCount: number | null;
  networkDimensionality: number | null;
  bottleneckFromSite: number | null;
  bottleneckToSite: number | null;
  returnFraction: number | null;
  jumpLengthAMean: number | null;
  /** Cages of sites around free framework atoms (sites/cages.ts); null when there are none. */
  cageCount: number | null;
  /** Of those, the cages whose sites surround their centre. */
  completeCageCount: number | null;
  /** Share of the site jumps by class; null without cages or without jumps. */
  doubletJumpFraction: number | null;
  intraCageJumpFraction: number | null;
  interCageJumpFraction: number | null;
}

/** The descriptors the site stage (sites/stage.ts) supplies; the rest come from the hop events (descriptors.ts). */
export type SiteDescriptors = Pick<ElementDescriptors, 'sitesPerIon' | 'siteTypeCount' | 'networkDimensionality' | 'bottleneckFromSite' | 'bottleneckToSite' | 'returnFraction' | 'jumpLengthAMean'
  | 'cageCount' | 'completeCageCount' | 'doubletJumpFraction' | 'intraCageJumpFraction' | 'interCageJumpFraction'>;

export interface AnalysisResult {
  method: string;
  /** Options that determine the result, and their hash (for incremental indexing). */
  params: Record<string, string | number | boolean | string[]>;
  paramsHash: string;
  mobile: string[];
  frameIntervalFs: number;
  durationPs: number;
  events: HopEvent[];
  atoms: AtomSummary[];
  groups: ConcertedGroup[];
  correlations: CorrelationBin[];
  correlationFits: CorrelationFit[];
  diffusion: DiffusionResult[];
  descriptors: ElementDescriptors[];
  sites: SiteRow[];
  siteJumps: SiteJumpRow[];
  /** Wall time per stage (ms). */
  timingsMs: Record<string, number>;
  /** What makes results doubtful, "<element>: …" (e.g. a vibration the run cannot resolve). */
  warnings: string[];
}
