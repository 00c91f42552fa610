/**
 * A chart = a Vega-Lite spec plus its server-side renderings. Displaying one sends a single
 * bundle: image/svg+xml (every front end, no JavaScript, no CDN), the same SVG as an <img> in
 * text/html (what HTML exports keep), and the spec as application/vnd.vegalite.v<major>+json.
 */
import { writeFile } from 'node:fs/promises';
import { inspect } from 'node:util';
import { renderSvg, svgToPng, type PngOptions } from '../plots/render.js';
import { VEGA_LITE_MIME, type TopLevelSpec } from '../plots/specs.js';
import { bundle, markShown } from './display.js';

export class Chart {
  private svgText: Promise<string> | null = null;

  constructor(
    readonly spec: TopLevelSpec,
    readonly kind = 'chart',
  ) {}

  /** The SVG, rendered once. */
  svg(): Promise<string> {
    this.svgText ??= renderSvg(this.spec);
    return this.svgText;
  }

  async png(opts: PngOptions = {}): Promise<Buffer> {
    return svgToPng(await this.svg(), opts).png;
  }

  /** Write .svg, .png or .json (the Vega-Lite spec) by the file's extension. */
  async save(path: string, opts: PngOptions = {}): Promise<string> {
    if (path.endsWith('.png')) await writeFile(path, await this.png(opts));
    else if (path.endsWith('.json')) await writeFile(path, JSON.stringify(this.spec, null, 2));
    else await writeFile(path, await this.svg());
    return path;
  }

  /** Show in the notebook (SVG inline + Vega-Lite JSON). */
  async show(): Promise<this> {
    const title = typeof this.spec.title === 'string' ? this.spec.title : this.kind;
    const svg = await this.svg();
    const alt = `chart: ${title}`.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
    bundle({
      // nbconvert 6.5 (Debian's) sanitises inline SVG down to its text in HTML exports; an <img>
      // of the same SVG survives, and text/html comes first in its display priority.
      'text/html': `<img alt="${alt}" src="data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}">`,
      'image/svg+xml': svg,
      [VEGA_LITE_MIME]: this.spec as object,
      'text/plain': `[${this.kind}] ${title}`,
    });
    return markShown(this);
  }

  [inspect.custom](): string {
    const title = typeof this.spec.title === 'string' ? `: ${this.spec.title}` : '';
    return `Chart(${this.kind}${title})`;
  }
}
