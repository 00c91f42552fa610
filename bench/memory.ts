// Peak memory and time per stage of the analysis of one trajectory FILE, from the file (issue 15
// §1–2): load (read + parse), prepare (unwrap; the trajectory's frames released after it, as the
// CLI does), hop detection (this thread or N workers on shared memory), the site stage and
// diffusion — each case in its own child process, so its peak RSS is its own — against the bound
// 1.5 × (frames × mobile ions × 3 × 4 bytes) + a fixed overhead; and whether the hops of the
// cases agree (same atoms and frames; the largest difference of a hop's centres in Å).
//
//   npx tsx bench/memory.ts FILE [--workers 1,2] [--precision f64,f32] [--frames all,mobile] [--manybody]
//   npm run build && npx tsx bench/memory.ts FILE --dist      # the analysis from dist/ (as installed)
//   npx tsx bench/memory.ts FILE --dist-dir /tmp/main/dist    # another build (e.g. main's), same cases
//   … --stop-after-prepare                                     # load + unwrap only (no detection)
//
// Each case prints a digest (SHA-256) of its prepared positions and framework average: equal
// digests are bit-identical inputs to the rest of the analysis.
//
// --frames: `all` reads every atom's frames (then unwraps), `mobile` has the reader keep only the
// mobile species unwrapped as float32 and what the analysis uses of the framework
// (trajectory/mobile-frames.ts; f32 cases only; a build without it reads all frames).
//
// The many-body stage (analysis/manybody) is left out unless --manybody: on 500 ions × 5,000
// frames it ran > 100 s and then failed ("Map maximum size exceeded", pair-relations.ts) on the
// main branch of 2026-12-03; it is owned and being reworked elsewhere. Generate FILE once, e.g.
// `ionsift generate --material Li-sc --temperature 700 --ions 500 --frames 50000 --no-gzip --out /tmp/x`.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as Analyze from '../src/analysis/analyze.js';
import type * as Parallel from '../src/parallel/analyze-parallel.js';
import type * as Load from '../src/io/load.js';
import type * as Sites from '../src/analysis/sites/stage.js';
import type * as Diffusion from '../src/analysis/diffusion.js';
import type { RawHop } from '../src/analysis/types.js';

const here = fileURLToPath(import.meta.url);
function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const DIST_DIR = process.argv.includes('--dist-dir') ? resolve(arg('--dist-dir', '')) : null;
const DIST = process.argv.includes('--dist') || DIST_DIR !== null;
const from = DIST_DIR ?? (DIST ? '../dist' : '../src');

interface Stage { name: string; wallMs: number; cpuMs: number; rssMb: number }
interface CaseResult { label: string; nFrames: number; nAtoms: number; nIons: number; stages: Stage[]; peakMb: number; hopsFile: string; positions: string; digest: string }

/** SHA-256 of the prepared positions and framework average (bytes), to compare builds and read paths. */
function digestOf(p: { elements: { positions: Float32Array | Float64Array }[]; framework: { frac: Float64Array } }): string {
  const h = createHash('sha256');
  for (const el of p.elements) h.update(new Uint8Array(el.positions.buffer, el.positions.byteOffset, el.positions.byteLength));
  h.update(new Uint8Array(p.framework.frac.buffer, p.framework.frac.byteOffset, p.framework.frac.byteLength));
  return h.digest('hex').slice(0, 16);
}
const STOP_AFTER_PREPARE = process.argv.includes('--stop-after-prepare');

