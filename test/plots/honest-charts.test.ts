/** Charts that say what they show: titles, axes, colours, errors, and no fit where it does not hold. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { buildPlot, type QueryFn } from '../../src/plots/queries.js';
import { correlationSpec, hopTimelineSpec, ISOLATED_GREY, screeningSpec, seriesDecays } from '../../src/plots/specs.js';
import { formatHaven, havenEstimate } from '../../src/plots/haven.js';
import { temperatureCorrelation } from '../../src/plots/temperature-correlation.js';
import { compileSpec } from '../../src/plots/render.js';
import { FIXTURE_MATERIALS, makeFixtureDb } from './fixture.js';

let dir: string;
let store: Store;
let q: QueryFn;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-honest-'));
  await makeFixtureDb(join(dir, 'f.duckdb'));
  store = await Store.open(join(dir, 'f.duckdb'), { readOnly: true });
  q = (s) => store.query(s) as Promise<Record<string, unknown>[]>;
});
afterAll(() => {
  store?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('hop timeline', () => {
  const rows = Array.from({ length: 12 }, (_, g) => ({ atom: g, element: 'Li', event_id: g, start_ps: g, duration_ps: 0.2, group_id: g, n_bodies: 2, material: 'Li-sc', temperature_k: 800 }));
  rows.push({ atom: 20, element: 'Li', event_id: 20, start_ps: 3, duration_ps: 0.2, group_id: null as unknown as number, n_bodies: 1, material: 'Li-sc', temperature_k: 800 });
  const spec = hopTimelineSpec(rows) as unknown as { title: string; encoding: { color: { scale: { domain: string[]; range: string[] }; legend: object } } };

  it('names material, element and temperature in the title', () => {
    expect(spec.title).toBe('Hop timeline of Li-sc 800 K: 13 Li hops of 13 ions');
  });
  it('orders groups numerically, keeps grey for isolated hops only, and has a legend', () => {
    const { domain, range } = spec.encoding.color.scale;
    expect(domain).toEqual(['isolated', ...Array.from({ length: 12 }, (_, g) => `group ${g}`)]);
    expect(range[0]).toBe(ISOLATED_GREY);
    const grey = (c: string) => {
      const [r, g, b] = [1, 3, 5].map((i) => parseInt(c.slice(i, i + 2), 16));
      return Math.max(r, g, b) - Math.min(r, g, b) < 16;
    };
    expect(range.slice(1).filter(grey)).toEqual([]);
    expect(spec.encoding.color.legend).toBeTruthy();
    expect(compileSpec(spec as never).warnings).toEqual([]);
  });
  it('says which run it picked when several match, and names it', async () => {
    const s = (await buildPlot(q, 'hops', { material: FIXTURE_MATERIALS[0].material })) as unknown as { title: { text: string; subtitle: string } };
    expect(s.title.text).toMatch(new RegExp(`^Hop timeline of ${FIXTURE_MATERIALS[0].material} \\d+ K`));
    expect(s.title.subtitle).toMatch(/the run with most hops of 4 that match material = .*pass trajectory or temperature_k to choose/);
    const one = (await buildPlot(q, 'hops', { material: FIXTURE_MATERIALS[0].material, temperature_k: 600 })) as unknown as { title: unknown };
    expect(one.title).toBe(`Hop timeline of ${FIXTURE_MATERIALS[0].material} 600 K: ${String((one.title as string).split(': ')[1])}`);
  });
});

describe('n-body fits', () => {
  it('draws an exponential only over a distribution that decays', () => {
    const peaked = [1, 2, 3, 4, 5].map((n) => ({ series: 'P Li', n_bodies: n, fraction: [0.1, 0.2, 0.3, 0.25, 0.15][n - 1] }));
    const decaying = [1, 2, 3].map((n) => ({ series: 'D Li', n_bodies: n, fraction: Math.exp(-n) }));
    expect(seriesDecays(peaked, 0.24)).toBe(false);
    expect(seriesDecays(decaying, 1)).toBe(true);
    const spec = correlationSpec([...peaked, ...decaying], [
      { series: 'P Li', amplitude: 0.5, decay_rate: 0.24, r2: 0.3 },
      { series: 'D Li', amplitude: 1, decay_rate: 1, r2: 0.99 },
    ]) as unknown as { layer: { data: { values: { series: string }[] } }[] };
    const curves = new Set(spec.layer[0].data.values.map((v) => v.series));
    expect([...curves]).toEqual(['D Li (k = 1.00, r² = 0.99)']);
    expect(JSON.stringify(spec)).toContain('P Li (does not decay: no fit drawn)');
  });
});

describe('screening and the Haven ratio', () => {
  it('names the D on the axis: extrapolated to 300 K, or measured', async () => {
    const d300 = JSON.stringify(await buildPlot(q, 'screening'));
    const measured = JSON.stringify(await buildPlot(q, 'screening', { basis: 'measured' }));
    expect(d300).toContain('tracer D at 300 K, extrapolated from the Arrhenius fit (cm²/s)');
    expect(d300).toContain('top 3 candidates by D at 300 K (extrapolated)');
    expect(measured).toContain('highest measured tracer D (cm²/s)');
    expect(measured).not.toContain('300 K');
  });
  it('shows H with its error, and not resolved over a collective D within 2σ of zero', () => {
    const run = (dc: number, dcErr: number) => ({ material: 'M', element: 'Li', temperature_k: 600, d_tracer_cm2_s: 2e-5, d_tracer_err: 1e-6, d_collective_cm2_s: dc, d_collective_err: dcErr });
    // The case: collective D 4.9 ± 13.6 × 10⁻⁶ gave "H = 3.92".
    const bad = havenEstimate([run(4.9e-6, 13.6e-6)]);
    expect(bad.value).toBeNull();
    expect(formatHaven(bad)).toBe('not resolved');
    expect(bad.note).toMatch(/not resolved from zero/);
    const good = havenEstimate([run(4e-5, 4e-6)]);
    expect(good.value).toBeCloseTo(0.5, 12);
    expect(good.err).toBeCloseTo(0.5 * Math.hypot(0.05, 0.1), 12);
    expect(formatHaven(good)).toBe('0.50 ± 0.06');
    const spec = JSON.stringify(screeningSpec([{ material: 'M', element: 'Li', d_cm2_s: 1e-6, haven_ratio: null, haven_ratio_err: null }]));
    expect(spec).toContain("datum.haven === null ? '–' : datum.haven");
    expect(spec).toContain('"haven":"not resolved"');
  });
  it('pools H only across replicas at one temperature (the highest resolved), never across temperatures', () => {
    const run = (T: number, dc: number) => ({ material: 'M', element: 'Li', temperature_k: T, d_tracer_cm2_s: 2e-5, d_tracer_err: 1e-6, d_collective_cm2_s: dc, d_collective_err: dc / 10 });
    const e = havenEstimate([run(600, 4e-5), run(800, 2e-5), run(800, 2e-5), run(700, 1e-4)]);
    expect(e.value).toBeCloseTo(1, 12); // the two 800 K replicas, not a mix with 0.5 and 0.2
    expect(e.note).toMatch(/^at 800 K: 2 runs resolved; 4 of 4 resolved at any T/);
    const noTracerErr = havenEstimate([{ ...run(600, 4e-5), d_tracer_err: null }]);
    expect(noTracerErr.value).toBeCloseTo(0.5, 12);
    expect(noTracerErr.err).toBeNull();
  });
});

describe('descriptor–D correlation at fixed temperature', () => {
  it('separates a temperature-driven pooled r from the r at each T', () => {
    // x and log D both follow 1/T, but at each T they are unrelated (alternating offsets).
    const pts = [500, 600, 700, 800].flatMap((t) =>
      [0, 1, 2, 3].map((k) => ({ x: -1000 / t + (k % 2) * 0.01, y: -2 - 2000 / t + (k < 2 ? 0.005 : -0.005), temperature_k: t })),
    );
    const c = temperatureCorrelation(pts);
    expect(c.pooledR).toBeGreaterThan(0.95);
    for (const t of c.perTemperature) expect(Math.abs(t.r)).toBeLessThan(1e-9);
    expect(Math.abs(c.partialR)).toBeLessThan(1e-9);
    expect(c.partialN).toBe(16);
  });
});
