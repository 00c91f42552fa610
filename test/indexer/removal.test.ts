// Trajectories no longer discovered (renamed folder, a run gaining a file, a changed sidecar)
// get a new trajectory_id; an unsharded, uninterrupted run removes the old rows.
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { makeStubTree, readRows, snapshot, stubUrl } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-rm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { processorUrl: stubUrl, progress: 'none' as const, jobs: 2 };

async function counts(db: string): Promise<{ t: number; f: number; a: number }> {
  const [r] = await readRows<{ t: number; f: number; a: number }>(
    db,
    'SELECT (SELECT count(*) FROM trajectories) AS t, (SELECT count(*) FROM failures) AS f, (SELECT coalesce(sum(n_trajectories), 0) FROM arrhenius) AS a',
  );
  return r;
}

describe('removal of trajectories no longer discovered', () => {
  it('a renamed folder and a deleted bad file leave no stale rows; arrhenius counts each once', async () => {
    const data = join(root, 'ren');
    makeStubTree(data, 5, [3]);
    const db = join(root, 'ren.duckdb');
    const s1 = await runIndex({ ...base, paths: [data], db });
    expect(s1).toMatchObject({ indexed: 4, failed: 1, removed: 0 });
    expect(await counts(db)).toEqual({ t: 4, f: 1, a: 4 });

    renameSync(join(data, 'mat-a'), join(data, 'mat-renamed'));
    rmSync(join(data, 'mat-d'), { recursive: true }); // the bad one: its failures row must go too
    const s2 = await runIndex({ ...base, paths: [data], db });
    expect(s2).toMatchObject({ discovered: 4, indexed: 1, skipped: 3, removed: 2 });
    expect(await counts(db)).toEqual({ t: 4, f: 0, a: 4 });

    // Same as a fresh index of the tree as it is now.
    const fresh = join(root, 'ren-fresh.duckdb');
    await runIndex({ ...base, paths: [data], db: fresh });
    expect(await snapshot(db)).toEqual(await snapshot(fresh));
  });

  it('keeps trajectories outside the indexed paths, and under a path discovery could not see', async () => {
    const data = join(root, 'keep');
    makeStubTree(data, 3);
    const db = join(root, 'keep.duckdb');
    await runIndex({ ...base, paths: [data], db });
    // Indexing one sub-folder says nothing about its siblings.
    const s = await runIndex({ ...base, paths: [join(data, 'mat-b')], db });
    expect(s.removed).toBe(0);
    expect((await counts(db)).t).toBe(3);
    // A path that is missing now (e.g. an unmounted disk) is a discovery failure, not a deletion.
    renameSync(data, data + '-away');
    const s2 = await runIndex({ ...base, paths: [data], db });
    expect(s2.removed).toBe(0);
    expect((await counts(db)).t).toBe(3);
  });

  it('a shard run never removes', async () => {
    const data = join(root, 'shardkeep');
    makeStubTree(data, 2);
    const out = join(root, 'shardkeep-out');
    const db = join(root, 'shardkeep.duckdb');
    await runIndex({ ...base, paths: [data], db });
    renameSync(join(data, 'mat-a'), join(data, 'mat-z'));
    const s = await runIndex({ ...base, paths: [data], db, out, shard: { index: 0, count: 1 } });
    expect(s.removed).toBe(0);
  });
});
