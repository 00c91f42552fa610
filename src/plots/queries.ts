/**
 * The SQL behind each plot kind, against the DESIGN tables, with the downsampling done in
 * DuckDB (a 100k-point chart is a 1.5 MB SVG; nobody can see more than a few thousand marks).
 *
 * The store's schema is owned elsewhere and still moving, so the few columns that are not in
 * DESIGN.md's key list (events.group_id, the MSD curve, the descriptor names) are looked up
 * in information_schema at run time and the SQL adapts instead of failing.
 */
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

/** Anything that runs SQL and returns plain rows (numbers, not bigint). */
export type QueryFn = (sql: string) => Promise<Record<string, unknown>[]>;

export const DEFAULT_MAX_POINTS = 5000;

/** SQL string literal. */
export function lit(v: string | number): string {
  return typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`;
}
/** SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export type Schema = Map<string, Set<string>>;

export async function readSchema(q: QueryFn): Promise<Schema> {
  const rows = await q(
    `SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = 'main' ORDER BY table_name, ordinal_position`,
  );
  const s: Schema = new Map();
  for (const r of rows) {
    const t = String(r.table_name);
    if (!s.has(t)) s.set(t, new Set());
    s.get(t)!.add(String(r.column_name));
  }
  return s;
}

const has = (s: Schema, table: string, col?: string): boolean => (col ? (s.get(table)?.has(col) ?? false) : s.has(table));

function need(s: Schema, table: string): void {
  if (!s.has(table)) throw new Error(`the database has no "${table}" table (was it indexed with ionsift index?)`);
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
export function hopTimelineSql(s: Schema, f: PlotFilters): string {
  need(s, 'events');
  const max = f.maxPoints ?? DEFAULT_MAX_POINTS;
  const group = has(s, 'events', 'group_id') ? 'x.group_id' : 'NULL';
  const bodies = has(s, 'events', 'n_bodies') ? 'x.n_bodies' : 'NULL';
  const len = has(s, 'events', 'length_a') ? 'x.length_a' : 'NULL';
  const pick =
    f.trajectory !== undefined
      ? ''
      : ` AND x.trajectory_id = (SELECT x.trajectory_id FROM events x JOIN trajectories t USING (trajectory_id) WHERE TRUE${where(f)} GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1)`;
  return `WITH ev AS (
  SELECT x.trajectory_id, x.atom, x.element, x.event_id, x.start_ps, x.duration_ps, ${len} AS length_a,
         ${group} AS group_id, ${bodies} AS n_bodies
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
export function correlationSql(s: Schema, f: PlotFilters): string {
  need(s, 'correlations');
  return `WITH c AS (
  SELECT ${corrSeries(f)} AS series, x.n_bodies, sum(x.count) AS count
  FROM correlations x JOIN trajectories t USING (trajectory_id)
  WHERE TRUE${where(f)} GROUP BY 1, 2
)
SELECT series, n_bodies, count, count / sum(count) OVER (PARTITION BY series) AS fraction
FROM c ORDER BY series, n_bodies LIMIT ${f.maxPoints ?? DEFAULT_MAX_POINTS}`;
}

/**
 * The exponential fit per series. One trajectory: its stored fit (correlation_fits). Pooled
 * series: a log-linear refit, ln y = ln A − k·n, of the pooled distribution itself, because
 * averaging per-trajectory (A, k) pairs gives a curve that matches none of them.
 */
export function correlationFitSql(s: Schema, f: PlotFilters): string {
  if (f.trajectory === undefined) {
    return `WITH c AS (${correlationSql(s, f)})
SELECT series, 0.0 AS "offset", exp(regr_intercept(ln(fraction), n_bodies)) AS amplitude,
       -regr_slope(ln(fraction), n_bodies) AS decay_rate, regr_r2(ln(fraction), n_bodies) AS r2
FROM c WHERE fraction > 0 GROUP BY series HAVING count(*) >= 2 ORDER BY series`;
  }
  need(s, 'correlation_fits');
  const off = has(s, 'correlation_fits', 'offset') ? 'x."offset"' : '0';
  const r2 = has(s, 'correlation_fits', 'r2') ? 'x.r2' : 'NULL';
  return `SELECT ${corrSeries(f)} AS series, ${off} AS "offset", x.amplitude, x.decay_rate, ${r2} AS r2
FROM correlation_fits x JOIN trajectories t USING (trajectory_id)
WHERE x.decay_rate IS NOT NULL AND isfinite(x.decay_rate)${where(f)} ORDER BY 1`;
}

// --- descriptor vs D --------------------------------------------------------------------

const NOT_DESCRIPTORS = new Set([
  'trajectory_id', 'atom', 'n_atoms', 'n_frames', 'temperature_k', 'timestep_fs', 'indexed_at', 'params_hash', 'content_hash',
]);

/** Numeric columns of the `descriptors` view that can go on the x axis. */
export async function descriptorColumns(q: QueryFn): Promise<string[]> {
  const rows = await q(`SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'descriptors' ORDER BY ordinal_position`);
  return rows
    .filter((r) => /^(DOUBLE|FLOAT|REAL|INTEGER|BIGINT|HUGEINT|SMALLINT|DECIMAL)/i.test(String(r.data_type)))
    .map((r) => String(r.column_name))
    .filter((c) => !NOT_DESCRIPTORS.has(c) && !/^d_.*cm2_s$|_err/.test(c));
}

/** The D column of the descriptors view. */
function dColumn(s: Schema): string {
  for (const c of ['d_tracer_cm2_s', 'd_cm2_s', 'd_collective_cm2_s']) if (has(s, 'descriptors', c)) return c;
  throw new Error('the descriptors view has no D column (d_tracer_cm2_s)');
}

export function descriptorSql(s: Schema, f: PlotFilters & { descriptor: string }): string {
  need(s, 'descriptors');
  if (!has(s, 'descriptors', f.descriptor)) {
    throw new Error(`unknown descriptor "${f.descriptor}"; columns of the descriptors view: ${[...(s.get('descriptors') ?? [])].join(', ')}`);
  }
  const d = dColumn(s);
  const max = f.maxPoints ?? DEFAULT_MAX_POINTS;
  return `SELECT ${MATERIAL} AS material, x.element, x.trajectory_id, t.temperature_k, CAST(x.${ident(f.descriptor)} AS DOUBLE) AS x, x.${ident(d)} AS d_cm2_s
FROM descriptors x JOIN trajectories t USING (trajectory_id)
WHERE x.${ident(f.descriptor)} IS NOT NULL AND x.${ident(d)} > 0${where(f)}
ORDER BY hash(x.trajectory_id, x.element) LIMIT ${max}`;
}

// --- Arrhenius --------------------------------------------------------------------------

/** Mean tracer D per (material, element, temperature). */
export function arrheniusPointsSql(s: Schema, f: PlotFilters): string {
  need(s, 'diffusion');
  return `SELECT ${MATERIAL} AS material, x.element, t.temperature_k, avg(x.d_tracer_cm2_s) AS d_cm2_s
FROM diffusion x JOIN trajectories t USING (trajectory_id)
WHERE x.d_tracer_cm2_s > 0 AND t.temperature_k > 0${where(f)}
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3 LIMIT ${f.maxPoints ?? DEFAULT_MAX_POINTS}`;
}

export function arrheniusFitsSql(s: Schema, f: PlotFilters): string {
  need(s, 'arrhenius');
  const err = has(s, 'arrhenius', 'ea_err_ev') ? 'a.ea_err_ev' : 'NULL';
  const c: string[] = [];
  if (f.material !== undefined) c.push(`a.material = ${lit(f.material)}`);
  if (f.element !== undefined) c.push(`a.element = ${lit(f.element)}`);
  if (f.trajectory !== undefined) {
    c.push(`a.material = (SELECT ${MATERIAL} FROM trajectories t WHERE CAST(t.trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))})`);
  }
  return `SELECT a.material, a.element, a.ea_ev, ${err} AS ea_err_ev, a.d0_cm2_s FROM arrhenius a
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

/**
 * The MSD curve, evenly thinned per series to ≤ maxPoints in total. The curve lives either in
 * an `msd` table (trajectory_id, element, time_ps, msd_a2) or as list columns
 * `msd_times_ps` / `msd_a2` of `diffusion` (schema v1).
 */
export function msdSql(s: Schema, f: PlotFilters): string {
  need(s, 'diffusion');
  const per = Math.max(2, Math.floor((f.maxPoints ?? DEFAULT_MAX_POINTS) / MAX_MSD_SERIES));
  let curve: string;
  if (has(s, 'msd', 'msd_a2')) {
    const tcol = has(s, 'msd', 'time_ps') ? 'time_ps' : has(s, 'msd', 'lag_ps') ? 'lag_ps' : 't_ps';
    curve = `SELECT m.trajectory_id, m.element, m.${ident(tcol)} AS time_ps, m.msd_a2 FROM msd m`;
  } else if (has(s, 'diffusion', 'msd_a2') && has(s, 'diffusion', 'msd_times_ps')) {
    curve = `SELECT d.trajectory_id, d.element, unnest(d.msd_times_ps) AS time_ps, unnest(d.msd_a2) AS msd_a2 FROM diffusion d`;
  } else {
    throw new Error('the database stores no MSD curve (expected an msd table or diffusion.msd_times_ps/msd_a2)');
  }
  return `WITH pick AS (${msdPick(f)}),
c AS (SELECT pick.series, c.time_ps, c.msd_a2 FROM (${curve}) c JOIN pick USING (trajectory_id, element)),
n AS (SELECT *, row_number() OVER (PARTITION BY series ORDER BY time_ps) - 1 AS i,
             count(*) OVER (PARTITION BY series) AS n FROM c)
SELECT series, time_ps, msd_a2 FROM n
WHERE i % greatest(1, CAST(ceil(n / ${per}) AS BIGINT)) = 0 OR i = n - 1
ORDER BY series, time_ps`;
}

export function msdWindowSql(s: Schema, f: PlotFilters): string {
  need(s, 'diffusion');
  if (!has(s, 'diffusion', 'fit_start_ps')) return `SELECT NULL AS series, NULL AS fit_start_ps, NULL AS fit_end_ps WHERE FALSE`;
  return `WITH pick AS (${msdPick(f)})
SELECT pick.series, x.fit_start_ps, x.fit_end_ps, x.d_tracer_cm2_s AS d_cm2_s
FROM diffusion x JOIN pick USING (trajectory_id, element) ORDER BY 1`;
}

// --- screening --------------------------------------------------------------------------

/**
 * Candidates ranked by D at 300 K where an Arrhenius fit gives it, else by the highest
 * measured tracer D; with Ea, Haven ratio and the concerted fraction beside them.
 */
export function screeningSql(s: Schema, f: PlotFilters): string {
  need(s, 'diffusion');
  const top = f.top ?? 15;
  const arr = has(s, 'arrhenius');
  const d300 = arr && has(s, 'arrhenius', 'd_300k_cm2_s') ? 'a.d_300k_cm2_s' : 'NULL';
  const conc = has(s, 'descriptors', 'concerted_fraction')
    ? `(SELECT avg(v.concerted_fraction) FROM descriptors v JOIN trajectories t2 USING (trajectory_id)
        WHERE coalesce(t2.material, t2.formula, regexp_extract(t2.path, '[^/]+$')) = m.material AND v.element = m.element)`
    : 'NULL';
  const haven = has(s, 'diffusion', 'haven_ratio') ? 'avg(x.haven_ratio)' : 'NULL';
  return `WITH m AS (
  SELECT ${MATERIAL} AS material, x.element, max(x.d_tracer_cm2_s) AS d_max, ${haven} AS haven_ratio
  FROM diffusion x JOIN trajectories t USING (trajectory_id)
  WHERE x.d_tracer_cm2_s > 0${where(f)} GROUP BY 1, 2
)
SELECT m.material, m.element, coalesce(${d300}, m.d_max) AS d_cm2_s, ${arr ? 'a.ea_ev' : 'NULL'} AS ea_ev,
       m.haven_ratio, ${conc} AS concerted_fraction, ${arr ? 'a.n_temperatures' : 'NULL'} AS n_temperatures
FROM m ${arr ? 'LEFT JOIN arrhenius a ON a.material = m.material AND a.element = m.element' : ''}
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
  const s = await readSchema(q);
  need(s, 'trajectories');
  const rows = async <T>(sql: string): Promise<T[]> => (await q(sql)) as unknown as T[];
  switch (kind) {
    case 'hops': {
      const ev = await rows<HopEventRow>(hopTimelineSql(s, f));
      if (ev.length === 0) throw new Error('no hop events match the filters');
      return hopTimelineSpec(ev, opts);
    }
    case 'correlations':
      return correlationSpec(
        await rows<CorrelationRow>(correlationSql(s, f)),
        f.trajectory === undefined || has(s, 'correlation_fits') ? await rows<CorrelationFitRow>(correlationFitSql(s, f)) : [],
        opts,
      );
    case 'descriptor': {
      const name = f.descriptor ?? (await defaultDescriptor(q));
      return descriptorSpec(await rows<DescriptorPointRow>(descriptorSql(s, { ...f, descriptor: name })), name, opts);
    }
    case 'arrhenius':
      return arrheniusSpec(
        await rows<ArrheniusPointRow>(arrheniusPointsSql(s, f)),
        has(s, 'arrhenius') ? await rows<ArrheniusFitRow>(arrheniusFitsSql(s, f)) : [],
        opts,
      );
    case 'msd':
      return msdSpec(await rows<MsdRow>(msdSql(s, f)), await rows<MsdWindowRow>(msdWindowSql(s, f)), opts);
    case 'screening':
      return screeningSpec(await rows<ScreeningRow>(screeningSql(s, f)), opts);
  }
}

async function defaultDescriptor(q: QueryFn): Promise<string> {
  const cols = await descriptorColumns(q);
  for (const c of ['hop_rate_per_ion_ps', 'concerted_fraction', 'n_bodies_mean', 'decay_rate']) if (cols.includes(c)) return c;
  if (!cols.length) throw new Error('the descriptors view has no numeric descriptor column');
  return cols[0];
}
