import { cellHeights } from './sure-radius.js';

/**
 * Nearest-centre queries in a periodic cell through a bin grid over fractional coordinates: the
 * bins around the query are searched, 3³ then 5³, and the answer is exact whenever the nearest
 * centre found is closer than one (two) of the thinnest bins' heights — a centre outside the
 * block differs from the query by that many bins along some axis; otherwise every centre is
 * scanned. Ties go to the lower index, so the answer is the one of a scan over all centres. A
 * k-nearest-neighbour graph descent is not used: spurious or empty components crowd the
 * neighbour lists, and descent then stops at a centre that is not the nearest.
 */
export class CentreGrid {
  private readonly nb: [number, number, number];
  private readonly start: Int32Array;
  private readonly items: Int32Array;
  /** Centres' fractional coordinates in `items` order (bin by bin). */
  private readonly packed: Float64Array;
  /** Cartesian thickness of the thinnest bin (Å). */
  private readonly thin: number;

  constructor(private readonly L: ArrayLike<number>, private readonly means: Float64Array, private readonly k: number) {
    // Heights of the cell along each fractional axis: volume / |b × c| etc.
    const a = [L[0], L[1], L[2]], b = [L[3], L[4], L[5]], c = [L[6], L[7], L[8]];
    const cross = (u: number[], v: number[]) => [u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2], u[0] * v[1] - u[1] * v[0]];
    const vol = Math.abs(a[0] * cross(b, c)[0] + a[1] * cross(b, c)[1] + a[2] * cross(b, c)[2]);
    const h = [vol / Math.hypot(...cross(b, c)), vol / Math.hypot(...cross(c, a)), vol / Math.hypot(...cross(a, b))];
    // About one centre per bin, bins as cubic as the cell allows.
    const side = Math.cbrt(vol / Math.max(1, k));
    this.nb = [0, 1, 2].map((i) => Math.max(1, Math.floor(h[i] / side))) as [number, number, number];
    this.thin = Math.min(h[0] / this.nb[0], h[1] / this.nb[1], h[2] / this.nb[2]);
    const nBins = this.nb[0] * this.nb[1] * this.nb[2];
    const count = new Int32Array(nBins + 1);
    const binOf = new Int32Array(k);
    for (let j = 0; j < k; j++) { binOf[j] = this.bin(means[j * 3], means[j * 3 + 1], means[j * 3 + 2]); count[binOf[j] + 1]++; }
    for (let i = 0; i < nBins; i++) count[i + 1] += count[i];
    this.start = count.slice();
    this.items = new Int32Array(k);
    const fill = count.slice();
    for (let j = 0; j < k; j++) this.items[fill[binOf[j]]++] = j;
    this.packed = new Float64Array(k * 3);
    for (let q = 0; q < k; q++) {
      const j = this.items[q];
      this.packed[q * 3] = means[j * 3]; this.packed[q * 3 + 1] = means[j * 3 + 1]; this.packed[q * 3 + 2] = means[j * 3 + 2];
    }
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
    const nx = this.nb[0], ny = this.nb[1], nz = this.nb[2], m = this.means, L = this.L;
    const start = this.start, items = this.items, pk = this.packed;
    // distance2(), inlined with the lattice in locals.
    const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
    const ix = this.coord(x, nx), iy = this.coord(y, ny), iz = this.coord(z, nz);
    let best = -1, bd = Infinity;
    for (let r = 1; r <= 2; r++) {
      // Per axis: every bin once when the block spans the axis, else the 2r + 1 around the query.
      const wx = 2 * r + 1 >= nx, wy = 2 * r + 1 >= ny, wz = 2 * r + 1 >= nz;
      const ax0 = wx ? 0 : ix - r, ax1 = wx ? nx - 1 : ix + r;
      const ay0 = wy ? 0 : iy - r, ay1 = wy ? ny - 1 : iy + r;
      const az0 = wz ? 0 : iz - r, az1 = wz ? nz - 1 : iz + r;
      for (let a = ax0; a <= ax1; a++) {
        const bx = (a % nx + nx) % nx;
        for (let b = ay0; b <= ay1; b++) {
          const bxy = (bx * ny + ((b % ny + ny) % ny)) * nz;
          for (let c = az0; c <= az1; c++) {
            const bin = bxy + ((c % nz + nz) % nz);
            const q1 = start[bin + 1];
            for (let q = start[bin]; q < q1; q++) {
              const j = items[q];
              let dx = x - pk[q * 3], dy = y - pk[q * 3 + 1], dz = z - pk[q * 3 + 2];
              dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
              const ux = dx * L0 + dy * L3 + dz * L6;
              const uy = dx * L1 + dy * L4 + dz * L7;
              const uz = dx * L2 + dy * L5 + dz * L8;
              const d = ux * ux + uy * uy + uz * uz;
              if (d < bd || (d === bd && j < best)) { bd = d; best = j; }
            }
          }
        }
      }
      if (wx && wy && wz) return best;
      // Strictly closer than any centre outside the block, with a margin for rounding.
      const reach = r * this.thin;
      if (bd < reach * reach * (1 - 1e-9)) return best;
    }
    for (let j = 0; j < this.k; j++) {
      let dx = x - m[j * 3], dy = y - m[j * 3 + 1], dz = z - m[j * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const ux = dx * L0 + dy * L3 + dz * L6;
      const uy = dx * L1 + dy * L4 + dz * L7;
      const uz = dx * L2 + dy * L5 + dz * L8;
      const d = ux * ux + uy * uy + uz * uz;
      if (d < bd || (d === bd && j < best)) { bd = d; best = j; }
    }
    return best;
  }
}

