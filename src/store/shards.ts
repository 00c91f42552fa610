/**
 * `ionsift merge OUT --db FILE`: build one database from the Parquet partitions written by
 * `ionsift index --shard i/n --out OUT` (OUT/<table>/shard=<i>/*.parquet), in one transaction,
 * then rebuild `arrhenius` across all shards — the same tables a single run would have built.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { SHARD_TABLES, Store, TRAJECTORY_TABLES, sqlIdent, sqlString, type Sandbox } from './db.js';
import { createViewSql } from './ddl.js';
import { VIEWS } from './tables/registry.js';
import { recomputeArrhenius } from './ingest.js';

export interface MergeSummary {
  shards: number;
  trajectories: number;
  rows: Record<string, number>;
}

/**
 * Each shard run writes OUT/manifest/shard=<i>.json ({ index: i, count: n }) after its Parquet
 * files, and removes it before touching them: merge reads exactly shard=1..n of one `--shard i/n`
 * series, never a leftover shard=3 of an earlier n=3 run in the same OUT.
 */
export interface ShardManifest {
  /** 1-based. */
  index: number;
  count: number;
  writtenAt: string;
}

export function shardManifestPath(out: string, index: number): string {
  return join(out, 'manifest', `shard=${index}.json`);
}

/** Remove shard i's manifest (before its Parquet files are rewritten). */
export function removeShardManifest(out: string, index: number): void {
  rmSync(shardManifestPath(out, index), { force: true });
}

/** Write shard i's manifest (after its Parquet files are complete). */
export function writeShardManifest(out: string, index: number, count: number): void {
  const file = shardManifestPath(out, index);
  mkdirSync(join(out, 'manifest'), { recursive: true });
  const m: ShardManifest = { index, count, writtenAt: new Date().toISOString() };
  writeFileSync(`${file}.tmp`, JSON.stringify(m) + '\n');
  renameSync(`${file}.tmp`, file);
}

function readManifests(out: string): Map<number, ShardManifest> {
  const dir = join(out, 'manifest');
  const found = new Map<number, ShardManifest>();
  if (!existsSync(dir)) return found;
  for (const f of readdirSync(dir)) {
    const m = /^shard=(\d+)\.json$/.exec(f);
    if (!m) continue;
    const v = JSON.parse(readFileSync(join(dir, f), 'utf8')) as ShardManifest;
    if (v.index !== Number(m[1]) || !(v.count >= 1)) throw new Error(`${join(dir, f)}: not a valid shard manifest`);
    found.set(v.index, v);
  }
  return found;
}

/**
 * The shard numbers to merge: 1..n of the newest `--shard i/n` series, refused when that series
 * is incomplete or mixed with another n. An OUT without manifests (older ionsift) merges every
 * shard=<i> folder, as before.
 */
export function selectShards(out: string): number[] | null {
  const manifests = readManifests(out);
  if (manifests.size === 0) return null;
  const newest = [...manifests.values()].sort((a, b) => (a.writtenAt < b.writtenAt ? 1 : a.writtenAt > b.writtenAt ? -1 : 0))[0];
  const n = newest.count;
  const problems: string[] = [];
  for (let i = 1; i <= n; i++) {
    const m = manifests.get(i);
    if (!m) problems.push(`shard=${i} is missing (not run, still running or interrupted)`);
    else if (m.count !== n) problems.push(`shard=${i} was written by --shard ${i}/${m.count}`);
  }
  if (problems.length) {
    throw new Error(
      `${out}: the shards do not form one run: the newest, shard=${newest.index}, was written by --shard ${newest.index}/${n}, but ${problems.join('; ')}. ` +
        `Re-run the missing shards with --shard i/${n}, or use a fresh --out folder.`,
    );
  }
  return Array.from({ length: n }, (_, k) => k + 1);
}

function shardFiles(out: string, table: string, shards: number[] | null): string[] {
  const dir = join(out, table);
  if (!existsSync(dir)) return [];
  const wanted = shards ? new Set(shards.map((i) => `shard=${i}`)) : null;
  const files: string[] = [];
  for (const part of readdirSync(dir).filter((d) => d.startsWith('shard=') && (!wanted || wanted.has(d))).sort()) {
    for (const f of readdirSync(join(dir, part)).filter((f) => f.endsWith('.parquet')).sort()) files.push(join(dir, part, f));
  }
  return files;
}

