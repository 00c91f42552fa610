/**
 * The SQL behind each plot kind, against the store's tables (described in src/store/tables/,
 * which also give the descriptor columns), with the downsampling done in DuckDB (a 100k-point
 * chart is a 1.5 MB SVG; nobody can see more than a few thousand marks). The Arrhenius lines
 * are the stored `arrhenius` table's fits, not refitted here.
 */
import { MATERIAL_SQL } from '../store/tables/descriptors-view.js';
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
  HavenRunRow,
  PlotFilters,
  PlotKind,
  ScreeningRow,
} from './types.js';
import { PLOT_FILTER_KEYS, PlotInputError, SCREENING_BASES, describeFilters } from './types.js';
import { havenEstimate } from './haven.js';
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
  if (f.material !== undefined) c.push(`${MATERIAL} = ${lit(f.material)}`);
  if (f.element !== undefined) c.push(`${elem} = ${lit(f.element)}`);
  if (f.temperature_k !== undefined) c.push(`abs(t.temperature_k - ${Number(f.temperature_k)}) <= 0.5`);
  if (f.trajectory !== undefined) c.push(`CAST(t.trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))}`);
  return c.map((x) => ` AND ${x}`).join('');
}

/** Display name of a material: the sidecar's material, else the formula, else the file name. */
/** The material name every table uses (arrhenius is keyed by it). */
const MATERIAL = MATERIAL_SQL;

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
  SELECT x.trajectory_id, ${MATERIAL} AS material, t.temperature_k, x.atom, x.element, x.event_id, x.start_ps, x.duration_ps, x.length_a, x.group_id, x.n_bodies
  FROM events x JOIN trajectories t USING (trajectory_id)
  WHERE TRUE${where(f)}${pick}
), per AS (SELECT atom, count(*) AS n FROM ev GROUP BY atom),
cum AS (SELECT atom, sum(n) OVER (ORDER BY atom) AS c FROM per)
SELECT material, temperature_k, atom, element, event_id, start_ps, duration_ps, length_a, group_id, n_bodies
FROM ev WHERE atom IN (SELECT atom FROM cum WHERE c <= ${max} OR atom = (SELECT min(atom) FROM per))
ORDER BY atom, start_ps LIMIT ${max}`;
}

/** The trajectories with hops that the filters match, most hops first (for saying which one the timeline shows). */
export function hopCandidatesSql(f: PlotFilters): string {
  return `SELECT CAST(x.trajectory_id AS VARCHAR) AS trajectory_id, ${MATERIAL} AS material, t.temperature_k, count(*) AS n_events
FROM events x JOIN trajectories t USING (trajectory_id) WHERE TRUE${where(f)}
GROUP BY 1, 2, 3 ORDER BY n_events DESC, 1 LIMIT 50`;
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
    throw new PlotInputError(`unknown descriptor "${f.descriptor}"; choose one of: ${descriptorColumns().join(', ')}`);
  }
  const d = 'd_tracer_cm2_s';
  const max = f.maxPoints ?? DEFAULT_MAX_POINTS;
  return `SELECT ${MATERIAL} AS material, x.element, x.trajectory_id, t.temperature_k, CAST(x.${ident(f.descriptor)} AS DOUBLE) AS x, x.${ident(d)} AS d_cm2_s
FROM descriptors x JOIN trajectories t USING (trajectory_id)
WHERE x.${ident(f.descriptor)} IS NOT NULL AND x.${ident(d)} > 0${where(f)}
ORDER BY hash(x.trajectory_id, x.element) LIMIT ${max}`;
}

// --- Arrhenius --------------------------------------------------------------------------

/** Mean fitted tracer D per (material, element, temperature): the points the stored fit takes (store/arrhenius-points.ts). */
export function arrheniusPointsSql(f: PlotFilters): string {
  // Standard error of the mean of n runs from their own errors: sqrt(Σσ²)/n (NULL if any is missing).
  return `SELECT ${MATERIAL} AS material, x.element, t.temperature_k, avg(coalesce(x.d_tracer_fit_cm2_s, x.d_tracer_cm2_s)) AS d_cm2_s,
       CASE WHEN count(x.d_tracer_err) = count(*) THEN sqrt(sum(x.d_tracer_err * x.d_tracer_err)) / count(*) END AS d_err_cm2_s
FROM diffusion x JOIN trajectories t USING (trajectory_id)
WHERE coalesce(x.d_tracer_fit_cm2_s, x.d_tracer_cm2_s) > 0 AND t.temperature_k > 0${where(f)}
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
 * Candidates ranked by D extrapolated to 300 K (basis 'd300': materials with an Arrhenius fit
 * only, never mixed with measured values under one axis) or by the highest measured tracer D
 * (basis 'measured'); Ea and the concerted fraction beside them. The Haven ratio is added from
 * `havenSql` (it needs the errors of both D).
 */
