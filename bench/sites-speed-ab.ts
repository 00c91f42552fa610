// CPU time of the site stage: this tree against another checkout of src/, alternating in one process.
//
//   npx tsx bench/sites-speed-ab.ts --base DIR [--runs Li-sc:700:200x20000,Li-sc:700:500x10000] [--real lgps_li10gep2s12_650k_crysf] [--reps 4]
//
// DIR holds a src/ (`git archive <commit> src | tar -x -C DIR`). Each run is generated (or read),
// prepared and its hops detected once (this tree); then both trees' `siteStage` run on the same
// input, ABBA order, CPU time (process.cpuUsage). Prints each side's times and the median of the
// per-rep base/new ratios (robust to the load drifting on a shared machine) with the load average.
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { detectPrepared, prepareAnalysis } from '../src/analysis/analyze.js';
import { siteStage, type SiteStageInput } from '../src/analysis/sites/stage.js';
import { loadTrajectory } from '../src/io/load.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Trajectory } from '../src/trajectory/types.js';

function arg(name: string, dflt: string): string { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; }
const baseDir = arg('--base', '');
if (!baseDir) throw new Error('give --base DIR (a checkout of src/ to compare with)');
const base = (await import(pathToFileURL(resolve(baseDir, 'src/analysis/sites/stage.ts')).href)) as { siteStage: typeof siteStage };
const reps = Number(arg('--reps', '4'));
const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const med = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const load = (): string => loadavg().map((x) => x.toFixed(1)).join(' ');

function inputOf(t: Trajectory): SiteStageInput {
  const p = prepareAnalysis(t, {});
  const det = detectPrepared(p);
  const el = p.elements[0];
  return {
    element: el.element, positions: el.positions, nFrames: p.nFrames, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3,
    seed: p.seed, frameIntervalFs: p.frameIntervalFs, detection: det[0], framework: p.framework, breaks: p.breaks,
  };
}

function ab(label: string, inp: SiteStageInput): void {
  const a: number[] = [], b: number[] = [], ratio: number[] = [];
  const before = load();
  for (let r = 0; r < reps; r++) {
    // ABBA: a load change within a rep biases neither side.
    let ta: number, tb: number;
    if (r % 2 === 0) { ta = cpuMs(() => base.siteStage(inp)); tb = cpuMs(() => siteStage(inp)); }
    else { tb = cpuMs(() => siteStage(inp)); ta = cpuMs(() => base.siteStage(inp)); }
    a.push(ta); b.push(tb); ratio.push(ta / tb);
  }
  const ionFrames = inp.atoms.length * inp.nFrames;
  console.log(`| ${label} | ${inp.atoms.length} × ${inp.nFrames} (${inp.positions instanceof Float32Array ? 'f32' : 'f64'}) | ${a.map((x) => x.toFixed(0)).join(', ')} | ${b.map((x) => x.toFixed(0)).join(', ')} | **${med(ratio).toFixed(2)}×** (${Math.min(...ratio).toFixed(2)}–${Math.max(...ratio).toFixed(2)}) | ${(ionFrames / med(b) / 1000).toFixed(2)} | ${before} → ${load()} |`);
}

console.log(`site stage CPU time, base ${baseDir} vs this tree, ${reps} reps ABBA`);
console.log('| run | ions × frames | base CPU ms | new CPU ms | base/new (range) | new M ion-frames per CPU-s | load average |');
console.log('|---|---|---|---|---|---:|---|');
for (const r of arg('--runs', 'Li-sc:700:200x20000,Li-sc:700:500x10000').split(',').filter(Boolean)) {
  const [name, TK, size] = r.split(':');
  const [ions, frames] = size.split('x').map(Number);
  const spec = scaledMaterial(materialByName(name), ions, frames);
  ab(`${name} ${TK} K (generated)`, inputOf(toTrajectory(generateRun(spec, Number(TK), spec.seed + Number(TK)))));
}
for (const r of arg('--real', '').split(',').filter(Boolean)) {
  ab(r, inputOf(await loadTrajectory(resolve(import.meta.dirname, '../../shared/data/real', r))));
}
