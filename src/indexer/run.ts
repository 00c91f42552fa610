/**
 * One `ionsift index` run: discover → (cheap signature | content hash) skip check → worker pool
 * (load + analyze) → a single DuckDB writer, one transaction per trajectory → Arrhenius →
 * optional Parquet shard export. A bad file becomes a `failures` row; the run goes on.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { basename, dirname, join, resolve, sep } from 'node:path';
import pLimit from 'p-limit';
import { Store, TRAJECTORY_TABLES, checkDbPath, sqlString } from '../store/db.js';
import { deleteTrajectory, ingestTrajectory, recomputeArrhenius, recordFailure, type TrajectoryRecord } from '../store/ingest.js';
import { removeShardManifest, writeShardManifest } from '../store/shards.js';
import { SIDECAR_NAME } from '../io/sidecar.js';
import { discover, displayPath, type DiscoveredTrajectory, type DiscoveryFailure } from './discover.js';
import { contentHash, filesSignature, metadataValues, paramsHash, splitSignature } from './hash.js';
import { CancelledError, WorkerPool } from './pool.js';
import { Progress, type ProgressMode } from './progress.js';
import type { IndexAnalysisOptions, Stage, WorkOutput } from './types.js';

export interface ShardSpec {
  /** 0-based shard index. */
  index: number;
  count: number;
}

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
}

export interface IndexSummary {
  discovered: number;
  selected: number;
  indexed: number;
  skipped: number;
  failed: number;
  /** Trajectories (and their failures rows) under the indexed paths no longer discovered, deleted. */
  removed: number;
  interrupted: boolean;
  bytesRead: number;
  elapsedMs: number;
  db: string;
  failures: { path: string; stage: string; message: string }[];
}

/**
 * Parse `i/n` with i in 1..n (Slurm: `--array=1-N`, `--shard $SLURM_ARRAY_TASK_ID/N`). 0 is
 * refused rather than read as 0-based, so that `0/n` and `1/n` can never be the same slice.
 */
export function parseShard(s: string): ShardSpec {
  const m = /^(\d+)\/(\d+)$/.exec(s.trim());
  if (!m) throw new Error(`--shard expects i/n (e.g. 1/4), got "${s}"`);
  const i = Number(m[1]), n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) throw new Error(`--shard ${s}: shards are numbered 1..n (with a 0-based job array use $((SLURM_ARRAY_TASK_ID + 1))/n)`);
  return { index: i - 1, count: n };
}

/** Deterministic slice: round-robin over the discovery order (sorted by first path). */
export function shardSlice<T>(items: readonly T[], shard: ShardSpec | undefined): T[] {
  if (!shard) return [...items];
  return items.filter((_, k) => k % shard.count === shard.index);
}

interface Existing {
  content_hash: string;
  files_signature: string;
  params_hash: string;
}

