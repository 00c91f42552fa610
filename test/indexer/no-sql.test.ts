// The indexer writes no SQL: its reads and writes are named operations of src/store
// (index-ops.ts, shard-export.ts, ingest.ts), so a schema change never reaches src/indexer.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repo } from './helpers.js';

const DIR = join(repo, 'src/indexer');
/** SQL statement keywords (upper case, as this project writes SQL) and statements run directly on a store. */
const SQL = /\b(SELECT|INSERT|UPDATE|DELETE|COPY|CREATE|DROP|ALTER|BEGIN|COMMIT|ROLLBACK|CHECKPOINT)\b|\bstore\.(run|query|queryWithColumns|conn)\b/;

/** The offending lines of one file's text, as "line: text". */
function sqlLines(text: string): string[] {
  return text.split('\n').flatMap((line, i) => (SQL.test(line) ? [`${i + 1}: ${line.trim()}`] : []));
}

describe('src/indexer holds no SQL', () => {
  it('the check finds SQL text and direct store statements (so the test below can fail)', () => {
    expect(sqlLines(`const a = 1;\nawait store.run('UPDATE trajectories SET x = 1');`)).toEqual([`2: await store.run('UPDATE trajectories SET x = 1');`]);
    expect(sqlLines('const q = `SELECT * FROM failures`;')).toHaveLength(1);
    expect(sqlLines("await ctx.store.query(sql);")).toHaveLength(1);
    expect(sqlLines("await store.conn.createAppender('x');")).toHaveLength(1);
    expect(sqlLines('// rows are selected, updated and deleted by the store')).toEqual([]);
    expect(sqlLines('await pool.run(task);')).toEqual([]);
  });

  it('no file in src/indexer contains SQL', () => {
    const files = readdirSync(DIR).filter((f) => f.endsWith('.ts'));
    expect(files).toContain('run.ts');
    const found = files.flatMap((f) => sqlLines(readFileSync(join(DIR, f), 'utf8')).map((l) => `${f}:${l}`));
    expect(found).toEqual([]);
  });
});
