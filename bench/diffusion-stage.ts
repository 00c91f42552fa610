// The diffusion stage of analyze() on the argyrodite run (192 Li × 700 frames): cold (first call
// in a fresh process: module load done, JIT not) and warm, for diffusionOf alone and as the
// `diffusion:Li` stage of a whole analyze().
//
//   npx tsx bench/diffusion-stage.ts [--procs 3] [--warm 20] [PATH]
//
// Each cold figure comes from its own child process (a process can be cold only once); the
// median over --procs children is printed with the min–max range.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { analyze } from '../src/analysis/analyze.js';
import { diffusionOf } from '../src/analysis/diffusion.js';
import { loadTrajectory } from '../src/io/load.js';
import { atomsOf, latticeAt } from '../src/trajectory/types.js';
import { volume } from '../src/trajectory/lattice.js';
import { unwrap } from '../src/trajectory/unwrap.js';

const here = fileURLToPath(import.meta.url);
const DEFAULT = resolve(here, '../../../shared/data/real/argyrodite_li6ps5cl_50p_500k');

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const path = process.argv.slice(2).find((a, i, all) => !a.startsWith('--') && !(i > 0 && all[i - 1].startsWith('--'))) ?? DEFAULT;
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

interface ChildOut { coldMs: number; warmMs: number[]; analyzeColdMs: number; d: number; err: number; dColl: number; collErr: number }

async function child(mode: 'diffusion' | 'analyze'): Promise<void> {
  const t = await loadTrajectory(path);
  const el = (t.metadata.mobile ?? ['Li'])[0];
  if (mode === 'analyze') {
    const r = analyze(t, {});
    process.stdout.write(JSON.stringify({ analyzeColdMs: r.timingsMs[`diffusion:${el}`] }));
    return;
  }
  const idx = atomsOf(t, [el]);
  const pos = unwrap(t, { atoms: idx, removeDriftExcept: [el] });
  const opts = { element: el, volumeA3: volume(latticeAt(t, 0)), charge: 1, temperatureK: t.metadata.temperatureK, seed: 1 };
  const dt = t.metadata.frameIntervalFs as number;
  let t0 = performance.now();
  const r = diffusionOf(pos, t.nFrames, idx.length, dt, opts);
  const coldMs = performance.now() - t0;
  const warmMs: number[] = [];
  for (let k = 0; k < Number(arg('--warm') ?? 20); k++) {
    t0 = performance.now();
    diffusionOf(pos, t.nFrames, idx.length, dt, opts);
    warmMs.push(performance.now() - t0);
  }
  const out: Partial<ChildOut> = { coldMs, warmMs, d: r.dTracerCm2s, err: r.dTracerErrCm2s, dColl: r.dCollectiveCm2s, collErr: r.dCollectiveErrCm2s };
  process.stdout.write(JSON.stringify(out));
}

const mode = arg('--child');
if (mode === 'diffusion' || mode === 'analyze') {
  await child(mode);
} else {
  const procs = Number(arg('--procs') ?? 3);
  const run = (m: string): Partial<ChildOut> => JSON.parse(execFileSync(process.execPath, [
    ...process.execArgv, here, '--child', m, '--warm', arg('--warm') ?? '20', path,
  ], { encoding: 'utf8', maxBuffer: 1 << 26 })) as Partial<ChildOut>;
  const d: Partial<ChildOut>[] = [], a: Partial<ChildOut>[] = [];
  for (let p = 0; p < procs; p++) { d.push(run('diffusion')); a.push(run('analyze')); }
  const cold = d.map((x) => x.coldMs as number), warm = d.map((x) => median(x.warmMs as number[]));
  const ac = a.map((x) => x.analyzeColdMs as number);
  const f = (xs: number[]) => `${median(xs).toFixed(1)} ms (${Math.min(...xs).toFixed(1)}–${Math.max(...xs).toFixed(1)})`;
  console.log(`${path}`);
  console.log(`diffusionOf cold ${f(cold)}, warm (median of ${arg('--warm') ?? 20}) ${f(warm)}; analyze() diffusion stage cold ${f(ac)}`);
  const r = d[0];
  console.log(`D_tracer ${r.d?.toExponential(6)} ± ${r.err?.toExponential(4)}, D_coll ${r.dColl?.toExponential(6)} ± ${r.collErr?.toExponential(4)} cm²/s`);
}
