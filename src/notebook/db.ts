/**
 * A small read-only-by-default DuckDB handle for notebooks and `ionsift plot`:
 * `query` returns plain objects (bigint → number, so Vega-Lite and JSON get plain numbers),
 * `arrow` returns an apache-arrow Table with typed-array columns for large results.
 * Read-only by default because a DuckDB file held read-write by one process blocks every
 * other process, readers included.
 */
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DuckDBTypeId } from '@duckdb/node-api';
import type { DuckDBType } from '@duckdb/node-api';
import { Bool, Float64, Int32, Table, Utf8, makeVector, vectorFromArray } from 'apache-arrow';
import type { Vector } from 'apache-arrow';
import { Store, sqlString } from '../store/db.js';

import type { Row, RowOf, Value } from './values.js';

export type { Row, Value };

export interface OpenOptions {
  /** Default true. Pass false only to write (e.g. CREATE a scratch table); it locks out every other process. */
  readOnly?: boolean;
  /**
   * Default false: SQL reaches no file but the database and no network (see RELIABILITY.md).
   * True lets it read and write files in the database's folder (Parquet/CSV beside it).
   */
  files?: boolean;
}

export interface Database {
  /** Absolute path of the database file. */
  readonly path: string;
  readonly readOnly: boolean;
  /**
   * Rows as plain objects; BIGINT/HUGEINT become numbers (exact below 2^53), DECIMAL doubles.
   * Without a type parameter, `SELECT * FROM <table>` rows have the table's type (others: Row).
   */
  query<T extends object = never, S extends string = string>(sql: S): Promise<([T] extends [never] ? RowOf<S> : T)[]>;
  /** The result as an apache-arrow Table (numeric columns are Float64/Int32 typed arrays). */
  arrow(sql: string): Promise<Table>;
  /** Column names and DuckDB types of a query's result, without fetching rows. */
  describe(sql: string): Promise<{ column_name: string; column_type: string }[]>;
  close(): void;
}

/** bigint → number, recursively (lists and structs too). */
export function plain(v: unknown): Value {
  if (typeof v === 'bigint') return Number(v);
  if (v === null || v === undefined) return null;
  if (Array.isArray(v)) return v.map(plain);
  if (v instanceof Date || v instanceof Uint8Array) return v;
  if (typeof v === 'object') {
    const o: { [key: string]: Value } = {};
    for (const [k, x] of Object.entries(v)) o[k] = plain(x);
    return o;
  }
  return v as boolean | number | string;
}

export async function openDatabase(path: string, opts: OpenOptions = {}): Promise<Database> {
  const abs = resolve(path);
  const readOnly = opts.readOnly ?? true;
  if (readOnly && !existsSync(abs)) throw new Error(`${abs}: no such database (create it with: ionsift index <folders> --db ${path})`);
  // The store owns opening (no extension downloads, lock errors explained, schema version check).
  const store = await Store.open(abs, { readOnly, sandbox: { allowDirectories: opts.files ? [dirname(abs)] : [] } });
  let closed = false;
  const live = (): Store => {
    if (closed) throw new Error(`${abs}: database is closed`);
    return store;
  };
  return {
    path: abs,
    readOnly,
    async query<T extends object = never, S extends string = string>(sql: S): Promise<([T] extends [never] ? RowOf<S> : T)[]> {
      return (await live().query(sql)) as unknown as ([T] extends [never] ? RowOf<S> : T)[];
    },
    async arrow(sql: string): Promise<Table> {
      await live().checkSingle(sql);
      const reader = await live().conn.runAndReadAll(sql);
      const names = reader.columnNames();
      const types = reader.columnTypes();
      const cols = reader.getColumnsJS();
      const vectors: Record<string, Vector> = {};
      names.forEach((n, i) => {
        vectors[uniqueName(vectors, n)] = toVector(cols[i], types[i]);
      });
      return new Table(vectors);
    },
    async describe(sql: string) {
      const rows = await live().query(`DESCRIBE ${sql}`);
      return rows.map((r) => ({ column_name: String(r.column_name), column_type: String(r.column_type) }));
    },
    close() {
      if (closed) return;
      closed = true;
      store.close();
    },
  };
}

