/**
 * The `diffusion_pooled` view: replicate runs of one material at one temperature (separate
 * folders, or several trajectories of one sidecar) pooled per (material, T, element); the
 * per-run rows stay in `diffusion`. Pooling is the plain mean of the fitted values (unresolved
 * ones included: leaving them out would bias the mean up), with error √(Σσ_i²)/k — unbiased
 * whatever each run's length, unlike inverse-variance weights whose σ grows with D. A pooled D is
 * reported when it exceeds 2σ; the collective D, one centre of mass per run, gains most. Runs with
 * the same content hash (one file indexed from two folders) count once.
 */
import type { View } from './view.js';
import { MATERIAL_SQL } from './descriptors-view.js';

const RESOLVED = (v: string, e: string): string => `CASE WHEN p.${v} > 2 * p.${e} THEN p.${v} END`;

export const diffusionPooledView: View<'diffusion_pooled'> = {
  name: 'diffusion_pooled',
  comment: 'Replicate runs pooled per (material, temperature, element): mean of the fitted D, error √(Σσ²)/n_runs, NULL unless above 2σ',
  from: `FROM (
  SELECT r.material, r.temperature_k, r.element,
         count(*) AS n_runs, sum(r.n_ions) AS n_ions_total, list(r.trajectory_id ORDER BY r.trajectory_id) AS trajectory_ids,
         avg(r.d_tracer_fit_cm2_s) AS tr, sqrt(sum(r.d_tracer_err * r.d_tracer_err)) / count(*) AS tr_err,
         avg(r.d_collective_fit_cm2_s) AS co, sqrt(sum(r.d_collective_err * r.d_collective_err)) / count(*) AS co_err,
         median(r.conductivity_ne_s_cm / r.d_tracer_cm2_s) AS s_per_d
  FROM (
    -- The same bytes indexed twice (a copy in another folder) are one run, not two replicates.
    SELECT DISTINCT ON (t.content_hash, d.element) ${MATERIAL_SQL} AS material, t.temperature_k, d.element, t.trajectory_id, d.n_ions,
           d.d_tracer_fit_cm2_s, d.d_tracer_err, d.d_collective_fit_cm2_s, d.d_collective_err, d.conductivity_ne_s_cm, d.d_tracer_cm2_s
    FROM diffusion d JOIN trajectories t USING (trajectory_id)
    WHERE d.d_tracer_err IS NOT NULL AND d.d_collective_err IS NOT NULL
    ORDER BY t.content_hash, d.element, t.trajectory_id
  ) r
  GROUP BY r.material, r.temperature_k, r.element
) p`,
  columns: [
    { name: 'material', type: 'VARCHAR', sql: 'p.material', comment: 'Material (trajectories.material, else formula, else name)' },
    { name: 'temperature_k', type: 'DOUBLE', unit: 'K', sql: 'p.temperature_k', comment: 'MD temperature (K)' },
    { name: 'element', type: 'VARCHAR', sql: 'p.element', comment: 'Mobile element' },
    { name: 'n_runs', type: 'INTEGER', sql: 'CAST(p.n_runs AS INTEGER)', comment: 'Number of runs pooled' },
    { name: 'n_ions_total', type: 'INTEGER', sql: 'CAST(p.n_ions_total AS INTEGER)', comment: 'Ions of the element summed over the runs' },
    { name: 'trajectory_ids', type: 'VARCHAR[]', sql: 'p.trajectory_ids', comment: 'The pooled runs (trajectories.trajectory_id)' },
    { name: 'd_tracer_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: RESOLVED('tr', 'tr_err'), comment: 'Pooled tracer D (cm²/s); NULL unless above 2σ' },
    { name: 'd_tracer_err', type: 'DOUBLE', unit: 'cm²/s', sql: 'p.tr_err', comment: 'Standard error of the pooled tracer D (cm²/s)' },
    { name: 'd_collective_cm2_s', type: 'DOUBLE', unit: 'cm²/s', sql: RESOLVED('co', 'co_err'), comment: 'Pooled collective D (cm²/s); NULL unless above 2σ' },
    { name: 'd_collective_err', type: 'DOUBLE', unit: 'cm²/s', sql: 'p.co_err', comment: 'Standard error of the pooled collective D (cm²/s)' },
    { name: 'haven_ratio', type: 'DOUBLE', sql: `CASE WHEN p.tr > 2 * p.tr_err AND p.co > 2 * p.co_err THEN p.tr / p.co END`, comment: 'Pooled Haven ratio d_tracer / d_collective; NULL unless both are resolved' },
    { name: 'haven_ratio_err', type: 'DOUBLE', sql: `CASE WHEN p.tr > 2 * p.tr_err AND p.co > 2 * p.co_err THEN p.tr / p.co * sqrt((p.tr_err / p.tr) ^ 2 + (p.co_err / p.co) ^ 2) END`, comment: 'Standard error of haven_ratio' },
    { name: 'conductivity_ne_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: `CASE WHEN p.tr > 2 * p.tr_err THEN p.tr * p.s_per_d END`, comment: 'Nernst–Einstein conductivity from the pooled tracer D (S/cm)' },
    { name: 'conductivity_ne_err_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: `CASE WHEN p.tr > 2 * p.tr_err THEN p.tr_err * p.s_per_d END`, comment: 'Standard error of conductivity_ne_s_cm (S/cm)' },
    { name: 'conductivity_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: `CASE WHEN p.co > 2 * p.co_err THEN p.co * p.s_per_d END`, comment: 'Charge conductivity from the pooled collective D (S/cm); NULL unless resolved (or no run resolves its tracer D, which gives the N·(z·e)²/(V·kB·T) factor)' },
    { name: 'conductivity_err_s_cm', type: 'DOUBLE', unit: 'S/cm', sql: `CASE WHEN p.co > 2 * p.co_err THEN p.co_err * p.s_per_d END`, comment: 'Standard error of conductivity_s_cm (S/cm)' },
  ],
};
