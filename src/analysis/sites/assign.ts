/**
 * Which site a frame belongs to: the most likely of the candidates around the nearest site (found
 * by descent from the column's previous nearest site), or none when the transit background is
 * more likely. Within a site's sure radius (sure-radius.ts) that site alone decides, with the
 * same answer as the descent and the candidates would give. A small class of its own so the
 * segmentation's frame loop stays small enough for V8 to optimise quickly and stably.
 */
import { invertSym } from './gmm.js';
import type { SiteMap } from './site-map.js';
import { sureRadii2 } from './sure-radius.js';

/** Candidates per frame: the nearest site and its nearest sites. */
export const NEIGHBOURS = 8;
const LOG_2PI = Math.log(2 * Math.PI);

/** Nearest sites of each site (itself first), for the frame-to-frame descent. */
export function siteNeighbours(map: SiteMap): Int32Array {
  const k = map.k, L = map.lattice;
  const nbr = new Int32Array(k * NEIGHBOURS).fill(-1);
  const d = new Float64Array(k);
  const topD = new Float64Array(NEIGHBOURS), topJ = new Int32Array(NEIGHBOURS);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dx = map.frac[j * 3] - map.frac[i * 3], dy = map.frac[j * 3 + 1] - map.frac[i * 3 + 1], dz = map.frac[j * 3 + 2] - map.frac[i * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
      d[j] = i === j ? -1 : x * x + y * y + z * z;
    }
    // The first NEIGHBOURS of the order by (distance, index): a sorted top list, as a full sort would give.
    const m = Math.min(NEIGHBOURS, k);
    topD.fill(Infinity); topJ.fill(-1);
    for (let j = 0; j < k; j++) {
      const dj = d[j];
      if (!(dj < topD[m - 1])) continue;
      let q = m - 1;
      while (q > 0 && topD[q - 1] > dj) { topD[q] = topD[q - 1]; topJ[q] = topJ[q - 1]; q--; }
      topD[q] = dj; topJ[q] = j;
    }
    for (let a = 0; a < m; a++) nbr[i * NEIGHBOURS + a] = topJ[a];
  }
  return nbr;
}

export class FrameAssigner {
  readonly k: number;
  /** Inverse covariances (k × 6) and log normalisations ln(w_j) − ½ ln det Σ_j − 1.5 ln 2π. */
  readonly inv: Float64Array;
  readonly logNorm: Float64Array;
  /** Per site: itself and its nearest sites, −1 padded (k × NEIGHBOURS). */
  readonly nbr: Int32Array;
  /** Log density of the transit background. */
  readonly logBg: number;
  private readonly frac: Float64Array;
  private readonly L: Float64Array;
  private readonly sure: Float64Array;
  /**
   * The last `assign`'s answer besides the site: squared Mahalanobis distance to it, and the
   * image (rounded fractional offset) of the frame relative to its centre.
   */
  readonly out = new Float64Array(4);

  /** `exhaustive`: no sure radius, every frame through the descent and all candidates (the reference the radius is tested against). */
  constructor(map: SiteMap, exhaustive = false) {
    const k = map.k, L = map.lattice;
    this.k = k;
    this.frac = map.frac;
    this.L = Float64Array.from(L);
    this.inv = new Float64Array(k * 6);
    this.logNorm = new Float64Array(k);
    for (let j = 0; j < k; j++) this.logNorm[j] = Math.log(map.weights[j]) - 0.5 * invertSym(map.covs, j * 6, this.inv) - 1.5 * LOG_2PI;
    this.nbr = siteNeighbours(map);
    this.sure = exhaustive ? new Float64Array(k).fill(-1) : sureRadii2(k, map.frac, L, this.nbr, NEIGHBOURS, this.inv, this.logNorm);
    const volume = Math.abs(L[0] * (L[4] * L[8] - L[5] * L[7]) - L[1] * (L[3] * L[8] - L[5] * L[6]) + L[2] * (L[3] * L[7] - L[4] * L[6]));
    this.logBg = Math.log(map.background) - Math.log(volume);
  }

