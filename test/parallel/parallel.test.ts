// Hop detection spread over worker threads gives exactly the single-threaded results: the
// detectors on column subsets (the contract the split relies on), analyzeParallel against
// analyze() on an embedded dataset and on a generated run, and worker failures.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, useFloat32 } from '../../src/analysis/analyze.js';
import { F32_MIN_ION_FRAMES } from '../../src/analysis/analyze-options.js';
import { defaultNoiseModels, detectHopsDefault } from '../../src/analysis/hops-default.js';
import { detectHopsIondiff } from '../../src/analysis/hops-iondiff.js';
import type { AnalysisResult, HopDetection } from '../../src/analysis/types.js';
import { materialByName, scaledMaterial } from '../../src/generate/materials.js';
import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { loadTrajectory } from '../../src/io/load.js';
import { analyzeParallel, MIN_PARALLEL_MS, planParallel } from '../../src/parallel/analyze-parallel.js';
import { atomsOf, type Trajectory } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { repoRoot } from '../helpers/real.js';

// Many hops (342 by the default detector), 32 Li: every block boundary cuts through hopping ions.
const datasetDir = resolve(repoRoot, 'datasets/Li-bcc/600K');
const dataset = await loadTrajectory(datasetDir);

/** Everything but the timings (which differ by construction). */
function comparable(r: AnalysisResult): Omit<AnalysisResult, 'timingsMs'> {
  const { timingsMs: _t, ...rest } = r;
  return rest;
}

/** Columns [from, to) of a frame-major T × n × 3 array. */
function columns(pos: Float64Array, T: number, n: number, from: number, to: number): Float64Array {
  const out = new Float64Array(T * (to - from) * 3);
  for (let f = 0; f < T; f++) out.set(pos.subarray((f * n + from) * 3, (f * n + to) * 3), f * (to - from) * 3);
  return out;
}

/** The part of a whole-call detection that belongs to the atoms in `atoms`. */
function restrict(d: HopDetection, atoms: Int32Array): Pick<HopDetection, 'hops' | 'atoms'> {
  const keep = new Set(atoms);
  return { hops: d.hops.filter((h) => keep.has(h.atom)), atoms: d.atoms.filter((a) => keep.has(a.atom)) };
}

describe('detectors on column subsets', () => {
  const idx = atomsOf(dataset, ['Li']);
  const n = idx.length, T = dataset.nFrames;
  const pos = unwrap(dataset, { atoms: idx, removeDriftExcept: ['Li'] });
  // Uneven cuts, including a single column.
  const cuts = [[0, 11], [11, 12], [12, n]] as const;

  it('iondiff: each subset gives exactly its ions\' hops and centres of the whole call', () => {
    const whole = detectHopsIondiff(pos, T, idx, { seed: 3 });
    expect(whole.hops.length).toBeGreaterThan(100);
    for (const [a, b] of cuts) {
      const sub = detectHopsIondiff(columns(pos, T, n, a, b), T, idx.subarray(a, b), { seed: 3 });
      expect({ hops: sub.hops, atoms: sub.atoms }).toEqual(restrict(whole, idx.subarray(a, b)));
    }
  });

  it('default: each subset given its slice of defaultNoiseModels gives exactly its share; without them it differs', () => {
    const whole = detectHopsDefault(pos, T, idx);
    const models = defaultNoiseModels(pos, T, n);
    expect(models).toHaveLength(n);
    let differs = false;
    for (const [a, b] of cuts) {
      const part = columns(pos, T, n, a, b), atoms = idx.subarray(a, b);
      const sub = detectHopsDefault(part, T, atoms, { noise: models?.slice(a, b) });
      expect({ hops: sub.hops, atoms: sub.atoms, noise: sub.noise }).toEqual({ ...restrict(whole, atoms), noise: whole.noise.slice(a, b) });
      // The pooled model is what makes this work: a subset of ≥ 2 columns pooling its own (one
      // column falls back to the per-ion model, which differs trivially) sees other numbers.
      if (b - a >= 2 && detectHopsDefault(part, T, atoms).noise[0].sigma2 !== whole.noise[a].sigma2) differs = true;
    }
    expect(differs).toBe(true);
  });
});