export function screeningSql(f: PlotFilters): string {
  const top = f.top ?? 15;
  const basis = f.basis ?? 'd300';
  const conc = `(SELECT avg(v.concerted_fraction) FROM descriptors v JOIN trajectories t2 USING (trajectory_id)
        WHERE coalesce(t2.material, t2.formula, regexp_extract(t2.path, '[^/]+$')) = m.material AND v.element = m.element)`;
  const key = basis === 'd300' ? 'a.d_300k_cm2_s' : 'm.d_max';
  return `WITH m AS (
  SELECT ${MATERIAL} AS material, x.element, max(x.d_tracer_cm2_s) AS d_max,
         arg_max(t.temperature_k, x.d_tracer_cm2_s) AS t_max
  FROM diffusion x JOIN trajectories t USING (trajectory_id)
  WHERE x.d_tracer_cm2_s > 0${where(f)} GROUP BY 1, 2
)
SELECT m.material, m.element, ${key} AS d_cm2_s, m.d_max AS d_measured_cm2_s, m.t_max AS t_measured_k, a.ea_ev,
       ${conc} AS concerted_fraction, a.n_temperatures
FROM m LEFT JOIN arrhenius a ON a.material = m.material AND a.element = m.element
WHERE ${key} > 0
ORDER BY d_cm2_s DESC, m.material LIMIT ${top}`;
}

/** Each run's tracer and collective D with errors, for the Haven ratio of the screening rows. */
export function havenSql(f: PlotFilters): string {
  return `SELECT ${MATERIAL} AS material, x.element, t.temperature_k, x.d_tracer_cm2_s, x.d_tracer_err,
       x.d_collective_cm2_s, x.d_collective_err
FROM diffusion x JOIN trajectories t USING (trajectory_id) WHERE TRUE${where(f)} ORDER BY 1, 2, 3`;
}

// --- checking what was asked ----------------------------------------------------------

const NOUNS: Record<PlotKind, string> = {
  hops: 'hop events',
  correlations: 'n-body correlation rows',
  descriptor: 'descriptor values with a positive D',
  arrhenius: 'positive tracer D values',
  msd: 'MSD curves',
  screening: 'candidates',
  'site-map': 'sites',
};

/**
 * Refuse options that are not filters (with the list of those that are) and values of the wrong
 * type. `extra` are the layout keys a caller accepts beside the filters (title, width).
 */
export function checkFilters(kind: string, o: Record<string, unknown>, extra: readonly string[] = []): void {
  const valid = [...PLOT_FILTER_KEYS, ...extra];
  for (const [k, v] of Object.entries(o)) {
    if (!valid.includes(k)) throw new PlotInputError(`${kind}: unknown option "${k}"; valid options: ${valid.join(', ')}`);
    if (v === undefined) continue;
    const bad = (want: string): never => {
      throw new PlotInputError(`${kind}: option ${k} must be ${want}, got ${v === null ? 'null (not resolved?)' : JSON.stringify(v)}`);
    };
    switch (k) {
      case 'material':
      case 'element':
      case 'descriptor':
      case 'title':
        if (typeof v !== 'string') bad('a string');
        break;
      case 'trajectory':
        if (typeof v !== 'string' && typeof v !== 'number') bad('a trajectory_id (string)');
        break;
      case 'temperature_k':
        if (typeof v !== 'number' || !Number.isFinite(v)) bad('a temperature in K (number)');
        break;
      case 'top':
      case 'maxPoints':
      case 'width':
        if (typeof v !== 'number' || !Number.isInteger(v) || v <= 0) bad('a positive integer');
        break;
      case 'basis':
        if (!(SCREENING_BASES as readonly unknown[]).includes(v)) bad(`one of ${SCREENING_BASES.join(', ')}`);
        break;
    }
  }
}

/** Why a selection is empty: which given filter matches nothing on its own, with the values there are. */
async function diagnose(q: QueryFn, f: PlotFilters): Promise<string> {
  const list = async (sql: string): Promise<string[]> => (await q(sql)).map((r) => String(Object.values(r)[0]));
  const short = (xs: string[]): string => (xs.length > 12 ? `${xs.slice(0, 12).join(', ')}, … (${xs.length})` : xs.join(', '));
  if (f.material !== undefined) {
    const ms = await list(`SELECT DISTINCT ${MATERIAL} AS m FROM trajectories t ORDER BY 1`);
    if (!ms.includes(f.material)) return `there is no material "${f.material}" (materials: ${short(ms) || 'none'})`;
  }
  if (f.element !== undefined) {
    const es = await list(`SELECT DISTINCT element FROM species WHERE mobile ORDER BY 1`);
    if (!es.includes(f.element)) return `there is no mobile element "${f.element}" (mobile elements: ${short(es) || 'none'})`;
  }
  if (f.temperature_k !== undefined) {
    const ts = await list(`SELECT DISTINCT CAST(round(temperature_k) AS INTEGER) FROM trajectories t WHERE temperature_k IS NOT NULL${where({ material: f.material })} ORDER BY 1`);
    if (!ts.some((t) => Math.abs(Number(t) - Number(f.temperature_k)) <= 0.5)) {
      return `no run at ${f.temperature_k} K${f.material !== undefined ? ` for ${f.material}` : ''} (temperatures: ${short(ts.map((t) => `${t} K`)) || 'none'})`;
    }
  }
  if (f.trajectory !== undefined) {
    const n = await list(`SELECT count(*) FROM trajectories WHERE CAST(trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))}`);
    if (n[0] === '0') return `there is no trajectory "${f.trajectory}" (SELECT trajectory_id, material, temperature_k FROM trajectories lists them)`;
  }
  return 'the matching runs have none';
}

