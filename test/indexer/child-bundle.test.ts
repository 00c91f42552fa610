// Worker processes that load the analysis as one bundle (scripts/bundle-child.mjs, part of
// `npm run build`; src/indexer/child-code.ts) write the same database as those loading the ES
// modules, and really use the bundle. src/ is transpiled (test/helpers/transpile.ts) and bundled
// into a folder under .tmp/ (ignored by git; packages resolve from the repository's node_modules),
// as the build does into dist/.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { childBundlePath as ChildBundlePath } from '../../src/indexer/child-code.js';
import type { runIndex as RunIndex } from '../../src/indexer/run.js';
import { compareDatabases } from '../../src/store/compare.js';
import { transpileSrc } from '../helpers/transpile.js';
import { repo } from './helpers.js';

const out = join(repo, '.tmp/ionsift-bundle-test');
const tmp = mkdtempSync(join(tmpdir(), 'ionsift-bundle-'));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
  rmSync(tmp, { recursive: true, force: true });
});

describe('worker processes from the bundle', () => {
  it('bundle = ES modules, every table row for row; the children say they ran the bundle; a stale bundle is not used', async () => {
    await transpileSrc(out);
    const b = spawnSync(process.execPath, [join(repo, 'scripts/bundle-child.mjs'), out], { encoding: 'utf8' });
    expect(b.status, b.stderr + b.stdout).toBe(0);
    const { runIndex } = (await import(pathToFileURL(join(out, 'indexer/run.js')).href)) as { runIndex: typeof RunIndex };
    const { childBundlePath } = (await import(pathToFileURL(join(out, 'indexer/child-code.js')).href)) as { childBundlePath: typeof ChildBundlePath };
    const poolUrl = pathToFileURL(join(out, 'indexer/pool.js')).href;
    expect(childBundlePath(poolUrl)).toBe(join(out, 'indexer/child-bundle.cjs'));

    const data = [join(repo, 'datasets/Li-sc'), join(repo, 'datasets/Na-hex')];
    // One trajectory per temperature folder of the two materials.
    const nRuns = data.reduce((a, d) => a + readdirSync(d, { withFileTypes: true }).filter((e) => e.isDirectory()).length, 0);
    expect(nRuns).toBeGreaterThan(1);
    const dbs: Record<string, string> = {};
    for (const childCode of ['modules', 'bundle'] as const) {
      const db = (dbs[childCode] = join(tmp, `${childCode}.duckdb`));
      const s = await runIndex({ paths: data, db, jobs: 2, pool: 'process', childCode, progress: 'none' });
      expect(s, childCode).toMatchObject({ indexed: nRuns, failed: 0 });
      const used = (s.children?.perChild ?? []).filter((c) => c.tasksS.length > 0);
      expect(used.length, childCode).toBeGreaterThan(0);
      for (const c of used) expect(c.source, childCode).toBe(childCode);
    }
    const cmp = await compareDatabases(dbs.modules, dbs.bundle);
    expect(cmp.tables.filter((t) => t.problem || t.onlyInA || t.onlyInB)).toEqual([]);
    expect(cmp.equal).toBe(true);
    const rows = Object.fromEntries(cmp.tables.map((t) => [t.table, t.rowsB]));
    expect(rows.trajectories).toBe(nRuns);
    expect(rows.events).toBeGreaterThan(100);

    // The analysis compiled again after the bundle was made: the bundle is stale, the modules are used.
    const later = new Date(Date.now() + 60_000);
    utimesSync(join(out, 'indexer/process.js'), later, later);
    expect(childBundlePath(poolUrl)).toBeNull();
    // Running from src/ (tsx): never the bundle.
    expect(childBundlePath(pathToFileURL(join(repo, 'src/indexer/pool.ts')).href)).toBeNull();
  }, 600_000);
});
