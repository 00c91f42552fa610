/**
 * Rows of the `arrhenius` table from per-trajectory diffusion points: ln D = ln D0 − Ea/(kB·T),
 * extrapolated to 300 K. Pure; the store calls it after every index run.
 */
import { arrheniusFit } from './arrhenius.js';
import { median } from '../stats/median.js';

function fin(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

export interface DiffusionPoint {
  material: string;
  formula: string | null;
  element: string;
  temperature_k: number;
  d_cm2_s: number;
  d_err: number | null;
  /** σ·T/D of that trajectory (S·K/(cm·cm²/s)), to carry D_300K over to σ_300K. */
  sigma_t_over_d: number | null;
}

export interface ArrheniusRow {
  material: string;
  element: string;
  formula: string | null;
  nTemperatures: number;
  nTrajectories: number;
  tMinK: number;
  tMaxK: number;
  eaEv: number | null;
  eaErrEv: number | null;
  d0Cm2s: number | null;
  r2: number | null;
  d300kCm2s: number | null;
  d300kErrCm2s: number | null;
  conductivity300kSCm: number | null;
  method: string;
}

export function arrheniusRows(points: readonly DiffusionPoint[]): ArrheniusRow[] {
  const groups = new Map<string, DiffusionPoint[]>();
  for (const p of points) {
    const key = `${p.material}\u0000${p.element}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = []));
    g.push(p);
  }
  const out: ArrheniusRow[] = [];
  for (const g of groups.values()) {
    const temps = new Set(g.map((p) => p.temperature_k));
    let eaEv: number | null = null, eaErrEv: number | null = null, d0: number | null = null, r2: number | null = null;
    let d300: number | null = null, d300Err: number | null = null, method = 'single temperature';
    if (temps.size >= 2) {
      const fit = arrheniusFit(g.map((p) => ({ temperatureK: p.temperature_k, dCm2s: p.d_cm2_s, dErrCm2s: p.d_err ?? undefined })));
      eaEv = fin(fit.eaEv);
      eaErrEv = fin(fit.eaErrEv);
      d0 = fin(fit.d0Cm2s);
      r2 = fin(fit.r2);
      d300 = fin(fit.d300kCm2s);
      d300Err = fin(fit.d300kErrCm2s);
      method = fit.weighted ? 'weighted ln D vs 1/T' : 'unweighted ln D vs 1/T';
    }
    const ratios = g.map((p) => p.sigma_t_over_d).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
    const sigma300 = d300 !== null && ratios.length ? (d300 * median(ratios)) / 300 : null;
    out.push({
      material: g[0].material,
      element: g[0].element,
      formula: g[0].formula,
      nTemperatures: temps.size,
      nTrajectories: g.length,
      tMinK: Math.min(...temps),
      tMaxK: Math.max(...temps),
      eaEv,
      eaErrEv,
      d0Cm2s: d0,
      r2,
      d300kCm2s: d300,
      d300kErrCm2s: d300Err,
      conductivity300kSCm: sigma300,
      method,
    });
  }
  return out;
}