  /**
   * The most likely site of fractional (ux, uy, uz), or −1 (the background); `guess[c]` is the
   * column's previous nearest site (−1 at first) and is updated. Fills `out`.
   */
  assign(ux: number, uy: number, uz: number, guess: Int32Array, c: number): number {
    const g = guess[c];
    if (g >= 0) {
      const frac = this.frac, L = this.L;
      const dx = ux - frac[g * 3], dy = uy - frac[g * 3 + 1], dz = uz - frac[g * 3 + 2];
      const rx = Math.round(dx), ry = Math.round(dy), rz = Math.round(dz);
      const fx = dx - rx, fy = dy - ry, fz = dz - rz;
      const vx = fx * L[0] + fy * L[3] + fz * L[6], vy = fx * L[1] + fy * L[4] + fz * L[7], vz = fx * L[2] + fy * L[5] + fz * L[8];
      // Within the sure radius the descent stays at g and no other candidate can be more likely.
      if (vx * vx + vy * vy + vz * vz <= this.sure[g]) {
        const inv = this.inv, o = g * 6;
        const q = -0.5 * (inv[o] * vx * vx + inv[o + 1] * vy * vy + inv[o + 2] * vz * vz
          + 2 * (inv[o + 3] * vx * vy + inv[o + 4] * vx * vz + inv[o + 5] * vy * vz));
        if (!(this.logNorm[g] + q > this.logBg)) return -1;
        const out = this.out;
        out[0] = -2 * q; out[1] = rx; out[2] = ry; out[3] = rz;
        return g;
      }
    }
    // Nearest site in Euclidean distance: brute force once, then descent from the previous frame's.
    const near = g < 0 ? this.nearestAll(ux, uy, uz) : this.descend(ux, uy, uz, g);
    guess[c] = near;
    return this.candidates(ux, uy, uz, near);
  }

  /** Most likely site among `near`'s candidates (or −1), with its Mahalanobis distance and image in `out`. */
  private candidates(ux: number, uy: number, uz: number, near: number): number {
    const frac = this.frac, L = this.L, inv = this.inv, logNorm = this.logNorm, nbr = this.nbr;
    let top = -1, topL = this.logBg, topD2 = Infinity, topDx = 0, topDy = 0, topDz = 0;
    for (let a = 0; a < NEIGHBOURS; a++) {
      const j = nbr[near * NEIGHBOURS + a];
      if (j < 0) break;
      const dx = ux - frac[j * 3], dy = uy - frac[j * 3 + 1], dz = uz - frac[j * 3 + 2];
      const rx = Math.round(dx), ry = Math.round(dy), rz = Math.round(dz);
      const fx = dx - rx, fy = dy - ry, fz = dz - rz;
      const vx = fx * L[0] + fy * L[3] + fz * L[6], vy = fx * L[1] + fy * L[4] + fz * L[7], vz = fx * L[2] + fy * L[5] + fz * L[8];
      const o = j * 6;
      const q = -0.5 * (inv[o] * vx * vx + inv[o + 1] * vy * vy + inv[o + 2] * vz * vz
        + 2 * (inv[o + 3] * vx * vy + inv[o + 4] * vx * vz + inv[o + 5] * vy * vz));
      const l = logNorm[j] + q;
      if (l > topL) { topL = l; top = j; topD2 = -2 * q; topDx = rx; topDy = ry; topDz = rz; }
    }
    const out = this.out;
    out[0] = topD2; out[1] = topDx; out[2] = topDy; out[3] = topDz;
    return top;
  }

  /** Squared distance (Å², rounded image) from fractional (ux, uy, uz) to site j. */
  private distance2(j: number, ux: number, uy: number, uz: number): number {
    const frac = this.frac, L = this.L;
    let dx = ux - frac[j * 3], dy = uy - frac[j * 3 + 1], dz = uz - frac[j * 3 + 2];
    dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
    const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
    return x * x + y * y + z * z;
  }

  /** Nearest site by scanning all (ties to the lower index). */
  private nearestAll(ux: number, uy: number, uz: number): number {
    let best = 0, bd = Infinity;
    for (let j = 0; j < this.k; j++) { const d = this.distance2(j, ux, uy, uz); if (d < bd) { bd = d; best = j; } }
    return best;
  }

  /** Descent over the neighbour lists from `start` to a site none of whose neighbours is nearer. */
  private descend(ux: number, uy: number, uz: number, start: number): number {
    const nbr = this.nbr;
    let cur = start, dc = this.distance2(start, ux, uy, uz);
    for (;;) {
      let next = cur;
      for (let a = 1; a < NEIGHBOURS; a++) {
        const j = nbr[cur * NEIGHBOURS + a];
        if (j < 0) break;
        const d = this.distance2(j, ux, uy, uz);
        if (d < dc) { dc = d; next = j; }
      }
      if (next === cur) return cur;
      cur = next;
    }
  }
}
