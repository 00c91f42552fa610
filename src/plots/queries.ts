/**
 * The SQL behind each plot kind, against the store's tables (described in src/store/tables/,
 * which also give the descriptor columns), with the downsampling done in DuckDB (a 100k-point
 * chart is a 1.5 MB SVG; nobody can see more than a few thousand marks). The Arrhenius lines
 * are the stored `arrhenius` table's fits, not refitted here.
 */
import { siteMapJumpsSql, siteMapSitesSql, siteMapSpec, type SiteMapJumpRow, type SiteMapSiteRow } from './site-map.js';
import type {
  ArrheniusFitRow,
  ArrheniusPointRow,
  CorrelationFitRow,
  CorrelationRow,
  DescriptorPointRow,
  HopEventRow,
  MsdRow,
  MsdWindowRow,
  PlotFilters,
  PlotKind,
  ScreeningRow,
} from './types.js';
import {
  arrheniusSpec,
  correlationSpec,
  descriptorSpec,
  hopTimelineSpec,
  msdSpec,
  screeningSpec,
  type SpecOptions,
  type TopLevelSpec,
} from './specs.js';
import { descriptorsView } from '../store/tables/descriptors-view.js';

/** Anything that runs SQL and returns plain rows (numbers, not bigint). */
export type QueryFn = (sql: string) => Promise<Record<string, unknown>[]>;

export const DEFAULT_MAX_POINTS = 5000;

/** The descriptor plotted when none is asked for. */
const DEFAULT_DESCRIPTOR = 'hop_rate_per_ion_ps';

/** SQL string literal. */
export function lit(v: string | number): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}
/** SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `AND …` clauses for the filters, on a query whose trajectories alias is `t` and element column `elem`. */
function where(f: PlotFilters, elem = 'x.element'): string {
  const c: string[] = [];
  if (f.material !== undefined) c.push(`t.material = ${lit(f.material)}`);
  if (f.element !== undefined) c.push(`${elem} = ${lit(f.element)}`);
  if (f.trajectory !== undefined) c.push(`CAST(t.trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))}`);
  return c.map((x) => ` AND ${x}`).join('');
}

/** Display name of a material: the sidecar's material, else the formula, else the file name. */
const MATERIAL = `coalesce(t.material, t.formula, regexp_extract(t.path, '[^/]+$'))`;

// --- hops -------------------------------------------------------------------------------

/**
 * Events of one trajectory (the filter's, else the one with most events), at most
 * `maxPoints` events, keeping whole ions (lowest atom indices first) rather than cutting time.
 */
export function hopTimelineSql(f: PlotFilters): string {
  const max = f.maxPoints ?? DEFAULT_MAX_POINTS;
  const pick =
    f.trajectory !== undefined
      ? ''
      : ` AND x.trajectory_id = (SELECT x.trajectory_id FROM events x JOIN trajectories t USING (trajectory_id) WHERE TRUE${where(f)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)`;
  return `WITH ev AS (
  SELECT x.trajectory_id, x.atom, x.element, x.event_id, x.start_ps, x.duration_ps, x.length_a, x.group_id, x.n_bodies
  FROM events x JOIN trajectories t USING (trajectory_id)
  WHERE TRUE${where(f)}${pick}
), per AS (SELECT atom, count(*) AS n FROM ev GROUP BY atom),
cum AS (SELECT atom, sum(n) OVER (ORDER BY atom) AS c FROM per)
SELECT atom, element, event_id, start_ps, duration_ps, length_a, group_id, n_bodies
FROM ev WHERE atom IN (SELECT atom FROM cum WHERE c <= ${max} OR atom = (SELECT min(atom) FROM per))
ORDER BY atom, start_ps LIMIT ${max}`;
}

// --- correlations -----------------------------------------------------------------------

/** One series per trajectory when a trajectory is chosen, else per (material, element). */
function corrSeries(f: PlotFilters): string {
  return f.trajectory !== undefined
    ? `${MATERIAL} || ' ' || x.element || ' ' || CAST(round(t.temperature_k) AS INTEGER) || ' K'`
    : `${MATERIAL} || ' ' || x.element`;
}

/** n-body distribution: fractions recomputed from summed counts so trajectories pool correctly. */
export function correlationSql(f: PlotFilters): string {
  return `WITH c AS (
  SELECT ${corrSeries(f)} AS series, x.n_bodies, sum(x.count) AS count
  FROM correlations x JOIN trajectories t USING (trajectory_id)
  WHERE x.method = 'calibrated' AND x.counted = 'hops'${where(f)} GROUP BY 1, 2
)
SELECT series, n_bodies, count, count / sum(count) OVER (PARTITION BY series) AS fraction
FROM c ORDER BY series, n_bodies LIMIT ${f.maxPoints ?? DEFAULT_MAX_POINTS}`;
}

