/**
 * Writing one trajectory's metadata and analysis results: one transaction per trajectory
 * (old rows deleted first, so a re-index replaces and a crash leaves all or nothing), each
 * table's rows through the Appender as its description says (src/store/tables/).
 */
import type { AnalysisResult } from '../analysis/types.js';
import { TRAJECTORY_TABLES, type Store } from './db.js';
import { appendRowGroups, appendRows } from './appender.js';
import { ANALYSIS_TABLES, arrhenius, failures, species, trajectories } from './tables/registry.js';
import type { FailureRecord, TrajectoryRecord } from './records.js';
import { arrheniusPoints } from './arrhenius-points.js';
import { arrheniusRows } from '../analysis/arrhenius-rows.js';

export type { TrajectoryRecord, SpeciesRecord, FailureRecord } from './records.js';

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
  await ingestTrajectories(store, [{ rec, result, indexedAt, replace: opts.replace }]);
}

/** One trajectory of a batch write. */
export interface IngestItem {
  rec: TrajectoryRecord;
  result: AnalysisResult;
  indexedAt?: Date;
  /** As `IngestOptions.replace` (default true). */
  replace?: boolean;
}

/**
 * Write several trajectories in one transaction, one Appender per table for all of them: the
 * rows are those `ingestTrajectory` writes for each, in the same order. The indexer batches
 * because each Appender and commit costs the single writer a fixed few ms per trajectory.
 * All or nothing: on an error none of the batch is written.
 */
export async function ingestTrajectories(store: Store, items: readonly IngestItem[]): Promise<void> {
  if (items.length === 0) return;
  await store.transaction(async () => {
    for (const it of items) if (it.replace ?? true) await deleteTrajectory(store, it.rec.trajectoryId);
    const now = new Date();
    await appendRowGroups(store, trajectories, items.map((it) => ({ rows: [{ rec: it.rec, result: it.result, indexedAt: it.indexedAt ?? now }], ctx: undefined })));
    await appendRowGroups(store, species, items.map((it) => ({ rows: it.rec.species, ctx: { trajectoryId: it.rec.trajectoryId } })));
    for (const t of ANALYSIS_TABLES) {
      await appendRowGroups(store, t, items.map((it) => ({ rows: t.rows(it.result), ctx: { trajectoryId: it.rec.trajectoryId } })));
    }
  });
}

/**
 * Record a failure: the trajectory's old rows (if any) are removed in the same transaction, so
 * the database never claims results for a file that no longer analyses.
 */
export async function recordFailure(store: Store, f: FailureRecord): Promise<void> {
  await store.transaction(async () => {
    if (f.trajectoryId) await deleteTrajectory(store, f.trajectoryId);
    else await store.run('DELETE FROM failures WHERE path = $1 AND trajectory_id IS NULL', [f.path]);
    await appendRows(store, failures, [{ ...f, at: f.at ?? new Date() }], undefined);
  });
}

/** Recompute the whole `arrhenius` table from the diffusion rows across temperatures. */
export async function recomputeArrhenius(store: Store): Promise<number> {
  const rows = arrheniusRows(await arrheniusPoints(store));
  await store.transaction(async () => {
    await store.run('DELETE FROM arrhenius');
    await appendRows(store, arrhenius, rows, undefined);
  });
  return rows.length;
}
