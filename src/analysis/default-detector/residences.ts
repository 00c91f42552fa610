/** Step 2: residences — segments long enough to be a place, trimmed of edge frames in transit. */
import { CHI2_3_99 } from './chi2.js';
import { MIN_RESIDENCE, minResidenceLen } from './inflation.js';
import { segment, type Work } from './segmentation.js';
import type { NoiseField } from './types.js';

export interface Residence { start: number; end: number; mx: number; my: number; mz: number }

/** Trim edge frames beyond r from the mean (step 3); returns the residence or null. */
function trimResidence(x: Float64Array, s: number, e: number, r2: number, minLen: number): Residence | null {
  let a = s, b = e; // inclusive
  for (;;) {
    if (b - a + 1 < minLen) return null;
    let mx = 0, my = 0, mz = 0;
    for (let t = a; t <= b; t++) { mx += x[3 * t]; my += x[3 * t + 1]; mz += x[3 * t + 2]; }
    const n = b - a + 1;
    mx /= n; my /= n; mz /= n;
    const a0 = a, b0 = b;
    while (a <= b && farFrom(x, a, mx, my, mz, r2)) a++;
    while (b >= a && farFrom(x, b, mx, my, mz, r2)) b--;
    if (a === a0 && b === b0) return { start: a, end: b, mx, my, mz };
  }
}

/** Frame t farther than √r2 from (mx, my, mz)? (Module scope: a per-call closure is re-optimized per call.) */
function farFrom(x: Float64Array, t: number, mx: number, my: number, mz: number, r2: number): boolean {
  const dx = x[3 * t] - mx, dy = x[3 * t + 1] - my, dz = x[3 * t + 2] - mz;
  return dx * dx + dy * dy + dz * dz > r2;
}

export function findResidences(x: Float64Array, T: number, field: NoiseField, pen: number, kappa2: number, work: Work, minEff: number): Residence[] {
  const { starts, lens } = segment(x, T, field, pen, kappa2, work);
  const out: Residence[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (lens[i] < MIN_RESIDENCE) continue;
    // the model in the segment's middle decides how long a residence must be and what to trim
    const mid = starts[i] + (lens[i] >> 1);
    const minLen = minResidenceLen(field.rho1[mid], field.r[mid], minEff, T);
    if (lens[i] < minLen) continue;
    const r = trimResidence(x, starts[i], starts[i] + lens[i] - 1, CHI2_3_99 * field.s2[mid], minLen);
    if (r) out.push(r);
  }
  return out;
}