/**
 * The exponential fit per series: a log-linear refit, ln y = ln A − k·n, of the plotted
 * (calibrated per-hop) distribution itself. The stored fits (correlation_fits) are of other
 * quantities: the calibrated one of the excess group sizes, the iondiff one of IonDiff's count.
 */
export function correlationFitSql(f: PlotFilters): string {
  return `WITH c AS (${correlationSql(f)})
SELECT series, 0.0 AS "offset", exp(regr_intercept(ln(fraction), n_bodies)) AS amplitude,
       -regr_slope(ln(fraction), n_bodies) AS decay_rate, regr_r2(ln(fraction), n_bodies) AS r2
FROM c WHERE fraction > 0 GROUP BY series HAVING count(*) >= 2 ORDER BY series`;
}

// --- descriptor vs D --------------------------------------------------------------------

/** Columns of the `descriptors` view that can go on the x axis (those marked 'plot'). */
export function descriptorColumns(): string[] {
  return descriptorsView.columns.filter((c) => c.use?.includes('plot')).map((c) => c.name);
}

export function descriptorSql(f: PlotFilters & { descriptor: string }): string {
  if (!descriptorsView.columns.some((c) => c.name === f.descriptor)) {
    throw new Error(`unknown descriptor "${f.descriptor}"; columns of the descriptors view: ${descriptorsView.columns.map((c) => c.name).join(', ')}`);
  }
  const d = 'd_tracer_cm2_s';
  const max = f.maxPoints ?? DEFAULT_MAX_POINTS;
  return `SELECT ${MATERIAL} AS material, x.element, x.trajectory_id, t.temperature_k, CAST(x.${ident(f.descriptor)} AS DOUBLE) AS x, x.${ident(d)} AS d_cm2_s
FROM descriptors x JOIN trajectories t USING (trajectory_id)
WHERE x.${ident(f.descriptor)} IS NOT NULL AND x.${ident(d)} > 0${where(f)}
ORDER BY hash(x.trajectory_id, x.element) LIMIT ${max}`;
}

// --- Arrhenius --------------------------------------------------------------------------

/** Mean tracer D per (material, element, temperature). */
export function arrheniusPointsSql(f: PlotFilters): string {
  return `SELECT ${MATERIAL} AS material, x.element, t.temperature_k, avg(x.d_tracer_cm2_s) AS d_cm2_s
FROM diffusion x JOIN trajectories t USING (trajectory_id)
WHERE x.d_tracer_cm2_s > 0 AND t.temperature_k > 0${where(f)}
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ${f.maxPoints ?? DEFAULT_MAX_POINTS}`;
}

export function arrheniusFitsSql(f: PlotFilters): string {
  const c: string[] = [];
  if (f.material !== undefined) c.push(`a.material = ${lit(f.material)}`);
  if (f.element !== undefined) c.push(`a.element = ${lit(f.element)}`);
  if (f.trajectory !== undefined) {
    c.push(`a.material = (SELECT ${MATERIAL} FROM trajectories t WHERE CAST(t.trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))})`);
  }
  return `SELECT a.material, a.element, a.ea_ev, a.ea_err_ev, a.d0_cm2_s FROM arrhenius a
WHERE a.ea_ev IS NOT NULL${c.map((x) => ` AND ${x}`).join('')} ORDER BY 1, 2`;
}

// --- MSD --------------------------------------------------------------------------------

const MAX_MSD_SERIES = 8;

/**
 * Which (trajectory, element) series to draw: the filter's, capped so the legend stays
 * readable, each labelled "material element T K" (with #n only where that is ambiguous).
 */
function msdPick(f: PlotFilters): string {
  return `SELECT trajectory_id, element,
      label || CASE WHEN count(*) OVER (PARTITION BY label) > 1
                    THEN ' #' || row_number() OVER (PARTITION BY label ORDER BY trajectory_id) ELSE '' END AS series
    FROM (SELECT x.trajectory_id, x.element,
                 ${MATERIAL} || ' ' || x.element || ' ' || CAST(round(t.temperature_k) AS INTEGER) || ' K' AS label
          FROM diffusion x JOIN trajectories t USING (trajectory_id)
          WHERE TRUE${where(f)} ORDER BY label, x.trajectory_id LIMIT ${MAX_MSD_SERIES})`;
}

