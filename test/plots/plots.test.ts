/**
 * Plots: every spec builder compiles without Vega-Lite warnings, every kind renders to SVG and
 * PNG from a database (queries + downsampling), and every PNG is a real, non-blank image of
 * the expected size. The PNGs of the run are kept in demo/plots/ (git-ignored) to look at.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import {
  arrheniusSpec,
  correlationSpec,
  descriptorSpec,
  hopTimelineSpec,
  msdSpec,
  screeningSpec,
  VEGA_LITE_MIME,
} from '../../src/plots/specs.js';
import { pearson } from '../../src/stats/correlation.js';
import { buildPlot, descriptorColumns, hopTimelineSql, msdSql, type QueryFn } from '../../src/plots/queries.js';
import { compileSpec, renderSvg, svgToPng } from '../../src/plots/render.js';
import { PLOT_KINDS } from '../../src/plots/types.js';
import { run as plotCli } from '../../src/cli/plot.js';
import { FIXTURE_TRAJECTORIES, makeFixtureDb } from './fixture.js';
import { colourCount, inkFraction, pngSize } from './png.js';

const demoDir = resolve(import.meta.dirname, '../../demo/plots');
let dir: string;
let dbPath: string;
let store: Store;
let q: QueryFn;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-plots-'));
  dbPath = join(dir, 'fixture.duckdb');
  await makeFixtureDb(dbPath);
  store = await Store.open(dbPath, { readOnly: true });
  q = (sql) => store.query(sql) as Promise<Record<string, unknown>[]>;
  mkdirSync(demoDir, { recursive: true });
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('spec builders on sample rows', () => {
  const specs = {
    hops: hopTimelineSpec([
      { atom: 0, element: 'Li', event_id: 0, start_ps: 1, duration_ps: 0.2, group_id: null },
      { atom: 1, element: 'Li', event_id: 1, start_ps: 2, duration_ps: 0.3, group_id: 0, n_bodies: 2 },
      { atom: 2, element: 'Li', event_id: 2, start_ps: 2.1, duration_ps: 0.3, group_id: 0, n_bodies: 2 },
    ]),
    correlations: correlationSpec(
      [1, 2, 3, 4].map((n) => ({ series: 'A Li', n_bodies: n, fraction: Math.exp(-n) / 0.58 })),
      [{ series: 'A Li', offset: 0, amplitude: 1 / 0.58, decay_rate: 1, r2: 0.99 }],
    ),
    descriptor: descriptorSpec(
      [0.1, 0.2, 0.3, 0.5, 0.1, 0.2, 0.3].map((x, i) => ({ material: `M${i % 4}`, element: 'Li', temperature_k: i < 4 ? 500 : 700, x, d_cm2_s: 10 ** (-7 + 4 * x + (i < 4 ? 0 : 1)) })),
      'hop_rate_per_ion_ps',
    ),
    arrhenius: arrheniusSpec(
      [500, 600, 700].map((T) => ({ material: 'A', element: 'Li', temperature_k: T, d_cm2_s: 1e-3 * Math.exp(-0.3 / (8.617e-5 * T)) })),
      [{ material: 'A', element: 'Li', ea_ev: 0.3, ea_err_ev: 0.01, d0_cm2_s: 1e-3 }],
    ),
    msd: msdSpec(
      [0, 1, 2, 3, 4].map((t) => ({ series: 'A Li 600 K', time_ps: t, msd_a2: 0.5 + 3 * t })),
      [{ series: 'A Li 600 K', fit_start_ps: 1, fit_end_ps: 3, d_cm2_s: 5e-5 }],
    ),
    screening: screeningSpec([
      { material: 'A', element: 'Li', d_cm2_s: 1e-6, ea_ev: 0.2, haven_ratio: 0.5, concerted_fraction: 0.4 },
      { material: 'B', element: 'Na', d_cm2_s: 1e-8, ea_ev: 0.4, haven_ratio: null, concerted_fraction: 0.1 },
    ]),
  };

  for (const [kind, spec] of Object.entries(specs)) {
    it(`${kind}: compiles with no Vega-Lite warnings`, () => {
      const { vega, warnings } = compileSpec(spec);
      expect(warnings).toEqual([]);
      expect(vega.marks?.length ?? 0).toBeGreaterThan(0);
      expect(String(spec.$schema)).toContain('vega-lite/v');
    });
  }

  it('Pearson r, the legend labels and the MIME type', () => {
    expect(pearson([1, 2, 3], [2, 4, 6]).r).toBeCloseTo(1, 12);
    expect(pearson([1, 2, 3], [3, 2, 1]).r).toBeCloseTo(-1, 12);
    expect(Number.isNaN(pearson([1], [1]).r)).toBe(true);
    // r at each temperature and with 1/T held fixed, never the pooled r alone.
    expect(JSON.stringify(specs.descriptor.title)).toContain('r of log10 D at fixed T: 500 K 1.00 (n = 4), 700 K 1.00 (n = 3)');
    expect(JSON.stringify(specs.descriptor.title)).toContain('partial r with 1/T held fixed: 1.00 (n = 7)');
    expect(JSON.stringify(specs.arrhenius)).toContain('Ea = 0.300 ± 0.01 eV');
    expect(JSON.stringify(specs.correlations)).toContain('k = 1.00');
    expect(VEGA_LITE_MIME).toMatch(/^application\/vnd\.vegalite\.v\d+\+json$/);
  });
});

describe('plots from a database', () => {
  for (const kind of PLOT_KINDS) {
    it(`${kind}: SVG with marks and a valid, non-blank PNG of the expected size`, async () => {
      const spec = await buildPlot(q, kind);
      expect(compileSpec(spec).warnings).toEqual([]);
      const svg = await renderSvg(spec);
      expect(svg.startsWith('<svg')).toBe(true);
      expect((svg.match(/<path|<line|<rect/g) ?? []).length).toBeGreaterThan(10);
      expect(svg).toContain('font-family');
      const svgWidth = Number(/<svg[^>]* width="([\d.]+)"/.exec(svg)![1]);
      const svgHeight = Number(/<svg[^>]* height="([\d.]+)"/.exec(svg)![1]);

      const out = svgToPng(svg, { width: 1200 });
      writeFileSync(join(demoDir, `${kind}.png`), out.png);
      const png = readFileSync(join(demoDir, `${kind}.png`));
      const size = pngSize(png);
      expect(size).toEqual({ width: 1200, height: out.height });
      expect(size.height).toBeCloseTo((svgHeight * 1200) / svgWidth, -1);
      expect(png.length).toBeGreaterThan(10_000);
      expect(inkFraction(svg)).toBeGreaterThan(0.01);
      expect(colourCount(svg)).toBeGreaterThan(2);
    });
  }

  it('downsamples in DuckDB', async () => {
    const all = await q(hopTimelineSql({}));
    const few = await q(hopTimelineSql({ maxPoints: 200 }));
    expect(all.length).toBeGreaterThan(1000);
    expect(few.length).toBeLessThanOrEqual(200);
    expect(few.length).toBeGreaterThan(0);
    // Whole ions are kept: no ion is cut in the middle of its timeline.
    const atoms = new Set(few.map((r) => r.atom));
    const full = all.filter((r) => atoms.has(r.atom));
    expect(few.length === full.length || atoms.size === 1).toBe(true);
    const msd = await q(msdSql({ maxPoints: 400 }));
    expect(msd.length).toBeLessThanOrEqual(400 + 16);
    expect(new Set(msd.map((r) => r.series)).size).toBeGreaterThan(1);
  });

  it('offers the numeric descriptors of the view as x axes, with non-null values', async () => {
    const cols = descriptorColumns();
    expect(cols).toContain('hop_rate_per_ion_ps');
    expect(cols).not.toContain('d_tracer_cm2_s');
    const types = await q(`SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = 'descriptors'`);
    for (const c of cols) expect(types.find((t) => t.column_name === c)?.data_type, c).toMatch(/^(DOUBLE|INTEGER)$/);
    const spec = await buildPlot(q, 'descriptor', { descriptor: 'concerted_fraction' });
    expect(JSON.stringify(spec)).toContain('concerted_fraction');
  });

  it('filters by material, element and trajectory', async () => {
    const spec = await buildPlot(q, 'arrhenius', { material: 'Li3YCl6' });
    expect(JSON.stringify(spec)).toContain('Li3YCl6');
    expect(JSON.stringify(spec)).not.toContain('Li6PS5Cl');
    const hops = await buildPlot(q, 'hops', { trajectory: 'Li6PS5Cl-800K', element: 'Li' });
    expect(String(hops.title)).toMatch(/hops of 24 ions/);
    await expect(buildPlot(q, 'descriptor', { descriptor: 'no_such_column' })).rejects.toThrow(/unknown descriptor/);
    expect((await q('SELECT count(*) AS n FROM trajectories'))[0].n).toBe(FIXTURE_TRAJECTORIES);
  });
});

describe('ionsift plot (CLI)', () => {
  it('writes SVG, PNG and the JSON spec; rejects bad input', async () => {
    const svg = join(dir, 'a.svg');
    const png = join(dir, 'a.png');
    const json = join(dir, 'a.json');
    expect(await plotCli(['arrhenius', '--db', dbPath, '--out', svg])).toBe(0);
    expect(readFileSync(svg, 'utf8')).toMatch(/^<svg/);
    expect(await plotCli(['screening', '--db', dbPath, '--out', png, '--width', '900', '--top', '2'])).toBe(0);
    expect(pngSize(readFileSync(png)).width).toBe(900);
    expect(await plotCli(['msd', '--db', dbPath, '--out', json, '--material', 'Li3YCl6'])).toBe(0);
    expect(JSON.parse(readFileSync(json, 'utf8')).$schema).toContain('vega-lite');
    expect(await plotCli(['nope', '--db', dbPath, '--out', svg])).toBe(2);
    expect(await plotCli(['hops', '--db', dbPath])).toBe(2);
    expect(await plotCli(['descriptor', '--db', dbPath, '--out', svg, '--descriptor', 'bogus'])).toBe(1);
  });
});
