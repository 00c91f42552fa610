// A database built from datasets/ and ../shared/data/real (read in place) holds no negative or
// absurd transport number: every D, σ and Haven ratio is either resolved (positive, Haven within
// 0.05–10) or NULL with a flag saying why; replicates pool in diffusion_pooled.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { Store } from '../../src/store/db.js';
import { screen } from '../../src/screen/screen.js';
import { hasRealData, realDataDir, realDataSkipReason, repoRoot } from '../helpers/real.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-transport-db-'));
const db = join(root, 'all.duckdb');
let store: Store;

beforeAll(async () => {
  const paths = [resolve(repoRoot, 'datasets'), ...(hasRealData ? [realDataDir] : [])];
  if (!hasRealData) console.warn(`transport database test without real data: ${realDataSkipReason}`);
  await runIndex({ paths, db, jobs: 2, progress: 'none' });
  store = await Store.open(db, { readOnly: true });
}, 300_000);
afterAll(() => { store?.close(); rmSync(root, { recursive: true, force: true }); });

describe('transport numbers in a database of every embedded and real run', () => {
  it('no negative D, conductivity or error; no Haven ratio outside 0.05–10', async () => {
    const [bad] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM diffusion WHERE
      d_tracer_cm2_s <= 0 OR d_collective_cm2_s <= 0 OR conductivity_s_cm <= 0 OR conductivity_ne_s_cm <= 0
      OR d_tracer_err < 0 OR d_collective_err < 0 OR conductivity_err_s_cm < 0 OR conductivity_ne_err_s_cm < 0
      OR haven_ratio <= 0.05 OR haven_ratio > 10 OR haven_ratio_err < 0
      OR d_tracer_x_cm2_s <= 0 OR d_tracer_y_cm2_s <= 0 OR d_tracer_z_cm2_s <= 0
      OR d_collective_x_cm2_s <= 0 OR d_collective_y_cm2_s <= 0 OR d_collective_z_cm2_s <= 0
      OR len(list_filter(d_tracer_principal_cm2_s, v -> v <= 0)) > 0 OR anisotropy_ratio < 1`);
    expect(bad.n).toBe(0);
    const [n] = await store.query<{ n: number }>('SELECT count(*) AS n FROM diffusion');
    expect(n.n).toBeGreaterThanOrEqual(12);
    const [badPooled] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM diffusion_pooled WHERE
      d_tracer_cm2_s <= 0 OR d_collective_cm2_s <= 0 OR conductivity_s_cm <= 0 OR conductivity_ne_s_cm <= 0 OR haven_ratio <= 0.05 OR haven_ratio > 10`);
    expect(badPooled.n).toBe(0);
    const [badArr] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM arrhenius WHERE d_300k_cm2_s <= 0 OR conductivity_300k_s_cm <= 0
      OR d_300k_ci95_low_cm2_s > d_300k_cm2_s OR d_300k_ci95_high_cm2_s < d_300k_cm2_s OR ea_ci95_low_ev > ea_ev OR ea_ci95_high_ev < ea_ev`);
    expect(badArr.n).toBe(0);
  });

  it('every NULL D, Haven ratio or conductivity comes with a flag naming it', async () => {
    const rows = await store.query<{ flags: string[]; tr: number | null; co: number | null; h: number | null; s: number | null }>(
      'SELECT flags, d_tracer_cm2_s AS tr, d_collective_cm2_s AS co, haven_ratio AS h, conductivity_s_cm AS s FROM diffusion');
    for (const r of rows) {
      const f = r.flags.join(' ');
      if (r.tr === null) expect(f).toMatch(/d_tracer not resolved|too few frames/);
      if (r.co === null) expect(f).toMatch(/d_collective not resolved|too few frames/);
      if (r.h === null) expect(f).toMatch(/haven_ratio/);
      if (r.s === null) expect(f).toMatch(/conductivity/);
    }
  });

  it.skipIf(!hasRealData)('the argyrodite runs present twice (datasets/real and the shared folder) pool as one run', async () => {
    const rows = await store.query<{ n_runs: number; n_traj: number }>(`SELECT p.n_runs, (SELECT count(*) FROM descriptors d WHERE d.material = p.material AND d.temperature_k = p.temperature_k) AS n_traj
      FROM diffusion_pooled p WHERE p.material = 'Li6PS5Cl-50p'`);
    expect(rows).toHaveLength(1);
    expect(rows[0].n_traj).toBe(2);
    expect(rows[0].n_runs).toBe(1);
  });

  it('screen: ranks by D(300 K) with intervals, marks ranks it cannot tell apart (symmetrically), correlates resolved rows only', async () => {
    const r = await screen(store, {});
    const fitted = r.materials.filter((m) => m.d300kCm2s !== null);
    expect(fitted.length).toBeGreaterThanOrEqual(4);
    for (const m of fitted) {
      expect(m.d300kCi95LowCm2s!).toBeLessThan(m.d300kCm2s!);
      expect(m.d300kCi95HighCm2s!).toBeGreaterThan(m.d300kCm2s!);
    }
    for (let i = 0; i < r.materials.length; i++) {
      for (const k of r.materials[i].indistinguishableFrom) expect(r.materials[k - 1].indistinguishableFrom).toContain(i + 1);
    }
    const [{ n }] = await store.query<{ n: number }>('SELECT count(*) AS n FROM descriptors WHERE d_tracer_cm2_s IS NOT NULL');
    expect(r.nResolved).toBe(n);
    for (const c of r.correlations) expect(c.n).toBeLessThanOrEqual(r.nResolved);
    const [{ h }] = await store.query<{ h: number }>('SELECT count(*) AS h FROM descriptors WHERE haven_ratio IS NOT NULL AND d_tracer_cm2_s IS NOT NULL');
    expect(r.correlations.find((c) => c.descriptor === 'haven_ratio')?.n).toBe(h);
    // Descriptors per temperature, over resolved rows only: every resolved Haven ratio counted once.
    const perT = r.materials.flatMap((m) => m.perTemperature);
    expect(perT.reduce((a, t) => a + (t.descriptors.haven_ratio?.n ?? 0), 0)).toBe(h);
    expect(perT.reduce((a, t) => a + t.nResolved, 0)).toBe(n);
    for (const m of r.materials) expect(new Set(m.perTemperature.map((t) => t.temperatureK)).size).toBe(m.perTemperature.length);
  });

  it('Arrhenius: Ea of each generated material within 2σ of the generator input; per-axis errors stored with the axes', async () => {
    const manifest = JSON.parse(readFileSync(resolve(repoRoot, 'datasets/manifest.json'), 'utf8')) as { runs: { material: string; parameters: { activationEv: number } }[] };
    const input = new Map(manifest.runs.map((r) => [r.material, r.parameters.activationEv]));
    expect(input.size).toBe(4);
    const rows = await store.query<{ material: string; ea_ev: number; ea_err_ev: number }>(
      `SELECT material, ea_ev, ea_err_ev FROM arrhenius WHERE material IN (${[...input.keys()].map((m) => `'${m}'`).join(', ')})`);
    expect(rows).toHaveLength(4);
    for (const r of rows) {
      const z = (r.ea_ev - input.get(r.material)!) / r.ea_err_ev;
      console.log(`${r.material}: Ea ${r.ea_ev.toFixed(3)} ± ${r.ea_err_ev.toFixed(3)} eV vs input ${input.get(r.material)} (${z.toFixed(1)}σ)`);
      expect(Math.abs(z), r.material).toBeLessThan(2);
    }
    const [bad] = await store.query<{ n: number }>(`SELECT count(*) AS n FROM diffusion WHERE d_tracer_x_cm2_s IS NOT NULL AND NOT (d_tracer_x_err > 0)
      OR d_tracer_z_cm2_s IS NOT NULL AND NOT (d_tracer_z_err > 0) OR d_tracer_principal_cm2_s IS NOT NULL AND len(d_tracer_principal_err) <> 3`);
    expect(bad.n).toBe(0);
  });
});
