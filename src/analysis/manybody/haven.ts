/**
 * The Haven ratio the concerted groups imply, H = Σ_g Σ_{i∈g} |Δr_i|² / Σ_g |Σ_{i∈g} Δr_i|²: hops
 * in one group add their displacements before squaring (they carry charge together), hops in no
 * group are groups of one, and cross terms between groups are taken as zero (what "independent"
 * means). Parallel strings give H < 1. Error: delta method over groups as independent units.
 * Compare with the MSD-based ratio (diffusion.haven_ratio), which also sees correlations the
 * groups miss (and the noise of a collective MSD).
 */
import type { ManyBodyHop } from './pair-relations.js';

export function havenFromGroups(hops: readonly ManyBodyHop[], groupOf: ArrayLike<number>): { value: number; err: number } {
  const sums = new Map<number, [number, number, number, number]>();
  let solo = 0;
  const a: number[] = [], b: number[] = [];
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    const dx = h.to[0] - h.from[0], dy = h.to[1] - h.from[1], dz = h.to[2] - h.from[2];
    const d2 = dx * dx + dy * dy + dz * dz;
    const g = groupOf[i];
    if (g < 0) { a.push(d2); b.push(d2); solo++; continue; }
    const s = sums.get(g) ?? [0, 0, 0, 0];
    s[0] += dx; s[1] += dy; s[2] += dz; s[3] += d2;
    sums.set(g, s);
  }
  for (const s of sums.values()) { a.push(s[3]); b.push(s[0] ** 2 + s[1] ** 2 + s[2] ** 2); }
  const n = a.length;
  let sa = 0, sb = 0;
  for (let k = 0; k < n; k++) { sa += a[k]; sb += b[k]; }
  if (n < 2 || !(sb > 0)) return { value: NaN, err: NaN };
  const H = sa / sb;
  let v = 0;
  for (let k = 0; k < n; k++) v += (a[k] - H * b[k]) ** 2;
  return { value: H, err: Math.sqrt((n / (n - 1)) * v) / sb };
}
