/**
 * Are D's error bars still calibrated when MSD windows spanning a break are dropped? Gaussian
 * random walks (σ = 0.3 Å per axis per frame: D = σ²/(2Δt) exactly) of T frames with a jump of
 * 5 Å per axis added at frame `break`; over many seeds, the spread of D vs the mean reported
 * error, and the coverage of the known D at ±1σ / ±1.96σ. Single ion (time block bootstrap) and
 * the centre of mass of 32 ions (collective D, block bootstrap); tracer D of 32 ions (ion
 * bootstrap). Same runs without the break (and without the jump) for comparison.
 *
 *   npx tsx bench/breaks-calibration.ts [seeds=200] [T=1000] [break=400]
 */
import { diffusionOf, mulberry32 } from '../src/analysis/diffusion.js';

const seeds = Number(process.argv[2] ?? 200), T = Number(process.argv[3] ?? 1000), brk = Number(process.argv[4] ?? 400);
const sigma = 0.3, dtFs = 100, dTrue = (sigma * sigma) / (2 * dtFs * 1e-3) * 1e-4 / 1; // Å²/ps → cm²/s (per axis σ²/2Δt)

function walk(n: number, seed: number, jump: boolean): Float64Array {
  const rng = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
  const u = new Float64Array(T * n * 3);
  for (let f = 1; f < T; f++) for (let k = 0; k < n * 3; k++) u[f * n * 3 + k] = u[(f - 1) * n * 3 + k] + sigma * gauss() + (jump && f === brk ? 5 : 0);
  return u;
}

type Pick = 'tracer' | 'collective';
function summary(label: string, n: number, pick: Pick, breaks: number[] | undefined, jump: boolean): void {
  const d: number[] = [], e: number[] = [];
  for (let s = 1; s <= seeds; s++) {
    const r = diffusionOf(walk(n, 1000 * n + s, jump), T, n, dtFs, { element: 'X', volumeA3: 1e4, charge: 1, temperatureK: 300, seed: s, breaks, fitStartPs: 1, fitEndPs: 20 });
    d.push(pick === 'tracer' ? r.dTracerCm2s : r.dCollectiveCm2s / 1);
    e.push(pick === 'tracer' ? r.dTracerErrCm2s : r.dCollectiveErrCm2s);
  }
  const truth = dTrue;
  const mean = d.reduce((a, b) => a + b, 0) / seeds;
  const sd = Math.sqrt(d.reduce((a, b) => a + (b - mean) ** 2, 0) / (seeds - 1));
  const me = e.reduce((a, b) => a + b, 0) / seeds;
  const c1 = d.filter((x, i) => Math.abs(x - truth) <= e[i]).length / seeds;
  const c2 = d.filter((x, i) => Math.abs(x - truth) <= 1.96 * e[i]).length / seeds;
  console.log(`| ${label} | ${(mean / truth).toFixed(3)} | ${(sd / me).toFixed(2)} | ${(100 * c1).toFixed(0)} % | ${(100 * c2).toFixed(0)} % |`);
}

console.log(`${seeds} seeds, T = ${T}, break at ${brk} (jump 5 Å per axis), fit 1–20 ps, D_true = ${dTrue.toExponential(3)} cm²/s`);
console.log('| case | ⟨D⟩/D_true | SD(D)/⟨err⟩ | cover ±1σ | cover ±1.96σ |\n|---|---|---|---|---|');
for (const [n, pick] of [[1, 'tracer'], [32, 'collective'], [32, 'tracer']] as const) {
  summary(`${pick} D, ${n} ion(s), no break`, n, pick, undefined, false);
  summary(`${pick} D, ${n} ion(s), break flagged`, n, pick, [brk], true);
}
