// Store.open: a failed open releases the DuckDB file; the schema is created in steps that a
// rerun can redo, with no COMMENT ON left for the WAL to replay.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { SCHEMA_VERSION, Store } from '../../src/store/db.js';
import { schemaCommentsSql, schemaDdl } from '../../src/store/ddl.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function plainDuckdb(path: string, sql: string): Promise<void> {
  const inst = await DuckDBInstance.create(path);
  const c = await inst.connect();
  await c.run(sql);
  await c.run('CHECKPOINT');
  c.closeSync();
  inst.closeSync();
}

/** Open `path` read-write from another process (DuckDB's file lock is per process). */
function openElsewhere(path: string): string {
  const code = `import('@duckdb/node-api').then(async ({ DuckDBInstance }) => { const i = await DuckDBInstance.create(process.argv[1]); i.closeSync(); console.log('ok'); }).catch((e) => { console.log(String(e.message).split('\\n')[0]); })`;
  return execFileSync(process.execPath, ['--input-type=module', '-e', code, path], { cwd: process.cwd(), encoding: 'utf8' }).trim();
}

describe('Store.open', () => {
  it('a path with "?" is refused with a clear error before any file is made', async () => {
    const sub = join(dir, 'a?b');
    await expect(Store.open(join(sub, 'x.duckdb'))).rejects.toThrow(/containing "\?"/);
    expect(existsSync(sub)).toBe(false);
  });

  it('a failed open (not an ionsift database) releases the file', async () => {
    const db = join(dir, 'other.duckdb');
    await plainDuckdb(db, 'CREATE TABLE foo (x INTEGER)');
    await expect(Store.open(db, { readOnly: true })).rejects.toThrow(/not an ionsift database/);
    // A leaked instance would still hold the file lock.
    expect(openElsewhere(db)).toBe('ok');
  });

  it('a failed open (newer schema) releases the file', async () => {
    const db = join(dir, 'newer.duckdb');
    await plainDuckdb(db, `CREATE TABLE schema_version (version INTEGER, applied_at TIMESTAMP); INSERT INTO schema_version VALUES (${SCHEMA_VERSION + 1}, now())`);
    await expect(Store.open(db)).rejects.toThrow(/newer than this ionsift/);
    expect(openElsewhere(db)).toBe('ok');
  });

  it('creates tables and comments in separate steps; a crash between them is redone on open', async () => {
    const ddl = schemaDdl();
    const comments = schemaCommentsSql();
    expect(ddl).not.toMatch(/COMMENT ON/i);
    expect(comments.split('\n').every((l) => /^COMMENT ON /.test(l))).toBe(true);
    expect(ddl).toMatch(/CREATE TABLE IF NOT EXISTS trajectories/);

    // The state a crash after the first CHECKPOINT leaves: tables, no comments, no version.
    const db = join(dir, 'half.duckdb');
    await plainDuckdb(db, ddl);
    const s = await Store.open(db);
    const [c] = await s.query(`SELECT comment FROM duckdb_tables() WHERE table_name = 'failures' AND database_name = current_database()`);
    expect(c.comment).toBeTruthy();
    expect(await s.version()).toBe(SCHEMA_VERSION);
    s.close();
    // Nothing left in the WAL for a later crash to replay.
    const wal = `${db}.wal`;
    expect(!existsSync(wal) || statSync(wal).size === 0).toBe(true);
  });
});
