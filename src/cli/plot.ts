/** `ionsift plot KIND --db FILE --out chart.svg|png|json` — a Vega-Lite chart rendered headless. */
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { Store } from '../store/db.js';
import { buildPlot, descriptorColumns } from '../plots/queries.js';
import { renderSvg, svgToPng } from '../plots/render.js';
import { PLOT_KINDS, isPlotKind, type PlotFilters } from '../plots/types.js';

export const help = `usage: ionsift plot KIND --db FILE --out FILE [options]

KIND is one of:
  hops          hop timeline of one trajectory: one row per ion, each hop a bar on a time
                axis (ps), coloured by concerted group (default trajectory: most hops)
  correlations  n-body correlation distribution with the fitted exponential decay,
                per material and element (per trajectory with --trajectory)
  descriptor    a descriptor (--descriptor, a column of the descriptors view) against D on
                a log scale, with a trend line and Pearson r in the title
  arrhenius     log D against 1000/T per material with the fitted lines, Ea in the legend
  msd           mean squared displacement against lag time, the fit window shaded
  screening     the top candidates by D (300 K extrapolation where fitted) with Ea,
                Haven ratio and concerted fraction

The database is opened read-only. Data are downsampled in DuckDB (≤ --max-points marks).

options:
  --db FILE            DuckDB database written by ionsift index (required)
  --out FILE           .svg, .png or .json (the Vega-Lite spec) (required)
  --material M         only this material
  --element E          only this mobile element (e.g. Li)
  --trajectory ID      only this trajectory (trajectories.trajectory_id)
  --descriptor NAME    x axis of the descriptor plot (default hop_rate_per_ion_ps);
                       --descriptor list prints the choices
  --top N              candidates in the screening chart (default 15)
  --max-points N       downsampling bound (default 5000)
  --width PX           PNG width in pixels (default: twice the SVG size)
  --title TEXT         chart title
  -h, --help           this text`;

export async function run(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        out: { type: 'string', short: 'o' },
        material: { type: 'string' },
        element: { type: 'string' },
        trajectory: { type: 'string' },
        descriptor: { type: 'string' },
        top: { type: 'string' },
        'max-points': { type: 'string' },
        width: { type: 'string' },
        title: { type: 'string' },
      },
    });
  } catch (err) {
    console.error(`ionsift plot: ${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  const { values: o, positionals } = parsed;
  const kind = positionals[0];
  if (!kind || !isPlotKind(kind) || positionals.length > 1) {
    console.error(`ionsift plot: KIND must be one of ${PLOT_KINDS.join(', ')}\n\n${help}`);
    return 2;
  }
  if (!o.db || (!o.out && o.descriptor !== 'list')) {
    console.error(`ionsift plot: --db and --out are required\n\n${help}`);
    return 2;
  }
  const int = (s: string | undefined, name: string): number | undefined => {
    if (s === undefined) return undefined;
    const n = Number(s);
    if (!Number.isInteger(n) || n <= 0) throw new Error(`--${name} must be a positive integer, got "${s}"`);
    return n;
  };
  const store = await Store.open(o.db, { readOnly: true });
  try {
    const q = (sql: string) => store.query(sql) as Promise<Record<string, unknown>[]>;
    if (o.descriptor === 'list') {
      console.log(descriptorColumns().join('\n'));
      return 0;
    }
    const filters: PlotFilters = {
      material: o.material,
      element: o.element,
      trajectory: o.trajectory,
      descriptor: o.descriptor,
      top: int(o.top, 'top'),
      maxPoints: int(o['max-points'], 'max-points'),
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
      const png = svgToPng(svg, { width: int(o.width, 'width') });
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
    console.error(`ionsift plot ${kind}: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    store.close();
  }
}
