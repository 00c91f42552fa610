// Ctrl-C: the run stops cleanly (the current write finishes, nothing new starts, nothing is half
// written), the CLI prints an "interrupted:" summary and exits 130, and a rerun completes the index.
// With both pools; with worker processes also Ctrl-C at a terminal (the signal reaches the whole
// process group, workers included) and a killed CLI (its workers must not outlive it).
import { existsSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PoolKind } from '../../src/indexer/pool.js';
import { runIndex } from '../../src/indexer/run.js';
import { cli, interruptedIndex, makeStubTree, readRows, snapshot, stubUrl } from './helpers.js';

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

const cases: { pool: PoolKind; group: boolean }[] = [
  { pool: 'process', group: false },
  { pool: 'process', group: true },
  { pool: 'thread', group: false },
];

describe.each(cases)('interrupt ($pool pool, signal to the process group: $group)', ({ pool, group }) => {
  const tag = `${pool}-${group ? 'group' : 'cli'}`;
  it('SIGINT mid-run: exit 130, an interrupted summary, whole trajectories only; a rerun completes it', async () => {
    const data = join(root, `sigint-${tag}`);
    makeStubTree(data, 10);
    const ref = join(root, `sigint-ref-${tag}.duckdb`);
    await runIndex({ ...base, pool, paths: [data], db: ref });

    const db = join(root, `sigint-${tag}.duckdb`);
    const res = await interruptedIndex(data, db, 2, 'SIGINT', 500, ['--pool', pool], group);
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

    const again = await runIndex({ ...base, pool, paths: [data], db });
    expect(again).toMatchObject({ interrupted: false, indexed: 10 - after.t, skipped: after.t, removed: 0 });
    expect(await snapshot(db)).toEqual(await snapshot(ref));
  }, 120_000);

  if (!group) it('an abort during the analysis: the running analysis is dropped and nothing is removed', async () => {
    const data = join(root, `abort-${tag}`);
    makeStubTree(data, 3);
    const db = join(root, `abort-${tag}.duckdb`);
    await runIndex({ ...base, pool, paths: [data], db });
    // A new id to analyse (slowly) and a vanished one that only a complete run may remove.
    renameSync(join(data, 'mat-a'), join(data, 'mat-z'));
    const ac = new AbortController();
    const started = join(root, `abort-started-${tag}`);
    process.env.STUB_DELAY_MS = '5000';
    process.env.STUB_STARTED_FILE = started;
    try {
      // Abort once the analysis runs (a fixed delay raced the store's opening on a loaded machine).
      const poll = setInterval(() => existsSync(started) && ac.abort(), 20);
      const s = await runIndex({ ...base, pool, paths: [data], db, signal: ac.signal }).finally(() => clearInterval(poll));
      expect(s).toMatchObject({ interrupted: true, indexed: 0, skipped: 2, failed: 0, removed: 0 });
    } finally {
      delete process.env.STUB_DELAY_MS;
      delete process.env.STUB_STARTED_FILE;
    }
    expect(await rows(db)).toEqual({ t: 3, bare: 0 });
  }, 120_000);
});

/** Pids of live processes whose environment holds `marker` (Linux /proc; unreadable ones are skipped). */
function processesWith(marker: string): number[] {
  const pids: number[] = [];
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/environ`, 'latin1').includes(marker)) pids.push(Number(d));
    } catch {
      // gone, or not ours
    }
  }
  return pids;
}

describe.runIf(existsSync('/proc/self/environ'))('worker processes of a killed CLI', () => {
  it('SIGKILL of the CLI: its worker processes exit too (no orphans left analysing)', async () => {
    const data = join(root, 'orphans');
    makeStubTree(data, 6);
    const marker = `IONSIFT_ORPHAN_TEST=${process.pid}-${Date.now()}`;
    const [k, v] = marker.split('=');
    const p = cli(['index', data, '--db', join(root, 'orphans.duckdb'), '--jobs', '2', '--pool', 'process', '--progress', 'plain'], { IONSIFT_INDEX_PROCESSOR: stubUrl, STUB_DELAY_MS: '2000', [k]: v });
    const t0 = Date.now();
    // Both workers running (the CLI itself carries the marker too).
    while (processesWith(marker).length < 3 && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 50));
    expect(processesWith(marker).length).toBe(3);
    p.kill('SIGKILL');
    await p.done;
    const t1 = Date.now();
    while (processesWith(marker).length > 0 && Date.now() - t1 < 10_000) await new Promise((r) => setTimeout(r, 50));
    expect(processesWith(marker)).toEqual([]);
  }, 120_000);
});
