// `ionsift analyze` with the reader keeping only the mobile frames (the default when positions are
// float32) gives the same JSON as with every atom's frames kept (`--all-frames`), timings aside.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { captureRun } from '../helpers/cli.js';
import { run } from '../../src/cli/analyze.js';
import { repoRoot } from '../helpers/real.js';

const capture = (argv: string[]) => captureRun(run, argv);

async function json(argv: string[]): Promise<{ out: Record<string, unknown>; err: string }> {
  const r = await capture([...argv, '--json', '--workers', '1']);
  expect(r.code, r.err).toBe(0);
  const out = JSON.parse(r.out) as Record<string, unknown>;
  return { out, err: r.err };
}

describe('ionsift analyze: mobile-only frames while reading', () => {
  it('gives the --all-frames JSON (f32), with and without drift removal', async () => {
    const dir = resolve(repoRoot, 'datasets/Li-sc/800K');
    for (const extra of [[], ['--no-drift-removal']]) {
      const a = await json([dir, '--precision', 'f32', ...extra]);
      const b = await json([dir, '--precision', 'f32', '--all-frames', ...extra]);
      const timings = (x: Record<string, unknown>) => Object.keys(x.timings_ms as object);
      // The reduced read unwraps while reading (no unwrap stage); the full path has one.
      expect(timings(a.out).some((k) => k.startsWith('unwrap:'))).toBe(false);
      expect(timings(b.out).some((k) => k.startsWith('unwrap:'))).toBe(true);
      delete a.out.timings_ms; delete b.out.timings_ms;
      expect(a.out).toEqual(b.out);
      expect(a.err).toBe(b.err);
    }
  }, 120_000);

  it('keeps every frame when the positions are float64 (short runs, auto), so the numbers and params hash are as before', async () => {
    const dir = resolve(repoRoot, 'datasets/Li-sc/600K');
    const a = await json([dir]);
    expect(Object.keys(a.out.timings_ms as object).some((k) => k.startsWith('unwrap:'))).toBe(true);
    expect((a.out.params as Record<string, unknown>).positions).toBeUndefined();
  }, 120_000);
});
