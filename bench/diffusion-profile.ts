// Profile target for `node --cpu-prof`: diffusionOf on the argyrodite run (reps) and on random walks.
//   node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/diffusion-profile.ts [--walks 500x50000 [--f32] [--walk-reps 2]] [--reps 20]
// then `npx tsx bench/diffusion-profile-groups.ts /tmp/prof` for the share of each part of the stage.
import { resolve } from 'node:path';
import { diffusionOf } from '../src/analysis/diffusion.js';
import { loadTrajectory } from '../src/io/load.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { mulberry32 } from '../src/analysis/random.js';

function arg(name: string, dflt: string): string { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; }
const o = { element: 'Li', volumeA3: 1000, charge: 1, temperatureK: 500, seed: 1 };
const reps = Number(arg('--reps', '20'));
if (reps > 0) {
  const t = await loadTrajectory(resolve(import.meta.dirname, '../../shared/data/real/argyrodite_li6ps5cl_50p_500k'));
  const idx = atomsOf(t, ['Li']);
  const pos = unwrap(t, { atoms: idx, removeDriftExcept: ['Li'] });
  for (let r = 0; r < reps; r++) diffusionOf(pos, t.nFrames, idx.length, t.metadata.frameIntervalFs as number, o);
}
const [nw, Tw] = arg('--walks', '0x0').split('x').map(Number);
if (nw > 0) {
  const rng = mulberry32(5);
  const u = new Float64Array(Tw * nw * 3);
  for (let f = 1; f < Tw; f++) for (let k = 0; k < nw * 3; k++) u[f * nw * 3 + k] = u[(f - 1) * nw * 3 + k] + (rng() - 0.5);
  const pos = process.argv.includes('--f32') ? Float32Array.from(u) : u;
  for (let r = 0; r < Number(arg('--walk-reps', '1')); r++) {
    const c = process.cpuUsage();
    diffusionOf(pos, Tw, nw, 100, o);
    const d = process.cpuUsage(c);
    console.log(`walks ${nw}x${Tw}${pos instanceof Float32Array ? ' float32' : ''}: ${((d.user + d.system) / 1000).toFixed(0)} ms`);
  }
}
