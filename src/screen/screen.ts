/**
 * Screening queries: rank materials by room-temperature D or σ extrapolated from Arrhenius fits
 * (refitted here with the one fit, analysis/arrhenius-rows.ts, so temperature/species filters
 * apply), with their descriptors PER TEMPERATURE (a hop rate or a Haven ratio averaged over
 * temperatures means nothing): the mean over that temperature's trajectories whose tracer D is
 * resolved, each descriptor over the rows where it is itself resolved (not NULL), with that n;
 * and the Pearson/Spearman correlation of every descriptor
 * with log10 D across the rows whose tracer D is resolved, n per descriptor. Materials whose
 * ranking keys lie within 1.96 combined standard errors are marked as not told apart.
 */
import type { Store } from '../store/db.js';
import { arrheniusRows, type ArrheniusRow } from '../analysis/arrhenius-rows.js';
import { arrheniusPoints, pointFilterSql } from '../store/arrhenius-points.js';
import { descriptorsView } from '../store/tables/descriptors-view.js';
import { pearson, spearman } from '../stats/correlation.js';

/** Descriptor columns of the `descriptors` view correlated with log10 D (those marked 'screen'). */
export const DESCRIPTOR_COLUMNS: readonly string[] = descriptorsView.columns.filter((c) => c.use?.includes('screen')).map((c) => c.name);
export type DescriptorColumn = string;

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
  /**
   * 1-based ranks of the other materials this one cannot be told apart from by the ranking key:
   * their difference is within 1.96 combined standard errors (ln D(300 K) or σ(300 K): errors of
   * ln; Ea: errors of Ea). Empty when the key or its error is missing.
   */
  indistinguishableFrom: number[];
  /** Descriptors at each temperature of the material, ascending. */
  perTemperature: TemperatureDescriptors[];
}

/** One material at one temperature: means over its trajectories there whose tracer D is resolved. */
export interface TemperatureDescriptors {
  temperatureK: number;
  nTrajectories: number;
  /** Trajectories whose tracer D is resolved: the rows averaged. */
  nResolved: number;
  /** Mean resolved tracer D (cm²/s); null when none is resolved. */
  dTracerCm2s: number | null;
  /** Mean of each descriptor over the resolved rows where it is not NULL, and that count. */
  descriptors: Partial<Record<DescriptorColumn, { mean: number | null; n: number }>>;
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
  /** Rows with a resolved tracer D: the rows correlated. */
  nResolved: number;
}

const fin = (x: number | null | undefined): number | null => (x === null || x === undefined || !Number.isFinite(x) ? null : x);

export async function screen(store: Store, o: ScreenOptions = {}): Promise<ScreenReport> {
  const by = o.by ?? 'd_300k';
  const fits = arrheniusRows(await arrheniusPoints(store, o));
  const w = pointFilterSql(o, 'element', 'temperature_k');

  const rows = await store.query<Record<string, number | string | null>>(
    `SELECT material, element, log10_d_tracer, d_tracer_cm2_s, ${[...new Set(['temperature_k', ...DESCRIPTOR_COLUMNS])].join(', ')}
     FROM descriptors ${w.conditions.length ? `WHERE ${w.conditions.join(' AND ')}` : ''}`,
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
    return { ...f, dTracerMeanCm2s: mean(g.map((r) => r.d_tracer_cm2_s)), perTemperature: perTemperature(g, mean), indistinguishableFrom: [] };
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

  markTies(materials, by);

  // Only rows whose tracer D is resolved (log10 D is NULL otherwise); each descriptor then keeps the
  // rows where it is itself resolved (NULL: e.g. a Haven ratio needs a resolved collective D), and n says how many.
  const resolved = rows.filter((r) => typeof r.log10_d_tracer === 'number');
  const y = resolved.map((r) => r.log10_d_tracer as number);
  const correlations: DescriptorCorrelation[] = DESCRIPTOR_COLUMNS.map((c) => {
    const x = resolved.map((r) => (typeof r[c] === 'number' ? (r[c] as number) : null));
    const p = pearson(x, y), s = spearman(x, y);
    return { descriptor: c, pearson: fin(p.r), spearman: fin(s.r), n: p.n };
  });
  return { by, materials: o.top ? materials.slice(0, o.top) : materials, correlations, nTrajectories: rows.length, nResolved: resolved.length };
}

/** A material's rows grouped by temperature: resolved rows only, n per descriptor. */
function perTemperature(g: Record<string, number | string | null>[], mean: (xs: (number | string | null)[]) => number | null): TemperatureDescriptors[] {
  const byT = new Map<number, Record<string, number | string | null>[]>();
  for (const r of g) {
    const t = typeof r.temperature_k === 'number' ? r.temperature_k : NaN;
    const rows = byT.get(t) ?? [];
    rows.push(r);
    byT.set(t, rows);
  }
  return [...byT.entries()].sort((a, b) => a[0] - b[0]).map(([t, rows]) => {
    const ok = rows.filter((r) => typeof r.log10_d_tracer === 'number');
    const descriptors: TemperatureDescriptors['descriptors'] = {};
    for (const c of DESCRIPTOR_COLUMNS) {
      if (c === 'temperature_k') continue;
      const v = ok.map((r) => r[c]).filter((x) => typeof x === 'number' && Number.isFinite(x));
      descriptors[c] = { mean: mean(v), n: v.length };
    }
    return { temperatureK: t, nTrajectories: rows.length, nResolved: ok.length, dTracerCm2s: mean(ok.map((r) => r.d_tracer_cm2_s)), descriptors };
  });
}

/** The ranking key on a scale where errors add in quadrature, with its standard error. */
function keyWithErr(m: RankedMaterial, by: RankBy): [number, number] | null {
  const lnPair = (x: number | null, e: number | null): [number, number] | null => (x !== null && e !== null && x > 0 && e > 0 ? [Math.log(x), e / x] : null);
  if (by === 'd_300k') return lnPair(m.d300kCm2s, m.d300kErrCm2s);
  if (by === 'conductivity') return lnPair(m.conductivity300kSCm, m.conductivity300kErrSCm);
  if (by === 'ea') return m.eaEv !== null && m.eaErrEv !== null && m.eaErrEv > 0 ? [-m.eaEv, m.eaErrEv] : null;
  return null;
}

/** Fills indistinguishableFrom: pairs whose keys differ by less than 1.96 combined standard errors. */
function markTies(ms: RankedMaterial[], by: RankBy): void {
  const k = ms.map((m) => keyWithErr(m, by));
  for (let i = 0; i < ms.length; i++) {
    const a = k[i];
    if (!a) continue;
    for (let j = 0; j < ms.length; j++) {
      const b = k[j];
      if (j === i || !b) continue;
      if (Math.abs(a[0] - b[0]) < 1.96 * Math.hypot(a[1], b[1])) ms[i].indistinguishableFrom.push(j + 1);
    }
  }
}
