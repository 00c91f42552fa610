/** Cell helpers. Lattices are 3×3 row-major with the lattice vectors as rows. */

export function det3(m: ArrayLike<number>): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Cell volume in Å³ (absolute value of the determinant). */
export function volume(m: ArrayLike<number>): number {
  return Math.abs(det3(m));
}

/** Inverse of a 3×3 matrix; throws on a singular one. */
export function inverse3(m: ArrayLike<number>): Float64Array {
  const d = det3(m);
  if (!Number.isFinite(d) || Math.abs(d) < 1e-12) throw new Error(`singular lattice (determinant ${d})`);
  const r = new Float64Array(9);
  r[0] = (m[4] * m[8] - m[5] * m[7]) / d;
  r[1] = (m[2] * m[7] - m[1] * m[8]) / d;
  r[2] = (m[1] * m[5] - m[2] * m[4]) / d;
  r[3] = (m[5] * m[6] - m[3] * m[8]) / d;
  r[4] = (m[0] * m[8] - m[2] * m[6]) / d;
  r[5] = (m[2] * m[3] - m[0] * m[5]) / d;
  r[6] = (m[3] * m[7] - m[4] * m[6]) / d;
  r[7] = (m[1] * m[6] - m[0] * m[7]) / d;
  r[8] = (m[0] * m[4] - m[1] * m[3]) / d;
  return r;
}

/** Cartesian = fractional · L (row vector times row-lattice). Writes into out[o..o+2]. */
export function fracToCart(L: ArrayLike<number>, fx: number, fy: number, fz: number, out: Float64Array, o: number): void {
  out[o] = fx * L[0] + fy * L[3] + fz * L[6];
  out[o + 1] = fx * L[1] + fy * L[4] + fz * L[7];
  out[o + 2] = fx * L[2] + fy * L[5] + fz * L[8];
}

/** Fractional = Cartesian · L⁻¹. `Linv` from `inverse3(L)`. */
export function cartToFrac(Linv: ArrayLike<number>, x: number, y: number, z: number, out: Float64Array, o: number): void {
  out[o] = x * Linv[0] + y * Linv[3] + z * Linv[6];
  out[o + 1] = x * Linv[1] + y * Linv[4] + z * Linv[7];
  out[o + 2] = x * Linv[2] + y * Linv[5] + z * Linv[8];
}

/**
 * Minimum-image Cartesian vector for a fractional difference (dx, dy, dz).
 * Rounding each fractional component is exact for orthogonal cells; for skewed cells the
 * 27 neighbouring images are searched so the shortest vector is returned.
 */
export function minimumImage(L: ArrayLike<number>, dx: number, dy: number, dz: number, out: Float64Array, o: number): void {
  dx -= Math.round(dx);
  dy -= Math.round(dy);
  dz -= Math.round(dz);
  let bx = 0, by = 0, bz = 0, best = Infinity;
  for (let i = -1; i <= 1; i++) for (let j = -1; j <= 1; j++) for (let k = -1; k <= 1; k++) {
    const fx = dx + i, fy = dy + j, fz = dz + k;
    const x = fx * L[0] + fy * L[3] + fz * L[6];
    const y = fx * L[1] + fy * L[4] + fz * L[7];
    const z = fx * L[2] + fy * L[5] + fz * L[8];
    const d2 = x * x + y * y + z * z;
    if (d2 < best) { best = d2; bx = x; by = y; bz = z; }
  }
  out[o] = bx; out[o + 1] = by; out[o + 2] = bz;
}

/** True when the lattice vectors are mutually orthogonal (to 1e-8 relative). */
export function isOrthogonal(L: ArrayLike<number>): boolean {
  const dot = (a: number, b: number) => L[a] * L[b] + L[a + 1] * L[b + 1] + L[a + 2] * L[b + 2];
  const tol = 1e-8 * (dot(0, 0) + dot(3, 3) + dot(6, 6));
  return Math.abs(dot(0, 3)) < tol && Math.abs(dot(0, 6)) < tol && Math.abs(dot(3, 6)) < tol;
}

/**
 * Radius of the largest sphere inside the cell: half the smallest distance between opposite
 * faces, V / (2·max |a_i × a_j|). Any vector shorter than this is its own minimum image.
 */
export function inscribedRadius(L: ArrayLike<number>): number {
  const cross = (i: number, j: number) => {
    const x = L[i + 1] * L[j + 2] - L[i + 2] * L[j + 1];
    const y = L[i + 2] * L[j] - L[i] * L[j + 2];
    const z = L[i] * L[j + 1] - L[i + 1] * L[j];
    return Math.hypot(x, y, z);
  };
  return volume(L) / (2 * Math.max(cross(0, 3), cross(3, 6), cross(6, 0)));
}
