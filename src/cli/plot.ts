/** `ionsift plot KIND --db FILE --out chart.svg|png|json` — a Vega-Lite chart rendered headless. */
import { writeFile } from 'node:fs/promises';
import { errorMessage, parseCommandArgs, positiveIntegerOption, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { buildPlot, descriptorColumns } from '../plots/queries.js';
import { renderSvg, svgToPng } from '../plots/render.js';
import { PLOT_KINDS, SCREENING_BASES, isPlotKind, type PlotFilters } from '../plots/types.js';

export const help = `usage: ionsift plot KIND --db FILE --out FILE [options]

KIND is one of:
  hops          hop timeline of one trajectory: one row per ion, each hop a bar on a time
                axis (ps), coloured by concerted group (default trajectory: most hops)
  correlations  n-body correlation distribution with the fitted exponential decay,
                per material and element (per trajectory with --trajectory)
  descriptor    a descriptor (--descriptor, a column of the descriptors view) against D on
                a log scale, coloured by temperature, with Pearson r at each temperature
                and with 1/T held fixed in the title
  arrhenius     log D (± standard error) against 1000/T per material with the fitted
                lines, Ea ± error in the legend
  msd           mean squared displacement against lag time, the fit window shaded
  screening     the top candidates by D extrapolated to 300 K (--basis measured: by the
                highest measured D) with Ea, Haven ratio ± error and concerted fraction

The database is opened read-only. Data are downsampled in DuckDB (≤ --max-points marks).

options:
  --db FILE            DuckDB database written by ionsift index (required)
  --out FILE           .svg, .png or .json (the Vega-Lite spec) (required)
  --material M         only this material
  --element E          only this mobile element (e.g. Li)
  --temperature-k T    only runs at this temperature (K, ±0.5)
  --trajectory ID      only this trajectory (trajectories.trajectory_id)
  --descriptor NAME    x axis of the descriptor plot (default hop_rate_per_ion_ps);
                       --descriptor list prints the choices
  --top N              candidates in the screening chart (default 15)
  --basis B            screening: d300 (D extrapolated to 300 K, default) or measured
  --max-points N       downsampling bound (default 5000)
  --width PX           PNG width in pixels (default: twice the SVG size)
  --title TEXT         chart title
  -h, --help           this text`;

async function runCommand(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' },
    out: { type: 'string', short: 'o' },
    material: { type: 'string' },
    element: { type: 'string' },
    trajectory: { type: 'string' },
    'temperature-k': { type: 'string' },
    basis: { type: 'string' },
    descriptor: { type: 'string' },
    top: { type: 'string' },
    'max-points': { type: 'string' },
    width: { type: 'string' },
    title: { type: 'string' },
  });
  const kind = positionals[0];
  if (!kind || !isPlotKind(kind) || positionals.length > 1) throw new UsageError(`KIND must be one of ${PLOT_KINDS.join(', ')}`);
  if (!o.db || (!o.out && o.descriptor !== 'list')) throw new UsageError('--db and --out are required');
  const top = positiveIntegerOption('top', o.top);
  const maxPoints = positiveIntegerOption('max-points', o['max-points']);
  const width = positiveIntegerOption('width', o.width);
  const t = o['temperature-k'];
  if (t !== undefined && !Number.isFinite(Number(t))) throw new UsageError(`--temperature-k must be a number (K), got ${t}`);
  if (o.basis !== undefined && !(SCREENING_BASES as readonly string[]).includes(o.basis)) throw new UsageError(`--basis must be one of ${SCREENING_BASES.join(', ')}`);
  const store = await openForReading('plot', o.db);
  if (typeof store === 'number') return store;
  try {
    const q = (sql: string) => store.query(sql) as Promise<Record<string, unknown>[]>;
    if (o.descriptor === 'list') {
      console.log(descriptorColumns().join('\n'));
      return 0;
    }
    const filters: PlotFilters = {
      material: o.material,
      element: o.element,
      temperature_k: t === undefined ? undefined : Number(t),
      basis: o.basis as PlotFilters['basis'],
      trajectory: o.trajectory,
      descriptor: o.descriptor,
      top,
      maxPoints,
    };
    const spec = await buildPlot(q, kind, filters, { title: o.title });
    const out = o.out!;
    if (out.endsWith('.json')) {
      await writeFile(out, JSON.stringify(spec, null, 2) + '\n');
      console.log(`wrote ${out} (Vega-Lite spec)`);
      return 0;
    }
    const svg = await renderSvg(spec);
    if (out.endsWith('.png')) {
      const png = svgToPng(svg, { width });
      await writeFile(out, png.png);
      console.log(`wrote ${out} (${png.width}×${png.height} px)`);
    } else if (out.endsWith('.svg')) {
      await writeFile(out, svg);
      console.log(`wrote ${out} (${Math.round(svg.length / 1024)} kB)`);
    } else {
      console.error(`ionsift plot: --out must end in .svg, .png or .json: ${out}`);
      return 2;
    }
    return 0;
  } catch (err) {
    // Most PlotInputErrors already start with the kind ("msd: no MSD curves match …").
    const msg = errorMessage(err);
    console.error(msg.startsWith(`${kind}: `) ? `ionsift plot ${msg}` : `ionsift plot ${kind}: ${msg}`);
    return 1;
  } finally {
    store.close();
  }
}

export const run = withUsage('plot', help, runCommand);
