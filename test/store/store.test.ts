import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_TABLES, SCHEMA_VERSION, Store, ReadOnlyError } from '../../src/store/db.js';
import { ingestTrajectory, recomputeArrhenius, recordFailure } from '../../src/store/ingest.js';
import { makeRecord, makeResult } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('store', () => {
  it('round-trips a hand-built result; counts come back as numbers', async () => {
    const db = join(dir, 'a.duckdb');
    const s = await Store.open(db);
    const r = makeResult(1);
    await ingestTrajectory(s, makeRecord('t1'), r);
    const ev = await s.query('SELECT * FROM events ORDER BY event_id');
    expect(ev).toHaveLength(3);
    expect(ev[0]).toMatchObject({ trajectory_id: 't1', event_id: 0, atom: 0, element: 'Li', start_frame: 1, end_frame: 3, length_a: 2.5, from_x_a: 0, to_x_a: 2.5, group_id: 0, n_bodies: 2, back_hop: false });
    expect(ev[2].group_id).toBeNull();
    const [cnt] = await s.query('SELECT count(*) AS n, sum(n_bodies) AS s FROM events');
    expect(cnt).toEqual({ n: 3, s: 5 });
    expect(typeof cnt.n).toBe('number');
    const [g] = await s.query('SELECT atoms FROM concerted_groups');
    expect(g.atoms).toEqual([0, 1]);
    const [d] = await s.query('SELECT * FROM diffusion');
    expect(d.d_tracer_cm2_s).toBe(1e-6);
    expect(d.msd_a2).toEqual([0, 0.5, 1.1]);
    const [f] = await s.query('SELECT * FROM correlation_fits');
    expect(f.offset_err).toBeNull(); // NaN stored as NULL
    const [t] = await s.query('SELECT * FROM trajectories');
    expect(t).toMatchObject({ trajectory_id: 't1', n_frames: 101, temperature_k: 600, paths: ['/data/t1/XDATCAR'], mobile: ['Li'], analysis_params_hash: 'p1' });
    expect(t.indexed_at).toBeInstanceOf(Date);
    const sp = await s.query('SELECT element, count, charge, mobile FROM species ORDER BY element');
    expect(sp).toEqual([{ element: 'Li', count: 4, charge: 1, mobile: true }, { element: 'X', count: 4, charge: null, mobile: false }]);
    const [dec] = await s.query('SELECT * FROM descriptors');
    expect(dec).toMatchObject({ trajectory_id: 't1', element: 'Li', n_events: 3, d_tracer_cm2_s: 1e-6, volume_per_ion_a3: 250 });
    const [huge] = await s.query('SELECT 12::HUGEINT AS h, 1.5::DECIMAL(10,2) AS dd, [1::BIGINT, 2] AS l');
    expect(huge).toEqual({ h: 12, dd: 1.5, l: [1, 2] });
    s.close();
  });

  it('re-ingesting replaces rows instead of duplicating them', async () => {
    const s = await Store.open(join(dir, 'b.duckdb'));
    await ingestTrajectory(s, makeRecord('t1'), makeResult(1));
    await ingestTrajectory(s, makeRecord('t2'), makeResult(2));
    await ingestTrajectory(s, makeRecord('t1'), makeResult(3));
    const rows = await s.query('SELECT trajectory_id, count(*) AS n FROM events GROUP BY 1 ORDER BY 1');
    expect(rows).toEqual([{ trajectory_id: 't1', n: 3 }, { trajectory_id: 't2', n: 3 }]);
    const [t1] = await s.query(`SELECT analysis_params_hash FROM trajectories WHERE trajectory_id = 't1'`);
    expect(t1.analysis_params_hash).toBe('p3');
    s.close();
  });

  it('a failure replaces the trajectory rows; arrhenius fits across temperatures', async () => {
    const s = await Store.open(join(dir, 'c.duckdb'));
    // Two temperatures with D = D0·exp(−Ea/kT), Ea = 0.3 eV.
    const kb = 8.617333262e-5;
    for (const [id, T] of [['a', 600], ['b', 900], ['c', 1200]] as const) {
      const r = makeResult(1);
      r.diffusion[0].dTracerCm2s = 1e-3 * Math.exp(-0.3 / (kb * T));
      r.diffusion[0].dTracerErrCm2s = NaN;
      await ingestTrajectory(s, makeRecord(id, { temperatureK: T }), r);
    }
    expect(await recomputeArrhenius(s)).toBe(1);
    const [a] = await s.query('SELECT * FROM arrhenius');
    expect(a.n_temperatures).toBe(3);
    expect(a.ea_ev).toBeCloseTo(0.3, 6);
    expect(a.d0_cm2_s).toBeCloseTo(1e-3, 8);
    expect(a.d_300k_cm2_s).toBeCloseTo(1e-3 * Math.exp(-0.3 / (kb * 300)), 12);
    await recordFailure(s, { trajectoryId: 'a', path: '/data/a/XDATCAR', stage: 'read', message: '/data/a/XDATCAR, line 9: bad number' });
    const [n] = await s.query(`SELECT (SELECT count(*) FROM trajectories) AS t, (SELECT count(*) FROM failures) AS f, (SELECT count(*) FROM events WHERE trajectory_id = 'a') AS e`);
    expect(n).toEqual({ t: 2, f: 1, e: 0 });
    s.close();
  });

  it('documents itself: every table and column has a comment', async () => {
    const s = await Store.open(join(dir, 'd.duckdb'));
    const tables = await s.query(`SELECT table_name, comment FROM duckdb_tables() WHERE database_name = current_database()`);
    for (const t of ALL_TABLES) expect(tables.find((x) => x.table_name === t)?.comment, t).toBeTruthy();
    const cols = await s.query(`SELECT table_name, column_name FROM duckdb_columns()
      WHERE database_name = current_database() AND NOT internal AND comment IS NULL`);
    expect(cols).toEqual([]);
    const [view] = await s.query(`SELECT comment FROM duckdb_views() WHERE view_name = 'descriptors' AND database_name = current_database()`);
    expect(view.comment).toBeTruthy();
    const [v] = await s.query('SELECT max(version) AS v FROM schema_version');
    expect(v.v).toBe(SCHEMA_VERSION);
    s.close();
  });

  it('read-only open refuses writes with a clear message', async () => {
    const db = join(dir, 'e.duckdb');
    const w = await Store.open(db);
    await ingestTrajectory(w, makeRecord('t1'), makeResult(1));
    w.close();
    const r = await Store.open(db, { readOnly: true });
    await expect(r.query(`INSERT INTO failures VALUES (NULL, 'x', 'read', 'm', now())`)).rejects.toThrow(ReadOnlyError);
    await expect(r.query(`DROP TABLE events`)).rejects.toThrow(/read-only/);
    expect((await r.query('SELECT count(*) AS n FROM events'))[0].n).toBe(3);
    r.close();
  });
});