describe('analyzeParallel', () => {
  for (const method of ['default', 'iondiff'] as const) {
    it(`${method}: 2 workers on an embedded dataset = analyze()`, async () => {
      const serial = analyze(dataset, { method, seed: 5 });
      const par = await analyzeParallel(dataset, { method, seed: 5 }, { workers: 2, minParallelMs: 0 });
      // Workers were used (their start-up is timed), and nothing else differs.
      expect(par.timingsMs['workers:start']).toBeGreaterThan(0);
      expect(serial.timingsMs['workers:start']).toBeUndefined();
      expect(comparable(par)).toEqual(comparable(serial));
      expect(par.events.length).toBeGreaterThan(100);
    });
  }

  describe('generated run (100 Li × 800 frames, 700 K)', () => {
    let t: Trajectory;
    const make = (): Trajectory => (t ??= toTrajectory(generateRun(scaledMaterial(materialByName('Li-sc'), 100, 800), 700, 4242)));

    it('the plan: serial below the threshold or with 1 worker, else contiguous blocks over the workers', () => {
      const run = make();
      const p = planParallel(run, { method: 'iondiff' }, { workers: 2, minParallelMs: 0 });
      expect(p.workers).toBe(2);
      // A few blocks per worker, so unequal ions even out.
      expect(p.blockSize).toBeGreaterThan(1);
      expect(p.blockSize).toBeLessThan(100 / 2);
      expect(planParallel(run, { method: 'iondiff' }, { workers: 1, minParallelMs: 0 }).workers).toBe(1);
      const est = planParallel(run, { method: 'default' }, { workers: 2 });
      expect(est.estimatedDetectMs).toBeGreaterThan(0);
      expect(est.workers).toBe(est.estimatedDetectMs >= MIN_PARALLEL_MS ? 2 : 1);
      expect(planParallel(run, { method: 'default' }, { workers: 2, minParallelMs: est.estimatedDetectMs + 1 }).workers).toBe(1);
      // Embedded datasets are far below the default threshold: no workers for them.
      expect(planParallel(dataset, {}, { workers: 2 }).workers).toBe(1);
    });

    for (const method of ['default', 'iondiff'] as const) {
      it(`${method}: 2 workers = analyze()`, async () => {
        const run = make();
        const serial = analyze(run, { method });
        const par = await analyzeParallel(run, { method }, { workers: 2, minParallelMs: 0 });
        expect(par.timingsMs['workers:start']).toBeGreaterThan(0);
        expect(comparable(par)).toEqual(comparable(serial));
        expect(par.atoms).toHaveLength(100);
        expect(par.events.length).toBeGreaterThan(50);
      });
    }
  });

  it('float32 positions on shared memory: 2 workers = analyze() with the same precision; releaseFrames empties t.frac', async () => {
    const run = toTrajectory(generateRun(scaledMaterial(materialByName('Li-sc'), 60, 600), 700, 4242));
    const serial = analyze(run, { precision: 'f32' });
    expect(serial.params.positions).toBe('f32');
    expect(analyze(run, {}).params.positions).toBeUndefined(); // auto: a short run keeps float64 (and its hash)
    const par = await analyzeParallel(run, { precision: 'f32' }, { workers: 2, minParallelMs: 0, releaseFrames: true });
    expect(par.timingsMs['workers:start']).toBeGreaterThan(0);
    expect(comparable(par)).toEqual(comparable(serial));
    expect(run.frac).toHaveLength(0);
  });

  it("precision 'auto': float32 from F32_MIN_ION_FRAMES ion-frames of one species on, float64 below; 'f32'/'f64' force it", () => {
    const run = toTrajectory(generateRun(scaledMaterial(materialByName('Li-sc'), 60, 50), 700, 1));
    const nLi = run.counts[run.species.indexOf('Li')];
    const at = (frames: number) => ({ ...run, nFrames: frames });
    const edge = Math.ceil(F32_MIN_ION_FRAMES / nLi);
    expect(useFloat32(at(edge), ['Li'], {})).toBe(true);
    expect(useFloat32(at(edge - 1), ['Li'], {})).toBe(false);
    expect(useFloat32(at(edge - 1), ['Li'], { precision: 'f32' })).toBe(true);
    expect(useFloat32(at(edge), ['Li'], { precision: 'f64' })).toBe(false);
  });

  it('a worker that fails (here: out of its heap limit) rejects with a message naming the file', async () => {
    const run = analyzeParallel(dataset, { method: 'default' }, { workers: 2, minParallelMs: 0, resourceLimits: { maxOldGenerationSizeMb: 1, maxYoungGenerationSizeMb: 1 } });
    await expect(run).rejects.toThrow(/Li-bcc\/600K\/XDATCAR\.gz: hop detection \(default\) failed in a worker thread: .*memory/);
  });

  it('validation errors come before any worker starts, as from analyze()', async () => {
    const noDt: Trajectory = { ...dataset, metadata: { ...dataset.metadata, frameIntervalFs: null } };
    await expect(analyzeParallel(noDt, {}, { workers: 2, minParallelMs: 0 })).rejects.toThrow(/XDATCAR\.gz: frame interval unknown/);
  });
});
