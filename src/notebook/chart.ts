/**
 * A chart = a Vega-Lite spec plus its server-side renderings. Displaying one sends a single
 * bundle: image/svg+xml (every front end, no JavaScript, no CDN) and the spec as
 * application/vnd.vegalite.v<major>+json (front ends with a Vega renderer draw it live).
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
    bundle({
      'image/svg+xml': await this.svg(),
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
