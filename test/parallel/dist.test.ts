// analyzeParallel from compiled JavaScript (as in dist/, no tsx): src/ transpiled to ESM .js
// (test/helpers/transpile.ts) and run by a plain node process: its workers must start from the
// .js worker entry, and the detect worker load its detector's .js module by name.
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/real.js';
import { transpileSrc } from '../helpers/transpile.js';

const out = join(repoRoot, 'node_modules/.cache/ionsift-parallel-dist-test');
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('compiled JS', () => {
  it('analyzeParallel starts its workers from .js files and matches analyze()', async () => {
    await transpileSrc(out);
    const url = (m: string) => JSON.stringify(pathToFileURL(join(out, m)).href);
    const script = `
      import { isDeepStrictEqual } from 'node:util';
      const { analyze } = await import(${url('analysis/analyze.js')});
      const { analyzeParallel } = await import(${url('parallel/analyze-parallel.js')});
      const { loadTrajectory } = await import(${url('io/load.js')});
      const t = await loadTrajectory(${JSON.stringify(join(repoRoot, 'datasets/Na-hex/550K'))});
      const res = {};
      for (const method of ['default', 'iondiff']) {
        const a = analyze(t, { method });
        const b = await analyzeParallel(t, { method }, { workers: 2, minParallelMs: 0 });
        const started = b.timingsMs['workers:start'];
        delete a.timingsMs; delete b.timingsMs;
        res[method] = { equal: isDeepStrictEqual(a, b), events: b.events.length, started };
      }
      console.log(JSON.stringify(res));`;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(r.status, r.stderr).toBe(0);
    const res = JSON.parse(r.stdout.trim().split('\n').pop() as string) as Record<string, { equal: boolean; events: number; started: number }>;
    for (const m of ['default', 'iondiff']) {
      expect(res[m].equal).toBe(true);
      expect(res[m].events).toBeGreaterThan(10);
      expect(res[m].started).toBeGreaterThan(0);
    }
  });
});
