/** What `plot.help()` shows: every plot kind and every option, with what it does. */
import { PLOT_KINDS, type PlotKind } from '../plots/types.js';

export const KIND_HELP: Record<PlotKind, string> = {
  hops: 'hop timeline of one trajectory (trajectory, else the run with most hops; the title names it and lists the others), coloured by concerted group',
  correlations: 'n-body correlation distribution per material (per trajectory with trajectory), exponential fit drawn only where it decays',
  descriptor: 'a descriptor (descriptor: a column of the descriptors view) against tracer D, r at each temperature and with 1/T held fixed',
  arrhenius: 'tracer D against 1000/T per material with ± standard error and the fitted lines, Ea ± error in the legend',
  msd: 'mean squared displacement against lag time, the fit window shaded, D in the legend',
  screening: "top candidates (top, default 15) by D at 300 K extrapolated (basis: 'd300', default) or by measured D (basis: 'measured'), with Ea, Haven ratio ± error and concerted fraction",
  'site-map': 'site map of one trajectory and element (the matching run with most sites unless trajectory is given) projected on two cell axes: colour by site type, size by occupancy, jumps between sites drawn under them',
};

export const OPTION_HELP: Record<string, string> = {
  material: 'only this material (string)',
  element: 'only this mobile element, e.g. "Li"',
  temperature_k: 'only runs at this temperature (K, ±0.5)',
  trajectory: 'only this trajectory (trajectories.trajectory_id)',
  descriptor: 'descriptor kind: the x axis (db.descriptors() lists them)',
  top: 'screening: number of candidates',
  basis: "screening: 'd300' or 'measured'",
  maxPoints: 'upper bound on plotted marks (downsampled in DuckDB)',
  title: 'chart title',
  width: 'plot width in px',
};

export function plotHelpMarkdown(): string {
  return [
    '**plot kinds** — `await plot.KIND({ …options })` shows the chart and returns it',
    '',
    ...PLOT_KINDS.map((k) => `- \`plot.${k}\`: ${KIND_HELP[k]}`),
    '',
    '**options** (all optional; an unknown option or an empty selection is an error naming it)',
    '',
    ...Object.entries(OPTION_HELP).map(([k, v]) => `- \`${k}\`: ${v}`),
  ].join('\n');
}
