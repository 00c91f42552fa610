// Batched writes of analysed trajectories (src/indexer/batch-writer.ts, store ingestTrajectories):
// identical databases for any number of workers, either pool (threads, processes) and any batch size, and one bad result in a
// batch fails alone. Uses the embedded datasets (datasets/), analysed for real.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pLimit from 'p-limit';
import { afterAll, describe, expect, it } from 'vitest';
import { BatchWriter } from '../../src/indexer/batch-writer.js';
import { RunContext } from '../../src/indexer/context.js';
import { discover, trajectoryIdOf } from '../../src/indexer/discover.js';
import { processTask } from '../../src/indexer/process.js';
import { Progress } from '../../src/indexer/progress.js';
import { runIndex } from '../../src/indexer/run.js';
import { compareDatabases } from '../../src/store/compare.js';
import { Store } from '../../src/store/db.js';
import { ingestTrajectories, type IngestItem } from '../../src/store/ingest.js';
import { repo } from './helpers.js';

const tmp = mkdtempSync(join(tmpdir(), 'ionsift-batch-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const data = [join(repo, 'datasets/Li-sc'), join(repo, 'datasets/Na-hex')];

describe('batched writes', () => {
  it('1 worker thread one transaction each = 2 worker threads in batches = 1 and 2 worker processes: every table row for row', async () => {
    const ref = join(tmp, 'ref.duckdb');
    const sRef = await runIndex({ paths: data, db: ref, jobs: 1, pool: 'thread', writeBatch: 1, progress: 'none' });
    expect(sRef).toMatchObject({ indexed: 6, failed: 0 });
    // Not vacuous: the analysis tables hold rows.
    const others = [
      { name: 'threads2', jobs: 2, pool: 'thread', writeBatch: 4 },
      { name: 'process1', jobs: 1, pool: 'process', writeBatch: 16 },
      { name: 'process2', jobs: 2, pool: 'process', writeBatch: 4 },
    ] as const;
    for (const o of others) {
      const db = join(tmp, `${o.name}.duckdb`);
      const s = await runIndex({ paths: data, db, jobs: o.jobs, pool: o.pool, writeBatch: o.writeBatch, progress: 'none' });
      expect(s, o.name).toMatchObject({ indexed: 6, failed: 0 });
      // The worker processes report their CPU; threads are this process's.
      if (o.pool === 'process') expect(s.children?.cpuS, o.name).toBeGreaterThan(0);
      else expect(s.children, o.name).toBeNull();
      const cmp = await compareDatabases(ref, db);
      expect(cmp.tables.filter((t) => t.problem || t.onlyInA || t.onlyInB), o.name).toEqual([]);
      expect(cmp.equal, o.name).toBe(true);
      const byName = Object.fromEntries(cmp.tables.map((t) => [t.table, t.rowsB]));
      expect(byName.trajectories).toBe(6);
      expect(byName.events).toBeGreaterThan(100);
      expect(byName.diffusion).toBeGreaterThanOrEqual(6);
    }
  }, 600_000);

  it('a batch with one unwritable result: the batch is all or nothing, the writer retries alone and fails only that one', async () => {
    const found = await discover([join(repo, 'datasets/Li-sc')]);
    expect(found.trajectories.length).toBe(3);
    const items: IngestItem[] = [];
    for (const t of found.trajectories) {
      const out = await processTask({ taskId: 0, trajectoryId: t.trajectoryId, trajectory: t, options: {} });
      if (!out.ok) throw new Error(out.message);
      const { meta, result } = out;
      items.push({ rec: { ...meta, trajectoryId: t.trajectoryId, name: t.name, paths: t.files, filesSignature: 's', durationPs: result.durationPs, paramsHash: 'p', analysisMs: out.ms }, result, replace: false });
    }
    // A NULL in a NOT NULL column (params_hash) makes its trajectories row unwritable.
    const bad: IngestItem = { ...items[0], rec: { ...items[0].rec, trajectoryId: 'bad-id', paramsHash: null as unknown as string } };

    const db1 = join(tmp, 'c.duckdb');
    const s1 = await Store.open(db1);
    await expect(ingestTrajectories(s1, [items[1], items[0], bad])).rejects.toThrow();
    expect(await s1.query('SELECT count(*)::INT AS n FROM trajectories')).toEqual([{ n: 0 }]);
    expect(await s1.query('SELECT count(*)::INT AS n FROM events')).toEqual([{ n: 0 }]);
    s1.close();

    const db2 = join(tmp, 'd.duckdb');
    const s2 = await Store.open(db2);
    const ctx = new RunContext(s2, new Progress('none'), pLimit(1));
    const writer = new BatchWriter(ctx, 8, 60_000, () => true);
    const written: string[] = [], failed: string[] = [];
    const entry = (it: IngestItem, tag: string) => ({ item: it, path: `/x/${tag}`, written: () => written.push(tag), failed: () => failed.push(tag) });
    const all = [writer.add(entry(items[0], 'a')), writer.add(entry(items[1], 'b')), writer.add(entry(bad, 'bad')), writer.add(entry(items[2], 'c'))];
    writer.flush();
    await Promise.all(all);
    await ctx.idle();
    expect(written.sort()).toEqual(['a', 'b', 'c']);
    expect(failed).toEqual(['bad']);
    const ids = (await s2.query<{ id: string }>('SELECT trajectory_id AS id FROM trajectories ORDER BY 1')).map((r) => r.id);
    expect(ids).toEqual(items.map((i) => i.rec.trajectoryId).sort());
    const f = await s2.query<{ path: string; stage: string }>('SELECT path, stage FROM failures');
    expect(f).toEqual([{ path: '/x/bad', stage: 'write' }]);
    expect(trajectoryIdOf(found.trajectories[0].files)).toBe(items[0].rec.trajectoryId);
    s2.close();
  }, 300_000);
});
