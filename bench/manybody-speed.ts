/**
 * Cost of the calibrated many-body analysis alone (concertedHops), warm, on the hops analyze()
 * detects in each run given; with `--baseline FILE` (a copy of an older concerted.ts) the two are
 * timed alternately in the same process and their results compared.
 *
 *   npx tsx bench/manybody-speed.ts [--baseline /path/to/concerted.ts] [--reps 5] [--warmup 1] [--cache FILE] DIR …
 *
 * `--cache FILE`: the detected hops are written there (JSON) on first use and read back after,
 * so a long run's detection is paid once across invocations.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadTrajectories } from '../src/io/load.js';
import { analyze } from '../src/analysis/analyze.js';
import { concertedHops, type ConcertedOptions, type ConcertedResult } from '../src/analysis/manybody/concerted.js';
import type { ManyBodyHop } from '../src/analysis/manybody/pair-relations.js';

type Fn = (hops: readonly ManyBodyHop[], nFrames: number, opts: ConcertedOptions) => ConcertedResult;
const { values, positionals } = parseArgs({ options: { baseline: { type: 'string' }, reps: { type: 'string', default: '5' }, warmup: { type: 'string', default: '1' }, cache: { type: 'string' } }, allowPositionals: true });
const base: Fn | null = values.baseline ? ((await import(values.baseline)) as { concertedHops: Fn }).concertedHops : null;
const reps = Number(values.reps), warmup = Number(values.warmup);
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[xs.length >> 1];
interface Case { name: string; element: string; nFrames: number; lattice: number[]; breaks: number[]; hops: ManyBodyHop[] }
async function cases(): Promise<Case[]> {
  if (values.cache && existsSync(values.cache)) return JSON.parse(readFileSync(values.cache, 'utf8')) as Case[];
  const out: Case[] = [];
  for (const dir of positionals) for (const traj of await loadTrajectories(dir)) {
    const r = analyze(traj, {});
    for (const element of new Set(r.events.map((e) => e.element))) {
      const hops = r.events.filter((e) => e.element === element).map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame, from: [...e.from], to: [...e.to] }));
      out.push({ name: dir.split('/').pop() as string, element, nFrames: traj.nFrames, lattice: Array.from(traj.lattice.slice(0, 9)), breaks: traj.discontinuities.map((d) => d.frame), hops });
    }
  }
  if (values.cache) writeFileSync(values.cache, JSON.stringify(out));
  return out;
}

for (const { name, element, nFrames, lattice, breaks, hops } of await cases()) {
  {
    const opts: ConcertedOptions = { lattice: Float64Array.from(lattice), seed: 0, breaks };
    const tNew: number[] = [], tOld: number[] = [];
    let a: ConcertedResult | null = null, b: ConcertedResult | null = null;
    for (let k = 1 - warmup; k <= reps; k++) {
      let t0 = performance.now(); a = concertedHops(hops, nFrames, opts); const dn = performance.now() - t0;
      if (k > 0) tNew.push(dn);
      if (base) { t0 = performance.now(); b = base(hops, nFrames, opts); const dob = performance.now() - t0; if (k > 0) tOld.push(dob); }
    }
    const sameGroups = b ? JSON.stringify(a!.groups) === JSON.stringify(b.groups) && JSON.stringify(a!.pairBins) === JSON.stringify(b.pairBins) && JSON.stringify([a!.concertedFraction, a!.nBodiesMean, a!.hopDistribution, a!.groupSizes]) === JSON.stringify([b.concertedFraction, b.nBodiesMean, b.hopDistribution, b.groupSizes]) : null;
    const nb = (x: ConcertedResult): string => `${x.nBodiesMean.observed.toFixed(3)} (indep. ${x.nBodiesMean.expected.toFixed(3)} ± ${x.nBodiesMean.expectedSd.toFixed(3)}, ${x.nShifts} shifts)`;
    console.log(`${name} ${element}: ${hops.length} hops; concertedHops median ${median(tNew).toFixed(0)} ms${base ? ` vs baseline ${median(tOld).toFixed(0)} ms (ratio ${(median(tOld) / median(tNew)).toFixed(2)}); same groups, bins and null statistics: ${sameGroups}; n_bodies_mean ${nb(a!)} vs baseline ${nb(b!)}` : `; n_bodies_mean ${nb(a!)}`}`);
  }
}
