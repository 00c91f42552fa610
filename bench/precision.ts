// What float32 positions change (issue 15 §2): every embedded dataset and real run analysed with
// precision 'f64' and 'f32' (default method, or --method), compared: hops (atom and frames), hop centres (Å),
// sites, tracer D, and the numbers of every other table as the largest relative difference.
//
//   npx tsx bench/precision.ts [--real-only | --datasets-only] [--method iondiff]
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { analyze } from '../src/analysis/analyze.js';
import type { AnalysisResult } from '../src/analysis/types.js';
import type { DetectorName } from '../src/analysis/detectors/registry.js';
import { loadTrajectories } from '../src/io/load.js';

const ROOT = resolve(import.meta.dirname, '..');
const REAL = resolve(ROOT, '..', 'shared', 'data', 'real');
const METHOD = (process.argv.includes('--method') ? process.argv[process.argv.indexOf('--method') + 1] : 'default') as DetectorName;

function dirs(): string[] {
  const out: string[] = [];
  if (!process.argv.includes('--real-only')) {
    const ds = join(ROOT, 'datasets');
    for (const m of readdirSync(ds).filter((m) => m !== 'real' && statSync(join(ds, m)).isDirectory()).sort()) {
      for (const r of readdirSync(join(ds, m)).sort()) if (statSync(join(ds, m, r)).isDirectory()) out.push(join(ds, m, r));
    }
  }
  if (!process.argv.includes('--datasets-only')) {
    if (!existsSync(REAL)) console.log(`(${REAL} absent: real runs skipped)`);
    else for (const c of readdirSync(REAL).sort()) if (statSync(join(REAL, c)).isDirectory()) out.push(join(REAL, c));
  }
  return out;
}

/** Largest relative difference over all numbers of the two results (timings and params aside), and where. */
function maxRel(a: unknown, b: unknown, path: string, worst: { rel: number; at: string }): void {
  if (typeof a === 'number' && typeof b === 'number') {
    if (Object.is(a, b) || (Number.isNaN(a) && Number.isNaN(b))) return;
    const rel = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b), 1e-300);
    if (rel > worst.rel) { worst.rel = rel; worst.at = `${path} ${a} vs ${b}`; }
    return;
  }
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') {
    if (a !== b) { worst.rel = Infinity; worst.at = `${path}: ${String(a)} vs ${String(b)}`; }
    return;
  }
  const ka = ArrayBuffer.isView(a) ? Array.from(a as unknown as ArrayLike<number>) : a;
  const kb = ArrayBuffer.isView(b) ? Array.from(b as unknown as ArrayLike<number>) : b;
  const keys = new Set([...Object.keys(ka as object), ...Object.keys(kb as object)]);
  for (const k of keys) maxRel((ka as Record<string, unknown>)[k], (kb as Record<string, unknown>)[k], `${path}.${k}`, worst);
}

function compare(r64: AnalysisResult, r32: AnalysisResult): string {
  const key = (e: AnalysisResult['events'][number]) => `${e.atom}:${e.startFrame}:${e.endFrame}`;
  const m32 = new Map(r32.events.map((e) => [key(e), e]));
  let same = 0, dCentre = 0;
  for (const e of r64.events) {
    const g = m32.get(key(e));
    if (!g) continue;
    same++;
    for (let c = 0; c < 3; c++) dCentre = Math.max(dCentre, Math.abs(e.from[c] - g.from[c]), Math.abs(e.to[c] - g.to[c]));
  }
  const worst = { rel: 0, at: '' };
  const strip = (r: AnalysisResult) => ({ ...r, timingsMs: {}, params: {}, paramsHash: '' });
  maxRel(strip(r64), strip(r32), 'result', worst);
  const d = (r: AnalysisResult) => r.diffusion.map((x) => x.dTracerCm2s.toPrecision(6)).join(',');
  return `hops ${r64.events.length} / ${r32.events.length} (${r64.events.length - same} not matched), max |Δ centre| ${dCentre.toExponential(1)} Å; ` +
    `sites ${r64.sites.length} / ${r32.sites.length}; D tracer ${d(r64)} / ${d(r32)}; largest relative difference ${worst.rel.toExponential(1)} (${worst.at.slice(0, 120)})`;
}

for (const dir of dirs()) for (const t of await loadTrajectories(dir)) {
  let r64: AnalysisResult, r32: AnalysisResult;
  try {
    r64 = analyze(t, { precision: 'f64', method: METHOD });
    r32 = analyze(t, { precision: 'f32', method: METHOD });
  } catch (err) {
    console.log(`${dir}: not analysed: ${err instanceof Error ? err.message : String(err)}`);
    continue;
  }
  const name = t.metadata.sourcePaths[0].replace(`${ROOT}/`, '').replace(`${REAL}/`, 'real/');
  console.log(`${name}: ${compare(r64, r32)}`);
}
