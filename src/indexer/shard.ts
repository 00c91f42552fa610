/** `--shard i/n`: which deterministic slice of the discovered trajectories one run indexes. */
import { join, resolve } from 'node:path';

export interface ShardSpec {
  /** 0-based shard index. */
  index: number;
  count: number;
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

/** The private database of a shard run given no --db: OUT/.shard-<i>-of-<n>.duckdb. */
export function shardDbPath(out: string, shard: ShardSpec): string {
  return join(resolve(out), `.shard-${shard.index + 1}-of-${shard.count}.duckdb`);
}
