/** Quoting for SQL text built by the store. */

/** Quote a SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quote a SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}

/** DuckDB keywords among the schema's column names (test/store/schema.test.ts checks the rest are not). */
const KEYWORD_NAMES = new Set(['offset', 'at']);

/** A schema name as written in the DDL: bare, or quoted when DuckDB reads it as a keyword. */
export function schemaIdent(name: string): string {
  return KEYWORD_NAMES.has(name) ? sqlIdent(name) : name;
}
