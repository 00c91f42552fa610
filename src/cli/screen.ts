/** `ionsift screen --db FILE`: compare materials sharing formula, element and T; rank materials by room-temperature D or σ; descriptor–D correlations. */
import { errorMessage, listOption, numberOption, parseCommandArgs, positiveIntegerOption, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { textTable, jsonText } from '../store/export.js';
import { RANK_BY, screen, type RankBy, type ScreenReport } from '../screen/screen.js';
import { compareMaterials, type MaterialComparison } from '../screen/comparison.js';
import type { Row } from '../store/values.js';

export const help = `usage: ionsift screen --db FILE [--species Li] [--min-temperature K] [--by d_300k|conductivity|ea|d_tracer] [--top N] [--format table|json]

First compares materials that share a formula, mobile element and temperature (e.g. one
compound ordered and disordered): tracer D ± 1σ, hop rates, whether the difference is beyond
both error bars, and the published statement when a published-findings.json sits with the data.
Then ranks materials by the tracer D (or conductivity σ) extrapolated to 300 K from an Arrhenius fit
over their temperatures (refitted with the filters given), shows the mean descriptors of each,
and the Pearson and Spearman correlation (with n) of every descriptor with log10 D over all
(trajectory, element) rows. Materials with a single temperature have no fit; they are listed
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
    D300_cm2_s: sci(m.d300kCm2s),
    sigma300_S_cm: sci(m.conductivity300kSCm),
    D_T_cm2_s: sci(m.dTracerMeanCm2s),
    hops_per_ion_ps: fix(m.descriptors.hop_rate_per_ion_ps ?? null, 4),
    concerted: fix(m.descriptors.concerted_fraction ?? null, 2),
    n_bodies: fix(m.descriptors.n_bodies_mean ?? null, 2),
    back_hop: fix(m.descriptors.back_hop_fraction ?? null, 2),
    haven: fix(m.descriptors.haven_ratio ?? null, 2),
  }));
  const cor: Row[] = r.correlations.map((c) => ({ descriptor: c.descriptor, pearson_r: fix(c.pearson, 3), spearman_rho: fix(c.spearman, 3), n: c.n }));
  return [
    `materials ranked by ${r.by} (${r.materials.length} shown)`,
    mats.length ? textTable(Object.keys(mats[0]), mats) : '(no materials with a positive D)',
    '',
    `correlation of each descriptor with log10 D_tracer over ${r.nTrajectories} (trajectory, element) rows`,
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
