// Indexer mechanics (pool, incremental skip, failures, kill/resume, shards, locking) on tiny
// stub trajectories; the real load + analyze path is covered in indexer-real.test.ts.
import { appendFileSync, mkdtempSync, rmSync, utimesSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { Store } from '../../src/store/db.js';
import { mergeShards } from '../../src/store/shards.js';
import { cli, interruptedIndex, makeStubTree, snapshot, stubUrl } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-idx-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { processorUrl: stubUrl, progress: 'none' as const, jobs: 2 };

describe('indexer (stub processor)', () => {
  it('indexes, then skips unchanged, then re-analyses only the changed file', async () => {
    const data = join(root, 'inc');
    const files = makeStubTree(data, 6);
    const db = join(root, 'inc.duckdb');
    const s1 = await runIndex({ ...base, paths: [data], db });
    expect(s1).toMatchObject({ discovered: 6, indexed: 6, skipped: 0, failed: 0 });
    const before = await readIndexed(db);

    const s2 = await runIndex({ ...base, paths: [data], db });
    expect(s2).toMatchObject({ indexed: 0, skipped: 6, bytesRead: 0 });
    expect(await readIndexed(db)).toEqual(before);

    // Touched only (mtime): hashed, found unchanged, not re-analysed.
    utimesSync(files[1], new Date(), new Date(Date.now() + 5000));
    const s3 = await runIndex({ ...base, paths: [data], db });
    expect(s3).toMatchObject({ indexed: 0, skipped: 6 });
    expect(s3.bytesRead).toBeGreaterThan(0);
    expect(await readIndexed(db)).toEqual(before);

    appendFileSync(files[2], 'more\n');
    const s4 = await runIndex({ ...base, paths: [data], db });
    expect(s4).toMatchObject({ indexed: 1, skipped: 5 });
    const after = await readIndexed(db);
    const changed = Object.keys(after).filter((k) => after[k] !== before[k]);
    expect(changed).toHaveLength(1);

    // Changed parameters re-analyse everything.
    const s5 = await runIndex({ ...base, paths: [data], db, analysis: { method: 'iondiff' } });
    expect(s5).toMatchObject({ indexed: 6, skipped: 0 });
    const s = await Store.open(db, { readOnly: true });
    const [n] = await s.query('SELECT count(*) AS t, (SELECT count(*) FROM events) AS e FROM trajectories');
    expect(n).toEqual({ t: 6, e: 18 });
    s.close();
  });

  it('a bad file becomes a failures row naming it; the good ones are indexed', async () => {
    const data = join(root, 'mixed');
    const files = makeStubTree(data, 5, [1, 3]);
    const db = join(root, 'mixed.duckdb');
    const sum = await runIndex({ ...base, paths: [data, join(root, 'no-such-dir')], db });
    expect(sum).toMatchObject({ indexed: 3, failed: 3 });
    const s = await Store.open(db, { readOnly: true });
    const f = await s.query('SELECT path, stage, message FROM failures ORDER BY path');
    s.close();
    expect(f.map((r) => r.path)).toEqual([files[1], files[3], join(root, 'no-such-dir')].sort());
    const bad = f.find((r) => r.path === files[1]);
    expect(bad?.stage).toBe('read');
    expect(String(bad?.message)).toContain(`${files[1]}, line 3`);
    // Fixing the file clears its failure on the next run.
    appendFileSync(files[1], '');
    const { writeFileSync } = await import('node:fs');
    writeFileSync(files[1], 'T=600\nfixed\n');
    await runIndex({ ...base, paths: [data], db });
    const s2 = await Store.open(db, { readOnly: true });
    const paths = (await s2.query('SELECT path FROM failures')).map((r) => r.path);
    s2.close();
    expect(paths).not.toContain(files[1]);
  });

  it('two shards + merge equal a single run', async () => {
    const data = join(root, 'shard');
    makeStubTree(data, 7, [4]);
    const single = join(root, 'single.duckdb');
    await runIndex({ ...base, paths: [data], db: single });
    const out = join(root, 'shards-out');
    const a = await runIndex({ ...base, paths: [data], out, shard: { index: 0, count: 2 } });
    const b = await runIndex({ ...base, paths: [data], out, shard: { index: 1, count: 2 } });
    expect(a.selected + b.selected).toBe(7);
    expect(existsSync(join(out, 'events', 'shard=1', 'data.parquet'))).toBe(true);
    expect(existsSync(join(out, 'events', 'shard=2', 'data.parquet'))).toBe(true);
    const merged = join(root, 'merged.duckdb');
    await mergeShards(out, merged);
    expect(await snapshot(merged)).toEqual(await snapshot(single));
    // Merging again replaces rather than duplicates.
    await mergeShards(out, merged);
    expect(await snapshot(merged)).toEqual(await snapshot(single));
  });

  it('SIGKILL mid-run, then rerun, equals an uninterrupted run', async () => {
    const data = join(root, 'kill');
    makeStubTree(data, 10);
    const ref = join(root, 'kill-ref.duckdb');
    await runIndex({ ...base, paths: [data], db: ref });

    const db = join(root, 'kill.duckdb');
    const res = await interruptedIndex(data, db, 3, 'SIGKILL');
    expect(res.signal).toBe('SIGKILL');
    const partial = (res.stderr.match(/indexed /g) ?? []).length;
    expect(partial).toBeGreaterThan(0);
    expect(partial).toBeLessThan(10);

    const again = cli(['index', data, '--db', db, '--jobs', '2', '--progress', 'plain'], { IONSIFT_INDEX_PROCESSOR: stubUrl });
    const r2 = await again.done;
    expect(r2.code, r2.stderr).toBe(0);
    expect(r2.stdout).toMatch(/indexed \d+, skipped \d+ unchanged/);
    expect(await snapshot(db)).toEqual(await snapshot(ref));
  });

  it('a second writer gets a clear "database is locked" error', async () => {
    const db = join(root, 'lock.duckdb');
    const holder = await Store.open(db);
    try {
      const p = cli(['index', join(root, 'inc'), '--db', db], { IONSIFT_INDEX_PROCESSOR: stubUrl });
      const r = await p.done;
      expect(r.code).toBe(3);
      expect(r.stderr).toMatch(/database is locked by another process: .*lock\.duckdb/);
    } finally {
      holder.close();
    }
  });
});

async function readIndexed(db: string): Promise<Record<string, string>> {
  const s = await Store.open(db, { readOnly: true });
  const rows = await s.query<{ trajectory_id: string; indexed_at: Date }>('SELECT trajectory_id, indexed_at FROM trajectories');
  s.close();
  return Object.fromEntries(rows.map((r) => [r.trajectory_id, r.indexed_at.toISOString()]));
}

