// diffusion_pooled: replicate runs of one material at one temperature pool into one row — the
// mean of the fitted D (unresolved runs included), error √(Σσ²)/n — and a collective D that no
// single run resolves can be resolved by the pool; one content hash counts once.
import { describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { transportNumbers } from '../../src/analysis/transport/resolved.js';
import { makeRecord, makeResult } from './fixtures.js';

/** A result whose Li diffusion has the given fitted D and errors (resolution and derived numbers recomputed). */
function resultWith(dT: number, eT: number, dC: number, eC: number) {
  const r = makeResult(1);
  const d = r.diffusion[0];
  Object.assign(d, transportNumbers({
    element: 'Li', nIons: d.nIons, dTracer: dT, dTracerErr: eT, dCollective: dC, dCollectiveErr: eC,
    nIndependentTracer: d.nIons, charge: 1, volumeA3: 1000, temperatureK: 600,
  }));
  return r;
}

describe('diffusion_pooled', () => {
  it('pools replicates: mean of the fits, √(Σσ²)/n, resolved by the pool though by no single run', async () => {
    const s = await Store.open(':memory:');
    const runs: [string, number, number][] = [['r1', 3e-6, 2e-6], ['r2', 1e-6, 2e-6], ['r3', 2.5e-6, 2e-6], ['r4', 3.5e-6, 2e-6]];
    for (const [id, dC, eC] of runs) await ingestTrajectory(s, makeRecord(id), resultWith(1e-6, 1e-7, dC, eC));
    // The same bytes as r1 indexed from another folder: not a fifth replicate.
    await ingestTrajectory(s, makeRecord('r1-copy', { contentHash: 'c-r1', paths: ['/elsewhere/r1/XDATCAR'] }), resultWith(1e-6, 1e-7, 3e-6, 2e-6));
    const single = await s.query<{ n: number }>('SELECT count(*) AS n FROM diffusion WHERE d_collective_cm2_s IS NOT NULL');
    expect(single[0].n).toBe(0);
    const [p] = await s.query<Record<string, number | null>>('SELECT * FROM diffusion_pooled');
    expect(p.n_runs).toBe(4);
    expect(p.d_collective_cm2_s).toBeCloseTo(2.5e-6, 15);
    expect(p.d_collective_err).toBeCloseTo(1e-6, 15); // √(4·(2e-6)²)/4
    expect(p.d_tracer_cm2_s).toBeCloseTo(1e-6, 15);
    expect(p.d_tracer_err).toBeCloseTo(5e-8, 15);
    expect(p.haven_ratio).toBeCloseTo(0.4, 12);
    expect(p.haven_ratio_err).toBeCloseTo(0.4 * Math.hypot(0.05, 0.4), 12);
    // Conductivities scale the pooled D by the run's N·(z·e)²/(V·kB·T).
    expect((p.conductivity_s_cm as number) / (p.conductivity_ne_s_cm as number)).toBeCloseTo(2.5, 10);
    s.close();
  });

  it('a pool that still does not resolve its collective D stores NULL, never a negative value', async () => {
    const s = await Store.open(':memory:');
    for (const [id, dC] of [['a', -2e-6], ['b', 1e-6]] as const) await ingestTrajectory(s, makeRecord(id), resultWith(1e-6, 1e-7, dC, 2e-6));
    const [p] = await s.query<Record<string, number | null>>('SELECT * FROM diffusion_pooled');
    expect(p.n_runs).toBe(2);
    expect(p.d_collective_cm2_s).toBeNull();
    expect(p.haven_ratio).toBeNull();
    expect(p.conductivity_s_cm).toBeNull();
    expect(p.d_collective_err).toBeGreaterThan(0);
    s.close();
  });
});