/** The MSD curve (diffusion.msd_times_ps / msd_a2), evenly thinned per series to ≤ maxPoints in total. */
export function msdSql(f: PlotFilters): string {
  const per = Math.max(2, Math.floor((f.maxPoints ?? DEFAULT_MAX_POINTS) / MAX_MSD_SERIES));
  const curve = `SELECT d.trajectory_id, d.element, unnest(d.msd_times_ps) AS time_ps, unnest(d.msd_a2) AS msd_a2 FROM diffusion d`;
  return `WITH pick AS (${msdPick(f)}),
c AS (SELECT pick.series, c.time_ps, c.msd_a2 FROM (${curve}) c JOIN pick USING (trajectory_id, element)),
n AS (SELECT *, row_number() OVER (PARTITION BY series ORDER BY time_ps) - 1 AS i,
             count(*) OVER (PARTITION BY series) AS n FROM c)
SELECT series, time_ps, msd_a2 FROM n
WHERE i % greatest(1, CAST(ceil(n / ${per}) AS BIGINT)) = 0 OR i = n - 1
ORDER BY series, time_ps`;
}

export function msdWindowSql(f: PlotFilters): string {
  return `WITH pick AS (${msdPick(f)})
SELECT pick.series, x.fit_start_ps, x.fit_end_ps, x.d_tracer_cm2_s AS d_cm2_s
FROM diffusion x JOIN pick USING (trajectory_id, element) ORDER BY 1`;
}

// --- screening --------------------------------------------------------------------------

/**
 * Candidates ranked by D at 300 K where an Arrhenius fit gives it, else by the highest
 * measured tracer D; with Ea, Haven ratio and the concerted fraction beside them.
 */
export function screeningSql(f: PlotFilters): string {
  const top = f.top ?? 15;
  const conc = `(SELECT avg(v.concerted_fraction) FROM descriptors v JOIN trajectories t2 USING (trajectory_id)
        WHERE coalesce(t2.material, t2.formula, regexp_extract(t2.path, '[^/]+$')) = m.material AND v.element = m.element)`;
  return `WITH m AS (
  SELECT ${MATERIAL} AS material, x.element, max(x.d_tracer_cm2_s) AS d_max, avg(x.haven_ratio) AS haven_ratio
  FROM diffusion x JOIN trajectories t USING (trajectory_id)
  WHERE x.d_tracer_cm2_s > 0${where(f)} GROUP BY 1, 2
)
SELECT m.material, m.element, coalesce(a.d_300k_cm2_s, m.d_max) AS d_cm2_s, a.ea_ev,
       m.haven_ratio, ${conc} AS concerted_fraction, a.n_temperatures
FROM m LEFT JOIN arrhenius a ON a.material = m.material AND a.element = m.element
ORDER BY d_cm2_s DESC NULLS LAST, m.material LIMIT ${top}`;
}

// --- one call per kind ------------------------------------------------------------------

/** Run the kind's queries and build its spec. */
export async function buildPlot(
  q: QueryFn,
  kind: PlotKind,
  f: PlotFilters = {},
  opts: SpecOptions = {},
): Promise<TopLevelSpec> {
  const rows = async <T>(sql: string): Promise<T[]> => (await q(sql)) as unknown as T[];
  switch (kind) {
    case 'hops': {
      const ev = await rows<HopEventRow>(hopTimelineSql(f));
      if (ev.length === 0) throw new Error('no hop events match the filters');
      return hopTimelineSpec(ev, opts);
    }
    case 'correlations':
      return correlationSpec(
        await rows<CorrelationRow>(correlationSql(f)),
        await rows<CorrelationFitRow>(correlationFitSql(f)),
        opts,
      );
    case 'descriptor': {
      const name = f.descriptor ?? DEFAULT_DESCRIPTOR;
      return descriptorSpec(await rows<DescriptorPointRow>(descriptorSql({ ...f, descriptor: name })), name, opts);
    }
    case 'arrhenius':
      return arrheniusSpec(
        await rows<ArrheniusPointRow>(arrheniusPointsSql(f)),
        await rows<ArrheniusFitRow>(arrheniusFitsSql(f)),
        opts,
      );
    case 'msd':
      return msdSpec(await rows<MsdRow>(msdSql(f)), await rows<MsdWindowRow>(msdWindowSql(f)), opts);
    case 'screening':
      return screeningSpec(await rows<ScreeningRow>(screeningSql(f)), opts);
    case 'site-map': {
      const sites = await rows<SiteMapSiteRow>(siteMapSitesSql(f));
      if (sites.length === 0) throw new Error('no site map matches the filters');
      return siteMapSpec(sites, await rows<SiteMapJumpRow>(siteMapJumpsSql(f)), opts);
    }
  }
}
