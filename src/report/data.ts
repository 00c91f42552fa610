/**
 * What the report says besides its charts: where the database came from (versions, method,
 * parameters, when), what failed, what warned, and the descriptor–D correlations per
 * temperature. Plain rows from SQL; no HTML here.
 */
import { MATERIAL_SQL } from '../store/tables/descriptors-view.js';
import type { QueryFn } from '../plots/queries.js';
import { descriptorSql } from '../plots/queries.js';
import { temperatureCorrelation, type TemperatureCorrelation } from '../plots/temperature-correlation.js';
import { descriptorsView } from '../store/tables/descriptors-view.js';
import type { HavenRunRow } from '../plots/types.js';

export interface Provenance {
  schemaVersion: number | null;
  trajectories: number;
  materials: number;
  methods: string[];
  /** Distinct resolved analysis parameters (params_json) with how many trajectories used each. */
  params: { params_json: string; n: number }[];
  firstIndexed: string | null;
  lastIndexed: string | null;
}

export interface TrajectoryRow {
  trajectory_id: string;
  name: string;
  material: string;
  formula: string | null;
  temperature_k: number | null;
  n_frames: number | null;
  duration_ps: number | null;
  method: string | null;
  n_events: number;
}

export interface FailureRow {
  path: string;
  stage: string;
  message: string;
  at: string;
}

export interface WarningRow {
  material: string;
  temperature_k: number | null;
  name: string;
  warning: string;
}

export interface DescriptorCorrelationRow {
  descriptor: string;
  unit: string | null;
  correlation: TemperatureCorrelation;
}

/** The material name every table uses (arrhenius is keyed by it). */
const MATERIAL = MATERIAL_SQL;
const iso = (v: unknown): string | null => (v === null || v === undefined ? null : v instanceof Date ? v.toISOString() : String(v));

export async function provenance(q: QueryFn): Promise<Provenance> {
  const [v] = await q('SELECT max(version) AS v FROM schema_version');
  const [c] = await q(`SELECT count(*) AS n, count(DISTINCT ${MATERIAL}) AS m, min(indexed_at) AS first, max(indexed_at) AS last FROM trajectories t`);
  const methods = (await q('SELECT DISTINCT method FROM trajectories WHERE method IS NOT NULL ORDER BY 1')).map((r) => String(r.method));
  const params = (await q('SELECT params_json, count(*) AS n FROM trajectories GROUP BY 1 ORDER BY 2 DESC LIMIT 10')).map((r) => ({
    params_json: r.params_json === null ? '(none)' : String(r.params_json),
    n: Number(r.n),
  }));
  return {
    schemaVersion: v?.v === null || v?.v === undefined ? null : Number(v.v),
    trajectories: Number(c?.n ?? 0),
    materials: Number(c?.m ?? 0),
    methods,
    params,
    firstIndexed: iso(c?.first),
    lastIndexed: iso(c?.last),
  };
}

export async function trajectoryList(q: QueryFn): Promise<TrajectoryRow[]> {
  const rows = await q(`SELECT CAST(t.trajectory_id AS VARCHAR) AS trajectory_id, t.name, ${MATERIAL} AS material, t.formula,
       t.temperature_k, t.n_frames, t.duration_ps, t.method,
       (SELECT count(*) FROM events e WHERE e.trajectory_id = t.trajectory_id) AS n_events
FROM trajectories t ORDER BY material, t.temperature_k, t.name`);
  return rows as unknown as TrajectoryRow[];
}

export async function failures(q: QueryFn): Promise<FailureRow[]> {
  const rows = await q('SELECT path, stage, message, "at" FROM failures ORDER BY "at", path');
  return rows.map((r) => ({ path: String(r.path), stage: String(r.stage), message: String(r.message), at: iso(r.at) ?? '' }));
}

export async function warnings(q: QueryFn): Promise<WarningRow[]> {
  const rows = await q(`SELECT ${MATERIAL} AS material, t.temperature_k, t.name, unnest(t.warnings) AS warning
FROM trajectories t WHERE len(t.warnings) > 0 ORDER BY 1, 2, 3`);
  return rows.map((r) => ({
    material: String(r.material),
    temperature_k: r.temperature_k === null ? null : Number(r.temperature_k),
    name: String(r.name),
    warning: String(r.warning),
  }));
}

/** Every descriptor the screen correlates, against log10 tracer D, per temperature and with 1/T held fixed. */
export async function descriptorCorrelations(q: QueryFn): Promise<DescriptorCorrelationRow[]> {
  const out: DescriptorCorrelationRow[] = [];
  for (const col of descriptorsView.columns) {
    if (!col.use?.includes('screen') || col.name === 'temperature_k') continue;
    const rows = await q(descriptorSql({ descriptor: col.name, maxPoints: 100000 }));
    const pts = rows.map((r) => ({
      x: Number(r.x),
      y: Math.log10(Number(r.d_cm2_s)),
      temperature_k: r.temperature_k === null ? null : Number(r.temperature_k),
    }));
    out.push({ descriptor: col.name, unit: col.unit ?? null, correlation: temperatureCorrelation(pts) });
  }
  return out;
}

export interface TransportRow extends HavenRunRow {
  conductivity_s_cm: number | null;
  conductivity_err_s_cm: number | null;
}

/**
 * Tracer and collective D with their errors per (trajectory, element), for the transport table.
 * `x.*` rather than named columns: the conductivity columns are being reworked, and the table
 * shows whichever conductivity the database has (NULL otherwise).
 */
export async function transport(q: QueryFn): Promise<TransportRow[]> {
  const rows = await q(`SELECT ${MATERIAL} AS material, t.temperature_k AS run_temperature_k, x.*
FROM diffusion x JOIN trajectories t USING (trajectory_id) ORDER BY 1, 2, x.element`);
  const n = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  return rows.map((r) => ({
    material: String(r.material),
    element: String(r.element),
    temperature_k: n(r.run_temperature_k),
    d_tracer_cm2_s: n(r.d_tracer_cm2_s),
    d_tracer_err: n(r.d_tracer_err),
    d_collective_cm2_s: n(r.d_collective_cm2_s),
    d_collective_err: n(r.d_collective_err),
    conductivity_s_cm: n(r.conductivity_s_cm ?? r.conductivity_ne_s_cm),
    conductivity_err_s_cm: n(r.conductivity_err_s_cm ?? r.conductivity_ne_err_s_cm),
  }));
}
