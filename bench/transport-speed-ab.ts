// CPU time of diffusionOf: this tree against another checkout of src/ (e.g. the merge base,
// `git archive <commit> src | tar -x -C DIR`), alternating in one process on the same input.
//
//   npx tsx bench/transport-speed-ab.ts --base DIR [--reps 21] [--walks 500x50000 --walk-reps 5 [--f32]] [--long DIR --long-reps 3]
//
// CPU time (process.cpuUsage), ABBA order; prints medians, minima and the median of the per-rep
// new/base ratios (robust to load drifting on a shared machine) with the load average.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffusionOf } from '../src/analysis/diffusion.js';
import { loadTrajectory } from '../src/io/load.js';
import { atomsOf, latticeAt } from '../src/trajectory/types.js';
import { volume } from '../src/trajectory/lattice.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { mulberry32 } from '../src/analysis/random.js';

function arg(name: string, dflt: string): string { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; }
const baseDir = arg('--base', '');
if (!baseDir) throw new Error('give --base DIR (a checkout of src/ to compare with)');
const base = (await import(pathToFileURL(resolve(baseDir, 'src/analysis/diffusion.ts')).href)) as { diffusionOf: typeof diffusionOf };
const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const med = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

async function ab(label: string, pos: Float64Array | Float32Array, T: number, n: number, dtFs: number, reps: number): Promise<void> {
  const o = { element: 'Li', volumeA3: 1000, charge: 1, temperatureK: 500, seed: 1 };
  const a: number[] = [], b: number[] = [], ratio: number[] = [];
  for (let r = 0; r < reps; r++) {
    // ABBA order: a load change between the two calls of a rep biases neither side.
    let ta: number, tb: number;
    if (r % 2 === 0) { ta = cpuMs(() => base.diffusionOf(pos, T, n, dtFs, o)); tb = cpuMs(() => diffusionOf(pos, T, n, dtFs, o)); }
    else { tb = cpuMs(() => diffusionOf(pos, T, n, dtFs, o)); ta = cpuMs(() => base.diffusionOf(pos, T, n, dtFs, o)); }
    a.push(ta); b.push(tb); ratio.push(tb / ta);
  }
  console.log(`${label}: base median ${med(a).toFixed(0)} ms (min ${Math.min(...a).toFixed(0)}), new median ${med(b).toFixed(0)} ms (min ${Math.min(...b).toFixed(0)}), new/base ${(med(b) / med(a)).toFixed(3)} (min ${(Math.min(...b) / Math.min(...a)).toFixed(3)}, median of paired ratios ${med(ratio).toFixed(3)}), ${reps} reps, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
}

const argy = resolve(import.meta.dirname, '../../shared/data/real/argyrodite_li6ps5cl_50p_500k');
const t = await loadTrajectory(argy);
const idx = atomsOf(t, ['Li']);
const pos = unwrap(t, { atoms: idx, removeDriftExcept: ['Li'] });
void volume(latticeAt(t, 0));
await ab(`argyrodite 50p 500 K, ${idx.length} Li × ${t.nFrames} frames`, pos, t.nFrames, idx.length, t.metadata.frameIntervalFs as number, Number(arg('--reps', '21')));
const longDir = arg('--long', '');
if (longDir) {
  // A generated run read from its XDATCAR, positions in float32 as the reduced read gives them.
  const tl = await loadTrajectory(longDir);
  const il = atomsOf(tl, ['Li']);
  const pl = Float32Array.from(unwrap(tl, { atoms: il, removeDriftExcept: ['Li'] }));
  await ab(`${longDir}, ${il.length} Li × ${tl.nFrames} frames, float32`, pl, tl.nFrames, il.length, tl.metadata.frameIntervalFs as number, Number(arg('--long-reps', '3')));
}
const [nw, Tw] = arg('--walks', '500x50000').split('x').map(Number);
if (nw > 0) {
  const rng = mulberry32(5);
  const u = new Float64Array(Tw * nw * 3);
  for (let f = 1; f < Tw; f++) for (let k = 0; k < nw * 3; k++) u[f * nw * 3 + k] = u[(f - 1) * nw * 3 + k] + (rng() - 0.5);
  const f32 = process.argv.includes('--f32');
  await ab(`random walks ${nw} × ${Tw}${f32 ? ', float32' : ''}`, f32 ? Float32Array.from(u) : u, Tw, nw, 100, Number(arg('--walk-reps', '5')));
}
