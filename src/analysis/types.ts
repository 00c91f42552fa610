/**
 * Result types of the analysis layer. `analyze()` returns an `AnalysisResult`; the store
 * writes each array as a table (see docs/DESIGN.md). Units are in the field names:
 * Ps = picoseconds, A = Ångström, Cm2s = cm²/s, SCm = S/cm. Frames are 0-based.
 */

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
}

/** Jumps between one ordered pair of sites (the `site_jumps` table). */
export interface SiteJumpRow {
  element: string;
  fromSite: number;
  toSite: number;
  count: number;
  ratePerPs: number;
  transitPsMean: number;
  returnFraction: number;
  lengthA: number;
}

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
  startFrame: number;
  endFrame: number;
  atoms: number[];
}

export interface CorrelationBin {
  element: string;
  nBodies: number;
  count: number;
  fraction: number;
}

/** y(n) = A + B·exp(−C·n) fitted to the n-body distribution. */
export interface CorrelationFit {
  element: string;
  offset: number;
  offsetErr: number;
  amplitude: number;
  amplitudeErr: number;
  decayRate: number;
  decayRateErr: number;
  r2: number;
  nPoints: number;
}

export interface DiffusionResult {
  element: string;
  nIons: number;
  dTracerCm2s: number;
  dTracerErrCm2s: number;
  dCollectiveCm2s: number;
  dCollectiveErrCm2s: number;
  havenRatio: number;
  conductivitySCm: number;
  conductivityErrSCm: number;
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
  concertedFraction: number | null;
  nBodiesMean: number | null;
  decayRate: number | null;
  backHopFraction: number | null;
  sitesPerIon: number | null;
  siteTypeCount: number | null;
  networkDimensionality: number | null;
  bottleneckFromSite: number | null;
  bottleneckToSite: number | null;
  returnFraction: number | null;
  jumpLengthAMean: number | null;
}

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
