/**
 * Rich output in tslab. tslab's public `display` sends one MIME type per message; a chart
 * wants a bundle (inline SVG for every front end + the Vega-Lite JSON for those that render
 * it), so we call the kernel's own display-data writer. It is found in the require cache
 * rather than by `require('tslab')` so it works whichever tslab (local or global) runs the
 * kernel. Outside a kernel (scripts, tests) the text/plain part goes to stdout.
 */
import { createRequire } from 'node:module';
import { inspect } from 'node:util';
import type { Row } from './db.js';

/** A Jupyter MIME bundle: text types as strings, JSON types as objects. */
export type MimeBundle = Record<string, string | object>;

interface DisplayMessage {
  data: MimeBundle;
  metadata: Record<string, unknown>;
  transient: { display_id?: string };
}
type Writer = (msg: DisplayMessage, update: boolean) => void;

const cache = createRequire(import.meta.url).cache;

/** The live writer of the running tslab kernel, or null when not inside one. */
function kernelWriter(): Writer | null {
  for (const [file, mod] of Object.entries(cache)) {
    if (!/[\\/]tslab[\\/]dist[\\/]jupyter\.js$/.test(file)) continue;
    const w = (mod?.exports as { lastWriteDisplayData?: Writer | null } | undefined)?.lastWriteDisplayData;
    if (typeof w === 'function') return w;
  }
  return null;
}

/** True when running inside a tslab kernel that is executing a cell. */
export function inKernel(): boolean {
  return kernelWriter() !== null;
}

/** Send a MIME bundle as one display_data message (text/plain to stdout outside a kernel). */
export function bundle(data: MimeBundle, metadata: Record<string, unknown> = {}): void {
  const w = kernelWriter();
  if (!w) {
    const text = data['text/plain'];
    if (typeof text === 'string') console.log(text);
    return;
  }
  // Binary payloads travel base64-encoded in Jupyter messages.
  const out: MimeBundle = {};
  for (const [k, v] of Object.entries(data)) out[k] = v instanceof Uint8Array ? Buffer.from(v).toString('base64') : v;
  w({ data: out, metadata, transient: {} }, false);
}

export function html(s: string): void {
  bundle({ 'text/html': s, 'text/plain': s.replace(/<[^>]+>/g, '') });
}
export function markdown(s: string): void {
  bundle({ 'text/markdown': s, 'text/plain': s });
}
export function text(s: string): void {
  bundle({ 'text/plain': s });
}
export function svg(s: string): void {
  bundle({ 'image/svg+xml': s, 'text/plain': '[SVG image]' });
}
export function png(b: Uint8Array, size?: { width: number; height: number }): void {
  bundle({ 'image/png': b, 'text/plain': '[PNG image]' }, size ? { 'image/png': size } : {});
}
/** Any JSON value, pretty-printed (and as application/json for front ends that fold it). */
export function json(v: unknown): void {
  bundle({ 'application/json': typeof v === 'object' && v !== null ? v : { value: v }, 'text/plain': JSON.stringify(v, null, 2) });
}

const esc = (s: string): string => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : Math.abs(v) !== 0 && (Math.abs(v) < 1e-3 || Math.abs(v) >= 1e6) ? v.toExponential(4) : String(Number(v.toPrecision(6)));
  if (v instanceof Date) return v.toISOString();
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export interface TableOptions {
  /** Rows shown (default 50); the rest is summarised. */
  limit?: number;
  caption?: string;
}

/** Plain-text rendering of rows (what text-only front ends and nbconvert --to markdown show). */
export function formatTable(rows: readonly Row[], opts: TableOptions = {}): string {
  const limit = opts.limit ?? 50;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const body = rows.slice(0, limit).map((r) => cols.map((c) => cell(r[c])));
  const w = cols.map((c, i) => Math.min(40, Math.max(c.length, ...body.map((b) => b[i].length))));
  const line = (xs: string[]) => xs.map((x, i) => (x.length > w[i] ? x.slice(0, w[i] - 1) + '…' : x.padEnd(w[i]))).join('  ');
  const out = [line(cols), w.map((n) => '-'.repeat(n)).join('  '), ...body.map(line)];
  if (rows.length > limit) out.push(`… ${rows.length - limit} more rows`);
  out.push(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
  return (opts.caption ? opts.caption + '\n' : '') + out.join('\n');
}

export function tableHtml(rows: readonly Row[], opts: TableOptions = {}): string {
  const limit = opts.limit ?? 50;
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const head = cols.map((c) => `<th>${esc(c)}</th>`).join('');
  const body = rows
    .slice(0, limit)
    .map((r) => `<tr>${cols.map((c) => `<td>${esc(cell(r[c]))}</td>`).join('')}</tr>`)
    .join('\n');
  const more = rows.length > limit ? `<p>… ${rows.length - limit} more rows</p>` : '';
  const cap = opts.caption ? `<caption>${esc(opts.caption)}</caption>` : '';
  return `<table class="ionsift-table">${cap}<thead><tr>${head}</tr></thead><tbody>\n${body}\n</tbody></table>${more}<p>${rows.length} row${rows.length === 1 ? '' : 's'}</p>`;
}

/** Rows as an HTML table (plus a text table for plain front ends). */
export function table(rows: readonly Row[], opts: TableOptions = {}): void {
  bundle({ 'text/html': tableHtml(rows, opts), 'text/plain': formatTable(rows, opts) });
}

/** Give a value a one-line console.log form, so tslab's echo of a cell's last value stays short. */
export function quiet<T extends object>(v: T, summary: string): T {
  Object.defineProperty(v, inspect.custom, { value: () => summary, enumerable: false });
  return v;
}

/** Marks a value already displayed: the ionsift kernel does not echo it again as a cell's last value. */
export const SHOWN: unique symbol = Symbol.for('ionsift.shown');

export function markShown<T extends object>(v: T): T {
  if (!(SHOWN in v)) Object.defineProperty(v, SHOWN, { value: true, enumerable: false });
  return v;
}
