/**
 * `ionsift merge OUT --db FILE`: build one database from the Parquet partitions written by
 * `ionsift index --shard i/n --out OUT` (OUT/<table>/shard=<i>/*.parquet), in one transaction,
 * then rebuild `arrhenius` across all shards — the same tables a single run would have built.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Store, TRAJECTORY_TABLES, sqlString } from './db.js';
import { recomputeArrhenius } from './ingest.js';

export interface MergeSummary {
  shards: number;
  trajectories: number;
  rows: Record<string, number>;
}

const MERGED_TABLES = [...TRAJECTORY_TABLES, 'failures'] as const;

function shardFiles(out: string, table: string): string[] {
  const dir = join(out, table);
  if (!existsSync(dir)) return [];
  const files: string[] = [];
  for (const part of readdirSync(dir).filter((d) => d.startsWith('shard=')).sort()) {
    for (const f of readdirSync(join(dir, part)).filter((f) => f.endsWith('.parquet')).sort()) files.push(join(dir, part, f));
  }
  return files;
}

export async function mergeShards(outDir: string, dbPath: string): Promise<MergeSummary> {
  const out = resolve(outDir);
  const trajFiles = shardFiles(out, 'trajectories');
  if (trajFiles.length === 0) throw new Error(`no shards found: expected ${join(out, 'trajectories', 'shard=<i>', '*.parquet')}`);
  const store = await Store.open(dbPath);
  const rows: Record<string, number> = {};
  try {
    await store.transaction(async () => {
      const list = (files: string[]): string => `[${files.map(sqlString).join(', ')}]`;
      // Re-merging replaces: drop every trajectory the shards bring, then insert.
      await store.run(`CREATE OR REPLACE TEMP TABLE merge_ids AS SELECT DISTINCT trajectory_id FROM read_parquet(${list(trajFiles)}, hive_partitioning = false)`);
      for (const table of TRAJECTORY_TABLES) {
        await store.run(`DELETE FROM ${table} WHERE trajectory_id IN (SELECT trajectory_id FROM merge_ids)`);
      }
      const failFiles = shardFiles(out, 'failures');
      if (failFiles.length) {
        await store.run(`DELETE FROM failures WHERE trajectory_id IN (SELECT trajectory_id FROM merge_ids)
          OR path IN (SELECT path FROM read_parquet(${list(failFiles)}, hive_partitioning = false))`);
      }
      for (const table of MERGED_TABLES) {
        const files = shardFiles(out, table);
        if (files.length === 0) continue;
        await store.run(`INSERT INTO ${table} BY NAME SELECT * FROM read_parquet(${list(files)}, hive_partitioning = false)`);
        const [r] = await store.query(`SELECT count(*) AS n FROM read_parquet(${list(files)}, hive_partitioning = false)`);
        rows[table] = Number(r.n);
      }
    });
    await recomputeArrhenius(store);
    await store.checkpoint();
    return { shards: trajFiles.length, trajectories: rows.trajectories ?? 0, rows };
  } finally {
    store.close();
  }
}
