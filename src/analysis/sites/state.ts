/**
 * The working state of the periodic mixture fit (components' centres, covariances, their
 * inverses and normalisations, weights, neighbour lists) and the 3×3 algebra it needs.
 */

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

/**
 * Per component, its NEIGHBOURS nearest components (itself first), the others by (squared
 * distance, index): through a bin grid over fractional coordinates when there are many
 * components (the bins around a centre, widened until the list is provably complete), else one
 * pass over all. Both give the same lists.
 */
export function neighbourLists(s: State, L: ArrayLike<number>): void {
  const k = s.k, means = s.means;
  s.nbr = new Int32Array(k * NEIGHBOURS).fill(-1);
  let finite = true;
  for (let q = 0; q < k * 3; q++) if (!(means[q] >= 0 && means[q] < 1)) { finite = false; break; }
  if (k > 64 && finite) neighbourListsGrid(s, L);
  else neighbourListsAll(s, L);
}

/** One pass over all components per component, a sorted top list. */
function neighbourListsAll(s: State, L: ArrayLike<number>): void {
  const m = Math.min(NEIGHBOURS, s.k);
  const topD = new Float64Array(m), topJ = new Int32Array(m);
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  const means = s.means, k = s.k;
  for (let i = 0; i < k; i++) {
    topD.fill(Infinity); topJ.fill(-1);
    topD[0] = -1; topJ[0] = i;
    const xi = means[i * 3], yi = means[i * 3 + 1], zi = means[i * 3 + 2];
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      // distance2(), inlined with the lattice in locals.
      let dx = xi - means[j * 3], dy = yi - means[j * 3 + 1], dz = zi - means[j * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L0 + dy * L3 + dz * L6;
      const y = dx * L1 + dy * L4 + dz * L7;
      const z = dx * L2 + dy * L5 + dz * L8;
      const d = x * x + y * y + z * z;
      if (d >= topD[m - 1]) continue;
      let q = m - 1;
      while (q > 1 && topD[q - 1] > d) { topD[q] = topD[q - 1]; topJ[q] = topJ[q - 1]; q--; }
      topD[q] = d; topJ[q] = j;
    }
    for (let a = 0; a < m; a++) s.nbr[i * NEIGHBOURS + a] = topJ[a];
  }
}

/**
 * The same lists through a bin grid (fractional centres in [0, 1)): a centre outside the
 * (2r+1)³ bins around a component's bin differs from it by at least r bins along some axis, so
 * is at least r thinnest-bin heights away; the search widens r until the list's last entry is
 * closer than that (with a relative margin for rounding) or the bins cover the cell.
 */
function neighbourListsGrid(s: State, L: ArrayLike<number>): void {
  const k = s.k, means = s.means, m = Math.min(NEIGHBOURS, k);
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  const cx = L4 * L8 - L5 * L7, cy = L5 * L6 - L3 * L8, cz = L3 * L7 - L4 * L6;
  const vol = Math.abs(L0 * cx + L1 * cy + L2 * cz);
  const h = [
    vol / Math.hypot(cx, cy, cz),
    vol / Math.hypot(L7 * L2 - L8 * L1, L8 * L0 - L6 * L2, L6 * L1 - L7 * L0),
    vol / Math.hypot(L1 * L5 - L2 * L4, L2 * L3 - L0 * L5, L0 * L4 - L1 * L3),
  ];
  // About four centres per bin.
  const side = Math.cbrt(vol / Math.max(1, k / 4));
  const nx = Math.max(1, Math.floor(h[0] / side)), ny = Math.max(1, Math.floor(h[1] / side)), nz = Math.max(1, Math.floor(h[2] / side));
  const thin = Math.min(h[0] / nx, h[1] / ny, h[2] / nz);
  const coord = (f: number, n: number) => { const c = Math.floor(f * n); return c >= n ? n - 1 : c; };
  const nBins = nx * ny * nz;
  const start = new Int32Array(nBins + 1), items = new Int32Array(k), binOf = new Int32Array(k * 3);
  for (let j = 0; j < k; j++) {
    const bx = coord(means[j * 3], nx), by = coord(means[j * 3 + 1], ny), bz = coord(means[j * 3 + 2], nz);
    binOf[j * 3] = bx; binOf[j * 3 + 1] = by; binOf[j * 3 + 2] = bz;
    start[(bx * ny + by) * nz + bz + 1]++;
  }
  for (let b = 0; b < nBins; b++) start[b + 1] += start[b];
  const fill = start.slice(0, nBins);
  for (let j = 0; j < k; j++) items[fill[(binOf[j * 3] * ny + binOf[j * 3 + 1]) * nz + binOf[j * 3 + 2]]++] = j;
  const topD = new Float64Array(m), topJ = new Int32Array(m);
  const offs = (c: number, n: number, r: number): number[] => {
    if (2 * r + 1 >= n) return Array.from({ length: n }, (_, q) => q);
    const out: number[] = [];
    for (let a = -r; a <= r; a++) out.push((((c + a) % n) + n) % n);
    return out;
  };
  for (let i = 0; i < k; i++) {
    const xi = means[i * 3], yi = means[i * 3 + 1], zi = means[i * 3 + 2];
    for (let r = 1; ; r++) {
      topD.fill(Infinity); topJ.fill(-1);
      topD[0] = -1; topJ[0] = i;
      const ox = offs(binOf[i * 3], nx, r), oy = offs(binOf[i * 3 + 1], ny, r), oz = offs(binOf[i * 3 + 2], nz, r);
      for (const bx of ox) for (const by of oy) {
        const bxy = (bx * ny + by) * nz;
        for (const bz of oz) {
          const bin = bxy + bz, q1 = start[bin + 1];
          for (let q = start[bin]; q < q1; q++) {
            const j = items[q];
            if (j === i) continue;
            let dx = xi - means[j * 3], dy = yi - means[j * 3 + 1], dz = zi - means[j * 3 + 2];
            dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
            const x = dx * L0 + dy * L3 + dz * L6;
            const y = dx * L1 + dy * L4 + dz * L7;
            const z = dx * L2 + dy * L5 + dz * L8;
            const d = x * x + y * y + z * z;
            // Ordered by (distance, index), as the one pass in index order keeps them.
            if (d > topD[m - 1] || (d === topD[m - 1] && j > topJ[m - 1])) continue;
            let p = m - 1;
            while (p > 1 && (topD[p - 1] > d || (topD[p - 1] === d && topJ[p - 1] > j))) { topD[p] = topD[p - 1]; topJ[p] = topJ[p - 1]; p--; }
            topD[p] = d; topJ[p] = j;
          }
        }
      }
      const whole = 2 * r + 1 >= nx && 2 * r + 1 >= ny && 2 * r + 1 >= nz;
      const reach = r * thin;
      if (whole || topD[m - 1] < reach * reach * (1 - 1e-9)) break;
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

