/**
 * Discontinuities (restarts that do not continue the run): what leaving out hops across a break
 * and MSD windows spanning it changes. "Unflagged" is the same run with `discontinuities: []`,
 * which is what the analysis did before breaks were honoured (apart from the many-body groups).
 *
 *   npx tsx bench/breaks.ts [real-run-dir]   (default ../shared/data/real/argyrodite_li6ps5i_100p_500k)
 */
import { resolve } from 'node:path';
import { analyze, prepareAnalysis } from '../src/analysis/analyze.js';
import { diffusionOf } from '../src/analysis/diffusion.js';
import { breakWithin } from '../src/analysis/segments.js';
import type { AnalysisResult, DiffusionResult } from '../src/analysis/types.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { loadTrajectory } from '../src/io/load.js';
import { concatTrajectories } from '../src/io/run.js';
import type { Trajectory } from '../src/trajectory/types.js';

const e6 = (d: DiffusionResult) => `${(d.dTracerCm2s * 1e6).toFixed(3)} ± ${(d.dTracerErrCm2s * 1e6).toFixed(3)} (fit ${d.fitStartPs.toFixed(1)}–${d.fitEndPs.toFixed(1)} ps)`;
const crossing = (r: AnalysisResult, breaks: readonly number[]) => r.events.filter((e) => breakWithin(e.startFrame - 1, e.endFrame + 1, breaks) >= 0).length;

function compare(name: string, t: Trajectory): void {
  const breaks = t.discontinuities.map((d) => d.frame);
  console.log(`\n## ${name}: ${t.nFrames} frames, breaks at ${breaks.join(', ') || 'none'}`);
  for (const method of ['default', 'iondiff'] as const) {
    const before = analyze({ ...t, discontinuities: [] }, { method });
    const after = analyze(t, { method });
    const db = before.descriptors[0], da = after.descriptors[0];
    console.log(`${method}: events ${before.events.length} → ${after.events.length} (crossing a break before: ${crossing(before, breaks)}); ` +
      `hop rate ${db.hopRatePerIonPs.toFixed(4)} → ${da.hopRatePerIonPs.toFixed(4)} /ion/ps; residence ${db.residencePsMean?.toFixed(2)} → ${da.residencePsMean?.toFixed(2)} ps; ` +
      `D_hops ${(before.diffusion[0].dHopsCm2s * 1e6).toFixed(3)} → ${(after.diffusion[0].dHopsCm2s * 1e6).toFixed(3)} e-6 cm²/s`);
    if (method === 'default') console.log(`D tracer (1e-6 cm²/s): unflagged ${e6(before.diffusion[0])} → segmented ${e6(after.diffusion[0])}`);
  }
  const p = prepareAnalysis(t);
  const el = p.elements[0], n = el.atoms.length, T = p.nFrames, dt = p.frameIntervalFs;
  const base = { element: el.element, volumeA3: p.volumeA3, charge: el.charge, temperatureK: p.temperatureK, seed: 1 };
  const part = (a: number, b: number) => diffusionOf(el.positions.slice(a * n * 3, b * n * 3), b - a, n, dt, base);
  const edges = [0, ...breaks, T];
  const parts = edges.slice(1).map((b, i) => part(edges[i], b));
  const w = parts.map((d) => d.dTracerErrCm2s ** -2), sw = w.reduce((s, x) => s + x, 0);
  const pooled = parts.reduce((s, d, i) => s + w[i] * d.dTracerCm2s, 0) / sw;
  console.log(`segments alone: ${parts.map((d, i) => `[${edges[i]}, ${edges[i + 1]}) ${e6(d)}`).join('; ')}; inverse-variance pooled ${(pooled * 1e6).toFixed(3)} ± ${(1e6 / Math.sqrt(sw)).toFixed(3)}`);
  const seg = diffusionOf(el.positions, T, n, dt, { ...base, breaks });
  for (const d of [seg]) {
    const win = { fitStartPs: d.fitStartPs, fitEndPs: d.fitEndPs };
    console.log(`same window ${win.fitStartPs.toFixed(1)}–${win.fitEndPs.toFixed(1)} ps: unflagged ${e6(diffusionOf(el.positions, T, n, dt, { ...base, ...win }))}, segmented ${e6(seg)}`);
  }
}

const spec = scaledMaterial(materialByName('Li-sc'), 64, 500);
compare('generated Li-sc 64 ions, 700 K, seeds 11 + 12 (500 frames each)',
  concatTrajectories([toTrajectory(generateRun(spec, 700, 11)), toTrajectory(generateRun(spec, 700, 12))]));
const dir = process.argv[2] ?? resolve(import.meta.dirname, '../../shared/data/real/argyrodite_li6ps5i_100p_500k');
compare(dir.split('/').pop()!, await loadTrajectory(dir));
