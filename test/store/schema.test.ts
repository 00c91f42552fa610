// The schema generated from the table descriptions: the same tables as the hand-written v1
// schema, an old database opens (comments refreshed) or is refused with a clear message, and
// src/store/schema.sql and the schema section of docs/DESIGN.md are the generated text.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, Store } from '../../src/store/db.js';
import { schemaFileText } from '../../src/store/ddl.js';
import { schemaMarkdown, withSchemaMarkdown } from '../../src/store/schema-doc.js';
import { schemaIdent } from '../../src/store/sql.js';
import { TABLE_SCHEMAS, VIEWS } from '../../src/store/tables/registry.js';
import { ingestTrajectory } from '../../src/store/ingest.js';
import { makeRecord, makeResult } from './fixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-schema-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const V1 = readFileSync(resolve(import.meta.dirname, 'fixtures/schema-v1.sql'), 'utf8');
const V2 = readFileSync(resolve(import.meta.dirname, 'fixtures/schema-v2.sql'), 'utf8');
const V3 = readFileSync(resolve(import.meta.dirname, 'fixtures/schema-v3.sql'), 'utf8');

/** A database as the ionsift of schema-v1.sql made it: tables, then comments, then the version row. */
async function makeV1(path: string, alter = ''): Promise<void> {
  await makeOld(V1, 1, path, alter);
}

/** A database made by the ionsift of an older schema script (`sql`, version `version`). */
async function makeOld(sql: string, version: number, path: string, alter = ''): Promise<void> {
  const lines = sql.split('\n');
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  await c.run(lines.filter((l) => !/^COMMENT ON /.test(l)).join('\n'));
  await c.run('CHECKPOINT');
  await c.run(lines.filter((l) => /^COMMENT ON /.test(l)).join('\n'));
  await c.run(`INSERT INTO schema_version (version) VALUES (${version})`);
  if (alter) await c.run(alter);
  await c.run('CHECKPOINT');
  c.closeSync();
  inst.closeSync();
}

const CATALOG = `SELECT table_name, column_index, column_name, data_type, is_nullable, column_default, comment
  FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`;
