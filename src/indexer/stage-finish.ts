/**
 * Stage 4 of an index run: remove the trajectories no longer discovered, recompute Arrhenius,
 * export a shard's Parquet partitions, and sum the run up.
 */
import { resolve } from 'node:path';
import { removeTrajectory, storedTrajectoryPaths } from '../store/index-ops.js';
import { recomputeArrhenius } from '../store/ingest.js';
import { exportShard } from '../store/shard-export.js';
import type { RunContext } from './context.js';
import type { ShardSpec } from './shard.js';
import type { Discovery } from './stage-discover.js';
import { vanishedTrajectories } from './stage-plan.js';
import type { IndexSummary } from './summary.js';

export interface FinishOptions {
  paths: readonly string[];
  shard?: ShardSpec;
  /** Parquet output folder of `shard`. */
  out?: string;
}

/** Returns how many vanished trajectories were removed. */
export async function finishStage(ctx: RunContext, opts: FinishOptions, discovery: Discovery): Promise<number> {
  let removed = 0;
  // Only an unsharded run that saw the whole of its paths to the end can tell what vanished.
  if (!opts.shard && !ctx.interrupted) {
    const { trajectories, failures } = discovery.found;
    const gone = vanishedTrajectories(await storedTrajectoryPaths(ctx.store), opts.paths, trajectories, failures);
    for (const id of gone) {
      if (ctx.interrupted) break;
      await ctx.write(() => removeTrajectory(ctx.store, id));
      removed++;
    }
  }
  // Arrhenius spans trajectories (and, for shards, is rebuilt by merge across all of them).
  await ctx.write(async () => {
    await recomputeArrhenius(ctx.store);
  });
  if (opts.shard && opts.out && !ctx.interrupted) {
    const ids = discovery.selected.map((t) => t.trajectoryId);
    await exportShard(ctx.store, resolve(opts.out), opts.shard.index + 1, opts.shard.count, ids);
  }
  return removed;
}

/** The run's summary; call after the store is closed, so that the time includes closing it. */
export function indexSummary(ctx: RunContext, discovery: Discovery, removed: number, db: string, t0: number): IndexSummary {
  return {
    discovered: discovery.found.trajectories.length,
    selected: discovery.selected.length,
    indexed: ctx.progress.counts.indexed,
    skipped: ctx.progress.counts.skipped,
    failed: ctx.failures.length,
    removed,
    interrupted: ctx.interrupted,
    bytesRead: ctx.bytesRead,
    elapsedMs: Date.now() - t0,
    db,
    failures: ctx.failures,
  };
}
