/**
 * The notebook API as a user meets it: rows typed from the schema with no type parameter,
 * options checked with the valid keys listed, one message for an empty selection in every
 * chart, an Arrow table displayed as a table, help for the plot kinds.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, expectTypeOf, it, vi } from 'vitest';
import { display, num, open, plot, PLOT_KINDS, type NotebookDatabase, type PlotOptions } from '../../src/notebook/index.js';
import { PlotInputError } from '../../src/plots/types.js';
import { rowTypesSource } from '../../src/notebook/row-types-source.js';
import { FIXTURE_MATERIALS, makeFixtureDb } from '../plots/fixture.js';

let dir: string;
let db: NotebookDatabase;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-nbapi2-'));
  await makeFixtureDb(join(dir, 'f.duckdb'));
  db = await open(join(dir, 'f.duckdb'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const quietly = async <T>(f: () => Promise<T>): Promise<T> => {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    return await f();
  } finally {
    log.mockRestore();
  }
};

describe('typed rows', () => {
  it('src/notebook/table-rows.ts is up to date with the schema (npx tsx scripts/schema-sql.ts)', () => {
    expect(readFileSync(join(import.meta.dirname, '../../src/notebook/table-rows.ts'), 'utf8')).toBe(rowTypesSource());
  });

  it('SELECT * FROM a table gives its row type; usable in arithmetic and as a plot filter', async () => {
    const rows = await db.query('SELECT * FROM diffusion ORDER BY d_tracer_cm2_s DESC');
    expectTypeOf(rows[0].d_tracer_cm2_s).toEqualTypeOf<number | null>();
    expectTypeOf(rows[0].trajectory_id).toEqualTypeOf<string>();
    expect((rows[0].d_tracer_cm2_s ?? 0) * 2).toBeGreaterThan(0);
    const runs = await db.rows('trajectories', { orderBy: 'temperature_k' });
    expectTypeOf(runs[0].temperature_k).toEqualTypeOf<number | null>();
    const chart = await quietly(() => plot.hops({ trajectory: runs[0].trajectory_id }));
    expect(JSON.stringify(chart.spec.title)).toContain(`${runs[0].material} 500 K`);
    // Other queries are Row; num() makes a number of a value or says why not.
    const [c] = await db.query('SELECT count(*) AS n FROM trajectories');
    expect(num(c.n) * 2).toBe(24);
    expect(() => num(null, 'n')).toThrow('n is null (not resolved), not a number');
    await expect(db.rows('nope' as 'diffusion')).rejects.toThrow(/no table or view "nope".*diffusion/);
  });
});

describe('plot options and empty selections', () => {
  it('temperature_k is an option; an unknown key is refused with the valid ones', async () => {
    const o: PlotOptions = { material: FIXTURE_MATERIALS[0].material, temperature_k: 600 };
    const c = await quietly(() => plot.msd(o));
    expect(JSON.stringify(c.spec)).toContain('600 K');
    const bad = { material: 'x', temp: 600 } as unknown as PlotOptions;
    await expect(plot.msd(bad)).rejects.toThrow(
      'plot.msd: unknown option "temp"; valid options: material, element, temperature_k, trajectory, descriptor, top, maxPoints, basis, title, width',
    );
    await expect(plot.hops({ trajectory: null } as unknown as PlotOptions)).rejects.toThrow('option trajectory must be a trajectory_id (string), got null');
  });

  it('every kind answers a filter that matches nothing with the same sentence, as a PlotInputError', async () => {
    for (const kind of PLOT_KINDS) {
      const err = await db.chart(kind, { material: 'Nonexistium' }).catch((e: unknown) => e);
      expect(err, kind).toBeInstanceOf(PlotInputError);
      expect((err as Error).message, kind).toMatch(new RegExp(`^${kind}: no .* match material = "Nonexistium": there is no material "Nonexistium" \\(materials: Li3YCl6, Li6PS5Cl, Li7La3Zr2O12\\)$`));
    }
    const t = await db.chart('arrhenius', { material: FIXTURE_MATERIALS[0].material, temperature_k: 450 }).catch((e: unknown) => e);
    expect((t as Error).message).toBe(`arrhenius: no positive tracer D values match material = "${FIXTURE_MATERIALS[0].material}", temperature_k = 450: no run at 450 K for ${FIXTURE_MATERIALS[0].material} (temperatures: 500 K, 600 K, 700 K, 800 K)`);
  });

  it('an unknown descriptor lists the valid ones in one sentence', async () => {
    const err = (await db.chart('descriptor', { descriptor: 'nope' }).catch((e: unknown) => e)) as PlotInputError;
    expect(err).toBeInstanceOf(PlotInputError);
    expect(err.userError).toBe(true);
    expect(err.message).toMatch(/^unknown descriptor "nope"; choose one of: .*hop_rate_per_ion_ps/);
    expect(err.message).not.toContain('\n');
  });

  it('plot.help lists every kind and option', () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      plot.help();
      const text = String(log.mock.calls[0][0]);
      for (const k of PLOT_KINDS) expect(text).toContain(`plot.${k}`);
      for (const k of ['temperature_k', 'basis', 'maxPoints', 'width']) expect(text).toContain(`\`${k}\``);
    } finally {
      log.mockRestore();
    }
  });
});

describe('display', () => {
  it('shows an Arrow table as a table of its rows, not its schema', async () => {
    const t = await db.arrow('SELECT material, temperature_k FROM trajectories ORDER BY 1, 2 LIMIT 2');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await display(t);
      const text = String(log.mock.calls[0][0]);
      expect(text).toMatch(/^material\s+temperature_k\s*\n-+\s+-+\s*\nLi3YCl6\s+500\s*\nLi3YCl6\s+600\s*\n\(2 rows\)$/);
    } finally {
      log.mockRestore();
    }
  });
});
