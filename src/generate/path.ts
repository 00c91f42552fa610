/**
 * The transit path of a hop: a smooth raised arc from site i to site j,
 *   p(u) = p_i + s(u)·d + h·sin(πu)·n̂,   s(u) = (1 − cos πu)/2,   u ∈ [0, 1],
 * with d the minimum-image hop vector, n̂ ⟂ d fixed per edge (so i→j and j→i trace the same
 * curve) and h = arc·|d|. The easing gives zero velocity at both ends, like an ion that
 * accelerates out of its cage and settles into the next one.
 */
export function transitPoint(
  px: number, py: number, pz: number,
  dx: number, dy: number, dz: number,
  nx: number, ny: number, nz: number,
  arc: number, u: number, out: Float64Array,
): number {
  const s = easing(u);
  const h = arc * Math.hypot(dx, dy, dz) * Math.sin(Math.PI * u);
  out[0] = px + s * dx + h * nx;
  out[1] = py + s * dy + h * ny;
  out[2] = pz + s * dz + h * nz;
  return s;
}

export function easing(u: number): number {
  return (1 - Math.cos(Math.PI * u)) / 2;
}
