/**
 * The notebook's `sql` tag renders values as literals that cannot form a comment or change the
 * statement, and the notebook's database is sandboxed like `ionsift query` (real DuckDB file).
 */
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { openDatabase, sqlLiteral, sqlTemplate, type Database } from '../../src/notebook/db.js';
import { makeRecord, makeResult } from './fixtures.js';

const tag = (s: TemplateStringsArray, ...v: unknown[]) => sqlTemplate(s, v);

let dir: string, db: Database;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ionsift-sqltag-'));
  const s = await Store.open(join(dir, 'd.duckdb'));
  await ingestTrajectory(s, makeRecord('t1'), makeResult(1));
  s.close();
  db = await openDatabase(join(dir, 'd.duckdb'));
});
afterAll(() => {
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('sql tag literals', () => {
  it('a negative number after "-" is subtraction, never a comment', async () => {
    expect(tag`SELECT 10-${-3} AS v`).toBe('SELECT 10-(-3) AS v');
    expect(await db.query(tag`SELECT 10-${-3} AS v`)).toEqual([{ v: 13 }]);
    // The probe of issue 17: a filter later on the line must still apply (0 rows, not all).
    const rows = await db.query(tag`SELECT * FROM events WHERE atom > 1-${-1} AND element = ${'none'}`);
    expect(rows).toHaveLength(0);
    expect(await db.query(tag`SELECT 10-${-3n} AS v`)).toEqual([{ v: 13 }]);
    expect(await db.query(tag`SELECT 1-${-1.5e-7} AS v`)).toEqual([{ v: 1 + 1.5e-7 }]);
  });

  it('strings with quotes and comment markers stay one literal', async () => {
    for (const s of ["O'Brien", "x' OR 1=1 --", "'; DROP TABLE events; --", 'a\\nb', '/* x', '']) {
      expect(await db.query(tag`SELECT ${s} AS s`)).toEqual([{ s }]);
    }
  });

  it('NaN, ±Infinity, -0, null, booleans, dates and arrays', async () => {
    const [r] = await db.query<{ nan: number; inf: number; ninf: number; z: number; n: null; b: boolean }>(
      tag`SELECT ${NaN} AS nan, ${Infinity} AS inf, ${-Infinity} AS ninf, 1/${-0} AS z, ${null} AS n, ${true} AS b`,
    );
    expect(r.nan).toBeNaN();
    expect(r.inf).toBe(Infinity);
    expect(r.ninf).toBe(-Infinity);
    expect(r.z).toBe(-Infinity);
    expect(r.n).toBeNull();
    expect(r.b).toBe(true);
    const d = new Date('2024-05-06T07:08:09.010Z');
    const [t] = await db.query<{ ms: number }>(tag`SELECT epoch_ms(${d}) AS ms`);
    expect(t.ms).toBe(d.getTime());
    expect(await db.query(tag`SELECT list_sum(${[1, -2, 3]}) AS s, ${['a', "b'c"]} AS l`)).toEqual([{ s: 2, l: ['a', "b'c"] }]);
    expect(() => sqlLiteral({ a: 1 })).toThrow(/plain object/);
    expect(() => sqlLiteral(new Date(NaN))).toThrow(/invalid Date/);
  });
});

describe('notebook database sandbox', () => {
  it('refuses file access and several statements; files: true allows the folder', async () => {
    const out = join(dir, 'x.csv');
    await expect(db.query(`COPY (SELECT 1) TO '${out}'`)).rejects.toThrow(/disabled by configuration|read-only/);
    await expect(db.query("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(/disabled by configuration/);
    await expect(db.arrow("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(/disabled by configuration/);
    await expect(db.query('SELECT 1; SELECT 2')).rejects.toThrow(/one SQL statement/);
    await expect(db.query('INSTALL httpfs')).rejects.toThrow(/disabled/);
    expect(existsSync(out)).toBe(false);
    writeFileSync(join(dir, 'b.csv'), 'a\n5\n');
    const open2 = await openDatabase(join(dir, 'd.duckdb'), { files: true });
    try {
      expect(await open2.query(`SELECT a FROM read_csv('${join(dir, 'b.csv')}')`)).toEqual([{ a: 5 }]);
      await expect(open2.query("SELECT * FROM read_text('/etc/passwd')")).rejects.toThrow(/disabled by configuration/);
    } finally {
      open2.close();
    }
  });
});
