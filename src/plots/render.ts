/**
 * Headless rendering: Vega-Lite → Vega → SVG (vega View, renderer 'none') → PNG (resvg).
 * No browser, no canvas package, no network.
 */
import { existsSync } from 'node:fs';
import { Resvg } from '@resvg/resvg-js';
import { View, parse } from 'vega';
import type { Spec as VegaSpec } from 'vega';
import { compile } from 'vega-lite';
import type { TopLevelSpec } from 'vega-lite';

export interface CompileResult {
  vega: VegaSpec;
  /** Warnings Vega-Lite printed while compiling (a good spec has none). */
  warnings: string[];
}

/** Compile to Vega, collecting warnings instead of letting them go to the console. */
export function compileSpec(spec: TopLevelSpec): CompileResult {
  const warnings: string[] = [];
  let lvl = 2;
  const text = (args: unknown[]): string => args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
  const logger = {
    level(l?: number) {
      if (l === undefined) return lvl;
      lvl = l;
      return logger;
    },
    error(...args: unknown[]) {
      throw new Error(`vega-lite: ${text(args)}`);
    },
    warn(...args: unknown[]) {
      warnings.push(text(args));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  const out = compile(spec, { logger });
  return { vega: out.spec, warnings };
}

/** Render a Vega-Lite spec to an SVG string. */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const { vega } = compileSpec(spec);
  const view = new View(parse(vega), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

export interface PngOptions {
  /** Output width in px; the height follows the aspect ratio (default: the SVG's width × 2, crisp on HiDPI). */
  width?: number;
}

/** Font files resvg should load besides the system ones (DejaVu from fonts-dejavu-core). */
const DEJAVU = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf',
];

export interface RenderedPng {
  png: Buffer;
  width: number;
  height: number;
}

/** Rasterise an SVG string with resvg; returns the PNG bytes and their pixel size. */
export function svgToPng(svg: string, opts: PngOptions = {}): RenderedPng {
  const resvg = new Resvg(svg, {
    background: 'white',
    fitTo: opts.width ? { mode: 'width', value: Math.round(opts.width) } : { mode: 'zoom', value: 2 },
    font: {
      loadSystemFonts: true,
      fontFiles: DEJAVU.filter((f) => existsSync(f)),
      defaultFontFamily: 'DejaVu Sans',
      sansSerifFamily: 'DejaVu Sans',
    },
  });
  const img = resvg.render();
  return { png: img.asPng(), width: img.width, height: img.height };
}

/** Render a Vega-Lite spec straight to PNG. */
export async function renderPng(spec: TopLevelSpec, opts: PngOptions = {}): Promise<RenderedPng> {
  return svgToPng(await renderSvg(spec), opts);
}
