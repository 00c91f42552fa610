/**
 * Opening, migrating and querying an ionsift DuckDB database.
 *
 * No DuckDB extension is ever downloaded (`autoinstall_known_extensions=false`); parquet and
 * json are built into the engine shipped by @duckdb/node-api. A sandboxed open (user-written
 * SQL: `ionsift query`, notebooks) also turns external access off and locks the configuration,
 * so that SQL cannot read or write any file but the database (see RELIABILITY.md).
 */
import { existsSync } from 'node:fs';
import {
  DuckDBInstance,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import { plainConverter, type Row } from './values.js';
import { TRAJECTORY_TABLE_SCHEMAS, schemaVersion, arrhenius, failures, diffusion, events, sites, siteJumps, VIEWS } from './tables/registry.js';
import type { TableSchema } from './tables/column.js';
import { commentStatement, createTableSql, createViewSql, schemaComments, schemaCommentsSql, schemaDdl } from './ddl.js';
import { schemaIdent } from './sql.js';
import { liveColumns, schemaDifferences, staleComments } from './schema-check.js';
import { appendRows } from './appender.js';
import { sqlString } from './sql.js';
import { manyBodyMigrationData, manyBodyMigrationDdl } from './migration-manybody.js';
import { beforeCages, CAGES_MIGRATION_TABLES, cagesMigrationDdl } from './migration-cages.js';
import { transportAxesMigrationDdl } from './migration-transport-axes.js';
import { SITE_ERRORS_MIGRATION_TABLES, siteErrorsMigrationDdl } from './migration-site-errors.js';

export type { Row, Plain } from './values.js';
export { sqlString, sqlIdent } from './sql.js';

/**
 * Current schema version: bump it and add an entry to MIGRATIONS when a table description
 * changes a table's shape (columns, types). Comment changes need no version: a write open
 * rewrites the comments that differ.
 */
export const SCHEMA_VERSION = 4;

/** A migration's SQL: its DDL, and its COMMENT ON statements (run after the DDL is checkpointed). */
export interface Migration {
  ddl: string;
  comments?: string;
}

/** Tables whose comments migration 2 sets (views get theirs where they are rebuilt: the last migration). */
const MIGRATION_2_TABLES = ['diffusion', 'arrhenius', 'correlations', 'correlation_fits', 'concerted_groups', 'element_descriptors', 'events', 'sites', 'site_jumps'];

/**
 * Migrations from version v-1 to v, keyed by v (≥ 2). Version 1 is the schema generated from
 * the table descriptions (src/store/ddl.ts).
 */
const MIGRATIONS: Record<number, Migration> = {
  // Issues 12–14, one step (none was released alone): transport numbers with resolution flags,
  // both conductivities, the D tensor, Arrhenius intervals and the pooled-replicas view (14); the
  // calibrated many-body columns, old rows relabelled `iondiff` (13); the site map (tables sites,
  // site_jumps), events.from_site/to_site and the site descriptors (12). Views are dropped first
  // and rebuilt last, from their descriptions, once every column they read exists. Rows written
  // before it lack the new values until re-indexed (ANALYSIS_VERSION changed with it).
  2: {
    ddl: [
      ...VIEWS.map((v) => `DROP VIEW IF EXISTS ${schemaIdent(v.name)};`),
      ...addColumns(diffusion, 'haven_ratio_err', 'd_tracer_x_err'),
      ...addColumns(arrhenius, 'ea_ci95_low_ev'),
      manyBodyMigrationDdl(),
      ...addColumns(events, 'from_site'),
      ...['sites_per_ion DOUBLE', 'site_type_count INTEGER', 'network_dimensionality INTEGER', 'bottleneck_from_site INTEGER',
        'bottleneck_to_site INTEGER', 'return_fraction DOUBLE', 'jump_length_a_mean DOUBLE']
        .map((c) => `ALTER TABLE element_descriptors ADD COLUMN ${c};`),
      createTableSql(beforeCages(sites)),
      createTableSql(beforeCages(siteJumps)),
      manyBodyMigrationData(),
      // Views are rebuilt by the last migration (3), from the current descriptions.
    ].join('\n'),
    comments: schemaComments().filter((c) => MIGRATION_2_TABLES.includes(c.table)).map(commentStatement).join('\n'),
  },
  // Migration 3: two blocks, views dropped first (rebuilt by the last migration, 4).
  3: {
    ddl: [
      ...VIEWS.map((v) => `DROP VIEW IF EXISTS ${schemaIdent(v.name)};`),
      // --- cages block (issue 12 §4: sites.env_type/cage_id, site_jumps.jump_class, the cage descriptors) ---
      ...cagesMigrationDdl(),
      // --- transport block (issue 14): errors of the per-axis and principal tracer D ---
      transportAxesMigrationDdl(),
    ].join('\n'),
    comments: schemaComments()
      .filter((c) => [...CAGES_MIGRATION_TABLES, 'diffusion'].includes(c.table))
      .map(commentStatement).join('\n'),
  },
  // Migration 4: views dropped first and rebuilt last, from the current descriptions.
  4: {
    ddl: [
      ...VIEWS.map((v) => `DROP VIEW IF EXISTS ${schemaIdent(v.name)};`),
      // --- site errors block (issue 12: sites.centre_err_a) ---
      ...siteErrorsMigrationDdl(),
      ...VIEWS.map(createViewSql),
    ].join('\n'),
    comments: schemaComments()
      .filter((c) => [...SITE_ERRORS_MIGRATION_TABLES, ...VIEWS.map((v) => v.name)].includes(c.table))
      .map(commentStatement).join('\n'),
  },
};

/** ALTER TABLE … ADD COLUMN for the columns of `t` from `first` on, up to `before` (a later migration's first) if given (columns are only ever appended). */
function addColumns(t: TableSchema, first: string, before?: string): string[] {
  const i = t.columns.findIndex((c) => c.name === first);
  if (i < 0) throw new Error(`${t.name} has no column ${first}`);
  const j = before === undefined ? t.columns.length : t.columns.findIndex((c) => c.name === before);
  if (j < 0) throw new Error(`${t.name} has no column ${before}`);
  return t.columns.slice(i, j).map((c) => `ALTER TABLE ${t.name} ADD COLUMN ${schemaIdent(c.name)} ${c.type};`);
}

/** Tables that hold per-trajectory rows (keyed by trajectory_id), in write order. */
export type TrajectoryTableName = (typeof TRAJECTORY_TABLE_SCHEMAS)[number]['name'];
export const TRAJECTORY_TABLES: readonly TrajectoryTableName[] = TRAJECTORY_TABLE_SCHEMAS.map((t) => t.name);

/** Every base table but schema_version (the `descriptors` view is derived). */
export type TableName = TrajectoryTableName | typeof arrhenius.name | typeof failures.name;
export const ALL_TABLES: readonly TableName[] = [...TRAJECTORY_TABLES, arrhenius.name, failures.name];

/** What one `index --shard` run writes and `merge` reads back (arrhenius is rebuilt from all shards). */
export const SHARD_TABLES: readonly TableName[] = [...TRAJECTORY_TABLES, failures.name];

export class StoreLockedError extends Error {}
export class ReadOnlyError extends Error {}

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
  /** For user-written SQL: no file or network access beyond the database, one statement per call. */
  sandbox?: Sandbox;
}