export async function runIndex(opts: IndexOptions): Promise<IndexSummary> {
  const t0 = Date.now();
  const analysis = opts.analysis ?? {};
  if (opts.shard && !opts.out) throw new Error('--shard needs --out DIR for the Parquet partitions');
  const dbPath = opts.db
    ? resolve(opts.db)
    : opts.out && opts.shard
      ? join(resolve(opts.out), `.shard-${opts.shard.index + 1}-of-${opts.shard.count}.duckdb`)
      : null;
  if (!dbPath) throw new Error('--db FILE is required');
  checkDbPath(dbPath);
  if (opts.out) mkdirSync(resolve(opts.out), { recursive: true });

  const store = await Store.open(dbPath);
  const progress = new Progress(opts.progress ?? (process.stderr.isTTY ? 'tty' : 'plain'));
  const failures: IndexSummary['failures'] = [];
  let bytesRead = 0;
  const pools: { pool: WorkerPool | null } = { pool: null };
  let interrupted = false;

  // The single writer: every DB write goes through this chain, so writes never interleave.
  let writeChain: Promise<void> = Promise.resolve();
  const write = (fn: () => Promise<void>): Promise<void> => {
    const p = writeChain.then(fn);
    writeChain = p.catch(() => undefined);
    return p;
  };

  const fail = async (t: DiscoveredTrajectory | null, path: string, stage: Stage, message: string): Promise<void> => {
    failures.push({ path, stage, message });
    await write(() => recordFailure(store, { trajectoryId: t?.trajectoryId ?? null, path, stage, message }));
  };

  const onAbort = (): void => {
    interrupted = true;
    void pools.pool?.close();
  };
  opts.signal?.addEventListener('abort', onAbort, { once: true });

  let discovered = 0;
  let removed = 0;
  let selected: DiscoveredTrajectory[] = [];
  try {
    const found = await discover(opts.paths);
    discovered = found.trajectories.length;
    selected = shardSlice(found.trajectories, opts.shard);
    // Discovery failures belong to no shard's slice; shard 1 records them so a merge has them once.
    if (!opts.shard || opts.shard.index === 0) {
      // Old discovery failures under the paths indexed now are re-decided by this discovery.
      for (const p of opts.paths) {
        const abs = resolve(p);
        await write(() => store.run(`DELETE FROM failures WHERE trajectory_id IS NULL AND stage = 'discover' AND (path = $1 OR starts_with(path, $2))`, [abs, abs.endsWith('/') ? abs : abs + '/']));
      }
      for (const f of found.failures) await fail(null, f.path, 'discover', f.message);
    }

    const existing = new Map<string, Existing>();
    for (const r of await store.query<Existing & { trajectory_id: string }>(
      'SELECT trajectory_id, content_hash, files_signature, params_hash FROM trajectories',
    )) existing.set(r.trajectory_id, r);
    // Trajectories with a failures row: like those in `existing`, their old rows must be deleted
    // when they are written; every other trajectory is new, and its write skips the DELETEs.
    const failedBefore = new Set<string>();
    for (const r of await store.query<{ trajectory_id: string }>(
      'SELECT DISTINCT trajectory_id FROM failures WHERE trajectory_id IS NOT NULL',
    )) failedBefore.add(r.trajectory_id);

    progress.start(selected.length);
    const jobs = Math.max(1, opts.jobs ?? availableParallelism());
    const ioLimit = pLimit(opts.ioConcurrency ?? 4);
    let taskId = 0;

    const handle = async (t: DiscoveredTrajectory): Promise<void> => {
      if (interrupted) return;
      const label = displayPath(t.files.length > 1 ? `${t.dir} (${t.name}, ${t.files.length} files)` : t.files[0]);
      const pHash = paramsHash(analysis, t.sidecar);
      const old = existing.get(t.trajectoryId);
      // The content hash is computed here only when it can save an analysis (a known trajectory
      // whose files were touched, same parameters); otherwise the worker hashes the bytes it
      // reads anyway (loadDiscovered), so a new or re-parametrised trajectory is read once.
      let sig: string, hash: string | null = null;
      try {
        const s = await ioLimit(() => filesSignature(t.files, old?.files_signature ?? null));
        sig = s.signature;
        if (old && old.files_signature === sig && old.params_hash === pHash) {
          progress.end(label, 'skipped');
          return;
        }
        // INCAR/OUTCAR/POTCAR beside the files feed the metadata: when what they say changed,
        // re-analyse even if the trajectory bytes did not (a mere touch or copy does not count).
        // A signature from before they were tracked (no metadata part) counts as unchanged, and
        // is updated below.
        const now = splitSignature(sig), before = old ? splitSignature(old.files_signature) : null;
        const metadataSame = before !== null && (before.metadata === null || metadataValues(before.metadata) === metadataValues(now.metadata ?? ''));
        if (old && metadataSame && before?.files === now.files && old.params_hash === pHash) {
          await write(() => store.run('UPDATE trajectories SET files_signature = $1 WHERE trajectory_id = $2', [sig, t.trajectoryId]));
          progress.end(label, 'skipped');
          return;
        }
        bytesRead += s.bytes;
        if (old && metadataSame && old.params_hash === pHash) hash = await ioLimit(() => contentHash(t.files));
        if (old && hash !== null && old.content_hash === hash) {
          // Touched but unchanged: remember the new signature so the next run skips cheaply.
          await write(() => store.run('UPDATE trajectories SET files_signature = $1 WHERE trajectory_id = $2', [sig, t.trajectoryId]));
          progress.end(label, 'skipped');
          return;
        }
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        await fail(t, t.files[0], 'hash', msg.includes(t.files[0]) ? msg : `${t.files[0]}: ${msg}`);
        progress.end(label, 'failed', msg);
        return;
      }
      if (interrupted) return;
      progress.begin(label);
      pools.pool ??= new WorkerPool({ size: Math.min(jobs, selected.length), processorUrl: opts.processorUrl });
      let out: WorkOutput;
      try {
        out = await pools.pool.run({ taskId: taskId++, trajectoryId: t.trajectoryId, trajectory: t, options: analysis });
      } catch (err) {
        if (err instanceof CancelledError || interrupted) return;
        // The pool could not run it (e.g. every worker crashed): a failure of this file, the run goes on.
        const msg = err instanceof Error ? err.message : String(err);
        const message = msg.includes(t.files[0]) ? msg : `${t.files[0]}: ${msg}`;
        await fail(t, t.files[0], 'analyze', message);
        progress.end(label, 'failed', message);
        return;
      }
      if (interrupted) return;
      if (!out.ok) {
        await fail(t, t.files[0], out.stage, out.message);
        progress.end(label, 'failed', out.message);
        return;
      }
      const { meta, result, ms } = out;
      const rec: TrajectoryRecord = {
        trajectoryId: t.trajectoryId,
        name: t.name,
        paths: t.files,
        // The worker hashes the bytes it analysed (worker.ts makes sure every result has a hash).
        contentHash: meta.contentHash || hash || '',
        filesSignature: sig,
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
      try {
        await write(async () => {
          // Checked inside the writer: after an interrupt, nothing new starts, the current write finishes.
          if (interrupted) return;
          await ingestTrajectory(store, rec, result, new Date(), { replace: old !== undefined || failedBefore.has(t.trajectoryId) });
        });
        if (!interrupted) progress.end(label, 'indexed', `(${(ms / 1000).toFixed(1)} s)`);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        await fail(t, t.files[0], 'write', `${t.files[0]}: could not write results: ${msg}`);
        progress.end(label, 'failed', msg);
      }
    };

    await Promise.all(selected.map((t) => handle(t)));
    await writeChain;
    // Trajectories no longer discovered (a run gained a file, a folder was renamed, a sidecar
    // changed): their id changed, so their old rows must go. Only an unsharded run that saw
    // the whole of its paths to the end can tell.
    if (!opts.shard && !interrupted) {
      const gone = await vanishedTrajectories(store, opts.paths, found.trajectories, found.failures);
      for (const id of gone) {
        if (interrupted) break;
        await write(() => store.transaction(() => deleteTrajectory(store, id)));
        removed++;
      }
    }
    // Arrhenius spans trajectories (and, for shards, is rebuilt by merge across all of them).
    await write(async () => {
      await recomputeArrhenius(store);
    });
    if (opts.shard && opts.out && !interrupted) {
      await exportShard(store, resolve(opts.out), opts.shard, selected.map((t) => t.trajectoryId));
    }
  } finally {
    opts.signal?.removeEventListener('abort', onAbort);
    if (pools.pool) await pools.pool.close();
    progress.finish();
    await writeChain;
    try {
      await store.checkpoint();
    } finally {
      store.close();
    }
  }

  return {
    discovered,
    selected: selected.length,
    indexed: progress.counts.indexed,
    skipped: progress.counts.skipped,
    failed: failures.length,
    removed,
    interrupted,
    bytesRead,
    elapsedMs: Date.now() - t0,
    db: dbPath,
    failures,
  };
}

/**
 * Ids in `trajectories` or `failures` whose every path lies under one of `paths` but that this
 * discovery did not find. Paths under a folder that discovery could not read (or whose sidecar
 * failed) are kept: not seeing them is not evidence that they are gone.
 */
async function vanishedTrajectories(
  store: Store,
  paths: readonly string[],
  found: readonly DiscoveredTrajectory[],
  discoveryFailures: readonly DiscoveryFailure[],
): Promise<string[]> {
  const under = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const roots = paths.map((p) => resolve(p));
  const blind = discoveryFailures.map((f) => (basename(f.path) === SIDECAR_NAME ? dirname(f.path) : f.path));
  const seen = new Set(found.map((t) => t.trajectoryId));
  const pathsOf = new Map<string, string[]>();
  const add = (id: string, ps: readonly string[]): void => {
    if (seen.has(id)) return;
    const list = pathsOf.get(id) ?? [];
    list.push(...ps);
    pathsOf.set(id, list);
  };
  for (const r of await store.query<{ trajectory_id: string; paths: string[] }>('SELECT trajectory_id, paths FROM trajectories')) add(r.trajectory_id, r.paths);
  for (const r of await store.query<{ trajectory_id: string; path: string }>('SELECT trajectory_id, path FROM failures WHERE trajectory_id IS NOT NULL')) add(r.trajectory_id, [r.path]);
  const gone: string[] = [];
  for (const [id, ps] of pathsOf) {
    if (ps.length === 0) continue;
    if (ps.every((p) => roots.some((r) => under(p, r)) && !blind.some((b) => under(p, b)))) gone.push(id);
  }
  return gone.sort();
}

/** Tables written per shard (arrhenius is rebuilt by merge from all shards' diffusion rows). */
export const SHARD_TABLES = [...TRAJECTORY_TABLES, 'failures'] as const;

/** OUT/<table>/shard=<i>/data.parquet for every table, holding this shard's trajectories only. */
async function exportShard(store: Store, out: string, shard: ShardSpec, ids: readonly string[]): Promise<void> {
  // The manifest goes first and comes back last: a shard=i folder without one is incomplete.
  removeShardManifest(out, shard.index + 1);
  await store.run('CREATE OR REPLACE TEMP TABLE shard_ids (trajectory_id VARCHAR)');
  if (ids.length) await store.run(`INSERT INTO shard_ids VALUES ${ids.map((id) => `(${sqlString(id)})`).join(',')}`);
  for (const table of SHARD_TABLES) {
    const dir = join(out, table, `shard=${shard.index + 1}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const where =
      table === 'failures'
        ? `trajectory_id IN (SELECT trajectory_id FROM shard_ids)${shard.index === 0 ? ' OR trajectory_id IS NULL' : ''}`
        : 'trajectory_id IN (SELECT trajectory_id FROM shard_ids)';
    const file = join(dir, 'data.parquet');
    await store.run(`COPY (SELECT * FROM ${table} WHERE ${where}) TO ${sqlString(file)} (FORMAT parquet)`);
  }
  writeShardManifest(out, shard.index + 1, shard.count);
}

/** One-paragraph summary for the terminal. */
export function formatSummary(s: IndexSummary): string {
  const secs = (s.elapsedMs / 1000).toFixed(1);
  const rate = s.indexed && s.elapsedMs ? ` (${((s.indexed * 1000) / s.elapsedMs).toFixed(2)} trajectories/s)` : '';
  const lines = [
    `${s.interrupted ? 'interrupted: ' : ''}indexed ${s.indexed}, skipped ${s.skipped} unchanged, failed ${s.failed}, removed ${s.removed} — ${s.selected} of ${s.discovered} trajectories in ${secs} s${rate}`,
    `database: ${s.db}`,
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`  failed [${f.stage}] ${f.message.split('\n')[0]}`);
  if (s.failures.length > 20) lines.push(`  … ${s.failures.length - 20} more (SELECT * FROM failures)`);
  return lines.join('\n');
}
