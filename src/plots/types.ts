/**
 * Row shapes the spec builders take. Column names are the SQL names (snake_case) so that
 * the rows of `src/plots/queries.ts` flow straight into the builders; each interface names
 * the query that produces it. All numbers are plain JS numbers (the DB layer converts bigint).
 */

/** One hop event. SQL: `hopTimelineSql` (events of one trajectory). */
export interface HopEventRow {
  /** The trajectory's material and temperature (for the title); the same on every row. */
  material?: string | null;
  temperature_k?: number | null;
  atom: number;
  element: string;
  event_id: number;
  start_ps: number;
  duration_ps: number;
  length_a?: number | null;
  /** Concerted group, or null for an isolated hop. */
  group_id: number | null;
  /** Bodies in the event's group (1 when isolated). */
  n_bodies?: number | null;
}

/** Fraction of events in n-body groups for one series. SQL: `correlationSql`. */
export interface CorrelationRow {
  /** Legend label: material (or trajectory) · element. */
  series: string;
  n_bodies: number;
  fraction: number;
  count?: number | null;
}

/** y(n) = offset + amplitude·exp(−decay_rate·n) for one series. SQL: `correlationFitSql`. */
export interface CorrelationFitRow {
  series: string;
  offset?: number | null;
  amplitude: number;
  decay_rate: number;
  r2?: number | null;
}

/** One (trajectory, element) point of a descriptor against D. SQL: `descriptorSql`. */
export interface DescriptorPointRow {
  material: string;
  element: string;
  trajectory_id?: number | string | null;
  temperature_k?: number | null;
  /** The descriptor's value. */
  x: number;
  d_cm2_s: number;
}

/** One measured D at one temperature. SQL: `arrheniusPointsSql`. */
export interface ArrheniusPointRow {
  material: string;
  element: string;
  temperature_k: number;
  d_cm2_s: number;
  /** Standard error of the mean D at this temperature (cm²/s), when the runs give one. */
  d_err_cm2_s?: number | null;
}

/** The Arrhenius fit of one (material, element). SQL: `arrheniusFitsSql`. */
export interface ArrheniusFitRow {
  material: string;
  element: string;
  ea_ev: number;
  ea_err_ev?: number | null;
  d0_cm2_s: number;
}

/** One MSD sample. SQL: `msdSql` (downsampled). */
export interface MsdRow {
  series: string;
  time_ps: number;
  msd_a2: number;
}

/** The window the diffusion coefficient was fitted in. SQL: `msdWindowSql`. */
export interface MsdWindowRow {
  series: string;
  fit_start_ps: number;
  fit_end_ps: number;
  d_cm2_s?: number | null;
}

/** Tracer and collective D of one run, for the Haven ratio H = D_tracer / D_collective. SQL: `havenSql`. */
export interface HavenRunRow {
  material: string;
  element: string;
  temperature_k: number | null;
  d_tracer_cm2_s: number | null;
  d_tracer_err: number | null;
  d_collective_cm2_s: number | null;
  d_collective_err: number | null;
}

/** One ranked candidate. SQL: `screeningSql`. */
export interface ScreeningRow {
  material: string;
  element: string;
  /** The D the ranking uses (300 K extrapolation when an Arrhenius fit exists, else the best measured). */
  d_cm2_s: number;
  /** The highest measured tracer D (cm²/s) and its temperature, shown beside the 300 K value. */
  d_measured_cm2_s?: number | null;
  t_measured_k?: number | null;
  ea_ev?: number | null;
  /** Haven ratio, or null when not resolved (see haven_note). */
  haven_ratio?: number | null;
  haven_ratio_err?: number | null;
  /** Why the Haven ratio is not resolved, or how it was pooled. */
  haven_note?: string | null;
  concerted_fraction?: number | null;
  n_temperatures?: number | null;
}

export const PLOT_KINDS = ['hops', 'correlations', 'descriptor', 'arrhenius', 'msd', 'screening', 'site-map'] as const;
export type PlotKind = (typeof PLOT_KINDS)[number];

export function isPlotKind(s: string): s is PlotKind {
  return (PLOT_KINDS as readonly string[]).includes(s);
}

/** Filters shared by the queries and the CLI. */
export interface PlotFilters {
  /** Only this material (trajectories.material, else formula, else file name). */
  material?: string;
  /** Only this mobile element (e.g. "Li"). */
  element?: string;
  /** Only trajectories run at this temperature (K, matched to ±0.5 K). */
  temperature_k?: number;
  /** Only this trajectory (trajectories.trajectory_id). */
  trajectory?: number | string;
  /** Descriptor column for the `descriptor` kind (a column of the `descriptors` view). */
  descriptor?: string;
  /** Rows kept for ranking charts. */
  top?: number;
  /** Upper bound on plotted points (downsampling happens in DuckDB). */
  maxPoints?: number;
  /** Screening only: rank by D extrapolated to 300 K (default) or by the highest measured D. */
  basis?: ScreeningBasis;
}

export const SCREENING_BASES = ['d300', 'measured'] as const;
export type ScreeningBasis = (typeof SCREENING_BASES)[number];

/** The keys of PlotFilters, for checking a caller's options at run time (JS callers have no type check). */
export const PLOT_FILTER_KEYS = ['material', 'element', 'temperature_k', 'trajectory', 'descriptor', 'top', 'maxPoints', 'basis'] as const;

/**
 * A mistake in what the user asked for (unknown option, material or descriptor; a filter that
 * matches nothing): one sentence, no stack trace needed. The notebook kernel shows only the
 * message for these; every other error keeps its stack.
 */
export class PlotInputError extends Error {
  readonly userError = true;
  constructor(message: string) {
    super(message);
    this.name = 'PlotInputError';
  }
}

/** "material = "X", temperature_k = 400": the filters that were given, for messages. */
export function describeFilters(f: PlotFilters): string {
  const parts: string[] = [];
  for (const k of ['material', 'element', 'temperature_k', 'trajectory'] as const) {
    const v = f[k];
    if (v !== undefined) parts.push(`${k} = ${typeof v === 'string' ? JSON.stringify(v) : String(v)}`);
  }
  return parts.length ? parts.join(', ') : 'no filter';
}
