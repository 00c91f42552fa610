/**
 * Stage 3 of an index run: every selected trajectory through the skip check, the worker pool
 * (load + analyze) and the single writer (whole trajectories, batched per transaction), with progress;
 * a failure becomes a failures row and the run goes on; cancel() stops it cleanly.
 */
import type { TrajectoryRecord } from '../store/ingest.js';
import { updateFilesSignature } from '../store/index-ops.js';
import { BatchWriter } from './batch-writer.js';
import { aboutPath, errorText, type RunContext } from './context.js';
import { displayPath, type DiscoveredTrajectory } from './discover.js';
import { paramsHash } from './hash.js';
import { CancelledError, createPool, DEFAULT_POOL, type IndexPool, type PoolKind } from './pool.js';
import type { CodeSource } from './child-code.js';
import type { ChildUsage } from './process-pool.js';
import { decide, type Decision, type PriorIndex } from './stage-plan.js';
import type { IndexAnalysisOptions, WorkOutput } from './types.js';

type Analysed = Extract<WorkOutput, { ok: true }>;
type Analyse = Extract<Decision, { kind: 'analyse' }>;

export interface RunnerOptions {
  /** Workers (at most one per trajectory). */
  jobs: number;
  /** Child processes (default) or worker threads. */
  pool?: PoolKind;
  /** Heap limit of each worker (MB). */
  maxHeapMb?: number;
  /** Node flags of the child processes (default: pool.ts CHILD_NODE_FLAGS). */
  nodeFlags?: readonly string[];
  /** How child processes load their code (pool.ts PoolOptions.childCode). */
  childCode?: CodeSource;
  analysis: IndexAnalysisOptions;
  /** Processor module URL (tests); default ./process. */
  processorUrl?: string;
  /** Trajectories written per transaction at most (default BATCH_MAX; 1 = one transaction each). */
  batch?: number;
  /** Workers started already (startEarly): used, and cut down to what the selection needs. */
  started?: IndexPool | null;
}

/**
 * Results written together at most, and how long the first of them may wait (ms): an interrupt
 * drops what waits, so the wait stays short (5 s let a whole small run wait and be lost).
 */
const BATCH_MAX = 16;
const BATCH_WAIT_MS = 1000;

/**
 * The worker processes of a run, started before the store is opened and the trajectories are
 * discovered and planned, so that their start-up (Node, loading the analysis; BENCHMARKS.md,
 * "Indexing") overlaps that serial work; the runner ends those the selection does not need. Worker
 * threads start when the first trajectory needs one (null here).
 */
export function startEarly(opts: Omit<RunnerOptions, 'analysis' | 'started'>): IndexPool | null {
  if ((opts.pool ?? DEFAULT_POOL) !== 'process') return null;
  return createPool({ ...opts, size: opts.jobs, kind: opts.pool });
}

export class TrajectoryRunner {
  private pool: IndexPool | null = null;
  /** The pool's child processes' CPU and peak RSS, kept when it closes (null: thread pool or none started). */
  childUsage: ChildUsage | null = null;
  private poolSize = 1;
  private taskId = 0;
  /** Analyses handed to the pool and not yet answered. */
  private running = 0;
  private readonly writer: BatchWriter;

  constructor(
    private readonly ctx: RunContext,
    private readonly opts: RunnerOptions,
  ) {
    this.writer = new BatchWriter(ctx, Math.max(1, opts.batch ?? BATCH_MAX), BATCH_WAIT_MS, () => this.running > 0);
    this.pool = opts.started ?? null;
  }

  /** Handle every trajectory (concurrently: hashing, the pool and the writer overlap) and wait for their writes. */
  async runAll(selected: readonly DiscoveredTrajectory[], prior: PriorIndex): Promise<void> {
    this.ctx.progress.start(selected.length);
    this.poolSize = Math.min(this.opts.jobs, selected.length);
    this.pool?.shrink?.(this.poolSize);
    await Promise.all(selected.map((t) => this.handle(t, prior)));
    await this.ctx.idle();
  }

  /** Stop: running analyses are dropped (the run is interrupted); safe to call more than once. */
  cancel(): void {
    void this.pool?.close();
  }

  async close(): Promise<void> {
    if (!this.pool) return;
    await this.pool.close();
    this.childUsage = this.pool.childUsage();
  }

