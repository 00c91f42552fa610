// compareDatabases (ionsift diff): equal databases compare equal whatever the wall times; one
// changed value, one extra row or a missing table is reported per table.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { compareDatabases } from '../../src/store/compare.js';
import { Store } from '../../src/store/db.js';
import { makeStubTree, stubUrl } from '../indexer/helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-compare-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function edit(db: string, sql: string): Promise<void> {
  const s = await Store.open(db);
  try {
    await s.conn.run(sql);
  } finally {
    s.close();
  }
}

describe('compareDatabases', () => {
  it('two runs over the same files are equal; a changed value and an extra row are counted', async () => {
    const data = join(root, 'data');
    makeStubTree(data, 3, [2]);
    const a = join(root, 'a.duckdb');
    const b = join(root, 'b.duckdb');
    await runIndex({ processorUrl: stubUrl, progress: 'none', jobs: 1, paths: [data], db: a });
    await runIndex({ processorUrl: stubUrl, progress: 'none', jobs: 2, paths: [data], db: b });
    const same = await compareDatabases(a, b);
    expect(same.tables.find((t) => t.table === 'failures')?.rowsA).toBe(1);
    expect(same.equal).toBe(true);

    const c = join(root, 'c.duckdb');
    copyFileSync(a, c);
    await edit(c, `UPDATE events SET length_a = length_a + 1e-12 WHERE event_id = (SELECT min(event_id) FROM events)`);
    await edit(c, `INSERT INTO failures SELECT * FROM failures`);
    const diff = await compareDatabases(a, c);
    expect(diff.equal).toBe(false);
    const ev = diff.tables.find((t) => t.table === 'events');
    expect(ev?.rowsA).toBeGreaterThan(0);
    // Only one event differs, even if several trajectories share its event_id.
    expect(ev?.onlyInA).toBe(ev?.onlyInB);
    expect(ev?.onlyInA).toBeGreaterThanOrEqual(1);
    const fl = diff.tables.find((t) => t.table === 'failures');
    expect([fl?.onlyInA, fl?.onlyInB, fl?.rowsB]).toEqual([0, 1, 2]);
    expect(diff.tables.filter((t) => !['events', 'failures'].includes(t.table)).every((t) => t.onlyInA === 0 && t.onlyInB === 0)).toBe(true);

    await edit(c, `DROP VIEW IF EXISTS descriptors; DROP TABLE arrhenius`);
    const broken = await compareDatabases(a, c);
    expect(broken.tables.find((t) => t.table === 'arrhenius')?.problem).toMatch(/arrhenius/);
  });
});
