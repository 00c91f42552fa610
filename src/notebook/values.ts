/**
 * Row types without a type parameter: `SELECT * FROM <table or view>` gives that table's row
 * type (src/notebook/table-rows.ts, generated from the schema); any other query gives `Row`,
 * whose values `num()` and `str()` turn into a number or string with a clear error otherwise.
 */
import type { TableRows } from './table-rows.js';

/** A value as `query` returns it. */
export type Value = null | boolean | number | string | Date | Uint8Array | Value[] | { [key: string]: Value };
export type Row = Record<string, Value>;

export type { TableRows };
export type TableName = keyof TableRows;

type TrimStart<S extends string> = S extends ` ${infer R}` | `\n${infer R}` | `\t${infer R}` ? TrimStart<R> : S;
type FirstWord<S extends string> = S extends `${infer W} ${string}`
  ? W
  : S extends `${infer W}\n${string}`
    ? W
    : S extends `${infer W};${string}`
      ? W
      : S;
type StarFrom<S extends string> = TrimStart<S> extends `${'SELECT' | 'select'} * ${'FROM' | 'from'} ${infer Rest}` ? FirstWord<TrimStart<Rest>> : never;

/** The row type of a query's text: a table's row for `SELECT * FROM table …`, else Row. */
export type RowOf<S extends string> = string extends S ? Row : StarFrom<S> extends infer T ? (T extends TableName ? TableRows[T] : Row) : Row;

/** A query value as a number (bigint already converted); null stays null; anything else is an error naming it. */
export function num(v: Value | undefined, name = 'value'): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v))) return Number(v);
  throw new TypeError(`${name} is ${v === null || v === undefined ? 'null (not resolved)' : JSON.stringify(v)}, not a number`);
}

/** A query value as a string (numbers are formatted); null is an error naming it. */
export function str(v: Value | undefined, name = 'value'): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new TypeError(`${name} is ${v === null || v === undefined ? 'null' : JSON.stringify(v)}, not a string`);
}
