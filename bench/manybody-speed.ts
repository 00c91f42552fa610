/**
 * Cost of the calibrated many-body analysis alone (concertedHops), warm, on the hops analyze()
 * detects in each run given; with `--baseline FILE` (a copy of an older concerted.ts) the two are
 * timed alternately in the same process and their results compared.
 *
 *   npx tsx bench/manybody-speed.ts [--baseline /path/to/concerted.ts] [--reps 5] DIR …
 */
import { parseArgs } from 'node:util';
import { loadTrajectories } from '../src/io/load.js';
import { analyze } from '../src/analysis/analyze.js';
import { concertedHops, type ConcertedOptions, type ConcertedResult } from '../src/analysis/manybody/concerted.js';
import type { ManyBodyHop } from '../src/analysis/manybody/pair-relations.js';

type Fn = (hops: readonly ManyBodyHop[], nFrames: number, opts: ConcertedOptions) => ConcertedResult;
const { values, positionals } = parseArgs({ options: { baseline: { type: 'string' }, reps: { type: 'string', default: '5' } }, allowPositionals: true });
const base: Fn | null = values.baseline ? ((await import(values.baseline)) as { concertedHops: Fn }).concertedHops : null;
const reps = Number(values.reps);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];

for (const dir of positionals) for (const traj of await loadTrajectories(dir)) {
  const r = analyze(traj, {});
  const cell = Float64Array.from(traj.lattice.slice(0, 9));
  for (const element of new Set(r.events.map((e) => e.element))) {
    const hops = r.events.filter((e) => e.element === element).map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame, from: e.from, to: e.to }));
    const opts: ConcertedOptions = { lattice: cell, seed: 0, breaks: traj.discontinuities.map((d) => d.frame) };
    const tNew: number[] = [], tOld: number[] = [];
    let a: ConcertedResult | null = null, b: ConcertedResult | null = null;
    for (let k = 0; k <= reps; k++) {
      let t0 = performance.now(); a = concertedHops(hops, traj.nFrames, opts); const dn = performance.now() - t0;
      if (k > 0) tNew.push(dn);
      if (base) { t0 = performance.now(); b = base(hops, traj.nFrames, opts); const dob = performance.now() - t0; if (k > 0) tOld.push(dob); }
    }
    const sameGroups = b ? JSON.stringify(a!.groups) === JSON.stringify(b.groups) : null;
    const nb = (x: ConcertedResult): string => `${x.nBodiesMean.observed.toFixed(3)} (indep. ${x.nBodiesMean.expected.toFixed(3)} ± ${x.nBodiesMean.expectedSd.toFixed(3)}, ${x.nShifts} shifts)`;
    console.log(`${dir.split('/').pop()} ${element}: ${hops.length} hops; concertedHops warm median ${median(tNew).toFixed(0)} ms${base ? ` vs baseline ${median(tOld).toFixed(0)} ms (ratio ${(median(tOld) / median(tNew)).toFixed(2)}); same groups: ${sameGroups}; n_bodies_mean ${nb(a!)} vs baseline ${nb(b!)}` : `; n_bodies_mean ${nb(a!)}`}`);
  }
}
