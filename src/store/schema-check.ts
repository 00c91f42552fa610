/**
 * The live database against the table descriptions: a database whose tables differ in column
 * names or types (made by another ionsift schema) is refused with a message saying what
 * differs; comments that differ (a documentation fix) are rewritten on a write open.
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { TABLE_SCHEMAS, VIEWS } from './tables/registry.js';
import { commentStatement, schemaComments } from './ddl.js';
import { plainConverter, type Row } from './values.js';

async function rows(conn: DuckDBConnection, sql: string): Promise<Row[]> {
  return (await conn.runAndReadAll(sql)).convertRowObjects(plainConverter);
}

/** Columns of every relation in the main schema, in order: table → ["name TYPE", …]. */
export async function liveColumns(conn: DuckDBConnection): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  const found = await rows(conn, `SELECT table_name, column_name, data_type FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main' ORDER BY table_name, column_index`);
  for (const r of found) {
    const t = String(r.table_name);
    out.set(t, [...(out.get(t) ?? []), `${String(r.column_name)} ${String(r.data_type)}`]);
  }
  return out;
}

/** What differs between the live tables/views and the descriptions (empty when they match). */
export function schemaDifferences(live: Map<string, string[]>): string[] {
  const problems: string[] = [];
  for (const rel of [...TABLE_SCHEMAS, ...VIEWS]) {
    const want = rel.columns.map((c) => `${c.name} ${c.type}`);
    const have = live.get(rel.name);
    if (!have) {
      problems.push(`no ${rel.name}`);
      continue;
    }
    const n = Math.max(want.length, have.length);
    for (let i = 0; i < n; i++) {
      if (want[i] === have[i]) continue;
      problems.push(`${rel.name} column ${i + 1} is ${have[i] ? `"${have[i]}"` : 'missing'}, expected ${want[i] ? `"${want[i]}"` : 'none'}`);
      break;
    }
  }
  return problems;
}

/** COMMENT ON statements for every comment the live database lacks or words differently. */
export async function staleComments(conn: DuckDBConnection): Promise<string[]> {
  const live = new Map<string, string | null>();
  const key = (table: string, column: string | null): string => `${table}\u0000${column ?? ''}`;
  const rels = await rows(conn, `SELECT table_name AS name, comment FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main'
    UNION ALL SELECT view_name, comment FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main'`);
  for (const r of rels) live.set(key(String(r.name), null), r.comment === null ? null : String(r.comment));
  const cols = await rows(conn, `SELECT table_name, column_name, comment FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'`);
  for (const r of cols) live.set(key(String(r.table_name), String(r.column_name)), r.comment === null ? null : String(r.comment));
  return schemaComments()
    .filter((c) => live.get(key(c.table, c.column)) !== c.text)
    .map(commentStatement);
}
