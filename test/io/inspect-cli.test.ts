import { describe, expect, it } from 'vitest';
import { captureRun } from '../helpers/cli.js';
import { resolve } from 'node:path';
import { run } from '../../src/cli/inspect.js';

const fx = (name: string) => resolve(import.meta.dirname, '../fixtures', name);

const capture = (argv: string[]) => captureRun(run, argv);

describe('ionsift inspect', () => {
  it('--json prints exactly the documented keys', async () => {
    const r = await capture([fx('xdatcar/with_incar'), '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(Object.keys(j)).toEqual(['format', 'n_frames', 'n_atoms', 'species', 'frame_interval_fs', 'temperature_k', 'duration_ps', 'volume_a3', 'warnings']);
    expect(j).toMatchObject({ format: 'xdatcar', n_frames: 3, n_atoms: 3, species: { Li: 2, O: 1 }, frame_interval_fs: 15, temperature_k: 650, warnings: [] });
    expect(j.duration_ps).toBeCloseTo(0.03, 12);
    expect(j.volume_a3).toBeCloseTo(405, 9);
  });

  it('CLI flags override, and missing metadata is listed in text output', async () => {
    const r = await capture([fx('xdatcar/direct.XDATCAR'), '--temperature-k', '900']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/temperature: +900 K \(command line\)/);
    expect(r.out).toMatch(/frame interval: +unknown/);
    expect(r.out).toMatch(/frame interval unknown.*--frame-interval-fs/);
    const j = JSON.parse((await capture([fx('xdatcar/direct.XDATCAR'), '--json', '--potim-fs', '2', '--nblock', '5'])).out);
    expect(j.frame_interval_fs).toBe(10);
  });

  it('prints the discontinuities of a run', async () => {
    const r = await capture([fx('xdatcar/concatenated_jump.XDATCAR')]);
    expect(r.out).toMatch(/discontinuities: frame 4/);
  });

  it('exits 1 with the typed error message for a bad file, 2 for bad usage', async () => {
    const r = await capture([fx('bad/nan.XDATCAR')]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/ParseError: .*nan.XDATCAR, line 15, frame 1/);
    expect((await capture([])).code).toBe(2);
    expect((await capture([fx('xdatcar/direct.XDATCAR'), '--temperature-k', 'hot'])).code).toBe(2);
  });
});
