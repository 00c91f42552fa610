/**
 * `buildReport`: the whole database as one self-contained HTML page — screening ranking (D at
 * 300 K and measured D), Arrhenius plot, descriptor–D correlations per temperature, n-body
 * distributions, MSD and hop timeline per trajectory, failures and warnings, provenance.
 * A chart whose selection is empty is a sentence saying why, never an empty frame.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildPlot, type QueryFn } from '../plots/queries.js';
import { renderSvg } from '../plots/render.js';
import type { SpecOptions } from '../plots/specs.js';
import { PlotInputError, type PlotFilters, type PlotKind } from '../plots/types.js';
import { chartHtml, esc, page, tableHtml, type ChartBlock } from './html.js';
import { descriptorCorrelations, failures, provenance, trajectoryList, transport, warnings } from './data.js';
import { formatHaven, havenEstimate } from '../plots/haven.js';

export interface ReportOptions {
  /** Shown in the title and provenance (the database file). */
  database?: string;
  /** Trajectories that get their own MSD and hop timeline (default 24; the rest are listed). */
  maxTrajectories?: number;
  /** Hop events per timeline (default 1500: a report is mailed). */
  maxHops?: number;
  /** Fixed "generated at" time (tests); default now. */
  now?: Date;
}

export interface Report {
  html: string;
  /** Charts drawn. */
  charts: number;
  /** Charts not drawn because their selection is empty (each said in the page). */
  unavailable: string[];
  /** Unexpected errors (also shown in the page); the CLI exits non-zero on any. */
  errors: string[];
}

