// Times the site stage (warm) on one run: `tsx bench/sites-profile.ts [run] [reps]`.
import { analyze } from '../src/analysis/analyze.js';
import { loadTrajectory } from '../src/io/load.js';

const run = process.argv[2] ?? '/work/shared/data/real/argyrodite_li6ps5cl_50p_500k';
const reps = Number(process.argv[3] ?? 4);
const t = await loadTrajectory(run);
for (let r = 0; r < reps; r++) {
  const t0 = performance.now();
  const a = analyze(t);
  const s = Object.entries(a.timingsMs).filter(([k]) => k.startsWith('sites:')).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(' ');
  console.log(`analyze ${(performance.now() - t0).toFixed(0)} ms ${s}`);
}
