/**
 * Writing one trajectory's metadata and analysis results: one transaction per trajectory
 * (old rows deleted first, so a re-index replaces and a crash leaves all or nothing), bulk
 * through the DuckDB Appender with column-major data chunks.
 */
import { DuckDBDataChunk, JSToDuckDBValueConverter, type JS } from '@duckdb/node-api';
import type { AnalysisResult } from '../analysis/types.js';
import { TRAJECTORY_TABLES, type Store } from './db.js';
import { arrheniusRows, type DiffusionPoint } from '../analysis/arrhenius-rows.js';

/** Everything the `trajectories` and `species` tables hold besides the analysis. */
export interface TrajectoryRecord {
  trajectoryId: string;
  name: string;
  paths: string[];
  contentHash: string;
  filesSignature: string;
  format: string;
  material: string | null;
  formula: string | null;
  temperatureK: number | null;
  timestepFs: number | null;
  frameIntervalFs: number | null;
  nFrames: number;
  nAtoms: number;
  durationPs: number | null;
  volumeA3: number | null;
  variableCell: boolean;
  nDiscontinuities: number;
  species: SpeciesRecord[];
  /** Hash of the index options (skip key together with contentHash). */
  paramsHash: string;
  metadataSources: Record<string, string>;
  warnings: string[];
  analysisMs: number | null;
}

export interface SpeciesRecord {
  element: string;
  count: number;
  charge: number | null;
  mobile: boolean;
}

export interface FailureRecord {
  trajectoryId: string | null;
  path: string;
  stage: string;
  message: string;
  at?: Date;
}

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

type Column = JS[];

