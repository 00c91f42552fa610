/**
 * Screening queries: rank materials by room-temperature D or σ extrapolated from Arrhenius fits
 * (refitted here so temperature/species filters apply), with their mean descriptors, and the
 * Pearson/Spearman correlation of every descriptor with log10 D across the database.
 */
import type { Store } from '../store/db.js';
import { arrheniusRows, type ArrheniusRow, type DiffusionPoint } from '../analysis/arrhenius-rows.js';
import { pearson, spearman } from '../stats/correlation.js';

/** Descriptor columns of the `descriptors` view correlated with log10 D. */
export const DESCRIPTOR_COLUMNS = [
  'hop_rate_per_ion_ps',
  'time_to_first_hop_ps_mean',
  'event_duration_ps_mean',
  'hop_length_a_mean',
  'residence_ps_mean',
  'concerted_fraction',
  'n_bodies_mean',
  'back_hop_fraction',
  'decay_rate',
  'correlation_amplitude',
  'haven_ratio',
  'volume_per_ion_a3',
  'temperature_k',
] as const;
export type DescriptorColumn = (typeof DESCRIPTOR_COLUMNS)[number];

export const RANK_BY = ['d_300k', 'conductivity', 'ea', 'd_tracer'] as const;
export type RankBy = (typeof RANK_BY)[number];

export interface ScreenOptions {
  species?: string[];
  minTemperatureK?: number;
  by?: RankBy;
  top?: number;
}

export interface RankedMaterial extends ArrheniusRow {
  /** Mean tracer D over the material's trajectories at their own temperatures (cm²/s). */
  dTracerMeanCm2s: number | null;
  descriptors: Partial<Record<DescriptorColumn, number | null>>;
}

export interface DescriptorCorrelation {
  descriptor: DescriptorColumn;
  pearson: number | null;
  spearman: number | null;
  n: number;
}

export interface ScreenReport {
  by: RankBy;
  materials: RankedMaterial[];
  correlations: DescriptorCorrelation[];
  nTrajectories: number;
}

function where(o: ScreenOptions): { sql: string; params: (string | number)[] } {
  const parts: string[] = [];
  const params: (string | number)[] = [];
  if (o.species?.length) {
    parts.push(`element IN (${o.species.map((s) => (params.push(s), `$${params.length}`)).join(', ')})`);
  }
  if (o.minTemperatureK !== undefined) {
    params.push(o.minTemperatureK);
    parts.push(`temperature_k >= $${params.length}`);
  }
  return { sql: parts.length ? `WHERE ${parts.join(' AND ')}` : '', params };
}

const fin = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export async function screen(store: Store, o: ScreenOptions = {}): Promise<ScreenReport> {
  const by = o.by ?? 'd_300k';
  const w = where(o);
  const points = await store.query<DiffusionPoint>(
    `SELECT material, formula, element, temperature_k,
            d_tracer_cm2_s AS d_cm2_s, d_tracer_err AS d_err,
            CASE WHEN conductivity_s_cm > 0 THEN conductivity_s_cm * temperature_k / d_tracer_cm2_s END AS sigma_t_over_d
     FROM descriptors ${w.sql ? `${w.sql} AND` : 'WHERE'} d_tracer_cm2_s > 0 AND temperature_k > 0
     ORDER BY material, element, temperature_k, trajectory_id`,
    w.params,
  );
  const fits = arrheniusRows(points);

  const rows = await store.query<Record<string, number | string | null>>(
    `SELECT material, element, log10_d_tracer, d_tracer_cm2_s, ${DESCRIPTOR_COLUMNS.join(', ')}
     FROM descriptors ${w.sql}`,
    w.params,
  );
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) {
    const k = `${r.material}\u0000${r.element}`;
    const g = byKey.get(k) ?? [];
    g.push(r);
    byKey.set(k, g);
  }
  const mean = (xs: (number | string | null)[]): number | null => {
    const v = xs.filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  const materials: RankedMaterial[] = fits.map((f) => {
    const g = byKey.get(`${f.material}\u0000${f.element}`) ?? [];
    const descriptors: Partial<Record<DescriptorColumn, number | null>> = {};
    for (const c of DESCRIPTOR_COLUMNS) descriptors[c] = mean(g.map((r) => r[c]));
    return { ...f, dTracerMeanCm2s: mean(g.map((r) => r.d_tracer_cm2_s)), descriptors };
  });
  const key = (m: RankedMaterial): number | null =>
    by === 'd_300k' ? m.d300kCm2s : by === 'conductivity' ? m.conductivity300kSCm : by === 'ea' ? (m.eaEv === null ? null : -m.eaEv) : m.dTracerMeanCm2s;
  // Descending by the key; materials without one (a single temperature) go last.
  materials.sort((a, b) => {
    const ka = fin(key(a)), kb = fin(key(b));
    if (ka === null && kb === null) return (fin(b.dTracerMeanCm2s) ?? -Infinity) - (fin(a.dTracerMeanCm2s) ?? -Infinity);
    if (ka === null) return 1;
    if (kb === null) return -1;
    return kb - ka;
  });

  const y = rows.map((r) => (typeof r.log10_d_tracer === 'number' ? r.log10_d_tracer : null));
  const correlations: DescriptorCorrelation[] = DESCRIPTOR_COLUMNS.map((c) => {
    const x = rows.map((r) => (typeof r[c] === 'number' ? (r[c] as number) : null));
    const p = pearson(x, y), s = spearman(x, y);
    return { descriptor: c, pearson: fin(p.r), spearman: fin(s.r), n: p.n };
  });
  return { by, materials: o.top ? materials.slice(0, o.top) : materials, correlations, nTrajectories: rows.length };
}
