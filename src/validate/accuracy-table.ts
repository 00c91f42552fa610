/**
 * Hop-detection accuracy on a generated dataset folder (its manifest.json and truth files):
 * precision / recall / F1 per material and temperature for the default and the iondiff method.
 * Used by bench/accuracy.ts and the tests.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { scoreAgainstTruth, type AccuracyScore } from './accuracy.js';
import { detectHopsDefault } from '../analysis/hops-default.js';
import { detectHopsIondiff } from '../analysis/hops-iondiff.js';
import type { Truth } from '../generate/truth.js';
import { loadTrajectory } from '../io/load.js';
import { atomsOf } from '../trajectory/types.js';
import { unwrap } from '../trajectory/unwrap.js';

export interface AccuracyRow {
  dir: string;
  material: string;
  temperatureK: number;
  nTrue: number;
  defaultScore: AccuracyScore;
  defaultMs: number;
  iondiffScore: AccuracyScore | null;
  iondiffMs: number;
}

interface ManifestRun { material: string; temperatureK: number; dir: string; truth: string; mobile: string }

export async function accuracyTable(datasetsDir: string, withIondiff = true): Promise<AccuracyRow[]> {
  const manifest = JSON.parse(readFileSync(join(datasetsDir, 'manifest.json'), 'utf8')) as { runs: ManifestRun[] };
  const rows: AccuracyRow[] = [];
  for (const run of manifest.runs) {
    const truth = JSON.parse(readFileSync(join(datasetsDir, run.truth), 'utf8')) as Truth;
    const traj = await loadTrajectory(join(datasetsDir, run.dir));
    const atoms = atomsOf(traj, [truth.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [truth.mobile] });
    let t0 = performance.now();
    const def = detectHopsDefault(u, traj.nFrames, atoms);
    const defaultMs = performance.now() - t0;
    let iondiffScore: AccuracyScore | null = null, iondiffMs = NaN;
    if (withIondiff) {
      t0 = performance.now();
      const ion = detectHopsIondiff(u, traj.nFrames, atoms);
      iondiffMs = performance.now() - t0;
      iondiffScore = scoreAgainstTruth(ion, truth);
    }
    rows.push({
      dir: run.dir, material: run.material, temperatureK: run.temperatureK, nTrue: truth.hops.length,
      defaultScore: scoreAgainstTruth(def, truth), defaultMs, iondiffScore, iondiffMs,
    });
  }
  return rows;
}

export function formatTable(rows: AccuracyRow[]): string {
  const f = (v: number) => v.toFixed(3);
  const s = (x: AccuracyScore | null) => (x ? `${f(x.precision)} ${f(x.recall)} ${f(x.f1)} (${x.tp}/${x.fp}/${x.fn})` : '—');
  const lines = [
    'run                 true | default P R F1 (tp/fp/fn)      ms | iondiff P R F1 (tp/fp/fn)      ms',
  ];
  for (const r of rows) {
    lines.push(`${r.dir.padEnd(18)} ${String(r.nTrue).padStart(5)} | ${s(r.defaultScore).padEnd(30)} ${r.defaultMs.toFixed(0).padStart(5)} | ${s(r.iondiffScore).padEnd(30)} ${Number.isNaN(r.iondiffMs) ? '' : r.iondiffMs.toFixed(0).padStart(5)}`);
  }
  return lines.join('\n');
}