/**
 * SQL literal for a value interpolated by the `sql` tag. Numbers are parenthesised, so that
 * `10-${-3}` is `10-(-3)` and never `10--3` (a comment that would drop the rest of the line);
 * NaN and ±Infinity stay those DOUBLE values; strings are quoted; arrays become lists.
 */
export function sqlLiteral(v: unknown): string {
  if (v === null || v === undefined) return 'NULL';
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return "('NaN'::DOUBLE)";
    if (!Number.isFinite(v)) return v > 0 ? "('Infinity'::DOUBLE)" : "('-Infinity'::DOUBLE)";
    // -0 as a DOUBLE: the literal -0.0 would be a DECIMAL, and lose its sign.
    return Object.is(v, -0) ? "('-0.0'::DOUBLE)" : `(${String(v)})`;
  }
  if (typeof v === 'bigint') return `(${v.toString()})`;
  if (typeof v === 'boolean') return v ? 'TRUE' : 'FALSE';
  if (typeof v === 'string') return sqlString(v);
  if (Array.isArray(v)) return `[${v.map(sqlLiteral).join(', ')}]`;
  if (v instanceof Date) {
    if (Number.isNaN(v.getTime())) throw new TypeError('sql: cannot interpolate an invalid Date');
    return `(TIMESTAMPTZ ${sqlString(v.toISOString())})`;
  }
  throw new TypeError(`sql: cannot interpolate a ${typeof v === 'object' ? 'plain object' : typeof v}; pass a number, string, boolean, bigint, Date, null or an array of them`);
}

/** The text of a `sql` tagged template, every value a literal (see `sqlLiteral`). */
export function sqlTemplate(query: string | TemplateStringsArray, values: readonly unknown[]): string {
  if (typeof query === 'string') return query;
  return query.reduce((acc, s, i) => acc + s + (i < values.length ? sqlLiteral(values[i]) : ''), '');
}

function uniqueName(seen: Record<string, unknown>, n: string): string {
  let name = n;
  for (let k = 1; name in seen; k++) name = `${n}_${k}`;
  return name;
}

const FLOAT_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.DOUBLE, DuckDBTypeId.FLOAT, DuckDBTypeId.DECIMAL, DuckDBTypeId.BIGINT, DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT, DuckDBTypeId.UHUGEINT, DuckDBTypeId.UINTEGER,
]);
const INT_TYPES = new Set<DuckDBTypeId>([
  DuckDBTypeId.TINYINT, DuckDBTypeId.SMALLINT, DuckDBTypeId.INTEGER, DuckDBTypeId.UTINYINT, DuckDBTypeId.USMALLINT,
]);
const STRING_TYPES = new Set<DuckDBTypeId>([DuckDBTypeId.VARCHAR, DuckDBTypeId.ENUM, DuckDBTypeId.UUID]);

/** One DuckDB column → one Arrow vector; null-free numeric columns become zero-copy typed arrays. */
function toVector(values: unknown[], type: DuckDBType): Vector {
  const id = type.typeId;
  const hasNull = values.some((v) => v === null || v === undefined);
  if (FLOAT_TYPES.has(id)) {
    if (!hasNull) return makeVector(Float64Array.from(values, (v) => Number(v)));
    return vectorFromArray(values.map((v) => (v === null || v === undefined ? null : Number(v))), new Float64());
  }
  if (INT_TYPES.has(id)) {
    if (!hasNull) return makeVector(Int32Array.from(values as number[]));
    return vectorFromArray(values as (number | null)[], new Int32());
  }
  if (STRING_TYPES.has(id)) return vectorFromArray(values as (string | null)[], new Utf8());
  if (id === DuckDBTypeId.BOOLEAN) return vectorFromArray(values as (boolean | null)[], new Bool());
  // Dates, lists, structs: let arrow infer from the plain JS values.
  return vectorFromArray(values.map(plain));
}
