// Interleaved A/B of the site stage alone (warm): `tsx bench/sites-fit-ab.ts /tmp/orig [run] [reps]`.
import { prepareAnalysis, detectPrepared } from '../src/analysis/analyze.js';
import { siteStage } from '../src/analysis/sites/stage.js';
import { loadTrajectory } from '../src/io/load.js';

const base = process.argv[2];
const run = process.argv[3] ?? '/work/shared/data/real/argyrodite_li6ps5cl_50p_500k';
const reps = Number(process.argv[4] ?? 6);
// base '-': this tree only (for profiling).
const old = base === '-' ? null : ((await import(`${base}/src/analysis/sites/stage.ts`)) as { siteStage: typeof siteStage });
const t = await loadTrajectory(run);
const p = prepareAnalysis(t);
const det = detectPrepared(p);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const ms: Record<string, number[]> = { old: [], now: [] };
for (let r = 0; r < reps + 1; r++) {
  for (const [name, f] of (old ? [['old', old.siteStage], ['now', siteStage]] : [['now', siteStage]]) as [string, typeof siteStage][]) {
    const t0 = performance.now();
    p.elements.forEach((el, e) => f({ element: el.element, positions: el.positions, nFrames: p.nFrames, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3, seed: p.seed, frameIntervalFs: p.frameIntervalFs, detection: det[e] }));
    if (r > 0) ms[name].push(performance.now() - t0);
  }
}
for (const name of ['old', 'now']) if (ms[name].length) console.log(`${name}: site stage median ${med(ms[name]).toFixed(0)} ms (${ms[name].map((x) => x.toFixed(0)).join(' ')})`);
