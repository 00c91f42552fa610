// Seeded Gaussian random walks for the transport tests.
import { mulberry32 } from '../../src/analysis/diffusion.js';

export function gaussian(rng: () => number): () => number {
  let spare: number | null = null;
  return () => {
    if (spare !== null) { const s = spare; spare = null; return s; }
    let u = 0;
    while (u === 0) u = rng();
    const v = rng();
    const r = Math.sqrt(-2 * Math.log(u));
    spare = r * Math.sin(2 * Math.PI * v);
    return r * Math.cos(2 * Math.PI * v);
  };
}

/**
 * 3-D Gaussian random walks, [frame][walker][xyz] (Å). Per step and axis the variance is
 * 2·D·Δt with D in Å²/ps and Δt in ps, so the exact tracer D is `dA2ps`.
 * `correlated`: every walker takes the same steps (perfectly concerted motion).
 */
export function randomWalks(
  nFrames: number, nWalkers: number, dA2ps: number, dtPs: number, seed: number, correlated = false,
): Float64Array {
  const g = gaussian(mulberry32(seed));
  const sd = Math.sqrt(2 * dA2ps * dtPs);
  const u = new Float64Array(nFrames * nWalkers * 3);
  for (let k = 0; k < nWalkers * 3; k++) u[k] = 10 * g(); // arbitrary starting points
  const step = new Float64Array(3);
  for (let t = 1; t < nFrames; t++) {
    const o = t * nWalkers * 3, p = (t - 1) * nWalkers * 3;
    if (correlated) for (let d = 0; d < 3; d++) step[d] = sd * g();
    for (let k = 0; k < nWalkers; k++) for (let d = 0; d < 3; d++) {
      u[o + k * 3 + d] = u[p + k * 3 + d] + (correlated ? step[d] : sd * g());
    }
  }
  return u;
}