/**
 * Points in a periodic cell (ids, fractional positions that may move), binned so that every point
 * within `reach` Å (minimum image) of a query lies in the 3 × 3 × 3 bins around it: a bin is at
 * least `reach` thick along each axis, and a displacement of length d changes fractional
 * coordinate i by at most d / h_i (h_i the cell's height). Axes too short for three bins are
 * searched whole. The ids returned are a superset of those within reach.
 */
export class RadiusBins {
  private readonly nb: [number, number, number];
  private readonly bins: number[][];
  private readonly binOfId = new Map<number, number>();

  constructor(L: ArrayLike<number>, reach: number) {
    const h = cellHeights(L);
    this.nb = [0, 1, 2].map((i) => (reach > 0 && Number.isFinite(reach) ? Math.max(1, Math.floor(h[i] / reach)) : 1)) as [number, number, number];
    this.bins = Array.from({ length: this.nb[0] * this.nb[1] * this.nb[2] }, () => []);
  }

  private coord(f: number, n: number): number {
    const i = Math.floor((f - Math.floor(f)) * n);
    return i >= n ? n - 1 : i;
  }

  private bin(fx: number, fy: number, fz: number): number {
    return (this.coord(fx, this.nb[0]) * this.nb[1] + this.coord(fy, this.nb[1])) * this.nb[2] + this.coord(fz, this.nb[2]);
  }

  /** Put id at (fx, fy, fz), moving it from its previous bin. */
  set(id: number, fx: number, fy: number, fz: number): void {
    const b = this.bin(fx, fy, fz), old = this.binOfId.get(id);
    if (old === b) return;
    if (old !== undefined) { const list = this.bins[old]; list.splice(list.indexOf(id), 1); }
    this.bins[b].push(id);
    this.binOfId.set(id, b);
  }

  /** Ids in the bins around (fx, fy, fz), appended to `out` (each once). */
  near(fx: number, fy: number, fz: number, out: number[]): void {
    const [nx, ny, nz] = this.nb;
    const ax = this.axis(this.coord(fx, nx), nx), ay = this.axis(this.coord(fy, ny), ny), az = this.axis(this.coord(fz, nz), nz);
    for (const a of ax) for (const b of ay) for (const c of az) for (const id of this.bins[(a * ny + b) * nz + c]) out.push(id);
  }

  private axis(i: number, n: number): number[] {
    if (n <= 3) return Array.from({ length: n }, (_, q) => q);
    return [(i + n - 1) % n, i, (i + 1) % n];
  }
}
