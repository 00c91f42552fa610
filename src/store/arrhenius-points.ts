/**
 * The per-trajectory diffusion points the Arrhenius fit (analysis/arrhenius-rows.ts) takes:
 * one query for the stored `arrhenius` table and for screen's filtered refit.
 */
import type { Store } from './db.js';
import type { DiffusionPoint } from '../analysis/arrhenius-rows.js';
import { MATERIAL_SQL } from './tables/descriptors-view.js';

export interface PointFilter {
  /** Only these elements. */
  species?: readonly string[];
  /** Only trajectories at or above this temperature (K). */
  minTemperatureK?: number;
}

/** SQL conditions (with $n parameters) for the filter, on the given element and temperature columns. */
export function pointFilterSql(f: PointFilter, element: string, temperature: string): { conditions: string[]; params: (string | number)[] } {
  const conditions: string[] = [];
  const params: (string | number)[] = [];
  if (f.species?.length) conditions.push(`${element} IN (${f.species.map((s) => (params.push(s), `$${params.length}`)).join(', ')})`);
  if (f.minTemperatureK !== undefined) {
    params.push(f.minTemperatureK);
    conditions.push(`${temperature} >= $${params.length}`);
  }
  return { conditions, params };
}

/**
 * Trajectories with a positive fitted tracer D and a temperature, ordered as the fit expects.
 * The fitted value, not the stored `d_tracer_cm2_s` (NULL unless above 2σ): keeping only the
 * resolved runs would keep, at the cold end, only those that fluctuated high, and bias Ea low
 * and D(300 K) high. An unresolved run enters with its (large) error, which weights it down. (Rows indexed before the fitted value was stored have only the resolved one.)
 */
export async function arrheniusPoints(store: Store, f: PointFilter = {}): Promise<DiffusionPoint[]> {
  const w = pointFilterSql(f, 'd.element', 't.temperature_k');
  const where = ['coalesce(d.d_tracer_fit_cm2_s, d.d_tracer_cm2_s) > 0', 't.temperature_k > 0', ...w.conditions];
  return store.query<DiffusionPoint>(
    `SELECT ${MATERIAL_SQL} AS material, t.formula, d.element, t.temperature_k,
            coalesce(d.d_tracer_fit_cm2_s, d.d_tracer_cm2_s) AS d_cm2_s, d.d_tracer_err AS d_err,
            CASE WHEN d.conductivity_ne_s_cm > 0 THEN d.conductivity_ne_s_cm * t.temperature_k / d.d_tracer_cm2_s END AS sigma_t_over_d
     FROM diffusion d JOIN trajectories t USING (trajectory_id)
     WHERE ${where.join(' AND ')}
     ORDER BY material, d.element, t.temperature_k, t.trajectory_id`,
    w.params,
  );
}
