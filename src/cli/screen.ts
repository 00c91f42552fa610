/** `ionsift screen --db FILE`: compare materials sharing formula, element and T; rank materials by room-temperature D or σ; descriptor–D correlations. */
import { errorMessage, listOption, numberOption, parseCommandArgs, positiveIntegerOption, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { textTable, jsonText } from '../store/export.js';
import { RANK_BY, screen, type RankBy, type ScreenReport, type TemperatureDescriptors } from '../screen/screen.js';
import { compareMaterials, type MaterialComparison } from '../screen/comparison.js';
import type { Row } from '../store/values.js';

export const help = `usage: ionsift screen --db FILE [--species Li] [--min-temperature K] [--by d_300k|conductivity|ea|d_tracer] [--top N] [--format table|json]

First compares materials that share a formula, mobile element and temperature (e.g. one
compound ordered and disordered): tracer D ± 1σ, hop rates, whether the difference is beyond
both error bars, and the published statement when a published-findings.json sits with the data.
Then ranks materials by the tracer D (or Nernst–Einstein conductivity σ) extrapolated to 300 K from
an Arrhenius fit over their temperatures (refitted with the filters given), with its 95 % interval,
which ranks cannot be told apart, and warnings (extrapolation far beyond the fitted range,
curvature); shows each material's descriptors per temperature (means over the runs at that
temperature whose D is resolved, n per value, "not resolved" where none is), and the Pearson and Spearman correlation (with n)
of every descriptor with log10 D over the (trajectory, element) rows whose D is resolved. Materials with a single temperature have no fit; they are listed
last, ordered by D at their temperature.`;

const sci = (x: number | null | undefined, d = 2): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toExponential(d));
const fix = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? '–' : x.toFixed(d));

const ratio = (x: number | null): string => (x === null || !Number.isFinite(x) ? '–' : `${x.toFixed(2)}×`);
const withErr = (x: number, e: number | null): string => (e === null ? sci(x) : `${sci(x)} ± ${sci(e, 1)}`);

/** One comparison: the two materials side by side, what the data show, the published statement. */
function formatComparison(c: MaterialComparison): string {
  const rows: Row[] = [c.slower, c.faster].map((m) => ({
    material: m.material,
    n_traj: m.nTrajectories,
    D_tracer_cm2_s: withErr(m.dTracerCm2s, m.dTracerErrCm2s),
    hops_per_ion_ps: fix(m.hopRatePerIonPs, 4),
    D_hops_cm2_s: sci(m.dHopsCm2s),
    'D_tracer/D_hops': fix(m.dHopsCm2s ? m.dTracerCm2s / m.dHopsCm2s : null, 2),
  }));
  const errors = c.beyondErrors === null ? 'error bars unknown' : c.beyondErrors ? 'beyond both error bars' : 'within the error bars';
  const lines = [
    `${c.formula} · ${c.element} · ${c.temperatureK} K: ${c.slower.material} vs ${c.faster.material}`,
    textTable(Object.keys(rows[0]!), rows),
    `data:      ${c.element} diffuses ${ratio(c.dRatio)} faster in ${c.faster.material} than in ${c.slower.material} (tracer D, ${errors})` +
      (c.hopRateRatio === null ? '.' : `; its hop rate per ion is ${ratio(c.hopRateRatio)} that of ${c.slower.material}.`),
  ];
  if (c.finding) {
    lines.push(`published: ${c.finding.statement} (${c.finding.source})`);
    lines.push(
      c.verdict === 'agrees' ? `verdict:   the data agree with the published direction (${c.finding.faster} faster).`
      : c.verdict === 'disagrees' ? `verdict:   the data contradict the published direction (${c.finding.faster} faster).`
      : `verdict:   inconclusive: the difference is not beyond both error bars.`,
    );
  }
  return lines.join('\n');
}

/** The comparisons block printed ahead of the ranking ('' when no two materials are comparable). */
export function formatComparisons(cs: readonly MaterialComparison[]): string {
  if (cs.length === 0) return '';
  const head = `${cs.length} comparison${cs.length === 1 ? '' : 's'} of materials sharing formula, element and temperature (tracer D ± 1σ)`;
  return [head, ...cs.map(formatComparison)].join('\n\n') + '\n';
}

