/**
 * `diffusion`: diffusion coefficients, conductivity and the MSD curve (AnalysisResult.diffusion).
 * A value the run does not resolve (D ≤ 2σ: analysis/transport/resolved.ts) is NULL and `flags`
 * says why; its error stays, as the bound the run sets.
 */
import type { DiffusionResult } from '../../analysis/types.js';
import { num, numList, trajectoryIdColumn, type AnalysisTable } from './column.js';

/** x when the value is resolved and positive, else NULL. */
const resolvedPositive = (ok: boolean, x: number): number | null => (ok && x > 0 ? num(x) : null);

export const diffusion: AnalysisTable<DiffusionResult, 'diffusion'> = {
  name: 'diffusion',
  comment: 'Diffusion coefficients and conductivity per (trajectory, element); NULL where the run does not resolve a value (see flags)',
  rows: (r) => r.diffusion,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (d) => d.element },
    { name: 'n_ions', type: 'INTEGER', comment: 'Number of ions of the element', get: (d) => d.nIons },
    { name: 'd_tracer_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer diffusion coefficient (cm²/s); NULL unless above 2 d_tracer_err', get: (d) => resolvedPositive(d.dTracerResolved, d.dTracerCm2s) },
    { name: 'd_tracer_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of the tracer D (cm²/s): larger of the ion bootstrap and the spatial-block error, plus the covariance of concerted hop events, at least the shot noise of the hop events, widened by Student-t for few events', get: (d) => num(d.dTracerErrCm2s) },
    { name: 'd_collective_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Collective (charge) diffusion coefficient N·MSD_centre-of-mass slope/6 (cm²/s); NULL unless above 2 d_collective_err', get: (d) => resolvedPositive(d.dCollectiveResolved, d.dCollectiveCm2s) },
    { name: 'd_collective_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of the collective D (cm²/s): moving-block bootstrap of the centre of mass in time', get: (d) => num(d.dCollectiveErrCm2s) },
    { name: 'haven_ratio', type: 'DOUBLE', comment: 'Haven ratio d_tracer / d_collective; NULL unless both are resolved', get: (d) => resolvedPositive(d.dTracerResolved && d.dCollectiveResolved, d.havenRatio) },
    { name: 'conductivity_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Charge conductivity at the MD temperature from the COLLECTIVE D, N·(z·e)²·D_collective/(V·kB·T) (S/cm); NULL unless d_collective is resolved', get: (d) => resolvedPositive(d.dCollectiveResolved, d.conductivitySCm) },
    { name: 'conductivity_err_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Standard error of conductivity_s_cm (S/cm)', get: (d) => num(d.conductivityErrSCm) },
    { name: 'fit_start_ps', type: 'DOUBLE', unit: 'ps', comment: 'Start of the MSD fit window (ps)', get: (d) => num(d.fitStartPs) },
    { name: 'fit_end_ps', type: 'DOUBLE', unit: 'ps', comment: 'End of the MSD fit window (ps)', get: (d) => num(d.fitEndPs) },
    { name: 'd_hops_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D implied by the detected hops, Σ|hop|²/(6·N·t) (cm²/s)', get: (d) => num(d.dHopsCm2s) },
    { name: 'msd_times_ps', type: 'DOUBLE[]', unit: 'ps', comment: 'Lag times of the stored MSD curve (ps)', get: (d) => numList(d.msdTimesPs) },
    { name: 'msd_a2', type: 'DOUBLE[]', unit: 'Å²', comment: 'Time-origin-averaged tracer MSD at msd_times_ps (Å²)', get: (d) => numList(d.msdA2) },
    { name: 'haven_ratio_err', type: 'DOUBLE', comment: 'Standard error of haven_ratio (relative errors of both D in quadrature)', get: (d) => (d.dTracerResolved && d.dCollectiveResolved ? num(d.havenRatioErr) : null) },
    { name: 'conductivity_ne_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Nernst–Einstein conductivity from the TRACER D, N·(z·e)²·D_tracer/(V·kB·T) (S/cm), uncorrelated ions (pymatgen\'s "conductivity"); NULL unless d_tracer is resolved', get: (d) => resolvedPositive(d.dTracerResolved, d.conductivityNeSCm) },
    { name: 'conductivity_ne_err_s_cm', type: 'DOUBLE', unit: 'S/cm', comment: 'Standard error of conductivity_ne_s_cm (S/cm)', get: (d) => (d.dTracerResolved ? num(d.conductivityNeErrSCm) : null) },
    { name: 'd_tracer_x_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D along x, the xx tensor component (cm²/s); NULL unless d_tracer is resolved and it is positive', get: (d) => resolvedPositive(d.dTracerResolved, d.tracerTensor.components[0]) },
    { name: 'd_tracer_y_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D along y (cm²/s)', get: (d) => resolvedPositive(d.dTracerResolved, d.tracerTensor.components[1]) },
    { name: 'd_tracer_z_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Tracer D along z (cm²/s)', get: (d) => resolvedPositive(d.dTracerResolved, d.tracerTensor.components[2]) },
    { name: 'd_tracer_tensor_cm2_s', type: 'DOUBLE[]', unit: 'cm²/s', comment: 'Tracer D tensor components xx, yy, zz, xy, xz, yz (cm²/s); NULL unless d_tracer is resolved', get: (d) => (d.dTracerResolved ? numList(d.tracerTensor.components) : null) },
    { name: 'd_tracer_principal_cm2_s', type: 'DOUBLE[]', unit: 'cm²/s', comment: 'Principal values of the tracer D tensor, descending (cm²/s); NULL unless d_tracer is resolved, an entry NULL when not positive (noise about zero)', get: (d) => (d.dTracerResolved ? Array.from(d.tracerTensor.principal, (v) => (v > 0 ? num(v) : null)) : null) },
    { name: 'd_tracer_axes', type: 'DOUBLE[]', comment: 'Unit principal axes (Cartesian), 3 per principal value in its order: [a1x, a1y, a1z, a2x, …]', get: (d) => (d.dTracerResolved ? numList(d.tracerTensor.axes) : null) },
    { name: 'anisotropy_ratio', type: 'DOUBLE', comment: 'Largest / smallest principal tracer D; NULL unless d_tracer is resolved and the smallest is positive', get: (d) => resolvedPositive(d.dTracerResolved, d.tracerTensor.anisotropyRatio) },
    { name: 'fractional_anisotropy', type: 'DOUBLE', comment: 'Fractional anisotropy of the tracer D tensor, √(3/2)·|λ − mean λ|/|λ|: 0 isotropic, 1 one-dimensional', get: (d) => (d.dTracerResolved ? num(d.tracerTensor.fractionalAnisotropy) : null) },
    { name: 'd_collective_x_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Collective D along x (cm²/s); NULL unless d_collective is resolved and it is positive', get: (d) => resolvedPositive(d.dCollectiveResolved, d.dCollectiveAxesCm2s[0]) },
    { name: 'd_collective_y_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Collective D along y (cm²/s)', get: (d) => resolvedPositive(d.dCollectiveResolved, d.dCollectiveAxesCm2s[1]) },
    { name: 'd_collective_z_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'Collective D along z (cm²/s)', get: (d) => resolvedPositive(d.dCollectiveResolved, d.dCollectiveAxesCm2s[2]) },
    { name: 'd_tracer_fit_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'The fitted tracer D even when not resolved (may be ≤ 0): input of diffusion_pooled only, not a result; use d_tracer_cm2_s', get: (d) => num(d.dTracerCm2s) },
    { name: 'd_collective_fit_cm2_s', type: 'DOUBLE', unit: 'cm²/s', comment: 'The fitted collective D even when not resolved (may be ≤ 0): input of diffusion_pooled only, not a result; use d_collective_cm2_s', get: (d) => num(d.dCollectiveCm2s) },
    { name: 'fit_method', type: 'VARCHAR', comment: 'MSD slope estimator: ols (ordinary least squares) or gls (generalised, model covariance)', get: (d) => d.fitMethod },
    { name: 'flags', type: 'VARCHAR[]', comment: 'Why a value is NULL: not resolved (fitted value ± error), no volume or temperature', get: (d) => d.flags },
    // Schema 3 (migration-transport-axes.ts): errors of the per-axis and principal tracer D.
    { name: 'd_tracer_x_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_tracer_x_cm2_s (cm²/s): the d_tracer_err model applied to each ion\'s D along x', get: (d) => (d.dTracerResolved ? num(d.tracerTensor.axisErr[0]) : null) },
    { name: 'd_tracer_y_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_tracer_y_cm2_s (cm²/s)', get: (d) => (d.dTracerResolved ? num(d.tracerTensor.axisErr[1]) : null) },
    { name: 'd_tracer_z_err', type: 'DOUBLE', unit: 'cm²/s', comment: 'Standard error of d_tracer_z_cm2_s (cm²/s)', get: (d) => (d.dTracerResolved ? num(d.tracerTensor.axisErr[2]) : null) },
    { name: 'd_tracer_principal_err', type: 'DOUBLE[]', unit: 'cm²/s', comment: 'Standard errors of d_tracer_principal_cm2_s, same order (cm²/s): first order, each ion\'s D along the principal axis; near-degenerate principal values are ordered noise, their spread is smaller than this', get: (d) => (d.dTracerResolved ? numList(d.tracerTensor.principalErr) : null) },
  ],
};
