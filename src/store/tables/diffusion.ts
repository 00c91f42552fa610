/** `diffusion`: diffusion coefficients, conductivity and the MSD curve (AnalysisResult.diffusion). */
import type { DiffusionResult } from '../../analysis/types.js';
import { num, numList, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const diffusion: AnalysisTable<DiffusionResult, 'diffusion'> = {
  name: 'diffusion',
  comment: 'Diffusion coefficients and conductivity per (trajectory, element)',
  rows: (r) => r.diffusion,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (d) => d.element },
    { name: 'n_ions', type: 'INTEGER', comment: 'Number of ions of the element', get: (d) => d.nIons },
    { name: 'd_tracer_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer diffusion coefficient (cm²/s)', get: (d) => num(d.dTracerCm2s) },
    { name: 'd_tracer_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_tracer_cm2_s (cm²/s)', get: (d) => num(d.dTracerErrCm2s) },
    { name: 'd_collective_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Collective (charge) diffusion coefficient (cm²/s)', get: (d) => num(d.dCollectiveCm2s) },
    { name: 'd_collective_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_collective_cm2_s (cm²/s)', get: (d) => num(d.dCollectiveErrCm2s) },
    { name: 'haven_ratio', type: 'DOUBLE', comment: 'd_tracer / d_collective', get: (d) => num(d.havenRatio) },
    { name: 'conductivity_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Ionic conductivity at the MD temperature (S/cm), Nernst–Einstein from d_collective', get: (d) => num(d.conductivitySCm) },
    { name: 'conductivity_err_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Standard error of conductivity_s_cm (S/cm)', get: (d) => num(d.conductivityErrSCm) },
    { name: 'fit_start_ps', type: 'DOUBLE', unit: 'ps', comment: 'Start of the MSD fit window (ps)', get: (d) => num(d.fitStartPs) },
    { name: 'fit_end_ps', type: 'DOUBLE', unit: 'ps', comment: 'End of the MSD fit window (ps)', get: (d) => num(d.fitEndPs) },
    { name: 'd_hops_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D implied by the detected hops, Σ|hop|²/(6·N·t) (cm²/s)', get: (d) => num(d.dHopsCm2s) },
    { name: 'msd_times_ps', type: 'DOUBLE[]', unit: 'ps', comment: 'Lag times of the stored MSD curve (ps)', get: (d) => numList(d.msdTimesPs) },
    { name: 'msd_a2', type: 'DOUBLE[]', unit: 'Å²', comment: 'Time-origin-averaged tracer MSD at msd_times_ps (Å²)', get: (d) => numList(d.msdA2) },
  ],
};
