// Both worker pools from compiled JavaScript (as in dist/, no tsx): src/ transpiled to ESM .js
// (test/helpers/transpile.ts), and `ionsift index` runs from there in plain node.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../../src/store/db.js';
import { transpileSrc } from '../helpers/transpile.js';
import { repo } from './helpers.js';

const out = join(repo, 'node_modules/.cache/ionsift-dist-test');
const tmp = mkdtempSync(join(tmpdir(), 'ionsift-dist-'));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('compiled JS', () => {
  it.each(['processes', 'threads'])('indexes with worker %s started from .js files (no tsx)', async (kind) => {
    const pool = kind === 'processes' ? 'process' : 'thread';
    await transpileSrc(out);
    const db = join(tmp, `dist-${pool}.duckdb`);
    const main = pathToFileURL(join(out, 'cli/main.js')).href;
    const r = spawnSync(
      process.execPath,
      ['--input-type=module', '-e', `const m = await import(${JSON.stringify(main)}); process.exitCode = await m.main(process.argv.slice(1));`, 'index', join(repo, 'datasets/Li-sc/450K'), join(repo, 'datasets/Li-sc/600K'), '--db', db, '--jobs', '2', '--pool', pool, '--progress', 'plain'],
      { cwd: tmp, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } },
    );
    expect(r.status, r.stderr + r.stdout).toBe(0);
    expect(r.stdout).toMatch(/indexed 2, skipped 0/);
    expect(relative(repo, out)).not.toMatch(/^src/);
    const s = await Store.open(db, { readOnly: true });
    const [n] = await s.query('SELECT count(*) AS n FROM trajectories');
    s.close();
    expect(n.n).toBe(2);
  }, 240_000);
});
