/**
 * Opening, migrating and querying an ionsift DuckDB database.
 *
 * No DuckDB extension is ever downloaded (`autoinstall_known_extensions=false`); parquet and
 * json are built into the engine shipped by @duckdb/node-api.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { plainConverter, type Row } from './values.js';

export type { Row, Plain } from './values.js';

/** Current schema version; bump and add an entry to MIGRATIONS when schema.sql changes. */
export const SCHEMA_VERSION = 1;

/**
 * Migrations from version v-1 to v, keyed by v (≥ 2). Each runs in one transaction.
 * Version 1 is schema.sql itself.
 */
const MIGRATIONS: Record<number, string> = {};

/** Tables that hold per-trajectory rows (keyed by trajectory_id), in write order. */
export const TRAJECTORY_TABLES = [
  'trajectories',
  'species',
  'events',
  'atoms',
  'concerted_groups',
  'correlations',
  'correlation_fits',
  'diffusion',
  'element_descriptors',
] as const;

/** Every base table (the `descriptors` view is derived). */
export const ALL_TABLES = [...TRAJECTORY_TABLES, 'arrhenius', 'failures'] as const;
export type TableName = (typeof ALL_TABLES)[number];

export class StoreLockedError extends Error {}
export class ReadOnlyError extends Error {}

let schemaText: string | null = null;
/** schema.sql sits next to this module in src/; from dist/ fall back to the source tree. */
export function schemaSql(): string {
  if (schemaText !== null) return schemaText;
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [resolve(here, 'schema.sql'), resolve(here, '../../src/store/schema.sql')];
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`schema.sql not found (looked in ${candidates.join(', ')})`);
  schemaText = readFileSync(found, 'utf8');
  return schemaText;
}

/**
 * Throws when DuckDB cannot use `path` as a database file. It reads "?" as the start of
 * URL-style options: the file opens, then the first commit fails on "<path before ?>.wal?<rest>".
 * Callers check before creating any folder or file for it.
 */
export function checkDbPath(path: string): void {
  if (path !== ':memory:' && path.includes('?')) {
    throw new Error(`${path}: DuckDB cannot use a database path containing "?" (it starts URL-style options there); choose a path without "?"`);
  }
}

export interface OpenOptions {
  /** Open read-only: any write fails, and no schema is created. */
  readOnly?: boolean;
  /** DuckDB worker threads (default: DuckDB's own). */
  threads?: number;
}

