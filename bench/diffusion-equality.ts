// Byte-identity of diffusionOf against another checkout of src/ (e.g. `git archive <commit> src | tar -x -C DIR`):
// every field of the DiffusionResult, on the embedded datasets, the real runs in ../shared/data/real
// (multi-run folders give discontinuities), with synthetic hops (counting floor), a fit-window
// override (second MSD pass) and random walks. Exit code 1 on any difference.
//
// Float32 copies of every dataset's positions are compared too, and with --long DIR a long generated
// run (e.g. /tmp/mem/li500x5k). When a change is meant to move numbers by rounding only, the
// largest relative difference per output field is printed (--report-only: exit 0 anyway).
//
//   npx tsx bench/diffusion-equality.ts --base DIR [--quick] [--long DIR] [--report-only]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { diffusionOf, type DiffusionOptions } from '../src/analysis/diffusion.js';
import { loadTrajectory } from '../src/io/load.js';
import { atomsOf, latticeAt } from '../src/trajectory/types.js';
import { volume } from '../src/trajectory/lattice.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { mulberry32 } from '../src/analysis/random.js';
import type { CountedHop } from '../src/analysis/transport/shot-noise.js';

function arg(name: string): string | undefined { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : undefined; }
const baseDir = arg('--base');
if (!baseDir) throw new Error('give --base DIR (a checkout of src/ to compare with)');
const base = (await import(pathToFileURL(resolve(baseDir, 'src/analysis/diffusion.ts')).href)) as { diffusionOf: typeof diffusionOf };

/** Exact text of a value: numbers by their shortest round-trip form (NaN, ±0 distinguished). */
function exact(v: unknown): string {
  if (typeof v === 'number') return Object.is(v, -0) ? '-0' : String(v);
  if (ArrayBuffer.isView(v)) return `[${Array.from(v as unknown as ArrayLike<number>, exact).join(',')}]`;
  if (Array.isArray(v)) return `[${v.map(exact).join(',')}]`;
  if (v !== null && typeof v === 'object') return `{${Object.keys(v).sort().map((k) => `${k}:${exact((v as Record<string, unknown>)[k])}`).join(',')}}`;
  return JSON.stringify(v) ?? 'undefined';
}

/** Crude hops for the counting floor: ion displacements > 2 Å over 40-frame windows. */
function syntheticHops(pos: Float64Array, T: number, n: number): CountedHop[] {
  const hops: CountedHop[] = [];
  for (let i = 0; i < n; i++) for (let t = 0; t + 40 < T; t += 40) {
    const a = (t * n + i) * 3, b = ((t + 40) * n + i) * 3;
    const d2 = (pos[b] - pos[a]) ** 2 + (pos[b + 1] - pos[a + 1]) ** 2 + (pos[b + 2] - pos[a + 2]) ** 2;
    if (d2 > 4) hops.push({ atom: i, startFrame: t, endFrame: t + 40, from: [pos[a], pos[a + 1], pos[a + 2]], to: [pos[b], pos[b + 1], pos[b + 2]] });
  }
  return hops;
}

/** Every number of a result with its path (typed arrays and arrays by index). */
function numbers(v: unknown, path: string, out: Map<string, number>): void {
  if (typeof v === 'number') { out.set(path, v); return; }
  if (ArrayBuffer.isView(v)) { Array.from(v as unknown as ArrayLike<number>).forEach((x, i) => out.set(`${path}[${i}]`, x)); return; }
  if (Array.isArray(v)) { v.forEach((x, i) => numbers(x, `${path}[${i}]`, out)); return; }
  if (v !== null && typeof v === 'object') for (const k of Object.keys(v)) numbers((v as Record<string, unknown>)[k], path ? `${path}.${k}` : k, out);
}

/** Largest |a − b|/|a| per field (array indices folded), over all cases; Infinity when only one side is finite. */
const worst = new Map<string, { rel: number; where: string }>();
let cases = 0, diffs = 0;
function compare(label: string, pos: Float64Array | Float32Array, T: number, n: number, dtFs: number, o: DiffusionOptions): void {
  const ra = base.diffusionOf(pos, T, n, dtFs, o), rb = diffusionOf(pos, T, n, dtFs, o);
  const a = exact(ra), b = exact(rb);
  cases++;
  if (a === b) { console.log(`same     ${label}`); return; }
  diffs++;
  const na = new Map<string, number>(), nb = new Map<string, number>();
  numbers(ra, '', na); numbers(rb, '', nb);
  let caseWorst = 0, caseField = '';
  for (const [k, x] of na) {
    const y = nb.get(k);
    if (y === undefined || Object.is(x, y)) continue;
    const rel = Number.isFinite(x) && Number.isFinite(y) ? Math.abs(x - y) / Math.max(Math.abs(x), Number.MIN_VALUE) : (Number.isNaN(x) && Number.isNaN(y) ? 0 : Infinity);
    const field = k.replace(/\[\d+\]/g, '[]');
    const w = worst.get(field);
    if (!w || rel > w.rel) worst.set(field, { rel, where: label });
    if (rel > caseWorst) { caseWorst = rel; caseField = k; }
  }
  console.log(`DIFFERS  ${label}: largest relative difference ${caseWorst.toExponential(2)} (${caseField})`);
}

