/**
 * Per site g, a radius within which the segmentation's per-frame questions are answered by g
 * alone: a frame whose (rounded-image) distance r from g is below it has g as the nearest of g's
 * neighbour list (the descent stays at g) and as the most likely of those candidates whenever
 * g beats the background. So most frames need one displacement and one quadratic form instead
 * of the descent's distances and every candidate's likelihood, with the same decisions.
 *
 * Why it holds: the minimum-image distance is a metric, so a neighbour j at centre distance D
 * (minimum image, a lower bound found by enumerating every image that could be nearer) is at
 * least D − r from the frame along any image; r < D/2 makes it farther than g. Its log-density
 * is then at most ln N_j − ½ λmin(Σ_j⁻¹)(D − r)², while g's is at least ln N_g − ½ λmax(Σ_g⁻¹) r².
 * The radius is where the second exceeds every first by a margin far above rounding (1e-6 in
 * log density against ~1e-14), with the eigenvalue bounds widened by 1e-6 of the matrix norm.
 */

/** A frame is decided by g alone when g's lower bound exceeds every neighbour's upper bound by this (log density). */
const MARGIN = 1e-6;
/** The descent's condition r < D/2, kept clear of rounding. */
const HALF = 0.49;

/** Eigenvalues of a symmetric 3×3 (entries xx, yy, zz, xy, xz, yz at o), ascending; NaN when not finite. */
export function symEigen3(a: ArrayLike<number>, o: number): [number, number, number] {
  const a00 = a[o], a11 = a[o + 1], a22 = a[o + 2], a01 = a[o + 3], a02 = a[o + 4], a12 = a[o + 5];
  const p1 = a01 * a01 + a02 * a02 + a12 * a12;
  const q = (a00 + a11 + a22) / 3;
  if (p1 === 0) {
    const d = [a00, a11, a22].sort((x, y) => x - y);
    return [d[0], d[1], d[2]];
  }
  const p2 = (a00 - q) ** 2 + (a11 - q) ** 2 + (a22 - q) ** 2 + 2 * p1;
  const p = Math.sqrt(p2 / 6);
  const b00 = (a00 - q) / p, b11 = (a11 - q) / p, b22 = (a22 - q) / p, b01 = a01 / p, b02 = a02 / p, b12 = a12 / p;
  const detB = b00 * (b11 * b22 - b12 * b12) - b01 * (b01 * b22 - b12 * b02) + b02 * (b01 * b12 - b11 * b02);
  const r = Math.max(-1, Math.min(1, detB / 2));
  const phi = Math.acos(r) / 3;
  const e1 = q + 2 * p * Math.cos(phi);
  const e3 = q + 2 * p * Math.cos(phi + (2 * Math.PI) / 3);
  const e2 = 3 * q - e1 - e3;
  return [e3, e2, e1];
}

/**
 * Minimum-image distance (Å) between fractional points a and b: every image whose fractional
 * offset could give a vector no longer than the rounded image's is tried (|f_i| ≤ d / h_i, h_i
 * the cell's heights), so the result is the true minimum, not an upper bound.
 */
export function minImageDistance(L: ArrayLike<number>, heights: readonly number[], ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  const f = [ax - bx, ay - by, az - bz].map((x) => x - Math.round(x));
  const len = (u: number, v: number, w: number): number => {
    const x = u * L[0] + v * L[3] + w * L[6], y = u * L[1] + v * L[4] + w * L[7], z = u * L[2] + v * L[5] + w * L[8];
    return Math.sqrt(x * x + y * y + z * z);
  };
  const d0 = len(f[0], f[1], f[2]);
  // Slightly widened ranges: a rounding error must not leave out the minimum image.
  const reach = d0 * (1 + 1e-9) + 1e-12;
  const lo = f.map((x, i) => Math.ceil(-reach / heights[i] - x)), hi = f.map((x, i) => Math.floor(reach / heights[i] - x));
  let best = d0;
  for (let i = lo[0]; i <= hi[0]; i++) for (let j = lo[1]; j <= hi[1]; j++) for (let m = lo[2]; m <= hi[2]; m++) {
    const d = len(f[0] + i, f[1] + j, f[2] + m);
    if (d < best) best = d;
  }
  return best;
}

