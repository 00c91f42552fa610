/**
 * Rows of the `arrhenius` table from per-trajectory diffusion points: ln D = ln D0 − Ea/(kB·T),
 * extrapolated to 300 K with intervals, the extrapolation and curvature checks
 * (analysis/arrhenius.ts). Pure; the store calls it after every index run.
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
  /** σ_NE·T/D of that trajectory (S·K/(cm·cm²/s)), to carry D_300K over to σ_300K (Nernst–Einstein). */
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
  eaCi95LowEv: number | null;
  eaCi95HighEv: number | null;
  d0Cm2s: number | null;
  d0ErrCm2s: number | null;
  r2: number | null;
  d300kCm2s: number | null;
  d300kErrCm2s: number | null;
  d300kCi68LowCm2s: number | null;
  d300kCi68HighCm2s: number | null;
  d300kCi95LowCm2s: number | null;
  d300kCi95HighCm2s: number | null;
  conductivity300kSCm: number | null;
  conductivity300kErrSCm: number | null;
  extrapolationRatio: number | null;
  chi2P: number | null;
  vtfT0K: number | null;
  vtfDeltaAic: number | null;
  warnings: string[];
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
    const row: ArrheniusRow = {
      material: g[0].material,
      element: g[0].element,
      formula: g[0].formula,
      nTemperatures: temps.size,
      nTrajectories: g.length,
      tMinK: Math.min(...temps),
      tMaxK: Math.max(...temps),
      eaEv: null, eaErrEv: null, eaCi95LowEv: null, eaCi95HighEv: null, d0Cm2s: null, d0ErrCm2s: null, r2: null,
      d300kCm2s: null, d300kErrCm2s: null, d300kCi68LowCm2s: null, d300kCi68HighCm2s: null, d300kCi95LowCm2s: null, d300kCi95HighCm2s: null,
      conductivity300kSCm: null, conductivity300kErrSCm: null, extrapolationRatio: null, chi2P: null, vtfT0K: null, vtfDeltaAic: null,
      warnings: [],
      method: 'single temperature',
    };
    if (temps.size >= 2) {
      const fit = arrheniusFit(g.map((p) => ({ temperatureK: p.temperature_k, dCm2s: p.d_cm2_s, dErrCm2s: p.d_err ?? undefined })));
      Object.assign(row, {
        eaEv: fin(fit.eaEv), eaErrEv: fin(fit.eaErrEv), eaCi95LowEv: fin(fit.eaCi95Ev[0]), eaCi95HighEv: fin(fit.eaCi95Ev[1]),
        d0Cm2s: fin(fit.d0Cm2s), d0ErrCm2s: fin(fit.d0ErrCm2s), r2: fin(fit.r2),
        d300kCm2s: fin(fit.d300kCm2s), d300kErrCm2s: fin(fit.d300kErrCm2s),
        d300kCi68LowCm2s: fin(fit.d300kCi68Cm2s[0]), d300kCi68HighCm2s: fin(fit.d300kCi68Cm2s[1]),
        d300kCi95LowCm2s: fin(fit.d300kCi95Cm2s[0]), d300kCi95HighCm2s: fin(fit.d300kCi95Cm2s[1]),
        extrapolationRatio: fin(fit.extrapolationRatio), chi2P: fin(fit.chi2P),
        vtfT0K: fit.vtf ? fin(fit.vtf.t0K) : null, vtfDeltaAic: fit.vtf ? fin(fit.vtf.deltaAic) : null,
        warnings: fit.warnings,
        method: fit.weighted ? 'weighted ln D vs 1/T' : 'unweighted ln D vs 1/T',
      });
    }
    // σ_NE·T/D = N·(z·e)²/(V·kB) is a constant of the material (same cell and ion count): D(300 K) carries over exactly.
    const ratios = g.map((p) => p.sigma_t_over_d).filter((v): v is number => v !== null && Number.isFinite(v) && v > 0);
    if (row.d300kCm2s !== null && ratios.length) {
      const k = median(ratios) / 300;
      row.conductivity300kSCm = row.d300kCm2s * k;
      row.conductivity300kErrSCm = row.d300kErrCm2s === null ? null : row.d300kErrCm2s * k;
    }
    out.push(row);
  }
  return out;
}
