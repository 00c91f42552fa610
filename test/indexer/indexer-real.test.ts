// The real chain (discover → workers running load + analyze from .ts via tsx → DuckDB) on a
// small embedded dataset, a real AIMD case and the malformed corpus; DB rows must equal
// analyze() in memory. Also query (read-only), export and screen on the result.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { loadDiscovered } from '../../src/io/load.js';
import { discover } from '../../src/indexer/discover.js';
import { contentHash } from '../../src/indexer/hash.js';
import { runIndex, type IndexSummary } from '../../src/indexer/run.js';
import { Store } from '../../src/store/db.js';
import { exportAll } from '../../src/store/export.js';
import { screen } from '../../src/screen/screen.js';
import { hasRealData, realCase } from '../helpers/real.js';
import { cli, repo } from './helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-real-'));
const data = join(root, 'data');
const db = join(root, 'real.duckdb');
const BAD = ['nan.XDATCAR', 'truncated_mid_frame.XDATCAR', 'corrupt.XDATCAR.gz', 'non_numeric_token.XDATCAR', 'empty.XDATCAR'];
let summary: IndexSummary;

beforeAll(async () => {
  mkdirSync(join(data, 'bad'), { recursive: true });
  cpSync(join(repo, 'datasets/Li-sc'), join(data, 'Li-sc'), { recursive: true });
  for (const f of BAD) cpSync(join(repo, 'test/fixtures/bad', f), join(data, 'bad', f));
  cpSync(join(repo, 'test/fixtures/bad/sidecar_unknown_key'), join(data, 'bad-sidecar'), { recursive: true });
  // Our own: an extxyz whose second frame breaks off.
  writeFileSync(join(data, 'bad', 'broken.extxyz'), '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nLi 0 0 0\nS 1 1 1\n2\nLattice="5 0 0 0 5 0 0 0 5" Properties=species:S:1:pos:R:3\nLi 0 0\n');
  if (hasRealData) cpSync(realCase('na11m2ps12_500k'), join(data, 'na11m2ps12_500k'), { recursive: true });
  summary = await runIndex({ paths: [data], db, jobs: 2, progress: 'none' });
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('indexer on real files', () => {
  it('indexes every good trajectory and records every bad one, naming the file', async () => {
    expect(summary.indexed).toBe(3 + (hasRealData ? 2 : 0));
    const s = await Store.open(db, { readOnly: true });
    const failures = await s.query<{ path: string; stage: string; message: string }>('SELECT path, stage, message FROM failures');
    s.close();
    for (const f of [...BAD, 'broken.extxyz']) {
      const row = failures.find((r) => r.path.endsWith(f) || r.message.includes(f));
      expect(row, `failure row for ${f}`).toBeTruthy();
      expect(row?.message).toContain(f);
    }
    const sc = failures.find((r) => r.path.includes('bad-sidecar'));
    expect(sc?.message).toMatch(/ionsift\.json/);
  });

  it('row counts and values equal analyze() in memory', async () => {
    const found = (await discover([data])).trajectories.filter((t) => !t.dir.includes('bad'));
    expect(found.length).toBe(summary.indexed);
    const s = await Store.open(db, { readOnly: true });
    try {
      for (const t of found) {
        const r = analyze(await loadDiscovered(t), {});
        const id = t.trajectoryId;
        const count = async (table: string): Promise<number> =>
          Number((await s.query(`SELECT count(*) AS n FROM ${table} WHERE trajectory_id = $1`, [id]))[0].n);
        expect(await count('events'), t.name).toBe(r.events.length);
        expect(await count('atoms')).toBe(r.atoms.length);
        expect(await count('concerted_groups')).toBe(r.groups.length);
        expect(await count('correlations')).toBe(r.correlations.length);
        expect(await count('correlation_fits')).toBe(r.correlationFits.length);
        expect(await count('diffusion')).toBe(r.diffusion.length);
        expect(await count('element_descriptors')).toBe(r.descriptors.length);
        const [d] = await s.query(`SELECT * FROM diffusion WHERE trajectory_id = $1 ORDER BY element`, [id]);
        // Stored only when resolved (> 2σ); the fitted value is kept beside it either way.
        expect(d.d_tracer_fit_cm2_s).toBe(r.diffusion[0].dTracerCm2s);
        expect(d.d_tracer_cm2_s).toBe(r.diffusion[0].dTracerResolved ? r.diffusion[0].dTracerCm2s : null);
        expect(d.msd_a2).toEqual(Array.from(r.diffusion[0].msdA2));
        const ev = await s.query(`SELECT * FROM events WHERE trajectory_id = $1 ORDER BY event_id`, [id]);
        r.events.forEach((e, i) => {
          expect(ev[i]).toMatchObject({ event_id: e.eventId, atom: e.atom, start_frame: e.startFrame, end_frame: e.endFrame, length_a: e.lengthA, group_id: e.groupId, n_bodies: e.nBodies });
        });
        const [tr] = await s.query(`SELECT * FROM trajectories WHERE trajectory_id = $1`, [id]);
        expect(tr.analysis_params_hash).toBe(r.paramsHash);
        // New trajectories are hashed by the worker while it reads them, not by the main thread:
        // the stored hash is still the SHA-256 of the files' raw bytes.
        expect(tr.content_hash).toBe(await contentHash(t.files));
      }
      const [a] = await s.query(`SELECT * FROM arrhenius WHERE material = 'Li-sc'`);
      expect(a).toMatchObject({ element: 'Li', n_temperatures: 3 });
      expect(a.ea_ev).toBeGreaterThan(0);
    } finally {
      s.close();
    }
  });

  it('query opens read-only: an INSERT fails with a clear message', async () => {
    const r = await cli(['query', '--db', db, "INSERT INTO failures VALUES (NULL, 'x', 'read', 'm', now())"]).done;
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/opened read-only: statements that modify the database are not allowed/);
    const ok = await cli(['query', '--db', db, 'SELECT count(*) AS n FROM trajectories', '--format', 'json']).done;
    expect(JSON.parse(ok.stdout)).toEqual([{ n: summary.indexed }]);
  });

  it('exports every table as parquet, arrow and csv; screen ranks and correlates', async () => {
    const s = await Store.open(db, { readOnly: true });
    try {
      const out = join(root, 'export');
      const arrow = await exportAll(s, join(out, 'arrow'), 'arrow');
      const ev = tableFromIPC(readFileSync(arrow.find((f) => f.endsWith('events.arrow')) as string));
      const [n] = await s.query('SELECT count(*) AS n FROM events');
      expect(ev.numRows).toBe(n.n);
      await exportAll(s, join(out, 'pq'), 'parquet');
      const [m] = await s.query(`SELECT count(*) AS n FROM read_parquet(${JSON.stringify(join(out, 'pq', 'events.parquet')).replaceAll('"', "'")})`);
      expect(m.n).toBe(n.n);
      await exportAll(s, join(out, 'csv'), 'csv');
      expect(existsSync(join(out, 'csv', 'descriptors.csv'))).toBe(true);

      const rep = await screen(s, { species: ['Li'] });
      expect(rep.materials[0]).toMatchObject({ material: 'Li-sc', element: 'Li', nTemperatures: 3 });
      expect(rep.materials[0].d300kCm2s).toBeGreaterThan(0);
      const hop = rep.correlations.find((c) => c.descriptor === 'hop_rate_per_ion_ps');
      // Only rows with a resolved tracer D enter the correlations (issue 14 §6).
      const [res] = await s.query(`SELECT count(*) AS n FROM diffusion WHERE element = 'Li' AND d_tracer_cm2_s IS NOT NULL`);
      expect(hop?.n).toBe(Number(res.n));
      expect(hop?.n).toBeGreaterThanOrEqual(2);
    } finally {
      s.close();
    }
  });
});
