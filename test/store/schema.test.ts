// The schema generated from the table descriptions: the same tables as the hand-written v1
// schema, an old database opens (comments refreshed) or is refused with a clear message, and
// src/store/schema.sql and the schema section of docs/DESIGN.md are the generated text.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { schemaFileText } from '../../src/store/ddl.js';
import { schemaMarkdown, withSchemaMarkdown } from '../../src/store/schema-doc.js';
import { schemaIdent } from '../../src/store/sql.js';
import { TABLE_SCHEMAS, VIEWS } from '../../src/store/tables/registry.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { makeRecord, makeResult } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const V1 = readFileSync(resolve(import.meta.dirname, 'fixtures/schema-v1.sql'), 'utf8');

/** A database as the ionsift of schema-v1.sql made it: tables, then comments, then the version row. */
async function makeV1(path: string, alter = ''): Promise<void> {
  const lines = V1.split('\n');
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  await c.run(lines.filter((l) => !/^COMMENT ON /.test(l)).join('\n'));
  await c.run('CHECKPOINT');
  await c.run(lines.filter((l) => /^COMMENT ON /.test(l)).join('\n'));
  await c.run('INSERT INTO schema_version (version) VALUES (1)');
  if (alter) await c.run(alter);
  await c.run('CHECKPOINT');
  c.closeSync();
  inst.closeSync();
}

const CATALOG = `SELECT table_name, column_index, column_name, data_type, is_nullable, column_default, comment
  FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`;
const CONSTRAINTS = `SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()
  WHERE database_name = current_database() ORDER BY ALL`;

/** Comments the descriptions word differently from v1 on purpose (the docs were wrong), or add. */
function reworded(r: { table_name: unknown; column_name: unknown }): boolean {
  const k = `${String(r.table_name)}.${String(r.column_name)}`;
  return k === 'events.length_a' || k === 'concerted_groups.n_bodies' || k === 'trajectories.format' || String(r.table_name) === 'descriptors';
}

describe('schema from the table descriptions', () => {
  it('src/store/schema.sql is the generated text (regenerate: npx tsx scripts/schema-sql.ts)', () => {
    expect(readFileSync(resolve(import.meta.dirname, '../../src/store/schema.sql'), 'utf8')).toBe(schemaFileText());
  });

  it('the schema section of docs/DESIGN.md is the generated text, naming every table, view and column', () => {
    const doc = readFileSync(resolve(import.meta.dirname, '../../docs/DESIGN.md'), 'utf8');
    expect(doc).toBe(withSchemaMarkdown(doc));
    const md = schemaMarkdown();
    for (const t of [...TABLE_SCHEMAS, ...VIEWS]) {
      expect(md).toContain(`### \`${t.name}\``);
      for (const c of t.columns) expect(md).toContain(`| \`${c.name}\` |`);
    }
  });

  it('creates the tables, columns, types, keys and view of the v1 schema', async () => {
    await makeV1(join(dir, 'v1.duckdb'));
    const fresh = await Store.open(join(dir, 'fresh.duckdb'));
    const old = await DuckDBInstance.create(join(dir, 'v1.duckdb'), { access_mode: 'READ_ONLY' });
    const oc = await old.connect();
    const oldRows = async (sql: string): Promise<Record<string, unknown>[]> => (await oc.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
    const newRows = async (sql: string): Promise<Record<string, unknown>[]> => JSON.parse(JSON.stringify(await fresh.query(sql))) as Record<string, unknown>[];
    const [a, b] = [await oldRows(CATALOG), await newRows(CATALOG)];
    expect(b.map(({ comment: _c, ...r }) => r)).toEqual(a.map(({ comment: _c, ...r }) => r));
    expect(b.filter((r) => !reworded(r))).toEqual(a.filter((r) => !reworded(r)));
    expect(b.filter((r) => reworded(r)).map((r) => r.comment).every(Boolean)).toBe(true);
    expect(await newRows(CONSTRAINTS)).toEqual(await oldRows(CONSTRAINTS));
    oc.closeSync();
    old.closeSync();
    fresh.close();
  });

  it('opens a database made by the v1 schema: same version, reworded comments rewritten, writable', async () => {
    const db = join(dir, 'old.duckdb');
    await makeV1(db);
    const ro = await Store.open(db, { readOnly: true });
    expect(await ro.version()).toBe(1);
    ro.close();
    const s = await Store.open(db);
    const [c] = await s.query(`SELECT comment FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'length_a'`);
    expect(c.comment).toMatch(/unwrapped/);
    await ingestTrajectory(s, makeRecord('t1'), makeResult(1));
    expect((await s.query('SELECT count(*) AS n FROM descriptors'))[0].n).toBe(1);
    expect((await s.query('SELECT count(*) AS n FROM schema_version'))[0].n).toBe(1);
    s.close();
  });

  it('refuses a database whose tables differ, naming the column, for reading and writing', async () => {
    const db = join(dir, 'renamed.duckdb');
    await makeV1(db, 'ALTER TABLE events RENAME COLUMN length_a TO hop_length');
    const msg = /events column 9 is "hop_length DOUBLE", expected "length_a DOUBLE".*another ionsift version/;
    await expect(Store.open(db)).rejects.toThrow(msg);
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(msg);
    const missing = join(dir, 'missing.duckdb');
    await makeV1(missing, 'DROP VIEW descriptors; DROP TABLE arrhenius');
    await expect(Store.open(missing, { readOnly: true })).rejects.toThrow(/no arrhenius; no descriptors/);
  });

  it('quotes exactly the names DuckDB reads as keywords', async () => {
    const s = await Store.open(':memory:');
    const kw = new Set((await s.query(`SELECT keyword_name FROM duckdb_keywords() WHERE keyword_category IN ('reserved', 'type_function')`)).map((r) => String(r.keyword_name)));
    s.close();
    for (const rel of [...TABLE_SCHEMAS, ...VIEWS]) {
      for (const c of rel.columns) expect(schemaIdent(c.name) !== c.name, `${rel.name}.${c.name}`).toBe(kw.has(c.name));
    }
  });

  it('a column named with a unit suffix declares that unit', () => {
    const suffixes: [RegExp, string[]][] = [
      [/_cm2_s(_|$)/, ['cm²/s']], [/_s_cm(_|$)/, ['S/cm']], [/_a2(_|$)/, ['Å²']], [/_a3(_|$)/, ['Å³']], [/_a(_|$)/, ['Å']],
      [/_ps(_|$)/, ['ps', '1/ps']], [/_fs(_|$)/, ['fs']], [/_ms(_|$)/, ['ms']], [/_ev(_|$)/, ['eV']], [/_k(_|$)/, ['K']],
    ];
    for (const rel of [...TABLE_SCHEMAS, ...VIEWS]) {
      for (const c of rel.columns) {
        const hit = suffixes.find(([re]) => re.test(c.name));
        if (hit) expect(hit[1], `${rel.name}.${c.name}`).toContain(c.unit);
        if (c.unit) expect(c.type === 'DOUBLE' || c.type === 'DOUBLE[]', `${rel.name}.${c.name}`).toBe(true);
      }
    }
  });
});
