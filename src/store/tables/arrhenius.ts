/** `arrhenius`: the fit across temperatures per (material, element), rows from analysis/arrhenius-rows.ts. */
import type { ArrheniusRow } from '../../analysis/arrhenius-rows.js';
import { num, type Table } from './column.js';

export const arrhenius: Table<ArrheniusRow, void, 'arrhenius'> = {
  name: 'arrhenius',
  comment: 'Arrhenius fit ln D = ln D0 − Ea/(kB·T) per (material, element) across temperatures, recomputed after every run',
  columns: [
    { name: 'material', type: 'VARCHAR', notNull: true, comment: 'Material (trajectories.material, else formula)', get: (r) => r.material },
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (r) => r.element },
    { name: 'formula', type: 'VARCHAR', comment: 'Reduced formula of the material', get: (r) => r.formula },
    { name: 'n_temperatures', type: 'INTEGER', notNull: true, comment: 'Number of distinct temperatures', get: (r) => r.nTemperatures },
    { name: 'n_trajectories', type: 'INTEGER', notNull: true, comment: 'Number of trajectories with a positive D', get: (r) => r.nTrajectories },
    { name: 't_min_k', type: 'DOUBLE', unit: 'K', comment: 'Lowest temperature (K)', get: (r) => num(r.tMinK) },
    { name: 't_max_k', type: 'DOUBLE', unit: 'K', comment: 'Highest temperature (K)', get: (r) => num(r.tMaxK) },
    { name: 'ea_ev', type: 'DOUBLE', unit: 'eV', comment: 'Activation energy (eV); NULL with fewer than 2 temperatures', get: (r) => num(r.eaEv) },
    { name: 'ea_err_ev', type: 'DOUBLE', unit: 'eV', comment: 'Standard error of ea_ev (eV)', get: (r) => num(r.eaErrEv) },
    { name: 'd0_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Pre-exponential factor (cm²/s)', get: (r) => num(r.d0Cm2s) },
    { name: 'r2', type: 'DOUBLE', comment: 'Coefficient of determination of the fit', get: (r) => num(r.r2) },
    { name: 'd_300k_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D extrapolated to 300 K (cm²/s)', get: (r) => num(r.d300kCm2s) },
    { name: 'd_300k_err_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_300k_cm2_s (cm²/s)', get: (r) => num(r.d300kErrCm2s) },
    { name: 'conductivity_300k_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Conductivity at 300 K (S/cm): d_300k scaled by the median σ·T/D of the material', get: (r) => num(r.conductivity300kSCm) },
    { name: 'method', type: 'VARCHAR', comment: 'Fit used: weighted (by the D errors) or unweighted ln D vs 1/T, or single temperature (no fit)', get: (r) => r.method },
  ],
};
