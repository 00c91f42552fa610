/** `arrhenius`: the fit across temperatures per (material, element), rows from analysis/arrhenius-rows.ts. */
import type { ArrheniusRow } from '../../analysis/arrhenius-rows.js';
import { num, type Table } from './column.js';

export const arrhenius: Table<ArrheniusRow, void, 'arrhenius'> = {
  name: 'arrhenius',
  comment: 'Arrhenius fit ln D = ln D0 − Ea/(kB·T) of the resolved tracer D per (material, element) across temperatures, recomputed after every run',
  columns: [
    { name: 'material', type: 'VARCHAR', notNull: true, comment: 'Material (trajectories.material, else formula)', get: (r) => r.material },
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (r) => r.element },
    { name: 'formula', type: 'VARCHAR', comment: 'Reduced formula of the material', get: (r) => r.formula },
    { name: 'n_temperatures', type: 'INTEGER', notNull: true, comment: 'Number of distinct temperatures', get: (r) => r.nTemperatures },
    { name: 'n_trajectories', type: 'INTEGER', notNull: true, comment: 'Number of trajectories with a resolved tracer D', get: (r) => r.nTrajectories },
    { name: 't_min_k', type: 'DOUBLE', unit: 'K', comment: 'Lowest temperature (K)', get: (r) => num(r.tMinK) },
    { name: 't_max_k', type: 'DOUBLE', unit: 'K', comment: 'Highest temperature (K)', get: (r) => num(r.tMaxK) },
    { name: 'ea_ev', type: 'DOUBLE', unit: 'eV', comment: 'Activation energy (eV); NULL with fewer than 2 temperatures', get: (r) => num(r.eaEv) },
    { name: 'ea_err_ev', type: 'DOUBLE', unit: 'eV', comment: 'Standard error of ea_ev (eV): larger of the propagated D errors and the scatter', get: (r) => num(r.eaErrEv) },
    { name: 'd0_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Pre-exponential factor (cm²/s)', get: (r) => num(r.d0Cm2s) },
    { name: 'r2', type: 'DOUBLE', comment: 'Coefficient of determination of the fit', get: (r) => num(r.r2) },
    { name: 'd_300k_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D extrapolated to 300 K (cm²/s)', get: (r) => num(r.d300kCm2s) },
    { name: 'd_300k_err_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_300k_cm2_s (cm²/s), first order (D·σ_lnD)', get: (r) => num(r.d300kErrCm2s) },
    { name: 'conductivity_300k_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Nernst–Einstein conductivity at 300 K from d_300k (S/cm): uncorrelated ions, the median σ_NE·T/D of the material', get: (r) => num(r.conductivity300kSCm) },
    { name: 'method', type: 'VARCHAR', comment: 'Fit used: weighted (by the D errors) or unweighted ln D vs 1/T, or single temperature (no fit)', get: (r) => r.method },
    { name: 'ea_ci95_low_ev', type: 'DOUBLE', unit: 'eV', comment: 'Lower end of the 95 % interval of ea_ev (eV): normal quantile when the D errors set the error, Student t (n−2) when the scatter does', get: (r) => num(r.eaCi95LowEv) },
    { name: 'ea_ci95_high_ev', type: 'DOUBLE', unit: 'eV', comment: 'Upper end of the 95 % interval of ea_ev (eV)', get: (r) => num(r.eaCi95HighEv) },
    { name: 'd0_err_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d0_cm2_s (cm²/s), first order', get: (r) => num(r.d0ErrCm2s) },
    { name: 'd_300k_ci68_low_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: '68 % interval of d_300k_cm2_s, lower end (cm²/s; exp of the ln D interval)', get: (r) => num(r.d300kCi68LowCm2s) },
    { name: 'd_300k_ci68_high_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: '68 % interval of d_300k_cm2_s, upper end (cm²/s)', get: (r) => num(r.d300kCi68HighCm2s) },
    { name: 'd_300k_ci95_low_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: '95 % interval of d_300k_cm2_s, lower end (cm²/s)', get: (r) => num(r.d300kCi95LowCm2s) },
    { name: 'd_300k_ci95_high_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: '95 % interval of d_300k_cm2_s, upper end (cm²/s)', get: (r) => num(r.d300kCi95HighCm2s) },
    { name: 'conductivity_300k_err_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Standard error of conductivity_300k_s_cm (S/cm)', get: (r) => num(r.conductivity300kErrSCm) },
    { name: 'extrapolation_ratio', type: 'DOUBLE', comment: '1/T distance from t_min_k to 300 K over the fitted 1/T width; > 1: extrapolated beyond the data (warned)', get: (r) => num(r.extrapolationRatio) },
    { name: 'curvature_p', type: 'DOUBLE', comment: 'p-value of the χ² of the Arrhenius line against the D errors (n−2 dof); < 0.05: curved or errors too small', get: (r) => num(r.chi2P) },
    { name: 'vtf_t0_k', type: 'DOUBLE', unit: 'K', comment: 'T0 of a VTF fit ln D = ln A − B/(kB·(T − T0)), with ≥ 4 temperatures (K)', get: (r) => num(r.vtfT0K) },
    { name: 'vtf_delta_aic', type: 'DOUBLE', comment: 'AIC(VTF) − AIC(Arrhenius): below −2 VTF fits better (reported, not used)', get: (r) => num(r.vtfDeltaAic) },
    { name: 'warnings', type: 'VARCHAR[]', comment: 'Extrapolation beyond the fitted range, curvature', get: (r) => r.warnings },
  ],
};
