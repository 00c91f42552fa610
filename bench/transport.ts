// Times the FFT MSD on 500 ions × 50,000 frames against the naive O(T²·n) MSD, which is
// measured on a subset and extrapolated (it would take hours on the full size).
// Run: npx tsx bench/transport.ts [nIons] [nFrames]
import { msdDirect, tracerMsd } from '../src/analysis/msd.js';
import { diffusionOf, mulberry32 } from '../src/analysis/diffusion.js';

const n = Number(process.argv[2] ?? 500), T = Number(process.argv[3] ?? 50_000);

function walk(nFrames: number, nIons: number, seed: number): Float64Array {
  const u = new Float64Array(nFrames * nIons * 3);
  const rng = mulberry32(seed);
  for (let t = 1; t < nFrames; t++) {
    const o = t * nIons * 3, p = o - nIons * 3;
    for (let k = 0; k < nIons * 3; k++) u[o + k] = u[p + k] + (rng() - 0.5);
  }
  return u;
}

function time<R>(f: () => R): [R, number, number] {
  const c0 = process.cpuUsage(), t0 = performance.now();
  const r = f();
  const c = process.cpuUsage(c0);
  return [r, (performance.now() - t0) / 1000, (c.user + c.system) / 1e6];
}

const u = walk(T, n, 1);
const [, fftWall, fftCpu] = time(() => tracerMsd(u, T, n));
const [, , fullCpu] = time(() => diffusionOf(u, T, n, 1000, { element: 'Li', volumeA3: 1e5, charge: 1, temperatureK: 600 }));

// Naive on a subset (1 ion × Ts frames), extrapolated by n·T².
const Ts = Math.min(T, 8000);
const sub = walk(Ts, 1, 2);
tracerMsd(sub, Ts, 1); // warm-up (JIT, FFT plan)
const [naive, , naiveCpu] = time(() => msdDirect(sub, Ts, 1));
const [fast, , fastSubCpu] = time(() => tracerMsd(sub, Ts, 1).msd);
let err = 0, scale = 0;
for (let m = 0; m < Ts; m++) { err = Math.max(err, Math.abs(naive[m] - fast[m])); scale = Math.max(scale, naive[m]); }
const naiveFull = naiveCpu * n * (T / Ts) ** 2;
console.log(`FFT tracer MSD, ${n} ions × ${T} frames: ${fftWall.toFixed(2)} s wall, ${fftCpu.toFixed(2)} s CPU`);
console.log(`diffusionOf (MSD + per-ion MSDs + bootstraps): ${fullCpu.toFixed(2)} s CPU`);
console.log(`naive O(T²) on 1 ion × ${Ts} frames: ${naiveCpu.toFixed(2)} s CPU (FFT: ${(fastSubCpu * 1000).toFixed(1)} ms, ` +
  `ratio ${(naiveCpu / fastSubCpu).toFixed(0)}×, max rel. difference ${(err / scale).toExponential(1)})`);
console.log(`naive extrapolated to ${n} × ${T}: ${(naiveFull / 3600).toFixed(1)} h CPU → FFT is ~${(naiveFull / fftCpu).toFixed(0)}× faster`);
