/**
 * The notebook entry point (dist/notebook/index.js). The ionsift kernel loads this module
 * and puts `open`, `sql`, `plot`, `display`, `charts`, `Chart` on the first cell's scope;
 * plain Node/tslab users can `await import()` it. Kept independent of src/index.ts so the
 * notebook surface can be built and tested on its own.
 *
 *   const db = await open('../datasets.duckdb');         // read-only by default
 *   await sql`SELECT count(*) AS n FROM trajectories`;     // shows a table, returns rows
 *   await plot.hops({ element: 'Li' });                    // shows the chart, returns it
 *   const t = await db.arrow('SELECT * FROM events');      // apache-arrow Table
 */
import { openDatabase, plain, sqlTemplate, type Database, type OpenOptions, type Row, type Value } from './db.js';
import { Chart } from './chart.js';
import * as d from './display.js';
import { buildPlot, checkFilters, descriptorColumns } from '../plots/queries.js';
import { Table as ArrowTable } from 'apache-arrow';
import { num, str, type RowOf, type TableName, type TableRows } from './values.js';
import { plotHelpMarkdown } from './plot-help.js';
import * as specs from '../plots/specs.js';
import { renderPng, renderSvg, svgToPng } from '../plots/render.js';
import { PLOT_KINDS, type PlotFilters, type PlotKind } from '../plots/types.js';
import type { SpecOptions } from '../plots/specs.js';
import { pearson } from '../stats/correlation.js';
import { temperatureCorrelation } from '../plots/temperature-correlation.js';

export type { Database, OpenOptions, Row, Value, PlotFilters, PlotKind, SpecOptions, RowOf, TableName, TableRows };
export { num, str };
export type * from './table-rows.js';
export type { MimeBundle, TableOptions } from './display.js';
export type * from '../plots/types.js';
export { Chart, PLOT_KINDS };
/** apache-arrow's Table, re-exported so cells outside this checkout can name the type of db.arrow(). */
export type { Table } from 'apache-arrow';

/**
 * Filters and layout of one plot call: material, element, temperature_k, trajectory,
 * descriptor, top, basis, maxPoints (filters) and title, width (layout). `plot.help()` lists
 * them with what each does; an unknown key is refused with the list of valid ones.
 */
export type PlotOptions = PlotFilters & SpecOptions;

const LAYOUT_KEYS = ['title', 'width'] as const;

/** One helper per plot kind; each runs its (downsampled) SQL, builds the chart and shows it. */
export interface PlotHelpers {
  /** Hop timeline of one trajectory (`trajectory`, else the one with most hops), coloured by concerted group. */
  hops(o?: PlotOptions): Promise<Chart>;
  /** n-body correlation distribution with the fitted exponential decay, per material (or trajectory). */
  correlations(o?: PlotOptions): Promise<Chart>;
  /** A descriptor (`descriptor`: a column of the descriptors view) against D, with trend and Pearson r. */
  descriptor(o?: PlotOptions): Promise<Chart>;
  /** log D vs 1000/T per material with the fitted lines, Ea in the legend. */
  arrhenius(o?: PlotOptions): Promise<Chart>;
  /** MSD vs lag time with the fit window shaded. */
  msd(o?: PlotOptions): Promise<Chart>;
  /** Top candidates (`top`, default 15) by D at 300 K (or measured, `basis: 'measured'`) with their descriptors. */
  screening(o?: PlotOptions): Promise<Chart>;
  /** Site map of one run and element on two cell axes (colour by type, size by occupancy) with the jumps between sites. */
  siteMap(o?: PlotOptions): Promise<Chart>;
  /** Show the plot kinds and their options. */
  help(): void;
}

export interface NotebookDatabase extends Database {
  /** Build a chart without showing it. */
  chart(kind: PlotKind, o?: PlotOptions): Promise<Chart>;
  /** Build and show a chart of each kind. */
  readonly plot: PlotHelpers;
  /** Run SQL, show the rows as a table, return them. */
  table<T extends object = Row>(sql: string, opts?: d.TableOptions): Promise<T[]>;
  /** Numeric columns of the descriptors view (what `plot.descriptor` can put on the x axis). */
  descriptors(): Promise<string[]>;
  /** Rows of a table or view, typed from the schema (`where`/`orderBy` are SQL), without showing them. */
  rows<N extends TableName>(table: N, o?: { where?: string; orderBy?: string; limit?: number }): Promise<TableRows[N][]>;
}

let current: NotebookDatabase | null = null;

function splitOptions(o: PlotOptions): [PlotFilters, SpecOptions] {
  const { title, width, ...filters } = o;
  return [filters, { title, width }];
}

function helpers(chart: (kind: PlotKind, o?: PlotOptions) => Promise<Chart>): PlotHelpers {
  const show = (kind: PlotKind) => async (o: PlotOptions = {}) => (await chart(kind, o)).show();
  return {
    hops: show('hops'),
    correlations: show('correlations'),
    descriptor: show('descriptor'),
    arrhenius: show('arrhenius'),
    msd: show('msd'),
    screening: show('screening'),
    siteMap: show('site-map'),
    help: () => d.markdown(plotHelpMarkdown()),
  };
}

/**
 * Open a DuckDB database (read-only unless `{ readOnly: false }`) and make it the one that
 * `sql` and `plot` use. Default path: $IONSIFT_DB, else datasets.duckdb.
 */
