/**
 * The schema's SQL, generated from the table descriptions: CREATE statements (tables, then the
 * view) and COMMENT ON statements, kept apart because DuckDB cannot replay COMMENT ON from the
 * WAL (see Store.migrate). src/store/schema.sql is this text written out for readers.
 */
import type { TableSchema } from './tables/column.js';
import type { View } from './tables/view.js';
import { TABLE_SCHEMAS, VIEWS } from './tables/registry.js';
import { schemaIdent, sqlString } from './sql.js';

export function createTableSql(t: TableSchema): string {
  const width = Math.max(...t.columns.map((c) => schemaIdent(c.name).length));
  const lines = t.columns.map((c) => {
    const parts = [c.type, c.primaryKey ? 'PRIMARY KEY' : '', c.notNull ? 'NOT NULL' : '', c.default ? `DEFAULT ${c.default}` : ''];
    return `  ${schemaIdent(c.name).padEnd(width)}  ${parts.filter(Boolean).join(' ')}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${t.name} (\n${lines.join(',\n')}\n);`;
}

export function createViewSql(v: View): string {
  const lines = v.columns.map((c) => (c.sql.endsWith(`.${c.name}`) ? `  ${c.sql}` : `  ${c.sql} AS ${schemaIdent(c.name)}`));
  return `CREATE OR REPLACE VIEW ${v.name} AS\nSELECT\n${lines.join(',\n')}\n${v.from};`;
}

/** One comment of the schema, keyed as in DuckDB's catalog (duckdb_tables(), duckdb_columns()). */
export interface SchemaComment {
  kind: 'TABLE' | 'VIEW' | 'COLUMN';
  table: string;
  /** Column name, or null for the table/view itself. */
  column: string | null;
  text: string;
}

export function schemaComments(): SchemaComment[] {
  const out: SchemaComment[] = [];
  const add = (kind: 'TABLE' | 'VIEW', rel: TableSchema | View): void => {
    out.push({ kind, table: rel.name, column: null, text: rel.comment });
    for (const c of rel.columns) out.push({ kind: 'COLUMN', table: rel.name, column: c.name, text: c.comment });
  };
  for (const t of TABLE_SCHEMAS) add('TABLE', t);
  for (const v of VIEWS) add('VIEW', v);
  return out;
}

export function commentStatement(c: SchemaComment): string {
  const target = c.column === null ? c.table : `${c.table}.${schemaIdent(c.column)}`;
  return `COMMENT ON ${c.kind} ${target} IS ${sqlString(c.text)};`;
}

/** CREATE statements of every table, then every view. */
export function schemaDdl(): string {
  return [...TABLE_SCHEMAS.map(createTableSql), ...VIEWS.map(createViewSql)].join('\n\n');
}

/** COMMENT ON statements of every table, view and column, one per line. */
export function schemaCommentsSql(): string {
  return schemaComments().map(commentStatement).join('\n');
}

/** The text of src/store/schema.sql. */
export function schemaFileText(): string {
  return `-- ionsift database schema (see docs/DESIGN.md for the names users rely on).
-- GENERATED from src/store/tables/*.ts by \`npx tsx scripts/schema-sql.ts\`: edit the table descriptions, not this file.
-- Units are in the column names: _ps picoseconds, _fs femtoseconds, _a Ångström, _a2 Å², _a3 Å³,
-- _cm2_s cm²/s, _s_cm S/cm, _ev eV, _k kelvin. Every trajectory-level table is keyed by
-- trajectory_id and written in one transaction per trajectory (src/store/ingest.ts).

${schemaDdl()}

${schemaCommentsSql()}
`;
}
