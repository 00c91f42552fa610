/**
 * Bulk writes through the DuckDB Appender with column-major data chunks, the columns taken from
 * a table description and checked against the live table (names and types, not only the count)
 * so that a description and a database that disagree fail loudly instead of shifting values.
 */
import { DuckDBDataChunk, JSToDuckDBValueConverter, type DuckDBConnection, type JS } from '@duckdb/node-api';
import type { Table } from './tables/column.js';
import { sqlString } from './sql.js';

/** What the Appender needs of a Store (its connection; a Store is one). */
export interface AppendTarget {
  readonly conn: DuckDBConnection;
}

/** DuckDB's vector size: a data chunk holds at most this many rows. */
const CHUNK_ROWS = 2048;

/** Live column names per table, read once per open store (the types are checked on every append). */
const liveNames = new WeakMap<AppendTarget, Map<string, readonly string[]>>();

async function liveColumnNames(store: AppendTarget, table: string): Promise<readonly string[]> {
  let perStore = liveNames.get(store);
  if (!perStore) liveNames.set(store, (perStore = new Map()));
  let names = perStore.get(table);
  if (!names) {
    const reader = await store.conn.runAndReadAll(
      `SELECT column_name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'
       AND table_name = ${sqlString(table)} ORDER BY column_index`,
    );
    names = reader.getRows().map((r) => String(r[0]));
    perStore.set(table, names);
  }
  return names;
}

/** Append `rows` to `table`, each column's value from its description's accessor. */
export async function appendRows<R, C>(store: AppendTarget, table: Table<R, C>, rows: readonly R[], ctx: C): Promise<void> {
  if (rows.length === 0) return;
  const columns = table.columns.map((c) => rows.map((r) => c.get(r, ctx)));
  await appendColumns(store, table, columns);
}

/** Append several groups of rows (e.g. several trajectories', each with its context) through one Appender. */
export async function appendRowGroups<R, C>(store: AppendTarget, table: Table<R, C>, groups: readonly { rows: readonly R[]; ctx: C }[]): Promise<void> {
  if (!groups.some((g) => g.rows.length > 0)) return;
  const columns = table.columns.map((c) => groups.flatMap((g) => g.rows.map((r) => c.get(r, g.ctx))));
  await appendColumns(store, table, columns);
}

async function appendColumns<R, C>(store: AppendTarget, table: Table<R, C>, columns: JS[][]): Promise<void> {
  const n = columns[0]?.length ?? 0;
  const want = table.columns.map((c) => c.name);
  const names = await liveColumnNames(store, table.name);
  if (names.join(',') !== want.join(',')) {
    throw new Error(`append to ${table.name}: the table's columns are (${names.join(', ')}), its description's (${want.join(', ')})`);
  }
  const appender = await store.conn.createAppender(table.name);
  try {
    const types = Array.from({ length: appender.columnCount }, (_, i) => appender.columnType(i));
    const wrong = table.columns.filter((c, i) => types[i]?.toString() !== c.type);
    if (types.length !== want.length || wrong.length > 0) {
      const live = types.map((t, i) => `${names[i]} ${t.toString()}`).join(', ');
      throw new Error(`append to ${table.name}: the table's column types are (${live}), its description's (${table.columns.map((c) => `${c.name} ${c.type}`).join(', ')})`);
    }
    for (let start = 0; start < n; start += CHUNK_ROWS) {
      const end = Math.min(n, start + CHUNK_ROWS);
      const chunk = DuckDBDataChunk.create(types, end - start);
      chunk.setColumnsConverted(
        columns.map((c) => (start === 0 && end === n ? c : c.slice(start, end))),
        JSToDuckDBValueConverter,
      );
      appender.appendDataChunk(chunk);
    }
    appender.flushSync();
  } finally {
    appender.closeSync();
  }
}