async function child(file: string, workers: number, precision: 'f64' | 'f32', frames: 'all' | 'mobile', manybody: boolean, hopsFile: string): Promise<CaseResult> {
  const { loadTrajectory } = (await import(`${from}/io/load.js`)) as typeof Load;
  const { prepareAndDetect } = (await import(`${from}/parallel/analyze-parallel.js`)) as typeof Parallel;
  const { concludeAnalysis } = (await import(`${from}/analysis/analyze.js`)) as typeof Analyze;
  const { siteStage } = (await import(`${from}/analysis/sites/stage.js`)) as typeof Sites;
  const { diffusionOf, hopVectorsOf } = (await import(`${from}/analysis/diffusion.js`)) as typeof Diffusion;
  const stages: Stage[] = [];
  let c0 = process.cpuUsage(), t0 = performance.now();
  const lap = (name: string) => {
    const c = process.cpuUsage(c0), now = performance.now();
    stages.push({ name, wallMs: now - t0, cpuMs: (c.user + c.system) / 1000, rssMb: process.memoryUsage().rss / 2 ** 20 });
    c0 = process.cpuUsage(); t0 = performance.now();
  };
  // The species and drift the analysis below takes (defaults: the lightest cation, drift removed).
  const mobileFrames = frames === 'mobile' && precision === 'f32'
    ? { mobile: (sp: readonly string[], pref: readonly string[] | null) => (pref && pref.length ? [...pref] : ['Li', 'Na', 'Mg', 'K', 'Cu', 'Zn', 'Ag'].filter((e) => sp.includes(e)).slice(0, 1)), removeDrift: true, minIonFrames: 0 }
    : undefined;
  const t = await loadTrajectory(file, {}, { mobileFrames });
  const { nFrames: T, nAtoms } = t;
  lap('load');
  if (STOP_AFTER_PREPARE) {
    // Load and unwrap only (where a full-frame read peaks): the positions' digest, no detection.
    const { prepareAnalysis } = (await import(`${from}/analysis/analyze.js`)) as typeof Analyze;
    const p = prepareAnalysis(t, { precision });
    t.frac = new Float64Array(0);
    lap('unwrap');
    writeFileSync(hopsFile, '[]');
    return {
      label: `${precision} ${t.reduced ? 'mobile frames' : 'all frames'}, load + unwrap only`, nFrames: T, nAtoms, nIons: p.elements.reduce((a, el) => a + el.atoms.length, 0), stages,
      peakMb: process.resourceUsage().maxRSS / 1024, hopsFile, positions: String(p.params.positions ?? 'f64'), digest: digestOf(p),
    };
  }
  const { prepared: p, detections } = await prepareAndDetect(t, { precision }, { workers, minParallelMs: 0, releaseFrames: true });
  const hopsMs = Object.entries(p.timingsMs).filter(([k]) => k.startsWith('hops:')).reduce((a, [, v]) => a + v, 0);
  const unwrapMs = Object.entries(p.timingsMs).filter(([k]) => k.startsWith('unwrap:')).reduce((a, [, v]) => a + v, 0);
  lap(`unwrap ${unwrapMs.toFixed(0)} ms + detection ${hopsMs.toFixed(0)} ms`);
  const hops: RawHop[] = detections.flatMap((d) => d.hops).sort((a, b) => a.atom - b.atom || a.startFrame - b.startFrame);
  writeFileSync(hopsFile, JSON.stringify(hops));
  if (manybody) {
    concludeAnalysis(p, detections);
    lap('sites + correlations + diffusion');
  } else {
    for (let e = 0; e < p.elements.length; e++) {
      const el = p.elements[e];
      siteStage({ element: el.element, positions: el.positions, nFrames: T, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3, seed: p.seed, frameIntervalFs: p.frameIntervalFs, detection: detections[e], framework: p.framework, breaks: p.breaks });
    }
    lap('sites');
    for (let e = 0; e < p.elements.length; e++) {
      const el = p.elements[e];
      diffusionOf(el.positions, T, el.atoms.length, p.frameIntervalFs, {
        element: el.element, volumeA3: p.volumeA3, charge: el.charge, temperatureK: p.temperatureK, hopVectors: hopVectorsOf(detections[e].hops), seed: p.seed + 1,
      });
    }
    lap('diffusion');
  }
  const nIons = p.elements.reduce((a, el) => a + el.atoms.length, 0);
  return {
    label: `${precision} ${workers}w ${t.reduced ? 'mobile frames' : 'all frames'}`, nFrames: T, nAtoms, nIons, stages, peakMb: process.resourceUsage().maxRSS / 1024, hopsFile,
    positions: String(p.params.positions ?? 'f64'), digest: digestOf(p),
  };
}

