// ionsift query --parquet OUT: the shards answer the same SQL as the merged database, including
// the arrhenius table and the descriptors view; an incomplete series is refused by name.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runIndex } from '../../src/indexer/run.js';
import { mergeShards } from '../../src/store/shards.js';
import { makeStubTree, stubUrl } from '../indexer/helpers.js';
import { run as query } from '../../src/cli/query.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-qparquet-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function captured(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(' '));
  console.error = (...a: unknown[]) => err.push(a.join(' '));
  try {
    const code = await query(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    console.log = log;
    console.error = error;
  }
}

describe('query --parquet', () => {
  it('the shards give the rows the merged database gives; reading outside OUT is refused', async () => {
    const data = join(root, 'data');
    makeStubTree(data, 5, [3]);
    const out = join(root, 'out');
    for (let i = 0; i < 3; i++) await runIndex({ processorUrl: stubUrl, progress: 'none', jobs: 1, paths: [data], out, shard: { index: i, count: 3 } });
    const merged = join(root, 'merged.duckdb');
    await mergeShards(out, merged);
    for (const sql of [
      'SELECT * FROM events ORDER BY ALL',
      'SELECT trajectory_id, element, d_tracer_cm2_s FROM diffusion ORDER BY ALL',
      'SELECT * FROM arrhenius ORDER BY ALL',
      'SELECT count(*) AS n, count(DISTINCT trajectory_id) AS t FROM descriptors',
      'SELECT path, stage, message FROM failures ORDER BY ALL',
    ]) {
      const a = await captured(['--parquet', out, '--format', 'json', sql]);
      const b = await captured(['--db', merged, '--format', 'json', sql]);
      expect(a.err).toBe('');
      expect(a.code).toBe(0);
      expect(a.out).toBe(b.out);
      expect(JSON.parse(a.out).length).toBeGreaterThan(0);
    }
    const escape = await captured(['--parquet', out, `SELECT * FROM read_csv('/etc/passwd')`]);
    expect(escape.code).toBe(1);
    expect(escape.err).toMatch(/disabled|not allowed|Permission/i);
  });

  it('an incomplete series is refused, naming the missing shard', async () => {
    const data = join(root, 'data2');
    makeStubTree(data, 4);
    const out = join(root, 'out2');
    await runIndex({ processorUrl: stubUrl, progress: 'none', jobs: 1, paths: [data], out, shard: { index: 0, count: 2 } });
    const r = await captured(['--parquet', out, 'SELECT 1']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/shard=2 is missing/);
    expect((await captured(['--parquet', out, '--db', join(root, 'x.duckdb'), 'SELECT 1'])).code).toBe(2);
  });
});
