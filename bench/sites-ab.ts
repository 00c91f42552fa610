// Interleaved A/B of analyze (sites:* and total, warm): baseline src tree (argv[2], e.g. an
// unpacked `git archive` of main) against this tree. `tsx bench/sites-ab.ts /tmp/orig [run] [reps]`.
import { analyze } from '../src/analysis/analyze.js';
import { loadTrajectory } from '../src/io/load.js';

const base = process.argv[2];
const run = process.argv[3] ?? '/work/shared/data/real/argyrodite_li6ps5cl_50p_500k';
const reps = Number(process.argv[4] ?? 6);
const old = (await import(`${base}/src/analysis/analyze.ts`)) as { analyze: typeof analyze };
const t = await loadTrajectory(run);
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1];
const res = { old: { total: [] as number[], sites: [] as number[] }, now: { total: [] as number[], sites: [] as number[] } };
for (let r = 0; r < reps + 1; r++) {
  for (const [name, f] of [['old', old.analyze], ['now', analyze]] as const) {
    const t0 = performance.now();
    const a = f(t);
    const total = performance.now() - t0;
    const sites = Object.entries(a.timingsMs).filter(([k]) => k.startsWith('sites:')).reduce((s, [, v]) => s + v, 0);
    if (r > 0) { res[name].total.push(total); res[name].sites.push(sites); }
  }
}
for (const name of ['old', 'now'] as const) {
  console.log(`${name}: analyze median ${med(res[name].total).toFixed(0)} ms, sites median ${med(res[name].sites).toFixed(0)} ms  (sites: ${res[name].sites.map((x) => x.toFixed(0)).join(' ')})`);
}
