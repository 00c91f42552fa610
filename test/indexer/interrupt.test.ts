// Ctrl-C: the run stops cleanly (the current write finishes, nothing new starts, nothing is half
// written), the CLI prints an "interrupted:" summary and exits 130, and a rerun completes the index.
import { mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { interruptedIndex, makeStubTree, readRows, snapshot, stubUrl } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-int-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const base = { processorUrl: stubUrl, progress: 'none' as const, jobs: 2 };

/** Trajectories, and trajectories without their species rows (a half-written one would have none). */
async function rows(db: string): Promise<{ t: number; bare: number }> {
  const [r] = await readRows<{ t: number; bare: number }>(
    db,
    'SELECT count(*) AS t, count(*) FILTER (WHERE trajectory_id NOT IN (SELECT trajectory_id FROM species)) AS bare FROM trajectories',
  );
  return r;
}

describe('interrupt', () => {
  it('SIGINT mid-run: exit 130, an interrupted summary, whole trajectories only; a rerun completes it', async () => {
    const data = join(root, 'sigint');
    makeStubTree(data, 10);
    const ref = join(root, 'sigint-ref.duckdb');
    await runIndex({ ...base, paths: [data], db: ref });

    const db = join(root, 'sigint.duckdb');
    const res = await interruptedIndex(data, db, 2, 'SIGINT', 500);
    expect(res.code, res.stderr).toBe(130);
    expect(res.stderr).toMatch(/interrupt: finishing the current write/);
    const m = /^interrupted: indexed (\d+), skipped 0 unchanged, failed 0, removed 0 — 10 of 10 trajectories/m.exec(res.stdout);
    expect(m, res.stdout).not.toBeNull();
    const indexed = Number(m![1]);
    expect(indexed).toBeGreaterThan(0);
    expect(indexed).toBeLessThan(10);
    const after = await rows(db);
    // A write that finished as the interrupt came is stored but not counted as indexed.
    expect(after.t).toBeGreaterThanOrEqual(indexed);
    expect(after.t).toBeLessThan(10);
    expect(after.bare).toBe(0);

    const again = await runIndex({ ...base, paths: [data], db });
    expect(again).toMatchObject({ interrupted: false, indexed: 10 - after.t, skipped: after.t, removed: 0 });
    expect(await snapshot(db)).toEqual(await snapshot(ref));
  }, 60_000);

  it('an abort during the analysis: the running analysis is dropped and nothing is removed', async () => {
    const data = join(root, 'abort');
    makeStubTree(data, 3);
    const db = join(root, 'abort.duckdb');
    await runIndex({ ...base, paths: [data], db });
    // A new id to analyse (slowly) and a vanished one that only a complete run may remove.
    renameSync(join(data, 'mat-a'), join(data, 'mat-z'));
    const ac = new AbortController();
    process.env.STUB_DELAY_MS = '5000';
    try {
      setTimeout(() => ac.abort(), 500);
      const s = await runIndex({ ...base, paths: [data], db, signal: ac.signal });
      expect(s).toMatchObject({ interrupted: true, indexed: 0, skipped: 2, failed: 0, removed: 0 });
    } finally {
      delete process.env.STUB_DELAY_MS;
    }
    expect(await rows(db)).toEqual({ t: 3, bare: 0 });
  }, 60_000);
});
