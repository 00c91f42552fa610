/**
 * A symmetric 3×3 diffusion tensor: principal values (descending) and axes by Jacobi rotations,
 * and two anisotropy measures: the ratio of the largest to the smallest principal value (NULL
 * unless the smallest is positive) and the fractional anisotropy √(3/2)·|λ − λ̄|/|λ| ∈ [0, 1]
 * (0 isotropic, 1 one-dimensional), which stays bounded when a principal value is ~0 or noisy.
 */

export interface TensorSummary {
  /** Cartesian components xx, yy, zz, xy, xz, yz. */
  components: Float64Array;
  /** Principal values, descending. */
  principal: Float64Array;
  /** Unit principal axes, row k belongs to principal[k] (3 × 3, row-major). */
  axes: Float64Array;
  /** λ_max/λ_min; NaN unless λ_min > 0. */
  anisotropyRatio: number;
  fractionalAnisotropy: number;
  /** Standard errors of the x, y, z diagonal components and of the principal values (NaN when not estimated). */
  axisErr: Float64Array;
  principalErr: Float64Array;
}

/** Eigen-decomposition of [[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]. */
export function tensorSummary(c: ArrayLike<number>): TensorSummary {
  const a = [[c[0], c[3], c[4]], [c[3], c[1], c[5]], [c[4], c[5], c[2]]];
  const v = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  for (let sweep = 0; sweep < 50; sweep++) {
    const off = a[0][1] ** 2 + a[0][2] ** 2 + a[1][2] ** 2;
    const scale = a[0][0] ** 2 + a[1][1] ** 2 + a[2][2] ** 2;
    if (!(off > 1e-30 * scale) || !Number.isFinite(off)) break;
    for (const [p, q] of [[0, 1], [0, 2], [1, 2]] as const) {
      if (a[p][q] === 0) continue;
      const theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
      const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
      const cs = 1 / Math.sqrt(t * t + 1), sn = t * cs;
      for (let k = 0; k < 3; k++) {
        const akp = a[k][p], akq = a[k][q];
        a[k][p] = cs * akp - sn * akq; a[k][q] = sn * akp + cs * akq;
      }
      for (let k = 0; k < 3; k++) {
        const apk = a[p][k], aqk = a[q][k];
        a[p][k] = cs * apk - sn * aqk; a[q][k] = sn * apk + cs * aqk;
      }
      for (let k = 0; k < 3; k++) {
        const vkp = v[k][p], vkq = v[k][q];
        v[k][p] = cs * vkp - sn * vkq; v[k][q] = sn * vkp + cs * vkq;
      }
    }
  }
  const order = [0, 1, 2].sort((i, j) => a[j][j] - a[i][i]);
  const principal = Float64Array.from(order, (i) => a[i][i]);
  const axes = new Float64Array(9);
  order.forEach((i, r) => {
    // Sign convention: the largest |component| of each axis is positive (axes are ± undetermined).
    let big = 0;
    for (let k = 0; k < 3; k++) if (Math.abs(v[k][i]) > Math.abs(v[big][i])) big = k;
    const sgn = v[big][i] < 0 ? -1 : 1;
    for (let k = 0; k < 3; k++) axes[r * 3 + k] = sgn * v[k][i] + 0; // + 0: no −0
  });
  const mean = (principal[0] + principal[1] + principal[2]) / 3;
  const norm = Math.hypot(principal[0], principal[1], principal[2]);
  const dev = Math.hypot(principal[0] - mean, principal[1] - mean, principal[2] - mean);
  return {
    components: Float64Array.from(c),
    principal,
    axes,
    anisotropyRatio: principal[2] > 0 ? principal[0] / principal[2] : NaN,
    fractionalAnisotropy: norm > 0 ? Math.sqrt(1.5) * dev / norm : NaN,
    axisErr: new Float64Array(3).fill(NaN),
    principalErr: new Float64Array(3).fill(NaN),
  };
}
