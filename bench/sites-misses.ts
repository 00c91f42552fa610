// The whole run's intact site jumps the two halves miss on LGPS 650 K, by kind (`npx tsx bench/sites-misses.ts [--mixture]`).
import { existsSync } from 'node:fs';
import { loadTrajectory } from '../src/io/load.js';
import { prepareAnalysis } from '../src/analysis/analyze.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { siteStage } from '../src/analysis/sites/stage.js';
import { intactHops, sameHop } from '../src/validate/consistency.js';
const dir = '/work/shared/data/real/lgps_li10gep2s12_650k_crysf';
if (!existsSync(dir)) { console.log(`skipped: ${dir} absent`); process.exit(0); }
const p = prepareAnalysis(await loadTrajectory(dir));
const el = p.elements[0], n = el.atoms.length, T = p.nFrames;
const run = (a: number, b: number) => {
  const pos = el.positions.subarray(a * n * 3, b * n * 3);
  const st = siteStage({ element: 'Li', positions: pos, nFrames: b - a, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3, seed: 0, frameIntervalFs: p.frameIntervalFs, detection: detectHopsDefault(pos, b - a, el.atoms), siteMap: process.argv.includes('--mixture') ? 'mixture' : 'density' });
  return st.hops!.map((h) => ({ ...h, startFrame: h.startFrame + a, endFrame: h.endFrame + a }));
};
const h = Math.floor(T / 2);
const whole = run(0, T), pieces = [...run(0, h), ...run(h, T)];
const iw = intactHops(whole, [h], T);
const len = (x: { from: readonly number[]; to: readonly number[] }) => Math.hypot(x.to[0] - x.from[0], x.to[1] - x.from[1], x.to[2] - x.from[2]);
const lens: number[] = []; const kinds: Record<string, number> = {};
for (const w of iw) {
  if (pieces.some((q) => sameHop(w, q))) continue;
  lens.push(len(w));
  const cand = pieces.filter((q) => q.atom === w.atom && Math.abs(q.startFrame - w.startFrame) < 40);
  if (pieces.some((q) => sameHop(w, q, 20))) { kinds['timing within 20 frames']=(kinds['timing within 20 frames']??0)+1; }
  else if (cand.length === 0) kinds['no piece jump near']=(kinds['no piece jump near']??0)+1;
  else kinds['piece jump near, other vector']=(kinds['piece jump near, other vector']??0)+1;
}
lens.sort((a, b) => a - b);
console.log('intact whole', iw.length, 'missed', lens.length, kinds, 'lengths q10/50/90', lens[Math.floor(lens.length*0.1)]?.toFixed(2), lens[lens.length>>1]?.toFixed(2), lens[Math.floor(lens.length*0.9)]?.toFixed(2));
