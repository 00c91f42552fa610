/**
 * `ionsift query` against a real DuckDB file cannot reach the file system or the network: every
 * escape of issue 17 (COPY TO, EXPORT DATABASE, ATTACH … READ_WRITE, PRAGMA profiling_output,
 * read_csv/read_text/read_blob/glob, INSTALL/LOAD) is refused and leaves no file behind; several
 * statements are refused before any runs; --out and --allow-files still work.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run } from '../../src/cli/query.js';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { makeRecord, makeResult } from '../store/fixtures.js';
import { captureRun } from '../helpers/cli.js';

let dir: string, db: string, outside: string, secret: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-sandbox-'));
  db = join(dir, 'd.duckdb');
  const s = await Store.open(db);
  await ingestTrajectory(s, makeRecord('t1'), makeResult(1));
  s.close();
  // An "outside" folder the SQL must not reach, and a secret file in it.
  outside = join(dir, 'outside');
  mkdirSync(outside);
  secret = join(outside, 'secret.csv');
  writeFileSync(secret, 'a,b\n1,2\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const q = (sql: string, ...extra: string[]) => captureRun(run, ['--db', db, sql, ...extra]);
const lit = (p: string) => `'${p}'`;

describe('ionsift query sandbox', () => {
  it('runs an ordinary query', async () => {
    const r = await q('SELECT count(*) AS n FROM trajectories');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/n\s*\n.*\n\s*1/);
  });

  const target = () => join(outside, 'written');
  const writes: [string, () => string][] = [
    ['COPY … TO', () => `COPY (SELECT * FROM trajectories) TO ${lit(target())} (FORMAT csv)`],
    ['EXPORT DATABASE', () => `EXPORT DATABASE ${lit(target())}`],
    ['ATTACH … (READ_WRITE)', () => `ATTACH ${lit(target())} AS w (READ_WRITE)`],
    ['PRAGMA profiling_output', () => `PRAGMA profiling_output=${lit(target())}`],
    ['SET profiling_output', () => `SET profiling_output=${lit(target())}`],
  ];
  for (const [name, sql] of writes) {
    it(`refuses ${name} and writes nothing`, async () => {
      const r = await q(sql());
      expect(r.code).not.toBe(0);
      expect(r.err).toMatch(/disabled by configuration|configuration has been locked|read-only/i);
      expect(existsSync(target())).toBe(false);
    });
  }

  const reads = ['read_csv', 'read_text', 'read_blob', 'read_parquet', 'read_json'];
  for (const fn of reads) {
    it(`refuses ${fn} on a file outside the database (and /etc/passwd)`, async () => {
      for (const f of [secret, '/etc/passwd']) {
        const r = await q(`SELECT * FROM ${fn}(${lit(f)})`);
        expect(r.code).toBe(1);
        expect(r.err).toMatch(/disabled by configuration/);
        expect(r.out).not.toMatch(/root:|a,b|1\s+2/);
      }
    });
  }

  it('refuses glob and a bare file name as a table', async () => {
    for (const sql of [`SELECT * FROM glob(${lit(outside + '/*')})`, "SELECT * FROM glob('/etc/*')", `SELECT * FROM ${lit(secret)}`]) {
      const r = await q(sql);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(/disabled by configuration/);
    }
  });

  it('refuses INSTALL / LOAD of extensions and unlocking the configuration', async () => {
    for (const sql of ['INSTALL httpfs', 'LOAD httpfs', 'SET enable_external_access = true', "SET allowed_directories = ['/']", 'SET lock_configuration = false']) {
      const r = await q(sql);
      expect(r.code, sql).toBe(1);
      expect(r.err, sql).toMatch(/disabled|locked/i);
    }
  });

  it('refuses several statements before running any', async () => {
    const r = await q(`SELECT 1; COPY (SELECT 1) TO ${lit(target())}`);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/expected one SQL statement, found 2/);
    expect(existsSync(target())).toBe(false);
    // A single trailing ';' is one statement.
    expect((await q('SELECT 1 AS x;')).code).toBe(0);
    // Every output format checks, arrow included (it reads through the connection directly).
    const arrow = await q(`SELECT 1; SELECT 2`, '--format', 'arrow', '--out', join(dir, 'two.arrow'));
    expect(arrow.code).toBe(2);
    expect(existsSync(join(dir, 'two.arrow'))).toBe(false);
  });

  it('--out writes only the named file, and a query cannot redirect the COPY', async () => {
    const out = join(dir, 'rows.parquet');
    expect((await q('SELECT * FROM events', '--format', 'parquet', '--out', out)).code).toBe(0);
    expect(readFileSync(out).subarray(0, 4).toString()).toBe('PAR1');
    const csv = join(dir, 'rows.csv');
    const evil = `SELECT 1) TO ${lit(target())} (FORMAT csv); --`;
    const r = await q(evil, '--format', 'csv', '--out', csv);
    expect(r.code).not.toBe(0);
    expect(existsSync(target())).toBe(false);
  });

  it('--allow-files reads files beside the database, not elsewhere', async () => {
    const beside = join(dir, 'beside.csv');
    writeFileSync(beside, 'a,b\n1,2\n');
    const ok = await q(`SELECT sum(a + b) AS s FROM read_csv(${lit(beside)})`, '--allow-files');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/\b3\b/);
    const no = await q("SELECT * FROM read_csv('/etc/passwd')", '--allow-files');
    expect(no.code).toBe(1);
    // Without the flag the same file beside the database is refused.
    expect((await q(`SELECT * FROM read_csv(${lit(beside)})`)).code).toBe(1);
  });
});
