/**
 * Descriptor–D correlations that do not let temperature speak for the descriptor. Pooling runs
 * at several temperatures correlates almost any thermally activated descriptor with D (hotter
 * runs hop more and diffuse faster), so we report Pearson r of log10 D at each temperature and
 * the partial r with 1/T held fixed (both variables' linear dependence on 1/T removed).
 */
import { pearson } from '../stats/correlation.js';

export interface PointXYT {
  x: number;
  /** log10 D. */
  y: number;
  temperature_k: number | null;
}

export interface TemperatureR {
  temperature_k: number;
  r: number;
  n: number;
}

export interface TemperatureCorrelation {
  /** Pearson r at each temperature (rounded to the kelvin) with at least 3 points. */
  perTemperature: TemperatureR[];
  /** Partial r controlling for 1/T; NaN with fewer than 4 points or a single temperature. */
  partialR: number;
  partialN: number;
  /** r of the pooled points, for comparison only. */
  pooledR: number;
  pooledN: number;
}

/** Residuals of y after a least-squares line on x. */
function residuals(x: readonly number[], y: readonly number[]): number[] {
  const n = x.length;
  const mx = x.reduce((a, b) => a + b, 0) / n;
  const my = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  const b = sxx > 0 ? sxy / sxx : 0;
  return y.map((v, i) => v - my - b * (x[i] - mx));
}

export function temperatureCorrelation(points: readonly PointXYT[]): TemperatureCorrelation {
  const good = points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const pooled = pearson(good.map((p) => p.x), good.map((p) => p.y));
  const byT = new Map<number, PointXYT[]>();
  for (const p of good) {
    if (p.temperature_k === null || !Number.isFinite(p.temperature_k)) continue;
    const t = Math.round(p.temperature_k);
    let list = byT.get(t);
    if (!list) byT.set(t, (list = []));
    list.push(p);
  }
  const perTemperature: TemperatureR[] = [];
  for (const [t, ps] of [...byT].sort((a, b) => a[0] - b[0])) {
    if (ps.length < 3) continue;
    const c = pearson(ps.map((p) => p.x), ps.map((p) => p.y));
    perTemperature.push({ temperature_k: t, r: c.r, n: c.n });
  }
  const withT = good.filter((p) => p.temperature_k !== null && Number.isFinite(p.temperature_k) && p.temperature_k > 0);
  let partialR = Number.NaN;
  if (withT.length >= 4 && byT.size >= 2) {
    const invT = withT.map((p) => 1 / (p.temperature_k as number));
    partialR = pearson(residuals(invT, withT.map((p) => p.x)), residuals(invT, withT.map((p) => p.y))).r;
  }
  return { perTemperature, partialR, partialN: withT.length, pooledR: pooled.r, pooledN: pooled.n };
}

/** One line for a title: "r at fixed T: 500 K −0.41 (n = 6), …; partial r | 1/T = 0.12 (n = 24)". */
export function describeTemperatureCorrelation(c: TemperatureCorrelation): string {
  const f = (r: number): string => (Number.isFinite(r) ? r.toFixed(2) : 'n/a');
  const perT = c.perTemperature.length
    ? c.perTemperature.map((t) => `${t.temperature_k} K ${f(t.r)} (n = ${t.n})`).join(', ')
    : 'no temperature with ≥ 3 points';
  const partial = Number.isFinite(c.partialR) ? `${f(c.partialR)} (n = ${c.partialN})` : 'not resolved (needs ≥ 2 temperatures, ≥ 4 points)';
  return `r of log10 D at fixed T: ${perT}; partial r with 1/T held fixed: ${partial}`;
}
