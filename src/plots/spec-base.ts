/**
 * What every spec builder shares: the Vega-Lite schema and MIME type, fonts and config, the
 * title block, number formatting, and the one tick format of log axes.
 */
import type { TopLevelSpec } from 'vega-lite';
import { version as vlVersion } from 'vega-lite';

export type { TopLevelSpec };

/** Major version of the Vega-Lite schema the builders emit (also the notebook MIME type's). */
export const VEGA_LITE_MAJOR = Number(vlVersion.split('.')[0]);
export const VEGA_LITE_SCHEMA = `https://vega.github.io/schema/vega-lite/v${VEGA_LITE_MAJOR}.json`;
export const VEGA_LITE_MIME = `application/vnd.vegalite.v${VEGA_LITE_MAJOR}+json`;

export interface SpecOptions {
  title?: string;
  /** Plot-area width in px (default 640). */
  width?: number;
}

/** Fonts: resvg only has what is installed; DejaVu is what setup-system.sh guarantees. */
export const FONT = 'DejaVu Sans';
export const CONFIG = {
  font: FONT,
  // Per-mark ARIA descriptions are ~250 bytes each: they would triple the size of a
  // 2,000-bar SVG that is already an inline notebook output.
  aria: false,
  background: 'white',
  view: { stroke: '#ddd' },
  axis: { labelFont: FONT, titleFont: FONT, grid: true, gridColor: '#eee' },
  legend: { labelFont: FONT, titleFont: FONT, labelLimit: 320, titleLimit: 320 },
  title: { font: FONT, fontSize: 14, anchor: 'start' as const },
};

export function base(title: string, opts: SpecOptions): { $schema: string; title: string; config: typeof CONFIG } {
  return { $schema: VEGA_LITE_SCHEMA, title: opts.title ?? title, config: CONFIG };
}

export const finite = (v: number | null | undefined): v is number => typeof v === 'number' && Number.isFinite(v);

export function fmt(v: number, digits = 2): string {
  if (!Number.isFinite(v)) return 'n/a';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-2 || a >= 1e4) ? v.toExponential(digits - 1) : v.toFixed(digits);
}

/** Log axes: one tick format everywhere ("1e-6", never "0.00003" beside "3e-7"). */
export const LOG_AXIS = { format: '.0e', labelOverlap: true } as const;