const CONSTRAINTS = `SELECT table_name, constraint_type, constraint_column_names FROM duckdb_constraints()
  WHERE database_name = current_database() ORDER BY ALL`;

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

  it('a v1 database migrated to the current version has exactly the tables, columns, types, keys, comments and view of a fresh one', async () => {
    await makeV1(join(dir, 'v1.duckdb'));
    const migrated = await Store.open(join(dir, 'v1.duckdb'));
    const fresh = await Store.open(join(dir, 'fresh.duckdb'));
    const rowsOf = async (st: Store, sql: string): Promise<Record<string, unknown>[]> => JSON.parse(JSON.stringify(await st.query(sql))) as Record<string, unknown>[];
    expect(await rowsOf(migrated, CATALOG)).toEqual(await rowsOf(fresh, CATALOG));
    expect(await rowsOf(migrated, CONSTRAINTS)).toEqual(await rowsOf(fresh, CONSTRAINTS));
    migrated.close();
    fresh.close();
  });

  it('the v1 fixture is the v1 part of the current schema (columns the migration appends aside)', async () => {
    await makeV1(join(dir, 'v1b.duckdb'));
    const fresh = await Store.open(join(dir, 'fresh-b.duckdb'));
    const old = await DuckDBInstance.create(join(dir, 'v1b.duckdb'), { access_mode: 'READ_ONLY' });
    const oc = await old.connect();
    const a = (await oc.runAndReadAll(CATALOG)).getRowObjectsJson() as Record<string, unknown>[];
    const b = JSON.parse(JSON.stringify(await fresh.query(CATALOG))) as Record<string, unknown>[];
    const key = (r: Record<string, unknown>): string => `${String(r.table_name)}.${String(r.column_name)}`;
    const inV1 = new Set(a.map(key));
    const strip = ({ comment: _c, column_index: _i, ...r }: Record<string, unknown>): Record<string, unknown> => r;
    expect(b.filter((r) => inV1.has(key(r)) && String(r.table_name) !== 'descriptors').map(strip))
      .toEqual(a.filter((r) => String(r.table_name) !== 'descriptors').map(strip));
    oc.closeSync();
    old.closeSync();
    fresh.close();
  });

  it('opens a database made by the v1 schema: read-only refused until migrated, then old rows labelled iondiff, reworded comments rewritten, writable', async () => {
    const db = join(dir, 'old.duckdb');
    await makeV1(db, `INSERT INTO correlations VALUES ('old', 'Li', 2, 5, 0.5);
INSERT INTO element_descriptors (trajectory_id, element, concerted_fraction, n_bodies_mean) VALUES ('old', 'Li', 0.9, 12.5);`);
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(new RegExp(`schema version 1, this ionsift expects ${SCHEMA_VERSION}; open it once for writing`));
    const s = await Store.open(db);
    expect(await s.version()).toBe(SCHEMA_VERSION);
    const [c] = await s.query(`SELECT comment FROM duckdb_columns() WHERE table_name = 'events' AND column_name = 'length_a'`);
    expect(c.comment).toMatch(/unwrapped/);
    expect(await s.query(`SELECT method, counted, count FROM correlations WHERE trajectory_id = 'old'`)).toEqual([{ method: 'iondiff', counted: 'hops', count: 5 }]);
    expect(await s.query(`SELECT concerted_fraction, iondiff_concerted_fraction, iondiff_n_bodies_mean FROM element_descriptors WHERE trajectory_id = 'old'`))
      .toEqual([{ concerted_fraction: null, iondiff_concerted_fraction: 0.9, iondiff_n_bodies_mean: 12.5 }]);
    await ingestTrajectory(s, makeRecord('t1'), makeResult(1));
    expect((await s.query('SELECT count(*) AS n FROM descriptors'))[0].n).toBe(1);
    expect((await s.query('SELECT count(*) AS n FROM schema_version'))[0].n).toBe(SCHEMA_VERSION);
    expect((await s.query('SELECT count(*) AS n FROM sites'))[0].n).toBe(2);
    s.close();
  });

  it('a v2 database (the schema before the cages columns) migrates to the fresh schema: old rows keep NULL jump_class and cage descriptors, new rows fill them', async () => {
    const db = join(dir, 'v2.duckdb');
    await makeOld(V2, 2, db, `INSERT INTO site_jumps (trajectory_id, element, from_site, to_site, count) VALUES ('old', 'Li', 0, 1, 7);
INSERT INTO element_descriptors (trajectory_id, element, sites_per_ion) VALUES ('old', 'Li', 1.5);
INSERT INTO sites (trajectory_id, element, site_id, site_type) VALUES ('old', 'Li', 0, 3);`);
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(new RegExp(`schema version 2, this ionsift expects ${SCHEMA_VERSION}`));
    const s = await Store.open(db);
    expect(await s.version()).toBe(SCHEMA_VERSION);
    const fresh = await Store.open(join(dir, 'fresh-v2.duckdb'));
    const rowsOf = async (st: Store, sql: string): Promise<Record<string, unknown>[]> => JSON.parse(JSON.stringify(await st.query(sql))) as Record<string, unknown>[];
    expect(await rowsOf(s, CATALOG)).toEqual(await rowsOf(fresh, CATALOG));
    fresh.close();
    expect(await s.query(`SELECT count, jump_class FROM site_jumps WHERE trajectory_id = 'old'`)).toEqual([{ count: 7, jump_class: null }]);
    expect(await s.query(`SELECT sites_per_ion, cage_count, inter_cage_jump_fraction FROM element_descriptors WHERE trajectory_id = 'old'`))
      .toEqual([{ sites_per_ion: 1.5, cage_count: null, inter_cage_jump_fraction: null }]);
    expect(await s.query(`SELECT site_type, env_type, cage_id FROM sites WHERE trajectory_id = 'old'`)).toEqual([{ site_type: 3, env_type: null, cage_id: null }]);
    await ingestTrajectory(s, makeRecord('t2'), makeResult(1));
    expect(await s.query(`SELECT jump_class FROM site_jumps WHERE trajectory_id = 't2'`)).toEqual([{ jump_class: 'intra_cage' }]);
    expect(await s.query(`SELECT cage_count, complete_cage_count, intra_cage_jump_fraction FROM element_descriptors WHERE trajectory_id = 't2'`))
      .toEqual([{ cage_count: 1, complete_cage_count: 1, intra_cage_jump_fraction: 1 }]);
    s.close();
  });

  it('a v3 database (the schema before sites.centre_err_a) migrates to the fresh schema: old rows keep NULL errors, new rows fill them', async () => {
    const db = join(dir, 'v3.duckdb');
    await makeOld(V3, 3, db, `INSERT INTO sites (trajectory_id, element, site_id, site_type, env_type) VALUES ('old', 'Li', 0, 3, 1);`);
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(new RegExp(`schema version 3, this ionsift expects ${SCHEMA_VERSION}`));
    const s = await Store.open(db);
    expect(await s.version()).toBe(SCHEMA_VERSION);
    const fresh = await Store.open(join(dir, 'fresh-v3.duckdb'));
    const rowsOf = async (st: Store, sql: string): Promise<Record<string, unknown>[]> => JSON.parse(JSON.stringify(await st.query(sql))) as Record<string, unknown>[];
    expect(await rowsOf(s, CATALOG)).toEqual(await rowsOf(fresh, CATALOG));
    fresh.close();
    expect(await s.query(`SELECT site_type, env_type, centre_err_a FROM sites WHERE trajectory_id = 'old'`)).toEqual([{ site_type: 3, env_type: 1, centre_err_a: null }]);
    await ingestTrajectory(s, makeRecord('t3'), makeResult(1));
    expect(await s.query(`SELECT site_id, centre_err_a FROM sites WHERE trajectory_id = 't3' ORDER BY site_id`)).toEqual([{ site_id: 0, centre_err_a: 0.012 }, { site_id: 1, centre_err_a: null }]);
    s.close();
  });

  it('refuses a database whose tables differ, naming the column, for reading and writing', async () => {
    const db = join(dir, 'renamed.duckdb');
    await makeV1(db, `ALTER TABLE events RENAME COLUMN length_a TO hop_length; INSERT INTO schema_version (version) VALUES (${SCHEMA_VERSION})`);
    const msg = /events column 9 is "hop_length DOUBLE", expected "length_a DOUBLE".*another ionsift version/;
    await expect(Store.open(db)).rejects.toThrow(msg);
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(msg);
    const missing = join(dir, 'missing.duckdb');
    await makeV1(missing, 'DROP VIEW descriptors; DROP TABLE species');
    await expect(Store.open(missing)).rejects.toThrow(/no species/);
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
