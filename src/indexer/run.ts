/**
 * One `ionsift index` run: discover → plan (cheap signature | content hash skip check) → run
 * (worker pool for load + analyze, a single DuckDB writer, whole trajectories in batched transactions) →
 * finish (removals, Arrhenius, optional Parquet shard export). A bad file becomes a `failures`
 * row; the run goes on.
 */
import { mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import pLimit from 'p-limit';
import { Store, checkDbPath } from '../store/db.js';
import { RunContext } from './context.js';
import { Progress, type ProgressMode } from './progress.js';
import { shardDbPath, type ShardSpec } from './shard.js';
import { discoverStage, type Discovery } from './stage-discover.js';
import { finishStage, indexSummary } from './stage-finish.js';
import { readPriorIndex } from './stage-plan.js';
import type { CodeSource } from './child-code.js';
import type { PoolKind } from './pool.js';
import { startEarly, TrajectoryRunner } from './stage-run.js';
import type { IndexSummary } from './summary.js';
import type { IndexAnalysisOptions } from './types.js';

export type { ShardSpec } from './shard.js';
export type { IndexSummary } from './summary.js';

export interface IndexOptions {
  paths: string[];
  /** DuckDB file. Optional with `shard` + `out` (a private DB inside OUT is used). */
  db?: string;
  jobs?: number;
  analysis?: IndexAnalysisOptions;
  shard?: ShardSpec;
  /** Parquet output folder for `shard`. */
  out?: string;
  /** Processor module URL (tests); default ./process. */
  processorUrl?: string;
  progress?: ProgressMode;
  /** Aborting stops cleanly: the current write finishes, nothing partial is left. */
  signal?: AbortSignal;
  /** Concurrent file reads for hashing. */
  ioConcurrency?: number;
  /** Trajectories written per transaction at most (default 16; 1: one transaction each, as before batching). */
  writeBatch?: number;
  /** Child processes (default) or worker threads; the database is the same either way. */
  pool?: PoolKind;
  /** Heap limit of each worker (MB): a trajectory that needs more fails alone (a failures row). */
  workerHeapMb?: number;
  /** Node flags of the child processes (default: pool.ts CHILD_NODE_FLAGS; benchmarks compare others). */
  childNodeFlags?: readonly string[];
  /** How child processes load their code (default `bundle`: pool.ts; benchmarks compare). */
  childCode?: CodeSource;
}

export async function runIndex(opts: IndexOptions): Promise<IndexSummary> {
  const t0 = Date.now();
  const dbPath = indexDbPath(opts);
  if (opts.out) mkdirSync(resolve(opts.out), { recursive: true });

  const workers = {
    jobs: Math.max(1, opts.jobs ?? availableParallelism()),
    processorUrl: opts.processorUrl,
    pool: opts.pool,
    maxHeapMb: opts.workerHeapMb,
    nodeFlags: opts.childNodeFlags,
    childCode: opts.childCode,
  };
  const started = opts.signal?.aborted ? null : startEarly(workers);
  let store: Store;
  try {
    store = await Store.open(dbPath);
  } catch (err) {
    await started?.close();
    throw err;
  }
  const progress = new Progress(opts.progress ?? (process.stderr.isTTY ? 'tty' : 'plain'));
  const ctx = new RunContext(store, progress, pLimit(opts.ioConcurrency ?? 4));
  const runner = new TrajectoryRunner(ctx, { ...workers, analysis: opts.analysis ?? {}, batch: opts.writeBatch, started });
  const onAbort = (): void => {
    ctx.interrupted = true;
    runner.cancel();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });
  // Aborted while the store was opening (a loaded machine can take that long): stop now.
  if (opts.signal?.aborted) onAbort();

  let discovery: Discovery, removed: number;
  try {
    discovery = await discoverStage(ctx, opts.paths, opts.shard);
    await runner.runAll(discovery.selected, await readPriorIndex(store));
    removed = await finishStage(ctx, opts, discovery);
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    await runner.close();
    progress.finish();
    await ctx.idle();
    try {
      await store.checkpoint();
    } finally {
      store.close();
    }
  }
  return { ...indexSummary(ctx, discovery, removed, dbPath, t0), children: runner.childUsage };
}

/** The database to write: --db, else a shard's private one inside --out; checked before anything is created. */
function indexDbPath(opts: IndexOptions): string {
  if (opts.shard && !opts.out) throw new Error('--shard needs --out DIR for the Parquet partitions');
  const dbPath = opts.db ? resolve(opts.db) : opts.out && opts.shard ? shardDbPath(opts.out, opts.shard) : null;
  if (!dbPath) throw new Error('--db FILE is required');
  checkDbPath(dbPath);
  return dbPath;
}
