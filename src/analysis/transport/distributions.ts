/**
 * The few distribution functions the transport numbers need: Student-t quantiles for intervals
 * from few points, and the χ² upper tail for the Arrhenius curvature test.
 */

import { gammaQ } from '../../stats/special.js';

/** Two-sided Student-t quantiles at 68.27 % and 95 % for small dof (interpolated in 1/dof between these). */
const T_TABLE: readonly [number, number, number][] = [
  [1, 1.8373, 12.706], [2, 1.3213, 4.3027], [3, 1.1969, 3.1824], [4, 1.1417, 2.7764], [5, 1.1105, 2.5706],
  [6, 1.0906, 2.4469], [8, 1.0666, 2.306], [10, 1.0526, 2.2281], [15, 1.0342, 2.1314], [20, 1.0254, 2.086],
  [30, 1.0168, 2.0423], [60, 1.0083, 2.0003], [Infinity, 1, 1.96],
];

/** Half-width multiplier of a two-sided interval at `level` (0.6827 or 0.95) for `dof` degrees of freedom (Infinity: normal). */
export function tMultiplier(level: 0.6827 | 0.95, dof: number): number {
  const col = level === 0.95 ? 2 : 1;
  if (!(dof >= 1)) return NaN;
  for (let i = 1; i < T_TABLE.length; i++) {
    const [d1] = T_TABLE[i];
    if (dof <= d1) {
      const [d0] = T_TABLE[i - 1];
      const a = T_TABLE[i - 1][col], b = T_TABLE[i][col];
      const f = (1 / d0 - 1 / dof) / (1 / d0 - (d1 === Infinity ? 0 : 1 / d1));
      return a + (b - a) * f;
    }
  }
  return T_TABLE[T_TABLE.length - 1][col];
}

/** P(χ²_k > x): the p-value of a χ² statistic with k degrees of freedom. */
export function chi2Sf(x: number, k: number): number {
  if (!(k > 0) || !Number.isFinite(x)) return NaN;
  return gammaQ(k / 2, x / 2);
}