/** Events that differ in atom or frames, and the largest |Δ| of the centres of the others (Å). */
function compare(a: RawHop[], b: RawHop[]): string {
  const key = (h: RawHop) => `${h.atom}:${h.startFrame}:${h.endFrame}`;
  const bm = new Map(b.map((h) => [key(h), h]));
  let same = 0, maxD = 0;
  for (const h of a) {
    const g = bm.get(key(h));
    if (!g) continue;
    same++;
    for (let c = 0; c < 3; c++) maxD = Math.max(maxD, Math.abs(h.from[c] - g.from[c]), Math.abs(h.to[c] - g.to[c]));
  }
  return `${a.length} vs ${b.length} hops, ${a.length - same} of the first not in the second; max |Δ centre| of the common ones ${maxD.toExponential(2)} Å`;
}

async function main(): Promise<void> {
  const file = resolve(process.argv[2] ?? '');
  if (process.argv.includes('--one')) {
    const r = await child(file, Number(arg('--workers', '1')), arg('--precision', 'f64') as 'f64' | 'f32', arg('--frames', 'all') as 'all' | 'mobile', process.argv.includes('--manybody'), arg('--hops', ''));
    process.stdout.write(JSON.stringify(r) + '\n');
    return;
  }
  const cases: CaseResult[] = [];
  for (const w of arg('--workers', '1,2').split(',')) {
    for (const pr of arg('--precision', 'f64,f32').split(',')) {
      for (const fr of arg('--frames', 'all').split(',')) {
        if (fr === 'mobile' && pr !== 'f32') continue;
        const hops = join(tmpdir(), `ionsift-memory-${process.pid}-${pr}-${w}-${fr}.json`);
        const out = execFileSync(process.execPath, [...process.execArgv, here, file, '--one', '--workers', w, '--precision', pr, '--frames', fr, '--hops', hops,
          ...(process.argv.includes('--manybody') ? ['--manybody'] : []), ...(STOP_AFTER_PREPARE ? ['--stop-after-prepare'] : []), ...(DIST_DIR ? ['--dist-dir', DIST_DIR] : DIST ? ['--dist'] : [])], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
        cases.push(JSON.parse(out.trim().split('\n').pop() as string) as CaseResult);
      }
    }
  }
  const r0 = cases[0];
  const dataMb = (r0.nFrames * r0.nIons * 12) / 2 ** 20;
  console.log(`${file}: ${r0.nAtoms} atoms, ${r0.nIons} mobile × ${r0.nFrames} frames; analysis from ${DIST_DIR ?? (DIST ? 'dist/' : 'src/ (tsx)')}`);
  console.log(`data that matters (f32 mobile positions): ${dataMb.toFixed(0)} MiB; 1.5 × that ${(1.5 * dataMb).toFixed(0)} MiB; all atoms in f64 ${((r0.nFrames * r0.nAtoms * 24) / 2 ** 20).toFixed(0)} MiB`);
  for (const c of cases) {
    const wall = c.stages.reduce((a, s) => a + s.wallMs, 0), cpu = c.stages.reduce((a, s) => a + s.cpuMs, 0);
    console.log(`  ${c.label} (positions ${c.positions}, digest ${c.digest}): peak RSS ${c.peakMb.toFixed(0)} MB (${(c.peakMb / (1.5 * dataMb)).toFixed(2)} × the bound without overhead); wall ${(wall / 1000).toFixed(1)} s, CPU ${(cpu / 1000).toFixed(1)} s, ` +
      `${((c.nFrames * c.nIons) / (cpu / 1000) / 1e6).toFixed(2)} M ion-frames per CPU-s`);
    for (const s of c.stages) console.log(`      ${s.name.padEnd(44)} wall ${(s.wallMs / 1000).toFixed(2)} s, CPU ${(s.cpuMs / 1000).toFixed(2)} s, RSS after ${s.rssMb.toFixed(0)} MB`);
  }
  const hops = cases.map((c) => JSON.parse(readFileSync(c.hopsFile, 'utf8')) as RawHop[]);
  for (let i = 1; i < cases.length; i++) console.log(`  ${r0.label} vs ${cases[i].label}: ${compare(hops[0], hops[i])}`);
  for (const c of cases) rmSync(c.hopsFile, { force: true });
}

await main();
