/**
 * The Parquet side of `ionsift index --shard i/n --out OUT`: one shard's rows of every
 * per-trajectory table written to OUT/<table>/shard=<i>/data.parquet, read back by mergeShards.
 */
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { SHARD_TABLES, sqlString, type Store } from './db.js';
import { removeShardManifest, writeShardManifest } from './shards.js';

/**
 * OUT/<table>/shard=<number>/data.parquet for every table, holding the rows of `ids` only; shard 1
 * also carries the discovery failures (they belong to no trajectory, and a merge needs them once).
 * `number` is 1-based, of `count` shards.
 */
export async function exportShard(store: Store, out: string, number: number, count: number, ids: readonly string[]): Promise<void> {
  // The manifest goes first and comes back last: a shard=i folder without one is incomplete.
  removeShardManifest(out, number);
  await store.run('CREATE OR REPLACE TEMP TABLE shard_ids (trajectory_id VARCHAR)');
  if (ids.length) await store.run(`INSERT INTO shard_ids VALUES ${ids.map((id) => `(${sqlString(id)})`).join(',')}`);
  for (const table of SHARD_TABLES) {
    const dir = join(out, table, `shard=${number}`);
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    const where =
      table === 'failures'
        ? `trajectory_id IN (SELECT trajectory_id FROM shard_ids)${number === 1 ? ' OR trajectory_id IS NULL' : ''}`
        : 'trajectory_id IN (SELECT trajectory_id FROM shard_ids)';
    const file = join(dir, 'data.parquet');
    await store.run(`COPY (SELECT * FROM ${table} WHERE ${where}) TO ${sqlString(file)} (FORMAT parquet)`);
  }
  writeShardManifest(out, number, count);
}
