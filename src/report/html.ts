/**
 * The report page: one HTML file with the Vega bundles and the chart specs inline. With
 * scripts on, vega-embed draws each chart (SVG renderer, tooltips); with scripts off the
 * server-rendered SVG inside each <noscript> is shown instead.
 */
import type { TopLevelSpec } from '../plots/specs.js';
import { scriptSafe, vegaBundles } from './bundles.js';

export const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

export interface ChartBlock {
  id: string;
  kind: string;
  spec: TopLevelSpec;
  /** The static rendering for readers with scripts off. */
  svg: string;
}

/** A cell of a plain table: numbers to 4 significant digits, null as the given text. */
export function cellText(v: unknown, nullText = '–'): string {
  if (v === null || v === undefined) return nullText;
  if (typeof v === 'number') {
    if (!Number.isFinite(v)) return 'n/a';
    if (Number.isInteger(v)) return String(v);
    const a = Math.abs(v);
    return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(2) : String(Number(v.toPrecision(4)));
  }
  return String(v);
}

export function tableHtml(head: readonly string[], rows: readonly (readonly unknown[])[], caption?: string): string {
  const th = head.map((h) => `<th>${esc(h)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((c) => `<td>${esc(cellText(c))}</td>`).join('')}</tr>`).join('\n');
  return `<table>${caption ? `<caption>${esc(caption)}</caption>` : ''}<thead><tr>${th}</tr></thead><tbody>\n${body}\n</tbody></table>`;
}

export function chartHtml(c: ChartBlock): string {
  return `<figure class="chart" data-kind="${esc(c.kind)}"><div class="vega" id="${esc(c.id)}"></div><noscript>${c.svg}</noscript></figure>`;
}

const CSS = `
body { font-family: 'DejaVu Sans', system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; padding: 0 1em; }
h1 { font-size: 1.6em; } h2 { border-bottom: 1px solid #ddd; padding-bottom: .2em; margin-top: 2em; }
table { border-collapse: collapse; margin: .8em 0; font-size: .88em; }
th, td { border: 1px solid #ddd; padding: .25em .5em; text-align: left; vertical-align: top; }
th { background: #f5f5f5; } caption { text-align: left; font-weight: bold; padding: .3em 0; }
figure.chart { margin: 1em 0; overflow-x: auto; }
.note { color: #555; font-size: .92em; } .unavailable { color: #8a4b00; background: #fff6e5; padding: .4em .6em; border-left: 3px solid #e0a040; }
pre { background: #f7f7f7; padding: .5em; overflow-x: auto; font-size: .85em; }
nav a { margin-right: 1em; }
`;

export function page(title: string, body: string, charts: readonly ChartBlock[]): string {
  const specs: Record<string, TopLevelSpec> = {};
  for (const c of charts) specs[c.id] = c.spec;
  // JSON in a script element: "<" escaped so no string in the data can close the element.
  const json = JSON.stringify(specs).replace(/</g, '\\u003c');
  const bundles = vegaBundles()
    .map((b) => `<script data-bundle="${esc(b.name)}@${esc(b.version)}">\n${scriptSafe(b.code)}\n</script>`)
    .join('\n');
  const run = `
(function () {
  var specs = JSON.parse(document.getElementById('ionsift-specs').textContent);
  var ids = Object.keys(specs);
  Promise.all(ids.map(function (id) {
    return vegaEmbed('#' + id, specs[id], { renderer: 'svg', actions: false }).catch(function (e) {
      console.error('chart ' + id + ' failed: ' + e.message);
      document.getElementById(id).textContent = 'This chart could not be drawn: ' + e.message;
    });
  })).then(function () { document.body.setAttribute('data-charts-rendered', String(ids.length)); });
})();`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<script type="application/json" id="ionsift-specs">${json}</script>
${bundles}
<script>${run}</script>
</body>
</html>
`;
}