const root = resolve(import.meta.dirname, '..');
const real = resolve(root, '../shared/data/real');
const dirs: string[] = [];
for (const top of [join(root, 'datasets'), join(root, 'datasets/real'), real]) {
  if (!existsSync(top)) { console.log(`skipping ${top}: absent`); continue; }
  for (const d of readdirSync(top).sort()) {
    const p = join(top, d);
    if (!statSync(p).isDirectory()) continue;
    const sub = readdirSync(p).filter((s) => statSync(join(p, s)).isDirectory() && /K$/.test(s)).sort();
    if (sub.length > 0) dirs.push(...sub.map((s) => join(p, s))); else if (d !== 'real') dirs.push(p);
  }
}
const quick = process.argv.includes('--quick');
for (const dir of quick ? dirs.filter((d) => /argyrodite_li6ps5cl_50p|Li-sc\/450K/.test(d)) : dirs) {
  let t;
  try { t = await loadTrajectory(dir); } catch (e) { console.log(`skip     ${dir}: ${(e as Error).message.split('\n')[0]}`); continue; }
  const present = new Set(t.species);
  for (const el of ['Li', 'Na'].filter((e) => present.has(e))) {
    const idx = atomsOf(t, [el]);
    const pos = unwrap(t, { atoms: idx, removeDriftExcept: [el] });
    const T = t.nFrames, n = idx.length, dt = t.metadata.frameIntervalFs as number;
    if (!(dt > 0)) { console.log(`skip     ${dir}: no frame interval`); continue; }
    const cell = latticeAt(t, 0);
    const o: DiffusionOptions = { element: el, volumeA3: volume(cell), charge: 1, temperatureK: 500, seed: 3, breaks: t.discontinuities.map((d) => d.frame) };
    const name = `${dir.replace(root + '/', '').replace(real + '/', 'real/')} ${el} (${n} × ${T}${o.breaks!.length ? `, ${o.breaks!.length} breaks` : ''})`;
    compare(name, pos, T, n, dt, o);
    compare(`${name} float32`, Float32Array.from(pos), T, n, dt, o);
    compare(`${name} + hops`, pos, T, n, dt, { ...o, hops: syntheticHops(pos, T, n), cell });
    compare(`${name} fit from 10 % of the run`, pos, T, n, dt, { ...o, breaks: [], fitStartPs: 0.1 * T * dt * 1e-3 });
    const one = new Float64Array(T * 3);
    for (let f = 0; f < T; f++) for (let d = 0; d < 3; d++) one[f * 3 + d] = pos[(f * n) * 3 + d];
    compare(`${name} ion 0 alone`, one, T, 1, dt, o);
  }
}
for (const [nw, Tw] of quick ? [[40, 3000]] : [[40, 3000], [7, 25001], [1, 2000]]) {
  const rng = mulberry32(9);
  const u = new Float64Array(Tw * nw * 3);
  for (let f = 1; f < Tw; f++) for (let k = 0; k < nw * 3; k++) u[f * nw * 3 + k] = u[(f - 1) * nw * 3 + k] + (rng() - 0.5);
  const o: DiffusionOptions = { element: 'Li', volumeA3: 1000, charge: 1, temperatureK: 500, seed: 1 };
  compare(`random walks ${nw} × ${Tw}`, u, Tw, nw, 100, o);
  compare(`random walks ${nw} × ${Tw}, break at T/3`, u, Tw, nw, 100, { ...o, breaks: [Math.floor(Tw / 3)] });
  compare(`random walks ${nw} × ${Tw}, gls`, u, Tw, nw, 100, { ...o, fit: 'gls' });
}
// A long generated run read from its XDATCAR (float32 as the reduced read gives it): --long DIR.
const longDir = arg('--long');
if (longDir) {
  const t = await loadTrajectory(longDir);
  const idx = atomsOf(t, ['Li']);
  const pos = unwrap(t, { atoms: idx, removeDriftExcept: ['Li'] });
  const o: DiffusionOptions = { element: 'Li', volumeA3: volume(latticeAt(t, 0)), charge: 1, temperatureK: 700, seed: 2 };
  const dt = t.metadata.frameIntervalFs as number;
  compare(`${longDir} Li (${idx.length} × ${t.nFrames}) float32`, Float32Array.from(pos), t.nFrames, idx.length, dt, o);
  compare(`${longDir} Li float32 + hops`, Float32Array.from(pos), t.nFrames, idx.length, dt, { ...o, hops: syntheticHops(pos, t.nFrames, idx.length), cell: latticeAt(t, 0) });
  compare(`${longDir} Li float64, break at T/2`, pos, t.nFrames, idx.length, dt, { ...o, breaks: [t.nFrames >> 1] });
}
console.log(`${cases} cases, ${diffs} differ`);
if (worst.size > 0) {
  console.log('largest relative difference per field (over all cases):');
  for (const [k, w] of [...worst].sort((x, y) => y[1].rel - x[1].rel)) console.log(`  ${k}: ${w.rel.toExponential(2)} (${w.where})`);
}
if (diffs > 0 && !process.argv.includes('--report-only')) process.exit(1);
