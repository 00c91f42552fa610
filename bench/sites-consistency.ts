// Length consistency of the site jumps (issue 5's measure, src/validate/consistency.ts): each
// run analysed whole and cut into 2 and 4 pieces, the site map fitted on each piece alone.
//
//   npx tsx bench/sites-consistency.ts [case,case,…]          real runs (folders of /work/shared/data/real)
//   npx tsx bench/sites-consistency.ts --generated Li-pair-2.0,Li-sc-every-step [--frames 8000]
import { existsSync } from 'node:fs';
import { loadTrajectory } from '../src/io/load.js';
import { prepareAnalysis } from '../src/analysis/analyze.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { siteStage } from '../src/analysis/sites/stage.js';
import type { RawHop } from '../src/analysis/types.js';
import { lengthConsistency } from '../src/validate/consistency.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';

const REAL = '/work/shared/data/real';
const gi = process.argv.indexOf('--generated');
const fi = process.argv.indexOf('--frames');
const siteMap = process.argv.includes('--density') ? 'density' as const : 'mixture' as const;
const names = gi >= 0 ? process.argv[gi + 1].split(',') : (process.argv[2]?.startsWith('--') ? undefined : process.argv[2]?.split(',')) ?? ['argyrodite_li6ps5cl_50p_500k', 'argyrodite_li6ps5i_50p_500k', 'lgps_li10gep2s12_650k_crysf'];
const pct = (a: number, b: number) => (b === 0 ? '–' : `${(100 * a / b).toFixed(1)} % of ${b}`);
for (const name of names) {
  let traj;
  if (gi >= 0) {
    const spec = { ...materialByName(name), nFrames: fi >= 0 ? Number(process.argv[fi + 1]) : 8000 };
    traj = toTrajectory(generateRun(spec, spec.temperaturesK[0], spec.seed + spec.temperaturesK[0]));
  } else {
    const dir = `${REAL}/${name}`;
    if (!existsSync(dir)) { console.log(`skipped: ${dir} absent`); continue; }
    traj = await loadTrajectory(dir);
  }
  const p = prepareAnalysis(traj);
  const el = p.elements[0], n = el.atoms.length, T = p.nFrames;
  const run = (pos: Float64Array, frames: number, offset: number): RawHop[] => {
    const det = detectHopsDefault(pos, frames, el.atoms);
    const st = siteStage({ element: el.element, positions: pos, nFrames: frames, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3, seed: 0, frameIntervalFs: p.frameIntervalFs, detection: det, siteMap });
    return (st.hops ?? det.hops).map((h) => ({ ...h, startFrame: h.startFrame + offset, endFrame: h.endFrame + offset }));
  };
  const whole = run(el.positions, T, 0);
  const out: string[] = [];
  for (const k of [2, 4]) {
    const cuts: number[] = [];
    const pieces: RawHop[] = [];
    for (let i = 0; i < k; i++) {
      const a = Math.floor((i * T) / k), b = Math.floor(((i + 1) * T) / k);
      if (i > 0) cuts.push(a);
      pieces.push(...run(el.positions.subarray(a * n * 3, b * n * 3), b - a, a));
    }
    const c = lengthConsistency(whole, pieces, cuts, T);
    out.push(`${k} pieces intact: whole→pieces ${pct(c.intact.wholeFound, c.intact.whole)}, pieces→whole ${pct(c.intact.piecesFound, c.intact.pieces)}`);
  }
  console.log(`${name}: ${whole.length} site jumps; ${out.join('; ')}`);
}
