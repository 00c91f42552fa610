/**
 * Row-for-row comparison of two ionsift databases: every table of the schema as a multiset of
 * rows (DuckDB's EXCEPT ALL both ways, NULLs equal), leaving out the columns marked `volatile`
 * (wall times, timestamps). This is how a sharded run (`index --shard` + `merge`) is checked
 * against a single-machine run of the same files.
 */
import { DuckDBInstance } from '@duckdb/node-api';
import { TABLE_SCHEMAS } from './tables/registry.js';
import { checkDbPath } from './db.js';
import { existsSync } from 'node:fs';

export interface TableComparison {
  table: string;
  rowsA: number;
  rowsB: number;
  /** Rows of A with no equal row in B (counted with multiplicity), and the reverse. */
  onlyInA: number;
  onlyInB: number;
  /** Set when the table could not be compared (missing in one database, different columns). */
  problem?: string;
}

export interface DatabaseComparison {
  equal: boolean;
  tables: TableComparison[];
}

const quoteIdent = (s: string): string => `"${s.replace(/"/g, '""')}"`;
const quoteLit = (s: string): string => `'${s.replace(/'/g, "''")}'`;

export async function compareDatabases(a: string, b: string): Promise<DatabaseComparison> {
  for (const p of [a, b]) {
    checkDbPath(p);
    if (!existsSync(p)) throw new Error(`database not found: ${p}`);
  }
  const instance = await DuckDBInstance.create(':memory:', { autoinstall_known_extensions: 'false', autoload_known_extensions: 'false' });
  const conn = await instance.connect();
  try {
    await conn.run(`ATTACH ${quoteLit(a)} AS db_a (READ_ONLY); ATTACH ${quoteLit(b)} AS db_b (READ_ONLY)`);
    const tables: TableComparison[] = [];
    for (const t of TABLE_SCHEMAS) {
      const cols = t.columns.filter((c) => !c.volatile).map((c) => quoteIdent(c.name)).join(', ');
      const from = (db: string): string => `SELECT ${cols} FROM ${db}.${quoteIdent(t.name)}`;
      try {
        const reader = await conn.runAndReadAll(
          `SELECT (SELECT count(*) FROM db_a.${quoteIdent(t.name)}) AS na, (SELECT count(*) FROM db_b.${quoteIdent(t.name)}) AS nb,
                  (SELECT count(*) FROM (${from('db_a')} EXCEPT ALL ${from('db_b')})) AS only_a,
                  (SELECT count(*) FROM (${from('db_b')} EXCEPT ALL ${from('db_a')})) AS only_b`,
        );
        const [na, nb, onlyA, onlyB] = (reader.getRows()[0] ?? []).map((v) => Number(v));
        tables.push({ table: t.name, rowsA: na, rowsB: nb, onlyInA: onlyA, onlyInB: onlyB });
      } catch (err) {
        const msg = err instanceof Error ? err.message.split('\n')[0] : String(err);
        tables.push({ table: t.name, rowsA: NaN, rowsB: NaN, onlyInA: NaN, onlyInB: NaN, problem: msg });
      }
    }
    const equal = tables.every((t) => !t.problem && t.onlyInA === 0 && t.onlyInB === 0);
    return { equal, tables };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}
