// Is the site map pinned down by the data? For each method (mixture, density): the map of the
// whole run fitted with seeds 0 and 1 (centre shifts between them), against the map of each half
// (distance from each whole-run site to the nearest site of the half: median / 90th percentile),
// site counts, and the site stage's time (warm, both methods in the same process).
//
//   npx tsx bench/sites-stability.ts [run,run,…]   (folders of /work/shared/data/real)
import { existsSync } from 'node:fs';
import { loadTrajectory } from '../src/io/load.js';
import { prepareAnalysis, detectPrepared } from '../src/analysis/analyze.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { siteStage } from '../src/analysis/sites/stage.js';
import type { SiteMap, SiteMapMethod } from '../src/analysis/sites/site-map.js';
import { distance2 } from '../src/analysis/sites/periodic.js';

const REAL = '/work/shared/data/real';
const names = process.argv[2]?.split(',') ?? ['argyrodite_li6ps5cl_50p_500k', 'argyrodite_li6ps5i_50p_500k', 'lgps_li10gep2s12_650k_crysf'];
const q = (a: number[], p: number) => (a.length ? [...a].sort((x, y) => x - y)[Math.min(a.length - 1, Math.floor(p * a.length))] : NaN);
/** Distance (Å) from each site of a to the nearest site of b. */
const nearest = (a: SiteMap, b: SiteMap): number[] => {
  const out: number[] = [];
  for (let i = 0; i < a.k; i++) {
    let d = Infinity;
    for (let j = 0; j < b.k; j++) d = Math.min(d, distance2(a.lattice, a.frac[i * 3], a.frac[i * 3 + 1], a.frac[i * 3 + 2], b.frac[j * 3], b.frac[j * 3 + 1], b.frac[j * 3 + 2]));
    out.push(Math.sqrt(d));
  }
  return out;
};
for (const name of names) {
  const dir = `${REAL}/${name}`;
  if (!existsSync(dir)) { console.log(`skipped: ${dir} absent`); continue; }
  const p = prepareAnalysis(await loadTrajectory(dir));
  const det = detectPrepared(p);
  const el = p.elements[0], n = el.atoms.length, T = p.nFrames;
  const stage = (pos: Float64Array, frames: number, d: typeof det[0], seed: number, siteMap: SiteMapMethod) =>
    siteStage({ element: el.element, positions: pos, nFrames: frames, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3, seed, frameIntervalFs: p.frameIntervalFs, detection: d, siteMap });
  const h = Math.floor(T / 2);
  const halves = [[0, h], [h, T]].map(([a, b]) => ({ pos: el.positions.subarray(a * n * 3, b * n * 3), frames: b - a }));
  const halfDet = halves.map((x) => detectHopsDefault(x.pos, x.frames, el.atoms));
  const ms: Record<string, number[]> = { mixture: [], density: [] };
  for (let r = 0; r < 4; r++) for (const m of ['mixture', 'density'] as const) {
    const t0 = performance.now();
    stage(el.positions, T, det[0], 0, m);
    if (r > 0) ms[m].push(performance.now() - t0);
  }
  for (const m of ['mixture', 'density'] as const) {
    const a = stage(el.positions, T, det[0], 0, m).map, b = stage(el.positions, T, det[0], 1, m).map;
    const seedD = nearest(a, b);
    const halfD = halves.flatMap((x, i) => nearest(a, stage(x.pos, x.frames, halfDet[i], 0, m).map));
    const hk = halves.map((x, i) => stage(x.pos, x.frames, halfDet[i], 0, m).map.k);
    console.log(`${name} ${m}: ${a.k} sites (halves ${hk.join(', ')}); seed 0 vs 1: ${a.k === b.k ? 'same count' : `${a.k} vs ${b.k}`}, shift median ${q(seedD, 0.5).toFixed(3)} / p90 ${q(seedD, 0.9).toFixed(3)} / max ${q(seedD, 1).toFixed(3)} Å; whole vs half: median ${q(halfD, 0.5).toFixed(3)} / p90 ${q(halfD, 0.9).toFixed(3)} Å; site stage ${q(ms[m], 0.5).toFixed(0)} ms (median of 3 warm)`);
  }
}