/** The cell's heights (Å): the distances between opposite faces, volume / |b × c| etc. */
export function cellHeights(L: ArrayLike<number>): number[] {
  const a = [L[0], L[1], L[2]], b = [L[3], L[4], L[5]], c = [L[6], L[7], L[8]];
  const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
  const bc = cross(b, c);
  const vol = Math.abs(a[0] * bc[0] + a[1] * bc[1] + a[2] * bc[2]);
  return [vol / Math.hypot(...bc), vol / Math.hypot(...cross(c, a)), vol / Math.hypot(...cross(a, b))];
}

/**
 * Squared sure radius (Å²) of every site, or −1 where there is none. `nbr`: per site its
 * `width` candidates (itself first, −1 padded), as the segmentation uses them; `inv`, `logNorm`:
 * the inverse covariances and log normalisations the segmentation uses.
 */
export function sureRadii2(k: number, frac: Float64Array, L: ArrayLike<number>, nbr: Int32Array, width: number, inv: Float64Array, logNorm: Float64Array): Float64Array {
  const out = new Float64Array(k).fill(-1);
  const heights = cellHeights(L);
  // Per site: an upper bound of λmax(Σ⁻¹) and a lower bound of λmin(Σ⁻¹) (NaN when not positive definite).
  const lamMax = new Float64Array(k), lamMin = new Float64Array(k);
  for (let j = 0; j < k; j++) {
    const e = symEigen3(inv, j * 6);
    let norm = 0;
    for (let q = 0; q < 6; q++) norm += (q < 3 ? 1 : 2) * inv[j * 6 + q] ** 2;
    // The trigonometric solution is accurate to ~1e-8 of the norm near a double eigenvalue.
    const slack = 1e-6 * Math.sqrt(norm);
    lamMax[j] = e[2] + slack;
    lamMin[j] = e[0] - slack;
  }
  const D = new Float64Array(width), lj = new Float64Array(width), nj = new Float64Array(width);
  for (let g = 0; g < k; g++) {
    if (!(lamMax[g] < Infinity) || !Number.isFinite(logNorm[g])) continue;
    let m = 0, dMin = Infinity, ok = true;
    for (let a = 1; a < width; a++) {
      const j = nbr[g * width + a];
      if (j < 0) break;
      const d = minImageDistance(L, heights, frac[g * 3], frac[g * 3 + 1], frac[g * 3 + 2], frac[j * 3], frac[j * 3 + 1], frac[j * 3 + 2]);
      if (!(lamMin[j] > 0) || !Number.isFinite(logNorm[j]) || !(d > 0)) { ok = false; break; }
      D[m] = d; lj[m] = lamMin[j]; nj[m] = logNorm[j]; m++;
      if (d < dMin) dMin = d;
    }
    if (!ok) continue;
    // h(r) = (g's lower bound) − (the largest neighbour upper bound): decreasing in r below D/2.
    const h = (r: number): number => {
      let worst = -Infinity;
      for (let q = 0; q < m; q++) { const s = D[q] - r; const b = nj[q] - 0.5 * lj[q] * s * s; if (b > worst) worst = b; }
      return logNorm[g] - 0.5 * lamMax[g] * r * r - worst;
    };
    // A lone site (no neighbour in its list) is the descent's answer and the only candidate anywhere.
    if (m === 0) { out[g] = Infinity; continue; }
    const top = HALF * dMin;
    if (!(h(0) > MARGIN)) continue;
    if (h(top) > MARGIN) { out[g] = top * top; continue; }
    let lo = 0, hi = top;
    for (let it = 0; it < 60; it++) { const mid = 0.5 * (lo + hi); if (h(mid) > MARGIN) lo = mid; else hi = mid; }
    out[g] = lo * lo;
  }
  return out;
}