export class Store {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Store> {
    const readOnly = opts.readOnly ?? false;
    checkDbPath(path);
    if (readOnly && path !== ':memory:' && !existsSync(path)) {
      throw new Error(`database not found: ${path}`);
    }
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: 'true',
    };
    if (readOnly) config.access_mode = 'READ_ONLY';
    if (opts.threads) config.threads = String(opts.threads);
    let instance: DuckDBInstance;
    try {
      instance = await DuckDBInstance.create(path, config);
    } catch (err) {
      throw translateOpenError(path, err);
    }
    let conn: DuckDBConnection | null = null;
    try {
      conn = await instance.connect();
      const store = new Store(path, readOnly, instance, conn);
      if (!readOnly) await store.migrate();
      else await store.checkVersion();
      return store;
    } catch (err) {
      // Not an ionsift database, a newer schema, …: release the file (and its lock) before failing.
      try {
        conn?.closeSync();
      } finally {
        instance.closeSync();
      }
      throw err;
    }
  }

  /** Create the schema or bring it to SCHEMA_VERSION. */
  async migrate(): Promise<void> {
    const v = await this.version();
    if (v > SCHEMA_VERSION) {
      throw new Error(`${this.path} has schema version ${v}, newer than this ionsift (${SCHEMA_VERSION}); upgrade ionsift`);
    }
    if (v === SCHEMA_VERSION) return;
    // DuckDB 1.5 cannot replay COMMENT ON (an ALTER) from the WAL after a crash ("GetDefaultDatabase
    // with no default database set"), so schema changes must never be left in the WAL for a killed
    // run to replay. Tables first, checkpointed; then the comments, checkpointed at once, so only
    // the short commit → CHECKPOINT of the comments remains exposed.
    // A fresh schema (all CREATE … IF NOT EXISTS / OR REPLACE, so a rerun after a crash between
    // the steps redoes them) records its version with the comments; a migration, which may not
    // be idempotent, records its version with its DDL so that it can never run twice.
    const versions: number[] = [];
    const steps: string[] = [];
    if (v === 0) {
      steps.push(schemaSql());
      versions.push(SCHEMA_VERSION);
    } else {
      for (let next = v + 1; next <= SCHEMA_VERSION; next++) {
        const sql = MIGRATIONS[next];
        if (!sql) throw new Error(`no migration from schema version ${next - 1} to ${next}`);
        steps.push(sql);
        versions.push(next);
      }
    }
    const recordVersions = async (): Promise<void> => {
      for (const n of versions) await this.conn.run('INSERT INTO schema_version (version) VALUES ($1)', [n]);
    };
    const { ddl, comments } = splitComments(steps);
    await this.transaction(async () => {
      for (const sql of ddl) await this.conn.run(sql);
      if (v !== 0) await recordVersions();
    });
    await this.conn.run('CHECKPOINT');
    await this.transaction(async () => {
      if (comments.trim()) await this.conn.run(comments);
      if (v === 0) await recordVersions();
    });
    await this.conn.run('CHECKPOINT');
  }

  private async checkVersion(): Promise<void> {
    const v = await this.version();
    if (v === 0) throw new Error(`${this.path} is not an ionsift database (no schema_version table)`);
    if (v !== SCHEMA_VERSION) {
      throw new Error(`${this.path} has schema version ${v}, this ionsift expects ${SCHEMA_VERSION}; open it once for writing (e.g. ionsift index) to migrate`);
    }
  }

  /** Schema version, 0 when the database is empty. */
  async version(): Promise<number> {
    const has = await this.query(
      `SELECT count(*) AS n FROM duckdb_tables() WHERE table_name = 'schema_version' AND database_name = current_database()`,
    );
    if (!has[0] || has[0].n === 0) return 0;
    const rows = await this.query('SELECT max(version) AS v FROM schema_version');
    return Number(rows[0]?.v ?? 0);
  }

  /** Run SQL and return rows as plain objects (bigint → number, lists → arrays). */
  async query<T extends object = Row>(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<T[]> {
    try {
      const reader = await this.conn.runAndReadAll(sql, params);
      return reader.convertRowObjects(plainConverter) as T[];
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Run SQL and return column names + rows (for the CLI table/CSV printers). */
  async queryWithColumns(sql: string): Promise<{ columns: string[]; rows: Row[] }> {
    try {
      const reader = await this.conn.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.convertRowObjects(plainConverter) as Row[] };
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Run SQL for its effect. */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    try {
      await this.conn.run(sql, params);
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Run `fn` inside BEGIN … COMMIT; ROLLBACK on any error. */
  async transaction<T>(fn: () => Promise<T>): Promise<T> {
    await this.conn.run('BEGIN TRANSACTION');
    try {
      const out = await fn();
      await this.conn.run('COMMIT');
      return out;
    } catch (err) {
      try {
        await this.conn.run('ROLLBACK');
      } catch {
        // The transaction may already be aborted; the original error is what matters.
      }
      throw err;
    }
  }

  async checkpoint(): Promise<void> {
    if (!this.readOnly) await this.conn.run('CHECKPOINT');
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }

  private translate(err: unknown): Error {
    const msg = err instanceof Error ? err.message : String(err);
    if (this.readOnly && /read-only|read only/i.test(msg)) {
      return new ReadOnlyError(`${this.path} is opened read-only: statements that modify the database are not allowed (${firstLine(msg)})`);
    }
    return err instanceof Error ? err : new Error(msg);
  }
}

/**
 * Separate the COMMENT ON statements (one per line, as in schema.sql) from the rest of each
 * schema script, so that tables can be created and checkpointed before any comment is written.
 */
export function splitComments(scripts: readonly string[]): { ddl: string[]; comments: string } {
  const ddl: string[] = [];
  const comments: string[] = [];
  for (const sql of scripts) {
    const rest: string[] = [];
    for (const line of sql.split('\n')) (/^\s*COMMENT ON /i.test(line) ? comments : rest).push(line);
    ddl.push(rest.join('\n'));
  }
  return { ddl, comments: comments.join('\n') };
}

function firstLine(s: string): string {
  return s.split('\n')[0];
}

function translateOpenError(path: string, err: unknown): Error {
  const msg = err instanceof Error ? err.message : String(err);
  if (/Could not set lock|Conflicting lock/i.test(msg)) {
    const holder = /Conflicting lock is held in (.*?)(?: \(PID (\d+)\))?[.]?(?: See also|$)/.exec(msg);
    const who = holder ? `${holder[1]}${holder[2] ? ` (PID ${holder[2]})` : ''}` : 'another process';
    return new StoreLockedError(
      `database is locked by another process: ${path} is held by ${who}. Wait for that ionsift run to finish (only one writer at a time; readers must wait for the writer too).`,
    );
  }
  return err instanceof Error ? err : new Error(msg);
}

/** Quote a SQL string literal. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}

/** Quote a SQL identifier. */
export function sqlIdent(s: string): string {
  return `"${s.replaceAll('"', '""')}"`;
}