/**
 * A path as a literal DuckDB file pattern: read_parquet treats `*`, `?` and `[` as glob
 * characters, so each is wrapped in a one-character class (`[*]`, `[?]`, `[[]`).
 */
export function globLiteral(path: string): string {
  return path.replace(/[[*?]/g, (c) => `[${c}]`);
}

export async function mergeShards(outDir: string, dbPath: string): Promise<MergeSummary> {
  const out = resolve(outDir);
  const shards = selectShards(out);
  const trajFiles = shardFiles(out, 'trajectories', shards);
  if (trajFiles.length === 0) throw new Error(`no shards found: expected ${join(out, 'trajectories', 'shard=<i>', '*.parquet')}`);
  const store = await Store.open(dbPath);
  const rows: Record<string, number> = {};
  try {
    await store.transaction(async () => {
      const read = (files: string[]): string => `read_parquet([${files.map((f) => sqlString(globLiteral(f))).join(', ')}], hive_partitioning = false)`;
      const failFiles = shardFiles(out, 'failures', shards);
      // Re-merging replaces: drop every trajectory the shards bring — with results or, now, a
      // failure (its old results must go, as a single run's recordFailure deletes them) — then insert.
      await store.run(`CREATE OR REPLACE TEMP TABLE merge_ids AS
        SELECT trajectory_id FROM ${read(trajFiles)}
        ${failFiles.length ? `UNION SELECT trajectory_id FROM ${read(failFiles)} WHERE trajectory_id IS NOT NULL` : ''}`);
      for (const table of TRAJECTORY_TABLES) {
        await store.run(`DELETE FROM ${table} WHERE trajectory_id IN (SELECT trajectory_id FROM merge_ids)`);
      }
      if (failFiles.length) {
        await store.run(`DELETE FROM failures WHERE trajectory_id IN (SELECT trajectory_id FROM merge_ids)
          OR path IN (SELECT path FROM ${read(failFiles)})`);
      }
      for (const table of SHARD_TABLES) {
        const files = shardFiles(out, table, shards);
        if (files.length === 0) continue;
        await store.run(`INSERT INTO ${table} BY NAME SELECT * FROM ${read(files)}`);
        const [r] = await store.query(`SELECT count(*) AS n FROM ${read(files)}`);
        rows[table] = Number(r.n);
      }
    });
    await recomputeArrhenius(store);
    await store.checkpoint();
    return { shards: shards?.length ?? trajFiles.length, trajectories: rows.trajectories ?? 0, rows };
  } finally {
    store.close();
  }
}

/**
 * The shards of `index --shard … --out OUT` as a queryable database without a merge: an
 * in-memory store whose per-trajectory tables are views over OUT's Parquet files (the newest
 * complete series, as `merge` would read), with the arrhenius table computed from them and the
 * views of the schema on top, so the same SQL answers as on a merged database. Sandboxed: the
 * SQL can read OUT and nothing else.
 */
export async function openShards(outDir: string, also: Sandbox = {}): Promise<Store> {
  const out = resolve(outDir);
  const shards = selectShards(out);
  if (shardFiles(out, 'trajectories', shards).length === 0) throw new Error(`no shards found: expected ${join(out, 'trajectories', 'shard=<i>', '*.parquet')}`);
  const store = await Store.open(':memory:', { sandbox: { allowPaths: also.allowPaths, allowDirectories: [out, ...(also.allowDirectories ?? [])] } });
  try {
    for (const v of VIEWS) await store.run(`DROP VIEW ${sqlIdent(v.name)}`);
    for (const table of SHARD_TABLES) {
      const files = shardFiles(out, table, shards);
      if (files.length === 0) continue; // no rows of this table in any shard: the empty table stays
      await store.run(`DROP TABLE ${sqlIdent(table)}`);
      await store.run(`CREATE VIEW ${sqlIdent(table)} AS SELECT * FROM read_parquet([${files.map((f) => sqlString(globLiteral(f))).join(', ')}], hive_partitioning = false)`);
    }
    for (const v of VIEWS) await store.run(createViewSql(v));
    await recomputeArrhenius(store);
    return store;
  } catch (err) {
    store.close();
    throw err;
  }
}