export async function open(path: string = process.env.IONSIFT_DB ?? 'datasets.duckdb', opts: OpenOptions = {}): Promise<NotebookDatabase> {
  const db = await openDatabase(path, opts);
  const q = (s: string) => db.query<Record<string, unknown>>(s);
  const chart = async (kind: PlotKind, o: PlotOptions = {}): Promise<Chart> => {
    checkFilters(`plot.${kind}`, o as Record<string, unknown>, LAYOUT_KEYS);
    const [filters, layout] = splitOptions(o);
    return new Chart(await buildPlot(q, kind, filters, layout), kind);
  };
  const nb: NotebookDatabase = {
    ...db,
    path: db.path,
    readOnly: db.readOnly,
    chart,
    plot: helpers(chart),
    async table<T extends object = Row>(s: string, o: d.TableOptions = {}): Promise<T[]> {
      const rows = await db.query<Row>(s);
      d.table(rows, o);
      return d.markShown(d.quiet(rows, `[${rows.length} row${rows.length === 1 ? '' : 's'}]`)) as unknown as T[];
    },
    descriptors: async () => descriptorColumns(),
    async rows<N extends TableName>(table: N, o: { where?: string; orderBy?: string; limit?: number } = {}): Promise<TableRows[N][]> {
      const known = await db.query<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views() WHERE NOT internal`);
      if (!known.some((k) => k.name === table)) throw new Error(`no table or view "${table}" in ${db.path} (there are: ${known.map((k) => k.name).sort().join(', ')})`);
      const sqlText = `SELECT * FROM "${table}"${o.where ? ` WHERE ${o.where}` : ''}${o.orderBy ? ` ORDER BY ${o.orderBy}` : ''}${o.limit !== undefined ? ` LIMIT ${Math.floor(o.limit)}` : ''}`;
      return (await db.query(sqlText)) as unknown as TableRows[N][];
    },
    close() {
      db.close();
      if (current === nb) current = null;
    },
  };
  current = nb;
  return d.quiet(nb, `ionsift database ${db.path}${db.readOnly ? ' (read-only)' : ''}`);
}

function need(): NotebookDatabase {
  if (!current) throw new Error('no database open: call `await open("path/to/db.duckdb")` first');
  return current;
}

/**
 * Run SQL against the open database, show the rows as a table and return them.
 * As a tagged template, interpolated values become SQL literals (quoted, not spliced):
 * sql`SELECT * FROM trajectories WHERE material = ${m}`.
 */
export async function sql<T extends object = Row>(query: string | TemplateStringsArray, ...values: unknown[]): Promise<T[]> {
  return need().table<T>(sqlTemplate(query, values));
}

/** Plot helpers on the database opened last. */
export const plot: PlotHelpers = helpers((kind, o) => need().chart(kind, o));

/** Pure Vega-Lite spec builders (rows in, spec out) and their constants. */
export const charts = {
  hopTimeline: specs.hopTimelineSpec,
  correlation: specs.correlationSpec,
  descriptor: specs.descriptorSpec,
  arrhenius: specs.arrheniusSpec,
  msd: specs.msdSpec,
  screening: specs.screeningSpec,
  /** Pearson r over the pairs where both values are finite, and how many pairs that is. */
  pearson,
  /** Pearson r of (x, log10 D) at each temperature and with 1/T held fixed (plus pooled, for comparison). */
  temperatureCorrelation,
  vegaLiteMime: specs.VEGA_LITE_MIME,
};

/** Headless rendering of any Vega-Lite spec. */
export const render = { svg: renderSvg, png: renderPng, svgToPng };

export interface Display {
  /** Show a Chart, a spec, rows (as a table) or any value (as text). */
  (value: unknown): Promise<void>;
  bundle: typeof d.bundle;
  html: typeof d.html;
  markdown: typeof d.markdown;
  text: typeof d.text;
  svg: typeof d.svg;
  png: typeof d.png;
  json: typeof d.json;
  table: typeof d.table;
  /** Show a Vega-Lite spec as a chart (SVG + spec). */
  vegalite(spec: specs.TopLevelSpec): Promise<void>;
}

async function displayAny(v: unknown): Promise<void> {
  if (v instanceof Chart) {
    await v.show();
  } else if (v instanceof ArrowTable) {
    // An Arrow table is shown as a table of its rows (plain values, bigint as number).
    d.table(v.toArray().map((r: { toJSON(): Record<string, unknown> }) => plain(r.toJSON()) as Row));
  } else if (Array.isArray(v) && v.every((r) => typeof r === 'object' && r !== null && !Array.isArray(r))) {
    d.table(v as Row[]);
  } else if (typeof v === 'object' && v !== null && '$schema' in v && String((v as { $schema: unknown }).$schema).includes('vega-lite')) {
    await new Chart(v as specs.TopLevelSpec).show();
  } else if (typeof v === 'string') {
    d.text(v);
  } else {
    d.json(v);
  }
}

export const display: Display = Object.assign(displayAny, {
  bundle: d.bundle,
  html: d.html,
  markdown: d.markdown,
  text: d.text,
  svg: d.svg,
  png: d.png,
  json: d.json,
  table: d.table,
  vegalite: async (spec: specs.TopLevelSpec) => {
    await new Chart(spec).show();
  },
});

/** The database `sql` and `plot` use (the one opened last), or null. */
export function currentDatabase(): NotebookDatabase | null {
  return current;
}
