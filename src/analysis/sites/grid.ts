/**
 * Nearest-centre queries in a periodic cell through a bin grid over fractional coordinates: the
 * 27 bins around the query are searched, and the answer is exact whenever the nearest centre
 * found is closer than the thinnest bin; otherwise every centre is scanned. A k-nearest-neighbour
 * graph descent is not used: spurious or empty components crowd the neighbour lists, and descent
 * then stops at a centre that is not the nearest.
 */
import { distance2 } from './periodic.js';

export class CentreGrid {
  private readonly nb: [number, number, number];
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  /** Squared Cartesian thickness of the thinnest bin (Å²). */
  private readonly safe2: number;

  constructor(private readonly L: ArrayLike<number>, private readonly means: Float64Array, private readonly k: number) {
    // Heights of the cell along each fractional axis: volume / |b × c| etc.
    const a = [L[0], L[1], L[2]], b = [L[3], L[4], L[5]], c = [L[6], L[7], L[8]];
    const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const vol = Math.abs(a[0] * cross(b, c)[0] + a[1] * cross(b, c)[1] + a[2] * cross(b, c)[2]);
    const h = [vol / Math.hypot(...cross(b, c)), vol / Math.hypot(...cross(c, a)), vol / Math.hypot(...cross(a, b))];
    // About two centres per bin, bins as cubic as the cell allows, at least 3 per axis for the 27-bin search.
    const side = Math.cbrt(vol / Math.max(1, k / 2));
    this.nb = [0, 1, 2].map((i) => Math.max(3, Math.floor(h[i] / side))) as [number, number, number];
    this.safe2 = Math.min(h[0] / this.nb[0], h[1] / this.nb[1], h[2] / this.nb[2]) ** 2;
    const nBins = this.nb[0] * this.nb[1] * this.nb[2];
    const count = new Int32Array(nBins + 1);
    const binOf = new Int32Array(k);
    for (let j = 0; j < k; j++) { binOf[j] = this.bin(means[j * 3], means[j * 3 + 1], means[j * 3 + 2]); count[binOf[j] + 1]++; }
    for (let i = 0; i < nBins; i++) count[i + 1] += count[i];
    this.start = count.slice();
    this.items = new Int32Array(k);
    const fill = count.slice();
    for (let j = 0; j < k; j++) this.items[fill[binOf[j]]++] = j;
  }

  private coord(f: number, n: number): number {
    const i = Math.floor((f - Math.floor(f)) * n);
    return i >= n ? n - 1 : i;
  }

  private bin(fx: number, fy: number, fz: number): number {
    return (this.coord(fx, this.nb[0]) * this.nb[1] + this.coord(fy, this.nb[1])) * this.nb[2] + this.coord(fz, this.nb[2]);
  }

  /** Index of the centre nearest to fractional (x, y, z), rounded image; -1 when there is none. */
  nearest(x: number, y: number, z: number): number {
    const [nx, ny, nz] = this.nb, m = this.means, L = this.L;
    const ix = this.coord(x, nx), iy = this.coord(y, ny), iz = this.coord(z, nz);
    let best = -1, bd = Infinity;
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let c = -1; c <= 1; c++) {
      const bin = ((((ix + a) % nx + nx) % nx) * ny + (((iy + b) % ny + ny) % ny)) * nz + (((iz + c) % nz + nz) % nz);
      for (let q = this.start[bin]; q < this.start[bin + 1]; q++) {
        const j = this.items[q];
        const d = distance2(L, x, y, z, m[j * 3], m[j * 3 + 1], m[j * 3 + 2]);
        if (d < bd || (d === bd && j < best)) { bd = d; best = j; }
      }
    }
    if (bd <= this.safe2) return best;
    for (let j = 0; j < this.k; j++) {
      const d = distance2(L, x, y, z, m[j * 3], m[j * 3 + 1], m[j * 3 + 2]);
      if (d < bd || (d === bd && j < best)) { bd = d; best = j; }
    }
    return best;
  }
}
