/**
 * `index` stays responsive to SIGTERM (issue 17): with an analysis that never finishes, one
 * SIGTERM ends the process within the grace period, and the database holds whole trajectories only.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, makeStubTree, readRows, stubUrl } from '../indexer/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-sigterm-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('SIGTERM', () => {
  it('ends an index run whose current analysis never finishes, within the grace period', async () => {
    const data = join(root, 'data');
    makeStubTree(data, 3);
    const db = join(root, 'x.duckdb');
    const p = cli(['index', data, '--db', db, '--jobs', '1', '--progress', 'plain'], { IONSIFT_INDEX_PROCESSOR: stubUrl, STUB_DELAY_MS: '600000' });
    // Wait until the run is under way (the database exists and the first analysis is running).
    const t0 = Date.now();
    while (!/trajector/i.test(p.stderr()) && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 100));
    await new Promise((r) => setTimeout(r, 500));
    const sent = Date.now();
    p.kill('SIGTERM');
    const res = await p.done;
    expect(Date.now() - sent, res.stderr).toBeLessThan(9000);
    expect([130, 143]).toContain(res.code);
    const [{ t, bare }] = await readRows<{ t: number; bare: number }>(db,
      'SELECT (SELECT count(*) FROM trajectories) AS t, (SELECT count(*) FROM trajectories WHERE trajectory_id NOT IN (SELECT trajectory_id FROM atoms)) AS bare');
    expect(t).toBe(0);
    expect(bare).toBe(0);
  }, 60_000);
});