/** Append column-major data to `table` (columns in table order) through the Appender. */
export async function appendColumns(store: Store, table: string, columns: Column[]): Promise<void> {
  const n = columns[0]?.length ?? 0;
  if (n === 0) return;
  const appender = await store.conn.createAppender(table);
  try {
    if (appender.columnCount !== columns.length) {
      throw new Error(`append to ${table}: ${columns.length} columns given, table has ${appender.columnCount}`);
    }
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const end = Math.min(n, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumnsConverted(
        columns.map((c) => (start === 0 && end === n ? c : c.slice(start, end))),
        JSToDuckDBValueConverter,
      );
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}

/** Non-finite numbers → NULL: DuckDB would store NaN, which breaks averages and correlations. */
function num(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

function col<T>(rows: readonly T[], f: (r: T) => JS): Column {
  return rows.map(f);
}

/** Delete every row of one trajectory (all per-trajectory tables and its failures). */
export async function deleteTrajectory(store: Store, trajectoryId: string): Promise<void> {
  for (const t of TRAJECTORY_TABLES) await store.run(`DELETE FROM ${t} WHERE trajectory_id = $1`, [trajectoryId]);
  await store.run('DELETE FROM failures WHERE trajectory_id = $1', [trajectoryId]);
}

export interface IngestOptions {
  /**
   * Delete the trajectory's earlier rows first (default true). The indexer passes false for a
   * trajectory_id it knows has no rows at all (not in `trajectories`, no `failures`), which saves
   * ten DELETE scans per trajectory on a fresh index.
   */
  replace?: boolean;
}

/** Write one trajectory and its analysis in one transaction, replacing earlier rows. */
export async function ingestTrajectory(
  store: Store,
  rec: TrajectoryRecord,
  result: AnalysisResult,
  indexedAt: Date = new Date(),
  opts: IngestOptions = {},
): Promise<void> {
  await store.transaction(async () => {
    if (opts.replace ?? true) await deleteTrajectory(store, rec.trajectoryId);
    await writeRows(store, rec, result, indexedAt);
  });
}

async function writeRows(store: Store, rec: TrajectoryRecord, r: AnalysisResult, indexedAt: Date): Promise<void> {
  const id = rec.trajectoryId;
  const ids = (n: number): Column => new Array<JS>(n).fill(id);

  await appendColumns(store, 'trajectories', [
    [id],
    [rec.name],
    [rec.paths[0] ?? ''],
    [rec.paths],
    [rec.contentHash],
    [rec.filesSignature],
    [rec.format],
    [rec.material],
    [rec.formula],
    [num(rec.temperatureK)],
    [num(rec.timestepFs)],
    [num(rec.frameIntervalFs ?? r.frameIntervalFs)],
    [rec.nFrames],
    [rec.nAtoms],
    [num(rec.durationPs ?? r.durationPs)],
    [num(rec.volumeA3)],
    [rec.variableCell],
    [rec.nDiscontinuities],
    [r.method],
    [r.mobile],
    [rec.paramsHash],
    [r.paramsHash],
    [JSON.stringify(r.params)],
    [JSON.stringify(rec.metadataSources)],
    [rec.warnings],
    [num(rec.analysisMs)],
    [indexedAt],
  ]);

  const sp = rec.species;
  await appendColumns(store, 'species', [
    ids(sp.length),
    col(sp, (s) => s.element),
    col(sp, (s) => s.count),
    col(sp, (s) => num(s.charge)),
    col(sp, (s) => s.mobile),
  ]);

  const ev = r.events;
  await appendColumns(store, 'events', [
    ids(ev.length),
    col(ev, (e) => e.eventId),
    col(ev, (e) => e.atom),
    col(ev, (e) => e.element),
    col(ev, (e) => e.startFrame),
    col(ev, (e) => e.endFrame),
    col(ev, (e) => num(e.startPs)),
    col(ev, (e) => num(e.durationPs)),
    col(ev, (e) => num(e.lengthA)),
    col(ev, (e) => num(e.from[0])),
    col(ev, (e) => num(e.from[1])),
    col(ev, (e) => num(e.from[2])),
    col(ev, (e) => num(e.to[0])),
    col(ev, (e) => num(e.to[1])),
    col(ev, (e) => num(e.to[2])),
    col(ev, (e) => e.groupId),
    col(ev, (e) => e.nBodies),
    col(ev, (e) => e.backHop),
  ]);

  const at = r.atoms;
  await appendColumns(store, 'atoms', [
    ids(at.length),
    col(at, (a) => a.atom),
    col(at, (a) => a.element),
    col(at, (a) => a.nEvents),
    col(at, (a) => a.nCentres),
    col(at, (a) => num(a.residencePsMean)),
    col(at, (a) => num(a.msdFinalA2)),
  ]);

  const gr = r.groups;
  await appendColumns(store, 'concerted_groups', [
    ids(gr.length),
    col(gr, (g) => g.groupId),
    col(gr, (g) => g.element),
    col(gr, (g) => g.nBodies),
    col(gr, (g) => g.startFrame),
    col(gr, (g) => g.endFrame),
    col(gr, (g) => Array.from(g.atoms)),
  ]);

  const co = r.correlations;
  await appendColumns(store, 'correlations', [
    ids(co.length),
    col(co, (c) => c.element),
    col(co, (c) => c.nBodies),
    col(co, (c) => c.count),
    col(co, (c) => num(c.fraction)),
  ]);

  const cf = r.correlationFits;
  await appendColumns(store, 'correlation_fits', [
    ids(cf.length),
    col(cf, (f) => f.element),
    col(cf, (f) => num(f.offset)),
    col(cf, (f) => num(f.offsetErr)),
    col(cf, (f) => num(f.amplitude)),
    col(cf, (f) => num(f.amplitudeErr)),
    col(cf, (f) => num(f.decayRate)),
    col(cf, (f) => num(f.decayRateErr)),
    col(cf, (f) => num(f.r2)),
    col(cf, (f) => f.nPoints),
  ]);

  const df = r.diffusion;
  await appendColumns(store, 'diffusion', [
    ids(df.length),
    col(df, (d) => d.element),
    col(df, (d) => d.nIons),
    col(df, (d) => num(d.dTracerCm2s)),
    col(df, (d) => num(d.dTracerErrCm2s)),
    col(df, (d) => num(d.dCollectiveCm2s)),
    col(df, (d) => num(d.dCollectiveErrCm2s)),
    col(df, (d) => num(d.havenRatio)),
    col(df, (d) => num(d.conductivitySCm)),
    col(df, (d) => num(d.conductivityErrSCm)),
    col(df, (d) => num(d.fitStartPs)),
    col(df, (d) => num(d.fitEndPs)),
    col(df, (d) => num(d.dHopsCm2s)),
    col(df, (d) => Array.from(d.msdTimesPs ?? [], (x) => num(x))),
    col(df, (d) => Array.from(d.msdA2 ?? [], (x) => num(x))),
  ]);

  const de = r.descriptors;
  await appendColumns(store, 'element_descriptors', [
    ids(de.length),
    col(de, (d) => d.element),
    col(de, (d) => d.nIons),
    col(de, (d) => d.nEvents),
    col(de, (d) => num(d.timeToFirstHopPsMean)),
    col(de, (d) => num(d.eventDurationPsMean)),
    col(de, (d) => num(d.hopLengthAMean)),
    col(de, (d) => num(d.hopRatePerIonPs)),
    col(de, (d) => num(d.residencePsMean)),
    col(de, (d) => num(d.concertedFraction)),
    col(de, (d) => num(d.nBodiesMean)),
    col(de, (d) => num(d.decayRate)),
    col(de, (d) => num(d.backHopFraction)),
  ]);
}

/**
 * Record a failure: the trajectory's old rows (if any) are removed in the same transaction, so
 * the database never claims results for a file that no longer analyses.
 */
export async function recordFailure(store: Store, f: FailureRecord): Promise<void> {
  await store.transaction(async () => {
    if (f.trajectoryId) await deleteTrajectory(store, f.trajectoryId);
    else await store.run('DELETE FROM failures WHERE path = $1 AND trajectory_id IS NULL', [f.path]);
    await appendColumns(store, 'failures', [[f.trajectoryId], [f.path], [f.stage], [f.message], [f.at ?? new Date()]]);
  });
}

/** Recompute the whole `arrhenius` table from the diffusion rows across temperatures. */
export async function recomputeArrhenius(store: Store): Promise<number> {
  const points = await store.query<DiffusionPoint>(`
    SELECT coalesce(t.material, t.formula, t.name) AS material, t.formula, d.element, t.temperature_k,
           d.d_tracer_cm2_s AS d_cm2_s, d.d_tracer_err AS d_err,
           CASE WHEN d.conductivity_s_cm > 0 THEN d.conductivity_s_cm * t.temperature_k / d.d_tracer_cm2_s END AS sigma_t_over_d
    FROM diffusion d JOIN trajectories t USING (trajectory_id)
    WHERE d.d_tracer_cm2_s > 0 AND t.temperature_k > 0
    ORDER BY material, d.element, t.temperature_k, t.trajectory_id`);
  const rows = arrheniusRows(points);
  await store.transaction(async () => {
    await store.run('DELETE FROM arrhenius');
    await appendColumns(store, 'arrhenius', [
      col(rows, (r) => r.material),
      col(rows, (r) => r.element),
      col(rows, (r) => r.formula),
      col(rows, (r) => r.nTemperatures),
      col(rows, (r) => r.nTrajectories),
      col(rows, (r) => num(r.tMinK)),
      col(rows, (r) => num(r.tMaxK)),
      col(rows, (r) => num(r.eaEv)),
      col(rows, (r) => num(r.eaErrEv)),
      col(rows, (r) => num(r.d0Cm2s)),
      col(rows, (r) => num(r.r2)),
      col(rows, (r) => num(r.d300kCm2s)),
      col(rows, (r) => num(r.d300kErrCm2s)),
      col(rows, (r) => num(r.conductivity300kSCm)),
      col(rows, (r) => r.method),
    ]);
  });
  return rows.length;
}
