/**
 * Writing tables and query results as Parquet / CSV (DuckDB COPY) or Arrow IPC files
 * (apache-arrow), and as text tables / JSON for the terminal.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  Bool,
  Field,
  Float64,
  Int32,
  List,
  TimestampMillisecond,
  Utf8,
  vectorFromArray,
  Table,
  tableToIPC,
  type DataType,
  type Vector,
} from 'apache-arrow';
import { DuckDBTypeId, type DuckDBType, type DuckDBListType } from '@duckdb/node-api';
import { plainConverter, formatPlain, jsonReplacer, type Plain, type Row } from './values.js';
import { ALL_TABLES, sqlString, type Store } from './db.js';
import { VIEWS } from './tables/registry.js';

export type FileFormat = 'parquet' | 'csv' | 'arrow';
export const FILE_EXT: Record<FileFormat, string> = { parquet: 'parquet', csv: 'csv', arrow: 'arrow' };

/** Tables (and the descriptors view) written by `ionsift export`. */
export const EXPORTED: readonly string[] = [...ALL_TABLES, ...VIEWS.map((v) => v.name)];

function arrowType(t: DuckDBType): DataType {
  switch (t.typeId) {
    case DuckDBTypeId.BOOLEAN:
      return new Bool();
    case DuckDBTypeId.TINYINT:
    case DuckDBTypeId.SMALLINT:
    case DuckDBTypeId.INTEGER:
    case DuckDBTypeId.UTINYINT:
    case DuckDBTypeId.USMALLINT:
      return new Int32();
    case DuckDBTypeId.BIGINT:
    case DuckDBTypeId.UBIGINT:
    case DuckDBTypeId.HUGEINT:
    case DuckDBTypeId.UINTEGER:
    case DuckDBTypeId.FLOAT:
    case DuckDBTypeId.DOUBLE:
    case DuckDBTypeId.DECIMAL:
      // Plain numbers at the API edge: counts fit a double exactly far beyond any row count.
      return new Float64();
    case DuckDBTypeId.TIMESTAMP:
    case DuckDBTypeId.TIMESTAMP_TZ:
    case DuckDBTypeId.TIMESTAMP_MS:
    case DuckDBTypeId.TIMESTAMP_S:
    case DuckDBTypeId.DATE:
      return new TimestampMillisecond();
    case DuckDBTypeId.LIST:
      return new List(new Field('item', arrowType((t as DuckDBListType).valueType), true));
    default:
      return new Utf8();
  }
}

function arrowValue(v: Plain, t: DataType): unknown {
  if (v === null) return null;
  if (t instanceof TimestampMillisecond) return v instanceof Date ? v.getTime() : Number(v);
  if (t instanceof Utf8) return typeof v === 'string' ? v : formatPlain(v);
  if (t instanceof List && Array.isArray(v)) return v.map((x) => arrowValue(x, t.children[0].type));
  return v;
}

/** Run `sql` and return an Arrow table with types mapped from DuckDB's. */
export async function queryArrow(store: Store, sql: string): Promise<Table> {
  const reader = await store.conn.runAndReadAll(sql);
  const names = reader.columnNames();
  const types = reader.columnTypes();
  const cols = reader.convertColumns(plainConverter);
  const vectors: Record<string, Vector> = {};
  names.forEach((name, i) => {
    const at = arrowType(types[i]);
    vectors[name] = vectorFromArray(cols[i].map((v) => arrowValue(v, at)), at) as Vector;
  });
  return new Table(vectors);
}

/** Write the result of `sql` (or a table name) to `file`. */
export async function writeQuery(store: Store, sql: string, format: FileFormat, file: string): Promise<void> {
  if (format === 'arrow') {
    writeFileSync(file, tableToIPC(await queryArrow(store, sql), 'file'));
    return;
  }
  const opts = format === 'csv' ? '(FORMAT csv, HEADER true)' : '(FORMAT parquet)';
  await store.run(`COPY (${sql}) TO ${sqlString(file)} ${opts}`);
}

/** Every table as OUT/<table>.<ext>. Returns the files written. */
export async function exportAll(store: Store, outDir: string, format: FileFormat): Promise<string[]> {
  mkdirSync(outDir, { recursive: true });
  const files: string[] = [];
  for (const t of EXPORTED) {
    const file = join(outDir, `${t}.${FILE_EXT[format]}`);
    await writeQuery(store, `SELECT * FROM ${t}`, format, file);
    files.push(file);
  }
  return files;
}

/** Aligned text table for the terminal (numbers right-aligned, long cells cut). */
export function textTable(columns: readonly string[], rows: readonly Row[], maxWidth = 40): string {
  const cells = rows.map((r) => columns.map((c) => cut(formatPlain(r[c] ?? null), maxWidth)));
  const numeric = columns.map((c) => rows.length > 0 && rows.every((r) => r[c] === null || typeof r[c] === 'number'));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((row) => row[i].length)));
  const line = (vals: string[]): string => vals.map((v, i) => (numeric[i] ? v.padStart(widths[i]) : v.padEnd(widths[i]))).join('  ').trimEnd();
  return [line([...columns]), widths.map((w) => '─'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function cut(s: string, n: number): string {
  return s.length > n ? s.slice(0, n - 1) + '…' : s;
}

export function csvText(columns: readonly string[], rows: readonly Row[]): string {
  const esc = (s: string): string => (/[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s);
  return [columns.map(esc).join(','), ...rows.map((r) => columns.map((c) => esc(formatPlain(r[c] ?? null))).join(','))].join('\n');
}

export function jsonText(rows: readonly Row[]): string {
  return JSON.stringify(rows, jsonReplacer, 2);
}