/** The one message every kind gives for an empty selection. */
async function emptySelection(q: QueryFn, kind: PlotKind, f: PlotFilters): Promise<PlotInputError> {
  return new PlotInputError(`${kind}: no ${NOUNS[kind]} match ${describeFilters(f)}: ${await diagnose(q, f)}`);
}

// --- one call per kind ------------------------------------------------------------------

/** Run the kind's queries and build its spec; an empty selection is a PlotInputError saying why. */
export async function buildPlot(
  q: QueryFn,
  kind: PlotKind,
  f: PlotFilters = {},
  opts: SpecOptions = {},
): Promise<TopLevelSpec> {
  checkFilters(kind, f as Record<string, unknown>);
  const rows = async <T>(sql: string): Promise<T[]> => (await q(sql)) as unknown as T[];
  const nonEmpty = async <T>(sql: string): Promise<T[]> => {
    const r = await rows<T>(sql);
    if (r.length === 0) throw await emptySelection(q, kind, f);
    return r;
  };
  switch (kind) {
    case 'hops': {
      const ev = await nonEmpty<HopEventRow>(hopTimelineSql(f));
      let subtitle: string | undefined;
      if (f.trajectory === undefined) {
        const c = await rows<{ trajectory_id: string; material: string; temperature_k: number | null; n_events: number }>(hopCandidatesSql(f));
        if (c.length > 1) {
          const others = c.slice(1, 6).map((x) => `${x.material} ${x.temperature_k ?? '?'} K`).join(', ');
          subtitle = `the run with most hops of ${c.length} that match ${describeFilters(f)} (others: ${others}${c.length > 6 ? ', …' : ''}); pass trajectory or temperature_k to choose`;
        }
      }
      return hopTimelineSpec(ev, { ...opts, subtitle });
    }
    case 'correlations':
      return correlationSpec(await nonEmpty<CorrelationRow>(correlationSql(f)), await rows<CorrelationFitRow>(correlationFitSql(f)), {
        ...opts,
        pooled: f.trajectory === undefined,
      });
    case 'descriptor': {
      const name = f.descriptor ?? DEFAULT_DESCRIPTOR;
      const sqlText = descriptorSql({ ...f, descriptor: name });
      const col = descriptorsView.columns.find((c) => c.name === name);
      const axisTitle = col?.unit ? `${name} (${col.unit})` : name;
      return descriptorSpec(await nonEmpty<DescriptorPointRow>(sqlText), name, { ...opts, axisTitle });
    }
    case 'arrhenius':
      return arrheniusSpec(await nonEmpty<ArrheniusPointRow>(arrheniusPointsSql(f)), await rows<ArrheniusFitRow>(arrheniusFitsSql(f)), opts);
    case 'msd':
      return msdSpec(await nonEmpty<MsdRow>(msdSql(f)), await rows<MsdWindowRow>(msdWindowSql(f)), opts);
    case 'screening': {
      const basis = f.basis ?? 'd300';
      const ranked = await rows<ScreeningRow>(screeningSql(f));
      if (ranked.length === 0) {
        if (basis === 'd300' && (await rows(screeningSql({ ...f, basis: 'measured' }))).length > 0) {
          throw new PlotInputError(`screening: no candidate matching ${describeFilters(f)} has an Arrhenius fit (needs runs at ≥ 2 temperatures), so none has a D at 300 K; use basis: 'measured' to rank by measured D`);
        }
        throw await emptySelection(q, kind, f);
      }
      const runs = await rows<HavenRunRow>(havenSql(f));
      const withHaven = ranked.map((r) => {
        const h = havenEstimate(runs.filter((x) => x.material === r.material && x.element === r.element));
        return { ...r, haven_ratio: h.value, haven_ratio_err: h.err, haven_note: h.note };
      });
      return screeningSpec(withHaven, { ...opts, basis });
    }
    case 'site-map': {
      const sites = await rows<SiteMapSiteRow>(siteMapSitesSql(f));
      if (sites.length === 0) throw await emptySelection(q, kind, f);
      return siteMapSpec(sites, await rows<SiteMapJumpRow>(siteMapJumpsSql(f)), opts);
    }
  }
}
