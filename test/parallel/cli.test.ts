// `ionsift analyze --workers`: parsed and validated; the numbers do not depend on it.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { run } from '../../src/cli/analyze.js';
import { captureRun } from '../helpers/cli.js';
import { repoRoot } from '../helpers/real.js';

const runDir = resolve(repoRoot, 'datasets/Li-sc/450K');

/** The --json output without its timings. */
function withoutTimings(out: string): unknown {
  const j = JSON.parse(out) as Record<string, unknown>;
  delete j.timings_ms;
  return j;
}

describe('ionsift analyze --workers', () => {
  it('auto (default), 1 and 2 give the same results; a bad value exits 2', async () => {
    const auto = await captureRun(run, [runDir, '--json']);
    const one = await captureRun(run, [runDir, '--json', '--workers', '1']);
    const two = await captureRun(run, [runDir, '--json', '--workers', '2']);
    for (const r of [auto, one, two]) expect(r.code, r.err).toBe(0);
    // an explicit N is honoured however short the run: two really ran on 2 workers
    expect((JSON.parse(two.out) as { timings_ms: Record<string, number> }).timings_ms['workers:start']).toBeGreaterThan(0);
    expect((JSON.parse(one.out) as { timings_ms: Record<string, number> }).timings_ms['workers:start']).toBeUndefined();
    expect(withoutTimings(two.out)).toEqual(withoutTimings(one.out));
    expect(withoutTimings(auto.out)).toEqual(withoutTimings(one.out));
    for (const bad of ['0', '-1', '1.5', 'x', '', '0x2', '1e1']) {
      const r = await captureRun(run, [runDir, `--workers=${bad}`]);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/--workers expects a positive integer or auto/);
    }
  });

  it('--help names the option', async () => {
    const { help } = await import('../../src/cli/analyze.js');
    expect(help).toMatch(/--workers N\|auto/);
  });
});
