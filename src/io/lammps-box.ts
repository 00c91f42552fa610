/**
 * LAMMPS simulation box → lattice rows and origin (orthogonal, restricted triclinic with tilt
 * factors, or general triclinic `abc origin`).
 */

/** Form of the ITEM: BOX BOUNDS lines. */
export type BoxKind = 'ortho' | 'tri' | 'general';

/**
 * Lattice rows and origin of a LAMMPS box.
 * `b` holds the 3 bounds lines: [lo, hi, tilt] per axis (restricted triclinic; tilt 0 when
 * orthogonal), or [vx, vy, vz, origin] per vector (general triclinic, `abc origin`).
 */
export function lammpsBoxToLattice(kind: BoxKind, b: ArrayLike<number>): { lattice: Float64Array; origin: Float64Array } {
  const L = new Float64Array(9);
  const O = new Float64Array(3);
  if (kind === 'general') {
    for (let r = 0; r < 3; r++) {
      L[3 * r] = b[4 * r];
      L[3 * r + 1] = b[4 * r + 1];
      L[3 * r + 2] = b[4 * r + 2];
      O[r] = b[4 * r + 3];
    }
    return { lattice: L, origin: O };
  }
  const xlob = b[0], xhib = b[1], ylob = b[3], yhib = b[4], zlo = b[6], zhi = b[7];
  const xy = kind === 'tri' ? b[2] : 0, xz = kind === 'tri' ? b[5] : 0, yz = kind === 'tri' ? b[8] : 0;
  // The dump writes the bounding box of the tilted cell; undo that to get the cell edges.
  const xlo = xlob - Math.min(0, xy, xz, xy + xz);
  const xhi = xhib - Math.max(0, xy, xz, xy + xz);
  const ylo = ylob - Math.min(0, yz);
  const yhi = yhib - Math.max(0, yz);
  L[0] = xhi - xlo;
  L[3] = xy;
  L[4] = yhi - ylo;
  L[6] = xz;
  L[7] = yz;
  L[8] = zhi - zlo;
  O[0] = xlo;
  O[1] = ylo;
  O[2] = zlo;
  return { lattice: L, origin: O };
}
