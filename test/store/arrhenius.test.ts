// One Arrhenius fit: the stored table and screen's (unfiltered) refit are the same rows.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory, recomputeArrhenius } from '../../src/store/ingest.js';
import { screen } from '../../src/screen/screen.js';
import { makeRecord, makeResult } from './fixtures.js';

const KB = 8.617333262e-5;

describe('arrhenius', () => {
  it('screen ranks by the stored fits when no filter applies; a filter refits', async () => {
    const s = await Store.open(':memory:');
    for (const [id, T, material] of [['a', 600, 'M1'], ['b', 900, 'M1'], ['c', 1200, 'M1'], ['d', 700, 'M2'], ['e', 1000, 'M2']] as const) {
      const r = makeResult(1);
      r.diffusion[0].dTracerCm2s = (material === 'M1' ? 1e-3 : 2e-3) * Math.exp(-(material === 'M1' ? 0.3 : 0.4) / (KB * T)) * (1 + T / 1e5);
      await ingestTrajectory(s, makeRecord(id, { temperatureK: T, material }), r);
    }
    await recomputeArrhenius(s);
    const stored = await s.query('SELECT material, ea_ev, d_300k_cm2_s, n_temperatures FROM arrhenius ORDER BY material');
    const rep = await screen(s);
    const fitted = rep.materials.map((m) => ({ material: m.material, ea_ev: m.eaEv, d_300k_cm2_s: m.d300kCm2s, n_temperatures: m.nTemperatures }));
    expect(fitted.sort((x, y) => x.material.localeCompare(y.material))).toEqual(stored);
    expect(stored.map((r) => r.n_temperatures)).toEqual([3, 2]);
    const hot = await screen(s, { minTemperatureK: 800 });
    expect(hot.materials.find((m) => m.material === 'M1')?.nTemperatures).toBe(2);
    expect(rep.correlations.map((c) => c.descriptor)).toContain('hop_rate_per_ion_ps');
    s.close();
  });
});
