// Generated runs for the validation tests, made in memory (no files) and cached per process so
// several tests can share one run.
import { analyze } from '../../src/analysis/analyze.js';
import type { AnalysisResult } from '../../src/analysis/types.js';
import { materialByName, scaledMaterial } from '../../src/generate/materials.js';
import { generateRun, toTrajectory, type SyntheticRun } from '../../src/generate/run.js';
import type { Trajectory } from '../../src/trajectory/types.js';

export interface GeneratedCase {
  run: SyntheticRun;
  traj: Trajectory;
  result: AnalysisResult;
}

const cache = new Map<string, GeneratedCase>();

/**
 * `material` scaled to `ions` ions and `frames` frames (same ion/site concentration, Ea, ν,
 * chain law, vibration as the embedded set), at temperature T, run seed `seed`, analysed with
 * the default method.
 */
export function generated(material: string, ions: number, frames: number, T: number, seed: number): GeneratedCase {
  const key = `${material}/${ions}/${frames}/${T}/${seed}`;
  let c = cache.get(key);
  if (!c) {
    const run = generateRun(scaledMaterial(materialByName(material), ions, frames), T, seed);
    const traj = toTrajectory(run);
    c = { run, traj, result: analyze(traj, {}) };
    cache.set(key, c);
  }
  return c;
}

/** Histogram of positive integers: h[s] = number of entries equal to s (h[0] = 0). */
export function histogram(xs: readonly number[]): number[] {
  const h: number[] = [0];
  for (const x of xs) { while (h.length <= x) h.push(0); h[x]++; }
  return h;
}

/** Total-variation distance between two histograms, each normalised to sum 1. */
export function totalVariation(a: readonly number[], b: readonly number[]): number {
  const sa = a.reduce((s, v) => s + v, 0), sb = b.reduce((s, v) => s + v, 0);
  let d = 0;
  for (let i = 0; i < Math.max(a.length, b.length); i++) d += Math.abs((a[i] ?? 0) / sa - (b[i] ?? 0) / sb);
  return d / 2;
}
