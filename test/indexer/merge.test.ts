// ionsift merge: which shard folders it reads, and what a re-merge replaces.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { mergeShards } from '../../src/store/shards.js';
import { makeStubTree, snapshot, stubUrl } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-merge-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { processorUrl: stubUrl, progress: 'none' as const, jobs: 2 };

async function shardRun(data: string, out: string, n: number, only?: number[]): Promise<void> {
  for (let i = 0; i < n; i++) if (!only || only.includes(i + 1)) await runIndex({ ...base, paths: [data], out, shard: { index: i, count: n } });
}

describe('merge', () => {
  it('a trajectory merged before that now fails in its shard loses its old rows', async () => {
    const data = join(root, 'nowfails');
    const files = makeStubTree(data, 4);
    const out = join(root, 'nowfails-out');
    const merged = join(root, 'nowfails-merged.duckdb');
    await shardRun(data, out, 2);
    await mergeShards(out, merged);

    writeFileSync(files[1], 'T=600\nBAD\n');
    await shardRun(data, out, 2);
    await mergeShards(out, merged);
    const single = join(root, 'nowfails-single.duckdb');
    await runIndex({ ...base, paths: [data], db: single });
    expect(await snapshot(merged)).toEqual(await snapshot(single));
  });

  it('n=3 then n=2 into the same OUT merges only shard=1..2; a mixed OUT is refused', async () => {
    const data = join(root, 'resize');
    makeStubTree(data, 7, [2]);
    const out = join(root, 'resize-out');
    await shardRun(data, out, 3);
    await shardRun(data, out, 2);
    const merged = join(root, 'resize-merged.duckdb');
    const sum = await mergeShards(out, merged);
    expect(sum.shards).toBe(2);
    const single = join(root, 'resize-single.duckdb');
    await runIndex({ ...base, paths: [data], db: single });
    expect(await snapshot(merged)).toEqual(await snapshot(single));

    // Back to n=3, but only shard 1 has run: shard=2 is from the n=2 series.
    await shardRun(data, out, 3, [1]);
    await expect(mergeShards(out, join(root, 'resize-mixed.duckdb'))).rejects.toThrow(/do not form one run: the newest, shard=1, was written by --shard 1\/3, but shard=2 was written by --shard 2\/2/);
  });

  it('an OUT whose name holds glob characters is read literally', async () => {
    const data = join(root, 'glob');
    makeStubTree(data, 3);
    const other = join(root, 'glob-other');
    makeStubTree(other, 5);
    const single = join(root, 'glob-single.duckdb');
    await runIndex({ ...base, paths: [data], db: single });
    for (const [name, decoy] of [['o*', 'o-decoy'], ['p[1]', 'p1']]) {
      // A sibling the path would match as a glob, holding other trajectories.
      await shardRun(other, join(root, decoy), 1);
      const out = join(root, name);
      await shardRun(data, out, 2);
      const merged = join(root, `glob-${decoy}.duckdb`);
      await mergeShards(out, merged);
      expect(await snapshot(merged), name).toEqual(await snapshot(single));
    }
  });
});
