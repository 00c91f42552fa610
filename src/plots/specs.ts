/**
 * Pure Vega-Lite spec builders: plain rows in (see ./types.ts for the row shapes and the SQL
 * that yields them), a TopLevelSpec out. No I/O, no DB; rendering lives in ./render.ts.
 * Data is inlined as `data.values` so a spec is self-contained (it is attached to notebook
 * outputs as application/vnd.vegalite.v*+json, where no file or URL could be resolved).
 */
import { base, finite, fmt, LOG_AXIS, type SpecOptions, type TopLevelSpec } from './spec-base.js';
import { BOLTZMANN_EV_K } from '../analysis/arrhenius.js';
import { describeTemperatureCorrelation, temperatureCorrelation } from './temperature-correlation.js';
import type {
  ArrheniusFitRow,
  ArrheniusPointRow,
  CorrelationFitRow,
  CorrelationRow,
  DescriptorPointRow,
  HopEventRow,
  MsdRow,
  MsdWindowRow,
} from './types.js';

export type { TopLevelSpec, SpecOptions };
export { VEGA_LITE_MAJOR, VEGA_LITE_MIME, VEGA_LITE_SCHEMA } from './spec-base.js';
export { screeningSpec, type ScreeningSpecOptions } from './screening-spec.js';

// ---------------------------------------------------------------------------------------

/** Colour of hops in no concerted group; no group ever gets it (nor a grey close to it). */
export const ISOLATED_GREY = '#9a9a9a';
/** category20 without its two greys, which would read as "isolated". */
const GROUP_PALETTE = [
  '#1f77b4', '#aec7e8', '#ff7f0e', '#ffbb78', '#2ca02c', '#98df8a', '#d62728', '#ff9896', '#9467bd',
  '#c5b0d5', '#8c564b', '#c49c94', '#e377c2', '#f7b6d2', '#bcbd22', '#dbdb8d', '#17becf', '#9edae5',
];
const LEGEND_MAX = 20;

export interface HopTimelineOptions extends SpecOptions {
  /** Shown under the title, e.g. which trajectory was picked among several that matched. */
  subtitle?: string;
}

/**
 * "Which ion hopped when": one row per ion, each hop a bar over its transit time (ps),
 * coloured by concerted group (isolated hops grey, in the legend too). Groups are ordered
 * numerically. Bars get a minimum visible width since a 0.1 ps transit in a 100 ps run is
 * thinner than a pixel.
 */
