/** The screening chart: ranked candidates as log bars with their descriptors printed beside them. */
import { formatHaven } from './haven.js';
import { base, CONFIG, finite, LOG_AXIS, type SpecOptions, type TopLevelSpec } from './spec-base.js';
import type { ScreeningRow } from './types.js';

export interface ScreeningSpecOptions extends SpecOptions {
  /** What d_cm2_s holds: D extrapolated to 300 K (default) or the highest measured D. */
  basis?: 'd300' | 'measured';
}

/**
 * Screening: the top candidates by D (log bars, coloured by Ea) with their descriptors
 * printed beside them; rows are drawn in the order given (the query ranks them). The axis says
 * which D it is; the Haven ratio carries its error or "not resolved".
 */
export function screeningSpec(rows: readonly ScreeningRow[], opts: ScreeningSpecOptions = {}): TopLevelSpec {
  const basis = opts.basis ?? 'd300';
  const values = rows
    .filter((r) => finite(r.d_cm2_s) && r.d_cm2_s > 0)
    .map((r, i) => ({
      candidate: `${i + 1}. ${r.material} ${r.element}`,
      d_cm2_s: r.d_cm2_s,
      d_measured_cm2_s: r.d_measured_cm2_s ?? null,
      t_measured_k: r.t_measured_k ?? null,
      ea_ev: r.ea_ev ?? null,
      haven: r.haven_ratio === undefined ? null : formatHaven({ value: r.haven_ratio ?? null, err: r.haven_ratio_err ?? null }),
      haven_note: r.haven_note ?? null,
      concerted_fraction: r.concerted_fraction ?? null,
    }));
  const order = values.map((v) => v.candidate);
  const y = { field: 'candidate', type: 'nominal' as const, sort: order, title: null };
  const dMin = values.reduce((m, v) => Math.min(m, v.d_cm2_s), Infinity);
  const dMax = values.reduce((m, v) => Math.max(m, v.d_cm2_s), 0);
  // Log bars need an explicit floor below the smallest D (a log scale has no zero).
  const floor = Number.isFinite(dMin) ? 10 ** Math.floor(Math.log10(dMin) - 0.5) : 1e-9;
  const top = dMax > 0 ? 10 ** Math.ceil(Math.log10(dMax)) : 1;
  const hasEa = values.some((v) => v.ea_ev !== null);
  const axisTitle = basis === 'd300' ? 'tracer D at 300 K, extrapolated from the Arrhenius fit (cm²/s)' : 'highest measured tracer D (cm²/s)';
  const columns: { field: 'ea_ev' | 'haven' | 'concerted_fraction'; title: string; format: string | null; width: number }[] = [
    { field: 'ea_ev', title: 'Ea (eV)', format: '.3f', width: 60 },
    { field: 'haven', title: 'Haven ratio', format: null, width: 110 },
    { field: 'concerted_fraction', title: 'concerted', format: '.2f', width: 70 },
  ];
  const height = { step: 22 };
  const bars = {
    width: opts.width ?? 420,
    height,
    mark: { type: 'bar' as const },
    transform: [{ calculate: String(floor), as: 'floor' }],
    encoding: {
      y,
      x: { field: 'd_cm2_s', type: 'quantitative' as const, title: axisTitle, scale: { type: 'log' as const, domain: [floor, top] }, axis: LOG_AXIS },
      x2: { field: 'floor' },
      // A candidate without Ea (one temperature) is drawn grey, not dropped as an invalid colour.
      color: hasEa
        ? { field: 'ea_ev', type: 'quantitative' as const, title: 'Ea (eV)', scale: { scheme: 'viridis', reverse: true }, condition: { test: 'datum.ea_ev === null', value: '#bbbbbb' } }
        : { value: '#4c78a8' },
      tooltip: [
        { field: 'candidate' },
        { field: 'd_cm2_s', title: basis === 'd300' ? 'D at 300 K (cm²/s)' : 'measured D (cm²/s)', format: '.3e' },
        { field: 'd_measured_cm2_s', title: 'highest measured D (cm²/s)', format: '.3e' },
        { field: 't_measured_k', title: 'at T (K)' },
        { field: 'ea_ev', title: 'Ea (eV)', format: '.3f' },
        { field: 'haven', title: 'Haven ratio' },
        { field: 'haven_note', title: 'Haven ratio from' },
        { field: 'concerted_fraction', title: 'concerted', format: '.2f' },
      ],
    },
  };
  const texts = columns
    .filter((c) => values.some((v) => v[c.field] !== null))
    .map((c) => ({
      width: c.width,
      height,
      title: { text: c.title, fontSize: 11 },
      transform: [
        { calculate: c.format ? `datum.${c.field} === null ? '–' : format(datum.${c.field}, '${c.format}')` : `datum.${c.field} === null ? '–' : datum.${c.field}`, as: 'label' },
      ],
      mark: { type: 'text' as const, align: 'right' as const, dx: c.width / 2 - 4 },
      encoding: { y: { ...y, axis: null }, text: { field: 'label', type: 'nominal' as const } },
    }));
  const what = basis === 'd300' ? 'D at 300 K (extrapolated)' : 'highest measured D';
  return {
    ...base(`Screening: top ${values.length} candidates by ${what}`, opts),
    data: { values },
    hconcat: [bars, ...texts],
    resolve: { scale: { color: 'independent' } },
    config: { ...CONFIG, view: { stroke: null } },
  } as TopLevelSpec;
}
