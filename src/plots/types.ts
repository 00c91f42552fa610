/**
 * Row shapes the spec builders take. Column names are the SQL names (snake_case) so that
 * the rows of `src/plots/queries.ts` flow straight into the builders; each interface names
 * the query that produces it. All numbers are plain JS numbers (the DB layer converts bigint).
 */

/** One hop event. SQL: `hopTimelineSql` (events of one trajectory). */
export interface HopEventRow {
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

/** One ranked candidate. SQL: `screeningSql`. */
export interface ScreeningRow {
  material: string;
  element: string;
  /** The D the ranking uses (300 K extrapolation when an Arrhenius fit exists, else the best measured). */
  d_cm2_s: number;
  ea_ev?: number | null;
  haven_ratio?: number | null;
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
  material?: string;
  element?: string;
  trajectory?: number | string;
  /** Descriptor column for the `descriptor` kind (a column of the `descriptors` view). */
  descriptor?: string;
  /** Rows kept for ranking charts. */
  top?: number;
  /** Upper bound on plotted points (downsampling happens in DuckDB). */
  maxPoints?: number;
}