export function hopTimelineSpec(rows: readonly HopEventRow[], opts: HopTimelineOptions = {}): TopLevelSpec {
  const width = opts.width ?? 640;
  const tMax = rows.reduce((m, r) => Math.max(m, r.start_ps + r.duration_ps), 0) || 1;
  const minWidth = (tMax * 2) / width;
  const isolated = 'isolated';
  const values = rows.map((r) => ({
    atom: r.atom,
    element: r.element,
    event_id: r.event_id,
    start_ps: r.start_ps,
    end_ps: r.start_ps + Math.max(r.duration_ps, minWidth),
    duration_ps: r.duration_ps,
    group: r.group_id === null || r.group_id === undefined ? isolated : `group ${r.group_id}`,
    n_bodies: r.n_bodies ?? (r.group_id === null ? 1 : null),
  }));
  const groupIds = [...new Set(rows.map((r) => r.group_id).filter((g): g is number => g !== null && g !== undefined))].sort((a, b) => a - b);
  const domain = [isolated, ...groupIds.map((g) => `group ${g}`)];
  const range = [ISOLATED_GREY, ...groupIds.map((_, i) => GROUP_PALETTE[i % GROUP_PALETTE.length])];
  const nAtoms = new Set(rows.map((r) => r.atom)).size || 1;
  const step = Math.max(3, Math.min(14, Math.floor(600 / nAtoms)));
  const tooltip = [
    { field: 'atom', type: 'ordinal' as const },
    { field: 'element', type: 'nominal' as const },
    { field: 'start_ps', type: 'quantitative' as const, format: '.3f' },
    { field: 'duration_ps', type: 'quantitative' as const, format: '.3f' },
    { field: 'group', type: 'nominal' as const },
    { field: 'n_bodies', type: 'quantitative' as const },
  ];
  const first = rows[0];
  const elements = [...new Set(rows.map((r) => r.element))].sort().join(', ');
  const where = [first?.material, finite(first?.temperature_k) ? `${Math.round(first.temperature_k)} K` : null].filter((x) => x).join(' ');
  const title = `Hop timeline${where ? ` of ${where}` : ''}: ${rows.length} ${elements} hops of ${nAtoms} ions`;
  // Colours repeat after 18 groups; the legend lists the first ones and says so.
  const legendTitle = domain.length > LEGEND_MAX ? `concerted group (first ${LEGEND_MAX - 1} of ${groupIds.length}; colours repeat)` : 'concerted group';
  const b = base(title, opts);
  return {
    ...b,
    title: opts.subtitle ? { text: b.title, subtitle: opts.subtitle } : b.title,
    width,
    height: { step },
    data: { values },
    mark: { type: 'bar', height: { band: 0.8 } },
    encoding: {
      x: { field: 'start_ps', type: 'quantitative', title: 'time (ps)', scale: { domain: [0, tMax] } },
      x2: { field: 'end_ps' },
      y: { field: 'atom', type: 'ordinal', title: 'ion (atom index)', sort: 'ascending', axis: { labelOverlap: true } },
      color: {
        field: 'group',
        type: 'nominal',
        title: legendTitle,
        scale: { domain, range },
        legend: { values: domain.slice(0, LEGEND_MAX), symbolType: 'square' },
      },
      tooltip,
    },
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------

/**
 * Does this series decay, so that an exponential in n describes it? The share must be highest
 * at the smallest n and the fitted rate positive; a distribution that peaks at n = 3–5 gets no
 * curve (a fit through it would describe nothing in the data).
 */
export function seriesDecays(points: readonly { n_bodies: number; fraction: number }[], decayRate: number | null | undefined): boolean {
  if (!finite(decayRate) || decayRate <= 0 || points.length < 2) return false;
  const sorted = [...points].sort((a, b) => a.n_bodies - b.n_bodies);
  return sorted.every((p) => p.fraction <= sorted[0].fraction);
}

/**
 * Share of hop events in n-body concerted groups (points) with the fitted
 * y = offset + amplitude·exp(−k·n) (lines) where the series decays, one colour per series;
 * k (or why no curve is drawn) in the legend.
 */
export interface CorrelationSpecOptions extends SpecOptions {
  /**
   * True when each series pools several trajectories and its fit is a log-linear refit of the
   * pooled distribution: its k is then not the mean of the per-run rates in correlation_fits.
   */
  pooled?: boolean;
}

export function correlationSpec(
  rows: readonly CorrelationRow[],
  fits: readonly CorrelationFitRow[] = [],
  opts: CorrelationSpecOptions = {},
): TopLevelSpec {
  const bySeries = new Map<string, CorrelationRow[]>();
  for (const r of rows) {
    let l = bySeries.get(r.series);
    if (!l) bySeries.set(r.series, (l = []));
    l.push(r);
  }
  const fitBy = new Map(fits.map((f) => [f.series, f]));
  const drawn = new Set<string>();
  for (const [sName, pts] of bySeries) {
    const f = fitBy.get(sName);
    if (f && finite(f.amplitude) && seriesDecays(pts, f.decay_rate)) drawn.add(sName);
  }
  const label = (s: string): string => {
    const f = fitBy.get(s);
    if (drawn.has(s) && f) return `${s} (k = ${fmt(f.decay_rate)}${finite(f.r2) ? `, r² = ${f.r2.toFixed(2)}` : ''})`;
    return f ? `${s} (does not decay: no fit drawn)` : s;
  };
  const points = rows.map((r) => ({ series: label(r.series), n_bodies: r.n_bodies, fraction: r.fraction, count: r.count ?? null }));
  const nMax = rows.reduce((m, r) => Math.max(m, r.n_bodies), 1);
  const curve: { series: string; n_bodies: number; fraction: number }[] = [];
  for (const f of fits) {
    if (!drawn.has(f.series)) continue;
    for (let n = 1; n <= nMax + 1e-9; n += 0.1) {
      curve.push({ series: label(f.series), n_bodies: n, fraction: (f.offset ?? 0) + f.amplitude * Math.exp(-f.decay_rate * n) });
    }
  }
  const legendTitle = opts.pooled ? 'material element (k, r² of a log-linear refit of the pooled runs)' : 'series (decay rate k, fit r²)';
  const color = { field: 'series', type: 'nominal' as const, title: legendTitle, scale: { domain: [...bySeries.keys()].map(label) } };
  const x = { field: 'n_bodies', type: 'quantitative' as const, title: 'bodies in concerted event (n)', scale: { domainMin: 1 }, axis: { tickMinStep: 1 } };
  // The axis follows the measured points; a fit that overshoots at n = 1 is clipped, not allowed to flatten the data.
  const yMax = Math.min(1, rows.reduce((m, r) => Math.max(m, r.fraction), 0) * 1.15) || 1;
  const y = { field: 'fraction', type: 'quantitative' as const, title: 'fraction of events', scale: { domain: [0, yMax] } };
  return {
    ...base(drawn.size ? 'n-body correlation distribution with exponential fit where it decays' : 'n-body correlation distribution', opts),
    width: opts.width ?? 640,
    height: 360,
    layer: [
      { data: { values: curve }, mark: { type: 'line', strokeWidth: 2, clip: true }, encoding: { x, y, color } },
      {
        data: { values: points },
        mark: { type: 'point', filled: true, size: 70, clip: true },
        encoding: { x, y, color, tooltip: [{ field: 'series' }, { field: 'n_bodies' }, { field: 'fraction', format: '.3f' }, { field: 'count' }] },
      },
    ],
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------


export interface DescriptorSpecOptions extends SpecOptions {
  /** x axis title (default: the descriptor's name). */
  axisTitle?: string;
}

/**
 * A descriptor against D (log scale), coloured by temperature, with a least-squares trend of
 * log10 D on the descriptor at each temperature. The title gives Pearson r at fixed T and the
 * partial r with 1/T held fixed, never the pooled r alone (temperature drives both).
 */
export function descriptorSpec(rows: readonly DescriptorPointRow[], descriptor: string, opts: DescriptorSpecOptions = {}): TopLevelSpec {
  const good = rows.filter((r) => finite(r.x) && finite(r.d_cm2_s) && r.d_cm2_s > 0);
  const corr = temperatureCorrelation(good.map((p) => ({ x: p.x, y: Math.log10(p.d_cm2_s), temperature_k: p.temperature_k ?? null })));
  const values = good.map((p) => ({
    material: p.material,
    element: p.element,
    temperature_k: finite(p.temperature_k) ? Math.round(p.temperature_k) : null,
    x: p.x,
    d_cm2_s: p.d_cm2_s,
    log_d: Math.log10(p.d_cm2_s),
  }));
  const trendTemperatures = corr.perTemperature.map((t) => t.temperature_k);
  const x = { field: 'x', type: 'quantitative' as const, title: opts.axisTitle ?? descriptor, scale: { zero: false } };
  const y = { field: 'd_cm2_s', type: 'quantitative' as const, title: 'tracer D (cm²/s)', scale: { type: 'log' as const }, axis: LOG_AXIS };
  const color = { field: 'temperature_k', type: 'ordinal' as const, title: 'T (K)', scale: { scheme: 'plasma' } };
  const b = base(`${descriptor} vs D (n = ${good.length})`, opts);
  return {
    ...b,
    title: { text: b.title, subtitle: describeTemperatureCorrelation(corr) },
    width: opts.width ?? 640,
    height: 400,
    data: { values },
    layer: [
      {
        mark: { type: 'point', filled: true, size: 60, opacity: 0.8 },
        encoding: {
          x,
          y,
          color,
          shape: { field: 'material', type: 'nominal', legend: new Set(values.map((v) => v.material)).size > 8 ? null : {} },
          tooltip: [{ field: 'material' }, { field: 'element' }, { field: 'temperature_k', title: 'T (K)' }, { field: 'x', title: descriptor, format: '.4g' }, { field: 'd_cm2_s', format: '.3e' }],
        },
      },
      {
        // A trend only where a temperature has ≥ 3 points (through 2 it is no trend at all).
        transform: [
          { filter: { field: 'temperature_k', oneOf: trendTemperatures } },
          { regression: 'log_d', on: 'x', groupby: ['temperature_k'] },
          { calculate: 'pow(10, datum.log_d)', as: 'd_cm2_s' },
        ],
        mark: { type: 'line', strokeDash: [6, 4] },
        encoding: { x, y, color },
      },
    ],
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------

/**
 * Arrhenius plot: log D against 1000/T per (material, element), the fitted
 * D = D0·exp(−Ea / kB T) as a line over the measured range, Ea (± error) in the legend.
 */
export function arrheniusSpec(
  points: readonly ArrheniusPointRow[],
  fits: readonly ArrheniusFitRow[] = [],
  opts: SpecOptions = {},
): TopLevelSpec {
  const key = (m: string, e: string): string => `${m}\u0000${e}`;
  const fitBy = new Map(fits.map((f) => [key(f.material, f.element), f]));
  const label = (m: string, e: string): string => {
    const f = fitBy.get(key(m, e));
    if (!f || !finite(f.ea_ev)) return `${m} ${e}`;
    const err = finite(f.ea_err_ev) ? ` ± ${fmt(f.ea_err_ev, 2)}` : '';
    return `${m} ${e} (Ea = ${fmt(f.ea_ev, 3)}${err} eV)`;
  };
  const good = points.filter((p) => finite(p.temperature_k) && p.temperature_k > 0 && finite(p.d_cm2_s) && p.d_cm2_s > 0);
  const pv = good.map((p) => {
    const err = finite(p.d_err_cm2_s) ? p.d_err_cm2_s : null;
    return {
      series: label(p.material, p.element),
      temperature_k: p.temperature_k,
      inv_t: 1000 / p.temperature_k,
      d_cm2_s: p.d_cm2_s,
      d_err_cm2_s: err,
      // A log axis has no zero: an error bar reaching below D/10 is cut there (the tooltip has the value).
      d_lo: err === null ? null : Math.max(p.d_cm2_s - err, p.d_cm2_s / 10),
      d_hi: err === null ? null : p.d_cm2_s + err,
    };
  });
  // The fitted line spans each series' measured 1000/T range (or 1000/T of 300–1000 K when
  // no points were passed); on a log-D axis two end points make the straight line.
  const lines: { series: string; inv_t: number; d_cm2_s: number }[] = [];
  for (const f of fits) {
    if (!finite(f.ea_ev) || !finite(f.d0_cm2_s) || f.d0_cm2_s <= 0) continue;
    const own = good.filter((p) => p.material === f.material && p.element === f.element).map((p) => 1000 / p.temperature_k);
    const lo = own.length ? Math.min(...own) : 1;
    const hi = own.length ? Math.max(...own) : 1000 / 300;
    const pad = (hi - lo) * 0.05;
    for (const invT of [lo - pad, hi + pad]) {
      lines.push({ series: label(f.material, f.element), inv_t: invT, d_cm2_s: f.d0_cm2_s * Math.exp((-f.ea_ev * invT) / (1000 * BOLTZMANN_EV_K)) });
    }
  }
  const x = { field: 'inv_t', type: 'quantitative' as const, title: '1000 / T (1/K)', scale: { zero: false } };
  const y = { field: 'd_cm2_s', type: 'quantitative' as const, title: 'tracer D (cm²/s)', scale: { type: 'log' as const }, axis: LOG_AXIS };
  const color = { field: 'series', type: 'nominal' as const, title: 'material element (activation energy)' };
  const elements = [...new Set(good.map((p) => p.element))].sort().join(', ');
  return {
    ...base(`Arrhenius plot${elements ? ` of ${elements} tracer D` : ''} (bars: ± standard error)`, opts),
    width: opts.width ?? 640,
    height: 400,
    layer: [
      { data: { values: lines }, mark: { type: 'line', strokeWidth: 2 }, encoding: { x, y, color } },
      {
        data: { values: pv.filter((p) => p.d_lo !== null) },
        mark: { type: 'rule', strokeWidth: 1.5 },
        encoding: { x, y: { ...y, field: 'd_lo' }, y2: { field: 'd_hi' }, color },
      },
      {
        data: { values: pv },
        mark: { type: 'point', filled: true, size: 70 },
        encoding: { x, y, color, tooltip: [{ field: 'series' }, { field: 'temperature_k', title: 'T (K)' }, { field: 'd_cm2_s', format: '.3e' }, { field: 'd_err_cm2_s', title: '± (cm²/s)', format: '.2e' }] },
      },
    ],
  } as TopLevelSpec;
}

// ---------------------------------------------------------------------------------------

/**
 * Tracer MSD against lag time with the window the diffusion coefficient was fitted in
 * shaded (grey; identical windows drawn once, so ten series sharing one window stay legible).
 */
export function msdSpec(rows: readonly MsdRow[], windows: readonly MsdWindowRow[] = [], opts: SpecOptions = {}): TopLevelSpec {
  const label = new Map<string, string>();
  for (const w of windows) label.set(w.series, finite(w.d_cm2_s) ? `${w.series} (D = ${fmt(w.d_cm2_s, 2)})` : w.series);
  const name = (s: string): string => label.get(s) ?? s;
  const lines = rows.filter((r) => finite(r.time_ps) && finite(r.msd_a2)).map((r) => ({ series: name(r.series), time_ps: r.time_ps, msd_a2: r.msd_a2 }));
  const seen = new Set<string>();
  const wins: { fit_start_ps: number; fit_end_ps: number }[] = [];
  for (const w of windows) {
    if (!finite(w.fit_start_ps) || !finite(w.fit_end_ps)) continue;
    const k = `${w.fit_start_ps.toPrecision(6)}:${w.fit_end_ps.toPrecision(6)}`;
    if (seen.has(k)) continue;
    seen.add(k);
    wins.push({ fit_start_ps: w.fit_start_ps, fit_end_ps: w.fit_end_ps });
  }
  const x = { field: 'time_ps', type: 'quantitative' as const, title: 'lag time (ps)' };
  return {
    ...base(wins.length ? 'Mean squared displacement (grey: fit window)' : 'Mean squared displacement', opts),
    width: opts.width ?? 640,
    height: 380,
    layer: [
      {
        data: { values: wins },
        mark: { type: 'rect', color: '#888', opacity: Math.max(0.05, 0.15 / wins.length) },
        encoding: { x: { field: 'fit_start_ps', type: 'quantitative' }, x2: { field: 'fit_end_ps' } },
      },
      {
        data: { values: wins.flatMap((w) => [{ t: w.fit_start_ps }, { t: w.fit_end_ps }]) },
        mark: { type: 'rule', color: '#666', strokeDash: [4, 3] },
        encoding: { x: { field: 't', type: 'quantitative' } },
      },
      {
        data: { values: lines },
        mark: { type: 'line', strokeWidth: 1.8 },
        encoding: {
          x,
          y: { field: 'msd_a2', type: 'quantitative', title: 'MSD (Å²)' },
          color: { field: 'series', type: 'nominal', title: 'series (D in cm²/s)' },
        },
      },
    ],
  } as TopLevelSpec;
}
