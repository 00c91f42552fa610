/** `ionsift report`: writes the page beside the database by default, refuses bad arguments clearly. */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/report.js';
import { captureRun } from '../helpers/cli.js';
import { makeFixtureDb } from '../plots/fixture.js';

let dir: string;
let db: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-report-cli-'));
  db = join(dir, 'f.duckdb');
  await makeFixtureDb(db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ionsift report', () => {
  it('writes report.html beside the database and prints its path', { timeout: 120_000 }, async () => {
    const r = await captureRun(run, ['--db', db, '--max-trajectories', '2']);
    expect(r.code, r.err).toBe(0);
    const out = join(dir, 'report.html');
    expect(r.out).toBe(`wrote ${out} (9 charts, ${Math.round(readFileSync(out, 'utf8').length / 1024)} kB)`);
    const html = readFileSync(out, 'utf8');
    expect(html).toContain('MSD and hop timelines of the first 2 of 12 trajectories');
    expect(html).toMatch(/<script data-bundle="vega@\d+\.\d+\.\d+">/);
    expect(html).toMatch(/<script data-bundle="vega-embed@\d+\.\d+\.\d+">/);
  });

  it('says what is wrong with the arguments or the database', async () => {
    const missing = await captureRun(run, ['--db', join(dir, 'nope.duckdb'), '--out', join(dir, 'x.html')]);
    expect(missing.code).toBe(1);
    expect(missing.err).toMatch(/ionsift report: .*nope\.duckdb/);
    expect(existsSync(join(dir, 'x.html'))).toBe(false);
    const ext = await captureRun(run, ['--db', db, '--out', join(dir, 'x.pdf')]);
    expect(ext.code).toBe(2);
    expect(ext.err).toContain('--out must end in .html');
    const none = await captureRun(run, []);
    expect(none.code).toBe(2);
    expect(none.err).toContain('--db is required');
  });
});
