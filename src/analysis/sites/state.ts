/**
 * The working state of the periodic mixture fit (components' centres, covariances, their
 * inverses and normalisations, weights, neighbour lists) and the 3×3 algebra it needs.
 */
import { distance2 } from './periodic.js';

export interface GmmInput {
  /** Wrapped fractional points, n × 3, grouped by track (one ion's subsampled frames in order). */
  points: Float64Array;
  /** Points per track (each track is consecutive in `points`), so a point starts from its predecessor's component. */
  trackLength: number;
  lattice: ArrayLike<number>;
  volumeA3: number;
  /** Initial number of components (over-seeded). */
  k0: number;
  seed: number;
}

/** Parameters of one full-covariance 3-D Gaussian: mean, 6 covariance entries, weight. */
export const PARAMS_PER_COMPONENT = 10;
/** Components a point is scored against: its best one and that one's nearest neighbours. */
export const NEIGHBOURS = 8;
export const LOG_2PI = Math.log(2 * Math.PI);

/** Inverse of a symmetric 3×3 (6 entries) into out at o; returns log det. */
export function invertSym(c: Float64Array, o: number, out: Float64Array): number {
  const a = c[o], b = c[o + 1], d = c[o + 2], e = c[o + 3], f = c[o + 4], g = c[o + 5];
  // matrix [[a, e, f], [e, b, g], [f, g, d]]
  const A = b * d - g * g, B = f * g - e * d, C = e * g - b * f;
  const det = a * A + e * B + f * C;
  out[o] = A / det;
  out[o + 1] = (a * d - f * f) / det;
  out[o + 2] = (a * b - e * e) / det;
  out[o + 3] = B / det;
  out[o + 4] = C / det;
  out[o + 5] = (e * f - a * g) / det;
  return Math.log(det);
}

/** −½ dᵀ Σ⁻¹ d for d in v and inverse covariance entries at o. */
export function quad(inv: Float64Array, o: number, x: number, y: number, z: number): number {
  return -0.5 * (inv[o] * x * x + inv[o + 1] * y * y + inv[o + 2] * z * z
    + 2 * (inv[o + 3] * x * y + inv[o + 4] * x * z + inv[o + 5] * y * z));
}

/** Working state of the mixture during the fit. */
export class State {
  k: number;
  means: Float64Array;
  covs: Float64Array;
  inv: Float64Array;
  logNorm: Float64Array;
  weights: Float64Array;
  background: number;
  nbr: Int32Array;
  constructor(k: number) {
    this.k = k;
    this.means = new Float64Array(k * 3);
    this.covs = new Float64Array(k * 6);
    this.inv = new Float64Array(k * 6);
    this.logNorm = new Float64Array(k);
    this.weights = new Float64Array(k);
    this.background = 0.05;
    this.nbr = new Int32Array(k * NEIGHBOURS);
  }
}

/** Per component, its NEIGHBOURS nearest components (itself first): one pass, a sorted top list. */
export function neighbourLists(s: State, L: ArrayLike<number>): void {
  const m = Math.min(NEIGHBOURS, s.k);
  s.nbr = new Int32Array(s.k * NEIGHBOURS).fill(-1);
  const topD = new Float64Array(m), topJ = new Int32Array(m);
  for (let i = 0; i < s.k; i++) {
    topD.fill(Infinity); topJ.fill(-1);
    topD[0] = -1; topJ[0] = i;
    const xi = s.means[i * 3], yi = s.means[i * 3 + 1], zi = s.means[i * 3 + 2];
    for (let j = 0; j < s.k; j++) {
      if (j === i) continue;
      const d = distance2(L, xi, yi, zi, s.means[j * 3], s.means[j * 3 + 1], s.means[j * 3 + 2]);
      if (d >= topD[m - 1]) continue;
      let q = m - 1;
      while (q > 1 && topD[q - 1] > d) { topD[q] = topD[q - 1]; topJ[q] = topJ[q - 1]; q--; }
      topD[q] = d; topJ[q] = j;
    }
    for (let a = 0; a < m; a++) s.nbr[i * NEIGHBOURS + a] = topJ[a];
  }
}

export function refreshNorms(s: State): void {
  for (let j = 0; j < s.k; j++) {
    const ld = invertSym(s.covs, j * 6, s.inv);
    s.logNorm[j] = Math.log(s.weights[j]) - 0.5 * ld - 1.5 * LOG_2PI;
  }
}


export function invertLattice(L: ArrayLike<number>): Float64Array {
  const a = L[0], b = L[1], c = L[2], d = L[3], e = L[4], f = L[5], g = L[6], h = L[7], i = L[8];
  const det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
  return new Float64Array([
    (e * i - f * h) / det, (c * h - b * i) / det, (b * f - c * e) / det,
    (f * g - d * i) / det, (a * i - c * g) / det, (c * d - a * f) / det,
    (d * h - e * g) / det, (b * g - a * h) / det, (a * e - b * d) / det,
  ]);
}

/** A state holding only the components flagged in `keep`. */
export function subset(s: State, keep: Uint8Array): State {
  let k = 0;
  for (let j = 0; j < s.k; j++) k += keep[j];
  const t = new State(k);
  let o = 0;
  for (let j = 0; j < s.k; j++) {
    if (!keep[j]) continue;
    t.means.set(s.means.subarray(j * 3, j * 3 + 3), o * 3);
    t.covs.set(s.covs.subarray(j * 6, j * 6 + 6), o * 6);
    t.weights[o] = s.weights[j];
    o++;
  }
  t.background = s.background;
  return t;
}

