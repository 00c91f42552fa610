/** XDATCAR Cartesian frames made fractional: shared by the serial reader and the parse workers, so both give the same bits. */

/** Cartesian coordinates (in units of the scale) of `n` atoms at `out[off…]`, made fractional in place. */
export function cartesianToFractional(out: Float64Array | Float32Array, off: number, n: number, cartScale: Float64Array, Linv: Float64Array): void {
  const [s0, s1, s2] = cartScale;
  for (let i = off, e = off + n * 3; i < e; i += 3) {
    const x = out[i] * s0, y = out[i + 1] * s1, z = out[i + 2] * s2;
    out[i] = x * Linv[0] + y * Linv[3] + z * Linv[6];
    out[i + 1] = x * Linv[1] + y * Linv[4] + z * Linv[7];
    out[i + 2] = x * Linv[2] + y * Linv[5] + z * Linv[8];
  }
}
