/**
 * DuckDB values → plain JS at the API edge: BIGINT/HUGEINT/DECIMAL become numbers (notebooks
 * and Vega-Lite choke on bigint), lists become arrays, timestamps Dates.
 */
import {
  DuckDBTypeId,
  JSDuckDBValueConverter,
  type DuckDBType,
  type DuckDBValue,
  type DuckDBValueConverter,
  type JS,
} from '@duckdb/node-api';

/** A plain value as returned by `Store.query`. */
export type Plain = null | boolean | number | string | Date | Uint8Array | Plain[] | { [key: string]: Plain };
export type Row = Record<string, Plain>;

const WIDE_INTS = new Set<DuckDBTypeId>([
  DuckDBTypeId.BIGINT,
  DuckDBTypeId.UBIGINT,
  DuckDBTypeId.HUGEINT,
  DuckDBTypeId.UHUGEINT,
  DuckDBTypeId.BIGNUM,
]);

export const plainConverter: DuckDBValueConverter<Plain> = (value: DuckDBValue, type: DuckDBType, self) => {
  if (value === null) return null;
  if (WIDE_INTS.has(type.typeId)) return Number(value as bigint);
  if (type.typeId === DuckDBTypeId.DECIMAL) return Number(String(value));
  // The stock JS converter recurses through `self` for lists/structs, so nested bigints convert too.
  const out: JS | null = JSDuckDBValueConverter(value, type, self as unknown as DuckDBValueConverter<JS>);
  if (typeof out === 'bigint') return Number(out);
  return out as Plain;
};

/** Render a plain value for text output (table, CSV). */
export function formatPlain(v: Plain): string {
  if (v === null) return '';
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : formatNumber(v);
  if (typeof v === 'object') return JSON.stringify(v, jsonReplacer);
  return String(v);
}

function formatNumber(x: number): string {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? x.toExponential(4) : String(Number(x.toPrecision(6)));
}

/** JSON.stringify replacer: NaN/Infinity → null, typed arrays → arrays. */
export function jsonReplacer(_key: string, v: unknown): unknown {
  if (typeof v === 'number' && !Number.isFinite(v)) return null;
  if (typeof v === 'bigint') return Number(v);
  if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number>);
  return v;
}