export function formatReport(r: ScreenReport): string {
  const mats: Row[] = r.materials.map((m, i) => ({
    '#': i + 1,
    material: m.material,
    el: m.element,
    T_K: m.tMinK === m.tMaxK ? `${m.tMinK}` : `${m.tMinK}–${m.tMaxK}`,
    n_T: m.nTemperatures,
    Ea_eV: m.eaEv === null ? '–' : `${fix(m.eaEv)}±${fix(m.eaErrEv, 3)}`,
    D300_cm2_s: m.d300kCm2s === null ? '–' : withErr(m.d300kCm2s, m.d300kErrCm2s),
    D300_95pct: m.d300kCi95LowCm2s === null ? '–' : `${sci(m.d300kCi95LowCm2s, 1)}…${sci(m.d300kCi95HighCm2s, 1)}`,
    sigma300_NE_S_cm: m.conductivity300kSCm === null ? '–' : withErr(m.conductivity300kSCm, m.conductivity300kErrSCm),
    same_as: m.indistinguishableFrom.length ? m.indistinguishableFrom.map((k) => `#${k}`).join(' ') : '',
  }));
  // Descriptors per temperature: a value with the number of rows behind it; 'not resolved' when
  // the temperature has runs but none resolves the value (no tracer D, or no collective D for H).
  const cell = (t: TemperatureDescriptors, c: string, d: number): string => {
    const v = t.descriptors[c];
    if (!v || v.n === 0) return t.nTrajectories > 0 ? 'not resolved' : '–';
    return `${fix(v.mean, d)} (${v.n})`;
  };
  const perT: Row[] = r.materials.flatMap((m, i) => m.perTemperature.map((t) => ({
    '#': i + 1,
    material: m.material,
    el: m.element,
    T_K: t.temperatureK,
    n_traj: t.nTrajectories,
    n_resolved: t.nResolved,
    D_T_cm2_s: t.dTracerCm2s === null ? 'not resolved' : sci(t.dTracerCm2s),
    hops_per_ion_ps: cell(t, 'hop_rate_per_ion_ps', 4),
    concerted: cell(t, 'concerted_fraction', 2),
    n_bodies: cell(t, 'n_bodies_mean', 2),
    back_hop: cell(t, 'back_hop_fraction', 2),
    haven: cell(t, 'haven_ratio', 2),
  })));
  const cor: Row[] = r.correlations.map((c) => ({ descriptor: c.descriptor, pearson_r: fix(c.pearson, 3), spearman_rho: fix(c.spearman, 3), n: c.n }));
  const notes = r.materials.flatMap((m, i) => m.warnings.map((w) => `  #${i + 1} ${m.material} ${m.element}: ${w}`));
  const ties = r.materials.some((m) => m.indistinguishableFrom.length > 0);
  return [
    `materials ranked by ${r.by} (${r.materials.length} shown); D300 ± 1σ with its 95 % interval` +
      (ties ? '; same_as lists ranks that cannot be told apart (within 1.96 combined σ)' : ''),
    mats.length ? textTable(Object.keys(mats[0]), mats) : '(no materials with a resolved D)',
    ...(notes.length ? ['warnings:', ...notes] : []),
    '',
    'descriptors per temperature: mean over the trajectories at that T whose tracer D is resolved, (n) rows behind each value; ' +
      '"not resolved" when no row there resolves it (a Haven ratio needs a resolved collective D)',
    perT.length ? textTable(Object.keys(perT[0]), perT) : '(none)',
    '',
    `correlation of each descriptor with log10 D_tracer over the ${r.nResolved} of ${r.nTrajectories} (trajectory, element) rows whose D is resolved ` +
      '(a descriptor NULL in a row, e.g. an unresolved Haven ratio, leaves that row out: n)',
    textTable(['descriptor', 'pearson_r', 'spearman_rho', 'n'], cor),
  ].join('\n');
}

async function runCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    db: { type: 'string' },
    species: { type: 'string', multiple: true },
    'min-temperature': { type: 'string' },
    by: { type: 'string' },
    top: { type: 'string' },
    format: { type: 'string' },
  });
  const by = (values.by ?? 'd_300k') as RankBy;
  const top = positiveIntegerOption('top', values.top);
  const minT = numberOption('min-temperature', values['min-temperature']);
  if (!values.db) throw new UsageError('give --db FILE');
  if (!RANK_BY.includes(by)) throw new UsageError(`--by must be one of ${RANK_BY.join(', ')}`);
  if (values.format !== undefined && !['table', 'json'].includes(values.format)) throw new UsageError('--format must be table or json');
  const store = await openForReading('screen', values.db);
  if (typeof store === 'number') return store;
  try {
    const species = listOption(values.species);
    const report = await screen(store, { species, minTemperatureK: minT, by, top });
    const comparisons = await compareMaterials(store, { species, minTemperatureK: minT });
    if (values.format === 'json') console.log(jsonText({ comparisons, ...report } as unknown as Row[]));
    else console.log([formatComparisons(comparisons), formatReport(report)].filter(Boolean).join('\n'));
    return 0;
  } catch (err) {
    console.error(`ionsift screen: ${errorMessage(err)}`);
    return 1;
  } finally {
    store.close();
  }
}

export const run = withUsage('screen', help, runCommand);
