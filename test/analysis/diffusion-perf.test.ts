import { describe, expect, it } from 'vitest';
import { tracerMsd, collectiveMsd } from '../../src/analysis/msd.js';
import { diffusionOf, mulberry32 } from '../../src/analysis/diffusion.js';

// 500 ions × 50,000 frames (600 MB of positions): the MSD must stay O(n·T log T).
describe('transport performance', () => {
  it('MSD of 500 ions × 50,000 frames in a few seconds', () => {
    const T = 50_000, n = 500;
    const u = new Float64Array(T * n * 3);
    const rng = mulberry32(1);
    for (let k = 0; k < n * 3; k++) u[k] = 20 * rng();
    // Uniform steps of variance 1/12 Å² per axis → D = 1/24 Å²/ps at Δt = 1 ps.
    for (let t = 1; t < T; t++) {
      const o = t * n * 3, p = o - n * 3;
      for (let k = 0; k < n * 3; k++) u[o + k] = u[p + k] + (rng() - 0.5);
    }
    const wall = (f: () => void) => {
      const c0 = process.cpuUsage(), t0 = performance.now();
      f();
      const c = process.cpuUsage(c0);
      return { wallS: (performance.now() - t0) / 1000, cpuS: (c.user + c.system) / 1e6 };
    };
    let msd: Float64Array = new Float64Array(0);
    const a = wall(() => { msd = tracerMsd(u, T, n).msd; });
    const b = wall(() => { collectiveMsd(u, T, n); });
    let d = 0;
    const c = wall(() => { d = diffusionOf(u, T, n, 1000, { element: 'Li', volumeA3: 1e5, charge: 1, temperatureK: 600 }).dTracerCm2s; });
    console.log(`500 × 50,000: tracer MSD ${a.wallS.toFixed(2)} s wall (${a.cpuS.toFixed(2)} s CPU); ` +
      `collective MSD ${b.wallS.toFixed(2)} s; full diffusionOf (per-ion MSDs, bootstraps) ${c.wallS.toFixed(2)} s wall (${c.cpuS.toFixed(2)} s CPU)`);
    // Sanity of the answer: MSD(m) = 3·m/12 Å² for this walk, D = 1/24 Å²/ps.
    expect(msd[1000] / (3 * 1000 / 12)).toBeGreaterThan(0.95);
    expect(msd[1000] / (3 * 1000 / 12)).toBeLessThan(1.05);
    expect(d / ((1 / 24) * 1e-4)).toBeGreaterThan(0.93);
    expect(d / ((1 / 24) * 1e-4)).toBeLessThan(1.07);
    // Generous bound: CPU seconds (robust to a busy shared machine).
    expect(a.cpuS).toBeLessThan(20);
  });
});