function ionsiftVersion(): string {
  try {
    const here = dirname(fileURLToPath(import.meta.url));
    return (JSON.parse(readFileSync(join(here, '..', '..', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** Vega names its clip paths clip0, clip1 … in every SVG: prefix them so inline SVGs do not share ids. */
function uniqueIds(svg: string, prefix: string): string {
  return svg.replace(/id="([^"]+)"/g, `id="${prefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${prefix}-$1)`);
}

export async function buildReport(q: QueryFn, o: ReportOptions = {}): Promise<Report> {
  const charts: ChartBlock[] = [];
  const unavailable: string[] = [];
  const errors: string[] = [];
  const chart = async (kind: PlotKind, f: PlotFilters = {}, opts: SpecOptions = {}): Promise<string> => {
    try {
      const spec = await buildPlot(q, kind, f, opts);
      const id = `chart-${charts.length + 1}`;
      const block = { id, kind, spec, svg: uniqueIds(await renderSvg(spec), id) };
      charts.push(block);
      return chartHtml(block);
    } catch (err) {
      const msg = err instanceof Error ? err.message : String(err);
      if (err instanceof PlotInputError) {
        unavailable.push(msg);
        return `<p class="unavailable">Not available: ${esc(msg)}</p>`;
      }
      errors.push(`${kind}: ${msg}`);
      return `<p class="unavailable">Could not draw ${esc(kind)}: ${esc(msg)}</p>`;
    }
  };

  const prov = await provenance(q);
  const trajs = await trajectoryList(q);
  const fails = await failures(q);
  const warns = await warnings(q);
  const corr = await descriptorCorrelations(q);
  const now = (o.now ?? new Date()).toISOString();
  const title = `ionsift report${o.database ? `: ${o.database.split('/').pop()}` : ''}`;
  const maxT = o.maxTrajectories ?? 24;

  const parts: string[] = [];
  parts.push(`<h1>${esc(title)}</h1>`);
  parts.push(
    `<p class="note">${prov.trajectories} trajectories of ${prov.materials} materials; generated ${esc(now)} by ionsift ${esc(ionsiftVersion())}. ` +
      `Every number that the analysis could not resolve is shown as “not resolved”, never as a value.</p>`,
  );
  parts.push(
    '<nav><a href="#screening">Screening</a><a href="#arrhenius">Arrhenius</a><a href="#descriptors">Descriptors</a>' +
      '<a href="#correlations">n-body</a><a href="#trajectories">Trajectories</a><a href="#problems">Failures and warnings</a><a href="#provenance">Provenance</a></nav>',
  );

  parts.push('<h2 id="screening">Screening</h2>');
  parts.push('<p class="note">Ranked by tracer D extrapolated to 300 K from each material’s Arrhenius fit (only materials with runs at two or more temperatures), then by the highest measured D, which can order them differently.</p>');
  parts.push(await chart('screening', { basis: 'd300' }));
  parts.push(await chart('screening', { basis: 'measured' }));

  const pm = (v: number | null, e: number | null): string =>
    v === null ? 'not resolved' : e === null ? v.toExponential(2) : `${v.toExponential(2)} ± ${e.toExponential(1)}`;
  parts.push(
    tableHtml(
      ['material', 'element', 'T (K)', 'tracer D (cm²/s)', 'collective D (cm²/s)', 'Haven ratio', 'conductivity (S/cm)'],
      (await transport(q)).map((r) => [
        r.material,
        r.element,
        r.temperature_k,
        pm(r.d_tracer_cm2_s, r.d_tracer_err),
        pm(r.d_collective_cm2_s, r.d_collective_err),
        formatHaven(havenEstimate([r])),
        pm(r.conductivity_s_cm, r.conductivity_err_s_cm),
      ]),
      'Transport per run (± standard error; a Haven ratio only where the collective D is at least twice its error)',
    ),
  );

  parts.push('<h2 id="arrhenius">Arrhenius plot</h2>');
  parts.push(await chart('arrhenius'));

  parts.push('<h2 id="descriptors">Descriptors and D</h2>');
  parts.push(
    '<p class="note">Pearson r between each descriptor and log10 tracer D, at each temperature (n ≥ 3) and with 1/T held fixed (partial r). ' +
      'Pooled r over all temperatures mostly measures temperature and is given only for comparison.</p>',
  );
  const fr = (r: number): string => (Number.isFinite(r) ? r.toFixed(2) : 'not resolved');
  parts.push(
    tableHtml(
      ['descriptor', 'r at each temperature (n)', 'partial r | 1/T (n)', 'pooled r (n)'],
      corr.map((c) => [
        c.unit ? `${c.descriptor} (${c.unit})` : c.descriptor,
        c.correlation.perTemperature.length ? c.correlation.perTemperature.map((t) => `${t.temperature_k} K: ${fr(t.r)} (${t.n})`).join('; ') : 'no temperature with ≥ 3 points',
        `${fr(c.correlation.partialR)} (${c.correlation.partialN})`,
        `${fr(c.correlation.pooledR)} (${c.correlation.pooledN})`,
      ]),
    ),
  );
  parts.push(await chart('descriptor'));

  parts.push('<h2 id="correlations">n-body correlations</h2>');
  parts.push('<p class="note">Share of hop events in concerted groups of n ions. An exponential is drawn only where the distribution decays from n = 1.</p>');
  parts.push(await chart('correlations'));

  parts.push('<h2 id="trajectories">Trajectories</h2>');
  parts.push(
    tableHtml(
      ['material', 'T (K)', 'name', 'frames', 'duration (ps)', 'method', 'hops', 'trajectory_id'],
      trajs.map((t) => [t.material, t.temperature_k, t.name, t.n_frames, t.duration_ps, t.method, Number(t.n_events), t.trajectory_id]),
    ),
  );
  const shown = trajs.slice(0, maxT);
  if (trajs.length > shown.length) parts.push(`<p class="note">MSD and hop timelines of the first ${shown.length} of ${trajs.length} trajectories (ionsift report --max-trajectories N for more).</p>`);
  for (const t of shown) {
    parts.push(`<h3>${esc(t.material)} ${t.temperature_k === null ? '' : `${Math.round(t.temperature_k)} K`} <small>${esc(t.name)}</small></h3>`);
    parts.push(await chart('msd', { trajectory: t.trajectory_id }));
    parts.push(await chart('hops', { trajectory: t.trajectory_id, maxPoints: o.maxHops ?? 1500 }));
  }

  parts.push('<h2 id="problems">Failures and warnings</h2>');
  parts.push(fails.length ? tableHtml(['file', 'stage', 'message', 'when'], fails.map((f) => [f.path, f.stage, f.message, f.at])) : '<p>No file failed.</p>');
  parts.push(warns.length ? tableHtml(['material', 'T (K)', 'trajectory', 'warning'], warns.map((w) => [w.material, w.temperature_k, w.name, w.warning])) : '<p>No warnings.</p>');
  if (unavailable.length || errors.length) {
    parts.push(`<p>Charts not drawn: ${[...unavailable, ...errors].map((m) => esc(m)).join('<br>')}</p>`);
  }

  parts.push('<h2 id="provenance">Provenance</h2>');
  parts.push(
    tableHtml(
      ['', ''],
      [
        ['database', o.database ?? '(not given)'],
        ['ionsift version', ionsiftVersion()],
        ['schema version', prov.schemaVersion],
        ['hop detectors', prov.methods.join(', ') || 'none recorded'],
        ['first indexed (UTC)', prov.firstIndexed],
        ['last indexed (UTC)', prov.lastIndexed],
        ['report generated (UTC)', now],
      ],
    ),
  );
  parts.push('<p>Analysis parameters (resolved, per group of trajectories):</p>');
  for (const p of prov.params) parts.push(`<p class="note">${p.n} trajector${p.n === 1 ? 'y' : 'ies'}:</p><pre>${esc(p.params_json)}</pre>`);

  return { html: page(title, parts.join('\n'), charts), charts: charts.length, unavailable, errors };
}
