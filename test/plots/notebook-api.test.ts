/** The notebook API in-process (outside a kernel): plain numbers, Arrow tables, SQL templating, charts. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inspect } from 'node:util';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Chart, currentDatabase, display, open, plot, sql, type NotebookDatabase } from '../../src/notebook/index.js';
import { FIXTURE_TRAJECTORIES, makeFixtureDb } from './fixture.js';
import { pngSize } from './png.js';

let dir: string;
let db: NotebookDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-nbapi-'));
  await makeFixtureDb(join(dir, 'f.duckdb'));
  db = await open(join(dir, 'f.duckdb'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('notebook API', () => {
  it('opens read-only and returns plain numbers', async () => {
    expect(db.readOnly).toBe(true);
    const [r] = await db.query<{ n: number; s: number }>('SELECT count(*) AS n, sum(n_atoms)::HUGEINT AS s FROM trajectories');
    expect(r.n).toBe(FIXTURE_TRAJECTORIES);
    expect(typeof r.s).toBe('number');
    await expect(db.query('CREATE TABLE x (a INT)')).rejects.toThrow(/read-only/i);
    expect(inspect(db)).toMatch(/read-only/);
  });

  it('returns Arrow tables with typed columns', async () => {
    const t = await db.arrow('SELECT atom, start_ps, element, count(*) OVER () AS n FROM events');
    expect(t.numRows).toBeGreaterThan(1000);
    expect(t.getChild('start_ps')!.toArray()).toBeInstanceOf(Float64Array);
    expect(t.getChild('atom')!.toArray()).toBeInstanceOf(Int32Array);
    expect(t.getChild('n')!.toArray()).toBeInstanceOf(Float64Array);
    expect(typeof t.get(0)!.element).toBe('string');
  });

  it('sql`…` quotes interpolated values and shows a table', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const evil = "x' OR 1=1 --";
      expect(await sql`SELECT * FROM trajectories WHERE material = ${evil}`).toHaveLength(0);
      const rows = await sql<{ n: number }>`SELECT count(*) AS n FROM trajectories WHERE temperature_k >= ${600}`;
      expect(rows[0].n).toBe(9);
      expect(String(log.mock.calls.at(-1)?.[0])).toMatch(/n\s*\n-+\s*\n9/);
    } finally {
      log.mockRestore();
    }
  });

  it('plot helpers return charts that render and save', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      expect(currentDatabase()).toBe(db);
      const c = await plot.arrhenius();
      expect(c).toBeInstanceOf(Chart);
      expect(inspect(c)).toMatch(/^Chart\(arrhenius/);
      expect(await c.svg()).toMatch(/^<svg/);
      expect(pngSize(await c.png({ width: 500 })).width).toBe(500);
      const chart = await db.chart('msd', { trajectory: 'Li3YCl6-600K', width: 300 });
      expect(chart.spec.width).toBe(300);
      await display(chart);
      await display([{ a: 1 }]);
      expect(log).toHaveBeenCalled();
      expect(await db.descriptors()).toContain('hop_rate_per_ion_ps');
    } finally {
      log.mockRestore();
    }
  });
});