  private async handle(t: DiscoveredTrajectory, prior: PriorIndex): Promise<void> {
    const { ctx } = this;
    if (ctx.interrupted) return;
    const label = displayPath(t.files.length > 1 ? `${t.dir} (${t.name}, ${t.files.length} files)` : t.files[0]);
    const pHash = paramsHash(this.opts.analysis, t.sidecar);
    let d: Decision;
    try {
      d = await decide(ctx, prior, t, pHash);
      const sig = d.kind === 'skip' ? d.newSignature : undefined;
      if (sig !== undefined) await ctx.write(() => updateFilesSignature(ctx.store, t.trajectoryId, sig));
    } catch (err) {
      const msg = errorText(err);
      await ctx.fail(t.trajectoryId, t.files[0], 'hash', aboutPath(msg, t.files[0]));
      ctx.progress.end(label, 'failed', msg);
      return;
    }
    if (d.kind === 'skip') {
      ctx.progress.end(label, 'skipped');
      return;
    }
    if (ctx.interrupted) return;
    ctx.progress.begin(label);
    const out = await this.analyse(t, label);
    if (out) await this.store(t, label, out, d, pHash);
  }

  /** The worker's result, or null when it failed (recorded) or the run was interrupted. */
  private async analyse(t: DiscoveredTrajectory, label: string): Promise<Analysed | null> {
    const { ctx } = this;
    const o = this.opts;
    this.pool ??= this.createPool(this.poolSize);
    let out: WorkOutput;
    this.running++;
    try {
      out = await this.pool.run({ taskId: this.taskId++, trajectoryId: t.trajectoryId, trajectory: t, options: this.opts.analysis });
    } catch (err) {
      this.settled();
      if (err instanceof CancelledError || ctx.interrupted) return null;
      // The pool could not run it (e.g. every worker crashed): a failure of this file, the run goes on.
      const message = aboutPath(errorText(err), t.files[0]);
      await ctx.fail(t.trajectoryId, t.files[0], 'analyze', message);
      ctx.progress.end(label, 'failed', message);
      return null;
    }
    this.settled();
    if (ctx.interrupted) return null;
    if (!out.ok) {
      await ctx.fail(t.trajectoryId, t.files[0], out.stage, out.message);
      ctx.progress.end(label, 'failed', out.message);
      return null;
    }
    return out;
  }

  private createPool(size: number): IndexPool {
    return createPool({ ...this.opts, size, kind: this.opts.pool });
  }

  /** One analysis fewer running: with none left, what waits to be written goes now. */
  private settled(): void {
    this.running--;
    if (this.running === 0) queueMicrotask(() => (this.running === 0 ? this.writer.flush() : undefined));
  }

  private store(t: DiscoveredTrajectory, label: string, out: Analysed, d: Analyse, pHash: string): Promise<void> {
    const { ctx } = this;
    const rec = trajectoryRecord(t, out, d, pHash);
    return this.writer.add({
      item: { rec, result: out.result, indexedAt: new Date(), replace: d.replace },
      path: t.files[0],
      written: () => {
        if (!ctx.interrupted) ctx.progress.end(label, 'indexed', `(${(out.ms / 1000).toFixed(1)} s)`);
      },
      failed: (msg) => ctx.progress.end(label, 'failed', msg),
    });
  }
}

/** The store's record of one analysed trajectory: the worker's metadata plus what the main thread knows. */
function trajectoryRecord(t: DiscoveredTrajectory, { meta, result, ms }: Analysed, d: Analyse, pHash: string): TrajectoryRecord {
  return {
    trajectoryId: t.trajectoryId,
    name: t.name,
    paths: t.files,
    // The worker hashes the bytes it analysed (worker.ts makes sure every result has a hash).
    contentHash: meta.contentHash || d.hash || '',
    filesSignature: d.signature,
    format: meta.format,
    material: meta.material,
    formula: meta.formula,
    temperatureK: meta.temperatureK,
    timestepFs: meta.timestepFs,
    frameIntervalFs: meta.frameIntervalFs,
    nFrames: meta.nFrames,
    nAtoms: meta.nAtoms,
    durationPs: result.durationPs,
    volumeA3: meta.volumeA3,
    variableCell: meta.variableCell,
    nDiscontinuities: meta.nDiscontinuities,
    species: meta.species,
    paramsHash: pHash,
    metadataSources: meta.metadataSources,
    warnings: meta.warnings,
    analysisMs: ms,
  };
}
