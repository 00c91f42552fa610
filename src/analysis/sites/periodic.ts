/**
 * Periodic geometry of the site map: fractional wrapping and the Cartesian displacement between
 * two fractional points by rounding each fractional difference. Rounding is the minimum image
 * for orthogonal cells; for a skewed cell it is an image a few per cent longer at worst, which
 * is harmless here because it is only ever taken between a point and a nearby site.
 */

/** Fractional coordinates of unwrapped Cartesian positions (frame-major [frame][col][xyz]), wrapped into [0, 1). */
export function wrappedFractional(positions: Float64Array, Linv: ArrayLike<number>): Float64Array {
  const out = new Float64Array(positions.length);
  for (let i = 0; i < positions.length; i += 3) {
    const x = positions[i], y = positions[i + 1], z = positions[i + 2];
    const fx = x * Linv[0] + y * Linv[3] + z * Linv[6];
    const fy = x * Linv[1] + y * Linv[4] + z * Linv[7];
    const fz = x * Linv[2] + y * Linv[5] + z * Linv[8];
    out[i] = fx - Math.floor(fx);
    out[i + 1] = fy - Math.floor(fy);
    out[i + 2] = fz - Math.floor(fz);
  }
  return out;
}

/** Cartesian displacement a − b (fractional inputs, rounded to the nearest image), into out[0..2]. */
export function displacement(L: ArrayLike<number>, ax: number, ay: number, az: number, bx: number, by: number, bz: number, out: Float64Array): void {
  let dx = ax - bx, dy = ay - by, dz = az - bz;
  dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
  out[0] = dx * L[0] + dy * L[3] + dz * L[6];
  out[1] = dx * L[1] + dy * L[4] + dz * L[7];
  out[2] = dx * L[2] + dy * L[5] + dz * L[8];
}

/** Squared length of the rounded-image displacement between two fractional points (Å²). */
export function distance2(L: ArrayLike<number>, ax: number, ay: number, az: number, bx: number, by: number, bz: number): number {
  let dx = ax - bx, dy = ay - by, dz = az - bz;
  dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
  const x = dx * L[0] + dy * L[3] + dz * L[6];
  const y = dx * L[1] + dy * L[4] + dz * L[7];
  const z = dx * L[2] + dy * L[5] + dz * L[8];
  return x * x + y * y + z * z;
}

/** Wrap a fractional coordinate into [0, 1). */
export function wrap1(f: number): number {
  const w = f - Math.floor(f);
  return w >= 1 ? 0 : w;
}
