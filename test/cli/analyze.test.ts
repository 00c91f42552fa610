// `ionsift analyze` end to end on an embedded dataset run, checked against its ground truth.
import { describe, expect, it } from 'vitest';
import { captureRun } from '../helpers/cli.js';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { run } from '../../src/cli/analyze.js';
import { repoRoot } from '../helpers/real.js';
import type { Truth } from '../../src/generate/truth.js';

const capture = (argv: string[]) => captureRun(run, argv);

const runDir = resolve(repoRoot, 'datasets/Na-hex/550K');
const truth = JSON.parse(readFileSync(resolve(runDir, 'truth.json'), 'utf8')) as Truth;

describe('ionsift analyze', () => {
  it('--json: events with atom, start_frame, end_frame, length_a that match the generated truth', async () => {
    const r = await capture([runDir, '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out) as {
      method: string; mobile: string[]; frame_interval_fs: number;
      events: { atom: number; start_frame: number; end_frame: number; length_a: number; element: string }[];
      diffusion: { element: string; d_tracer_cm2_s: number; d_tracer_err: number }[];
      element_descriptors: { element: string; n_events: number }[];
    };
    expect(j.method).toBe('default');
    expect(j.mobile).toEqual(['Na']);
    expect(j.frame_interval_fs).toBe(truth.frameIntervalFs);
    // Every true hop is found once (the detector's F1 on this run is 1.0 in bench/accuracy.ts).
    expect(j.events.length).toBe(truth.hops.length);
    for (const e of j.events) {
      expect(e.element).toBe('Na');
      expect(e.end_frame).toBeGreaterThanOrEqual(e.start_frame);
      // Hops go between neighbouring sites: 2–4 Å in this lattice.
      expect(e.length_a).toBeGreaterThan(2);
      expect(e.length_a).toBeLessThan(4);
    }
    const trueAtoms = new Set(truth.hops.map((h) => h.atom));
    for (const e of j.events) expect(trueAtoms.has(e.atom)).toBe(true);
    const d = j.diffusion[0];
    expect(d.d_tracer_cm2_s).toBeGreaterThan(0);
    expect(Math.abs(d.d_tracer_cm2_s - (truth.dTracerModelCm2s ?? NaN))).toBeLessThan(3 * d.d_tracer_err);
    expect(j.element_descriptors[0].n_events).toBe(j.events.length);
  });

  it('text summary names D, σ and the n-body fit; iondiff is selectable; bad options exit 2', async () => {
    const r = await capture([runDir, '--method', 'iondiff']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/method iondiff/);
    expect(r.out).toMatch(/D tracer +\d/);
    expect(r.out).toMatch(/σ Nernst–Einstein \(tracer D\)/);
    expect(r.out).toMatch(/σ charge \(collective D\) +(not resolved|[0-9.e+-]+ ± )/);
    expect((await capture([runDir, '--method', 'nope'])).code).toBe(2);
    expect((await capture([])).code).toBe(2);
  });

  it('a run without a frame interval fails with a message saying how to give it', async () => {
    const llto = resolve(repoRoot, 'test/fixtures/xdatcar/direct.XDATCAR');
    await expect(run([llto])).rejects.toThrow(/frame interval unknown.*--frame-interval-fs/);
  });
});
