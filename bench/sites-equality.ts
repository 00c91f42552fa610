// The site stage's output, this tree against another checkout of src/ (the same inputs, one process).
//
//   npx tsx bench/sites-equality.ts --base DIR [--frames 6000] [--seeds 2] [--real a,b] [--long 200x20000] [--skip-datasets]
//   npx tsx bench/sites-equality.ts [OUT.json]      # (no --base) dump sites, site_jumps and events of a few runs
//
// DIR holds a src/ (e.g. `git archive <commit> src | tar -x -C DIR`). For each run the analysis is
// prepared and hops detected once (this tree), then both trees' `siteStage` run on the same
// input, and everything it returns — the map, sites, site jumps, summary, cages, places, break
// counts, and `siteOf` at every detected hop's ends — is compared bit for bit (−0, NaN kept
// apart). Cases: the embedded datasets (mixture, and the density map on three; one with two
// breaks flagged), the hard-regime materials (seeds × frames), real runs, a generated long run.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { analyze, detectPrepared, prepareAnalysis } from '../src/analysis/analyze.js';
import { siteStage, type SiteStageInput } from '../src/analysis/sites/stage.js';
import { loadTrajectory } from '../src/io/load.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Trajectory } from '../src/trajectory/types.js';

function arg(name: string, dflt: string): string { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; }
const REAL = resolve(import.meta.dirname, '../../shared/data/real');
const baseDir = arg('--base', '');

if (!baseDir) {
  // The original dump mode.
  const runs = [
    `${REAL}/argyrodite_li6ps5cl_50p_500k`, `${REAL}/argyrodite_li6ps5cl_0p_500k`, `${REAL}/lgps_li10gep2s12_650k_crysf`,
    'datasets/Li-bcc/600K', 'datasets/Na-hex/750K',
  ];
  const out = process.argv[2] ?? 'sites-out.json';
  const res: Record<string, unknown> = {};
  for (const r of runs) {
    if (!existsSync(r)) { console.error(`skipped ${r}: absent`); continue; }
    const a = analyze(await loadTrajectory(r));
    res[r] = { sites: a.sites, siteJumps: a.siteJumps, events: a.events };
    console.error(r, 'sites', a.sites.length, 'jumps', a.siteJumps.length, 'events', a.events.length);
  }
  writeFileSync(out, JSON.stringify(res));
  process.exit(0);
}

type Stage = typeof siteStage;
const base = (await import(pathToFileURL(resolve(baseDir, 'src/analysis/sites/stage.ts')).href)) as { siteStage: Stage };

/** Bit-exact text of a value: typed arrays as lists, −0 / NaN / ±Infinity spelled out, maps as entry lists. */
function canon(v: unknown): string {
  const num = (x: number): number | string => (Object.is(x, -0) ? '-0' : Number.isFinite(x) ? x : String(x));
  return JSON.stringify(v, (_k, x) => {
    if (typeof x === 'number') return num(x);
    if (ArrayBuffer.isView(x)) return { [x.constructor.name]: Array.from(x as unknown as ArrayLike<number>, num) };
    if (x instanceof Map) return { Map: [...x.entries()] };
    return x;
  });
}

function stageText(st: ReturnType<Stage>, inp: SiteStageInput): string {
  const probes: (number | null)[] = [];
  for (const h of inp.detection.hops) probes.push(st.siteOf(h.from), st.siteOf(h.to));
  const { siteOf: _drop, ...rest } = st;
  return canon({ ...rest, probes });
}

let cases = 0, different = 0;
const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };

function compare(label: string, t: Trajectory, tweak: (i: SiteStageInput) => SiteStageInput = (i) => i): void {
  const p = prepareAnalysis(t, {});
  const det = detectPrepared(p);
  p.elements.forEach((el, e) => {
    const inp = tweak({
      element: el.element, positions: el.positions, nFrames: p.nFrames, atoms: el.atoms, cell: p.cell, volumeA3: p.volumeA3,
      seed: p.seed, frameIntervalFs: p.frameIntervalFs, detection: det[e], framework: p.framework, breaks: p.breaks,
    });
    let a = '', b = '', sites = 0, jumps = 0;
    const ta = cpuMs(() => { a = stageText(base.siteStage(inp), inp); });
    const tb = cpuMs(() => { const st = siteStage(inp); sites = st.map.k; jumps = st.hops?.length ?? 0; b = stageText(st, inp); });
    cases++;
    const same = a === b;
    if (!same) different++;
    const h = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 12);
    console.log(`| ${label} ${el.element} | ${el.atoms.length} × ${p.nFrames} | ${sites} | ${jumps} | ${same ? 'identical' : `**DIFFERENT** ${h(a)} ≠ ${h(b)}`} | ${ta.toFixed(0)} / ${tb.toFixed(0)} |`);
  });
}

console.log(`site stage, this tree vs ${baseDir}; load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log('| run | ions × frames | sites | site jumps | output | CPU ms base / new |');
console.log('|---|---|---:|---:|---|---|');
if (!process.argv.includes('--skip-datasets')) {
  const manifest = JSON.parse(readFileSync('datasets/manifest.json', 'utf8')) as { runs: { dir: string }[] };
  for (const r of manifest.runs) compare(r.dir, await loadTrajectory(`datasets/${r.dir}`));
  for (const dir of ['Li-sc/800K', 'Na-hex/750K', 'Li-bcc/600K']) {
    compare(`${dir} density map`, await loadTrajectory(`datasets/${dir}`), (i) => ({ ...i, siteMap: 'density' }));
  }
  compare('Li-bcc/600K, breaks at T/3 and 2T/3', await loadTrajectory('datasets/Li-bcc/600K'), (i) => ({ ...i, breaks: [Math.floor(i.nFrames / 3), Math.floor((2 * i.nFrames) / 3)] }));
}
const frames = Number(arg('--frames', '6000'));
const seeds = Number(arg('--seeds', '2'));
for (const name of arg('--materials', 'Li-pair-1.8,Li-pair-2.0,Li-pair-1.8-fast,Li-pair-2.0-fast,Li-sc-every-step').split(',').filter(Boolean)) {
  const spec = { ...materialByName(name), nFrames: frames };
  const T = spec.temperaturesK[0];
  for (let i = 0; i < seeds; i++) compare(`${name} seed ${spec.seed + T + i}`, toTrajectory(generateRun(spec, T, spec.seed + T + i)));
}
for (const r of arg('--real', 'lgps_li10gep2s12_650k_crysf,argyrodite_li6ps5cl_50p_500k,argyrodite_li6ps5i_0p_500k').split(',').filter(Boolean)) {
  const dir = resolve(REAL, r);
  if (!existsSync(dir)) { console.log(`| ${r} | skipped: ${dir} is absent | | | | |`); continue; }
  compare(r, await loadTrajectory(dir));
}
const long = arg('--long', '');
if (long) {
  const [ions, nFrames] = long.split('x').map(Number);
  const spec = scaledMaterial(materialByName('Li-sc'), ions, nFrames);
  compare(`Li-sc 700 K (generated)`, toTrajectory(generateRun(spec, 700, spec.seed + 700)));
}
console.log(`${cases} cases, ${different} different`);
process.exit(different > 0 ? 1 : 0);