/**
 * What sandboxed SQL may still touch. Everything else outside the database file is refused by
 * DuckDB itself (`enable_external_access=false`, then `lock_configuration=true`, so no statement
 * can turn it back on); extensions are neither installed nor loaded.
 */
export interface Sandbox {
  /** Files SQL may read or write (e.g. the `--out` file of `ionsift query`). */
  allowPaths?: readonly string[];
  /** Folders whose files SQL may read or write (`--allow-files`: Parquet/CSV beside the database). */
  allowDirectories?: readonly string[];
}

/** Thrown for SQL a sandboxed store refuses before running it (several statements). */
export class SandboxError extends Error {}

export class Store {
  private constructor(
    readonly path: string,
    readonly readOnly: boolean,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
    private readonly sandboxed = false,
  ) {}

  static async open(path: string, opts: OpenOptions = {}): Promise<Store> {
    const readOnly = opts.readOnly ?? false;
    checkDbPath(path);
    if (readOnly && path !== ':memory:' && !existsSync(path)) {
      throw new Error(`database not found: ${path}`);
    }
    const config: Record<string, string> = {
      autoinstall_known_extensions: 'false',
      autoload_known_extensions: opts.sandbox ? 'false' : 'true',
    };
    if (opts.sandbox) config.allow_community_extensions = 'false';
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
      const store = new Store(path, readOnly, instance, conn, opts.sandbox !== undefined);
      if (!readOnly) await store.migrate();
      else await store.checkVersion();
      if (opts.sandbox) await lockDown(conn, opts.sandbox);
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

  /** Create the schema or bring it to SCHEMA_VERSION, then check it and refresh its comments. */
  async migrate(): Promise<void> {
    const v = await this.version();
    if (v > SCHEMA_VERSION) {
      throw new Error(`${this.path} has schema version ${v}, newer than this ionsift (${SCHEMA_VERSION}); upgrade ionsift`);
    }
    if (v < SCHEMA_VERSION) await this.applySteps(v);
    await this.checkSchema();
    const stale = await staleComments(this.conn);
    if (stale.length > 0) {
      await this.transaction(() => this.conn.run(stale.join('\n')));
      await this.conn.run('CHECKPOINT');
    }
  }

  /** Run the schema script (v = 0) or the migrations v+1 … SCHEMA_VERSION. */
  private async applySteps(v: number): Promise<void> {
    // DuckDB 1.5 cannot replay COMMENT ON (an ALTER) from the WAL after a crash ("GetDefaultDatabase
    // with no default database set"), so schema changes must never be left in the WAL for a killed
    // run to replay. Tables first, checkpointed; then the comments, checkpointed at once, so only
    // the short commit → CHECKPOINT of the comments remains exposed.
    // A fresh schema (all CREATE … IF NOT EXISTS / OR REPLACE, so a rerun after a crash between
    // the steps redoes them) records its version with the comments; a migration, which may not
    // be idempotent, records its version with its DDL so that it can never run twice.
    const versions: number[] = [];
    const steps: Migration[] = [];
    if (v === 0) {
      steps.push({ ddl: schemaDdl(), comments: schemaCommentsSql() });
      versions.push(SCHEMA_VERSION);
    } else {
      for (let next = v + 1; next <= SCHEMA_VERSION; next++) {
        const m = MIGRATIONS[next];
        if (!m) throw new Error(`no migration from schema version ${next - 1} to ${next}`);
        steps.push(m);
        versions.push(next);
      }
    }
    const recordVersions = (vs: readonly number[]): Promise<void> =>
      appendRows(this, schemaVersion, vs.map((version) => ({ version, appliedAt: new Date() })), undefined);
    // One transaction per migration: DuckDB refuses to commit an ALTER of a table that an earlier
    // statement of the same transaction updated (migration 2's data step, then migration 3's ALTERs).
    for (let i = 0; i < steps.length; i++) {
      await this.transaction(async () => {
        await this.conn.run(steps[i].ddl);
        if (v !== 0) await recordVersions([versions[i]]);
      });
      await this.conn.run('CHECKPOINT');
    }
    const comments = steps.map((m) => m.comments ?? '').filter((c) => c.trim()).join('\n');
    await this.transaction(async () => {
      if (comments) await this.conn.run(comments);
      if (v === 0) await recordVersions(versions);
    });
    await this.conn.run('CHECKPOINT');
  }

  /** Refuse a database whose tables are not the ones described (another schema under the same version). */
  private async checkSchema(): Promise<void> {
    const problems = schemaDifferences(await liveColumns(this.conn));
    if (problems.length > 0) {
      throw new Error(
        `${this.path} does not have the tables of ionsift schema version ${SCHEMA_VERSION}: ${problems.join('; ')}. ` +
          'It was made by another ionsift version: open it with that version, or index into a new database.',
      );
    }
  }

  private async checkVersion(): Promise<void> {
    const v = await this.version();
    if (v === 0) throw new Error(`${this.path} is not an ionsift database (no schema_version table)`);
    if (v !== SCHEMA_VERSION) {
      throw new Error(`${this.path} has schema version ${v}, this ionsift expects ${SCHEMA_VERSION}; open it once for writing (e.g. ionsift index) to migrate`);
    }
    await this.checkSchema();
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
    await this.checkSingle(sql);
    try {
      const reader = await this.conn.runAndReadAll(sql, params);
      return reader.convertRowObjects(plainConverter) as T[];
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Run SQL and return column names + rows (for the CLI table/CSV printers). */
  async queryWithColumns(sql: string): Promise<{ columns: string[]; rows: Row[] }> {
    await this.checkSingle(sql);
    try {
      const reader = await this.conn.runAndReadAll(sql);
      return { columns: reader.columnNames(), rows: reader.convertRowObjects(plainConverter) as Row[] };
    } catch (err) {
      throw this.translate(err);
    }
  }

  /** Run SQL for its effect. */
  async run(sql: string, params?: DuckDBValue[] | Record<string, DuckDBValue>): Promise<void> {
    await this.checkSingle(sql);
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

  /**
   * A sandboxed store runs one statement per call: DuckDB would run every statement of
   * "a; b" and show only the last result, so the others would act unseen.
   */
  async checkSingle(sql: string): Promise<void> {
    if (!this.sandboxed) return;
    let n: number;
    try {
      n = (await this.conn.extractStatements(sql)).count;
    } catch (err) {
      throw this.translate(err);
    }
    if (n !== 1) {
      throw new SandboxError(`expected one SQL statement, found ${n}${n > 1 ? ' (separated by ";")' : ''}: run them one at a time`);
    }
  }

  private translate(err: unknown): Error {
    const msg = err instanceof Error ? err.message : String(err);
    if (this.readOnly && /read-only|read only/i.test(msg)) {
      return new ReadOnlyError(`${this.path} is opened read-only: statements that modify the database are not allowed (${firstLine(msg)})`);
    }
    return err instanceof Error ? err : new Error(msg);
  }
}

/** Turns external access off for good: only the allowed files/folders stay reachable. */
async function lockDown(conn: DuckDBConnection, sb: Sandbox): Promise<void> {
  const list = (xs: readonly string[] | undefined): string => `[${(xs ?? []).map(sqlString).join(', ')}]`;
  await conn.run(`SET allowed_paths = ${list(sb.allowPaths)}`);
  // A trailing '/' so that a folder does not also admit its siblings sharing the prefix.
  await conn.run(`SET allowed_directories = ${list(sb.allowDirectories?.map((d) => (d.endsWith('/') ? d : `${d}/`)))}`);
  await conn.run('SET enable_external_access = false');
  await conn.run('SET lock_configuration = true');
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
