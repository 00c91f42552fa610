// The default hop detector of this tree against another checkout of src/ (e.g. main's,
// `git archive main src | tar -x -C DIR`): identical answers, and the CPU-time ratio.
//
//   npx tsx bench/detector-equality.ts --base DIR                  # equality on every case below
//   npx tsx bench/detector-equality.ts --base DIR --speed 100x20000 [--reps 6] [--first base|new]
//
// Equality: per case, detectHopsDefault of both trees on the same unwrapped positions; the hop
// lists (atom, frames, from/to bit for bit), every ion's labels and centres, and the noise models
// (σ², ρ, the per-frame field) must agree exactly. Cases: the embedded datasets, the hard-regime
// materials (two seeds each), every real run in ../shared/data/real (skipped with a message when
// absent), 'ion' pooling on a few of them, and float32 positions. Exit code 1 on any difference.
//
// Speed: a generated Li-sc 700 K run (N ions × T frames), defaultNoiseModels then
// detectHopsDefault with those models; CPU time (process.cpuUsage) of each tree in ABBA order;
// prints medians and the median of the per-rep base/new ratios with the load average. Run it with
// --first base and --first new and take the geometric mean of the two ratios (import-order bias).
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type * as HopsDefault from '../src/analysis/hops-default.js';
import type { DefaultHopDetection, DefaultHopOptions } from '../src/analysis/hops-default.js';
import { HARD_REGIME_MATERIALS } from '../src/generate/materials-hard-regime.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { loadTrajectories } from '../src/io/load.js';
import { atomsOf, type Positions, type Trajectory } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';

type Detector = typeof HopsDefault;
const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
function arg(name: string, dflt: string): string { const i = process.argv.indexOf(name); return i >= 0 ? process.argv[i + 1] : dflt; }
const baseDir = arg('--base', '');
if (!baseDir) throw new Error('give --base DIR (a checkout of src/ to compare with)');
// Which tree is imported first (--first base|new): in one process the tree loaded first ran 15–20 %
// faster than an identical copy loaded second (2026-12-03, both orders), so a speed ratio is only
// fair as the geometric mean of the two orders.
const first = arg('--first', 'new');
const importTree = async (dir: string): Promise<Detector> => (await import(pathToFileURL(resolve(dir, 'src/analysis/hops-default.ts')).href)) as Detector;
let base: Detector, here: Detector;
if (first === 'base') { base = await importTree(baseDir); here = await importTree(root); } else { here = await importTree(root); base = await importTree(baseDir); }
const load = (): string => `load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}`;

interface Case { name: string; u: Positions; T: number; atoms: Int32Array; opts?: DefaultHopOptions }

function mobileOf(t: Trajectory): string {
  return t.metadata.mobile?.[0] ?? (['Li', 'Na', 'Mg', 'K', 'Cu', 'Zn', 'Ag'].find((e) => t.species.includes(e)) ?? t.species[0]);
}

function caseOf(name: string, t: Trajectory, opts?: DefaultHopOptions): Case {
  const mobile = mobileOf(t);
  const atoms = atomsOf(t, [mobile]);
  return { name, u: unwrap(t, { atoms, removeDriftExcept: [mobile] }), T: t.nFrames, atoms, opts };
}

/** Exact fingerprint of a detection: hops, labels, centres, noise (bytes of every double). */
function fingerprint(d: DefaultHopDetection): string {
  const h = createHash('sha256');
  const f64 = (xs: ArrayLike<number>): void => { h.update(new Uint8Array(Float64Array.from(xs).buffer)); };
  for (const x of d.hops) { f64([x.atom, x.startFrame, x.endFrame, ...x.from, ...x.to]); }
  h.update('|');
  for (const a of d.atoms) { f64([a.atom, a.nCentres, a.score]); h.update(new Uint8Array(a.labels.buffer, a.labels.byteOffset, a.labels.byteLength)); f64(a.centres); }
  h.update('|');
  const seen = new Set<unknown>();
  for (const m of d.noise) {
    f64([m.sigma2, m.tauInt, m.passes, m.sigma2Whitened, ...m.rho, ...m.whitening]);
    if (m.field && !seen.has(m.field)) { seen.add(m.field); f64(m.field.s2); f64(m.field.rho1); f64(m.field.r); h.update(String(m.field.resolved)); }
  }
  h.update(d.warnings.join('\n'));
  return h.digest('hex').slice(0, 16);
}

/** The first hop that differs, for the report. */
function firstDiff(a: DefaultHopDetection, b: DefaultHopDetection): string {
  const n = Math.max(a.hops.length, b.hops.length);
  for (let i = 0; i < n; i++) {
    const x = a.hops[i], y = b.hops[i];
    if (!x || !y || JSON.stringify(x) !== JSON.stringify(y)) return `hop ${i}: base ${JSON.stringify(x)} vs new ${JSON.stringify(y)}`;
  }
  return 'hops equal; labels, centres or noise differ';
}

async function* cases(): AsyncGenerator<Case> {
  // embedded datasets (synthetic with truth; datasets/real holds two real runs)
  const ds = join(root, 'datasets');
  for (const mat of readdirSync(ds).filter((m) => m !== 'real' && statSync(join(ds, m)).isDirectory()).sort()) {
    for (const temp of readdirSync(join(ds, mat)).sort()) {
      for (const t of await loadTrajectories(join(ds, mat, temp))) yield caseOf(`datasets/${mat}/${temp}`, t);
    }
  }
  // hard regime: every-MD-step output, underdamped vibration, close site pairs
  for (const spec of HARD_REGIME_MATERIALS) {
    for (const k of [0, 1]) {
      const T0 = spec.temperaturesK[0];
      const run = generateRun(spec, T0, spec.seed + T0 + k);
      yield caseOf(`${spec.name} seed +${k}`, toTrajectory(run));
    }
  }
  const realRoot = resolve(root, '../shared/data/real');
  if (!existsSync(realRoot)) { console.log(`skipping real runs: ${realRoot} is absent`); return; }
  const ionPool = new Set(['argyrodite_li6ps5cl_50p_500k', 'lgps_li10gep2s12_650k_crysf']);
  for (const name of readdirSync(realRoot).filter((n) => existsSync(join(realRoot, n, 'ionsift.json'))).sort()) {
    const ts = await loadTrajectories(join(realRoot, name));
    for (const [i, t] of ts.entries()) {
      const c = caseOf(`real/${name}${ts.length > 1 ? `#${i}` : ''}`, t);
      yield c;
      if (i === 0 && ionPool.has(name)) {
        yield { ...c, name: `${c.name} pool=ion`, opts: { pool: 'ion' } };
        yield { ...c, name: `${c.name} float32`, u: Float32Array.from(c.u) };
      }
    }
  }
}

async function equality(): Promise<void> {
  console.log(`equality, base ${baseDir}, ${load()}`);
  let bad = 0, n = 0;
  for await (const c of cases()) {
    const a = base.detectHopsDefault(c.u, c.T, c.atoms, c.opts);
    const b = here.detectHopsDefault(c.u, c.T, c.atoms, c.opts);
    const fa = fingerprint(a), fb = fingerprint(b);
    n++;
    const same = fa === fb;
    if (!same) bad++;
    console.log(`${same ? 'same' : 'DIFF'}  ${c.name}: ${c.atoms.length} ions × ${c.T} frames, ${b.hops.length} hops, ${fb}${same ? '' : ` (base ${fa}: ${firstDiff(a, b)})`}`);
  }
  console.log(`${n - bad}/${n} cases identical`);
  if (bad > 0) process.exitCode = 1;
}

const cpuMs = (f: () => void): number => { const c = process.cpuUsage(); f(); const d = process.cpuUsage(c); return (d.user + d.system) / 1000; };
const med = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); return s[s.length >> 1]; };

function speed(size: string, reps: number): void {
  const [N, T] = size.split('x').map(Number);
  const run = generateRun(scaledMaterial(materialByName('Li-sc'), N, T), 700, 7);
  const c = caseOf(`Li-sc 700 K ${N} × ${T}`, toTrajectory(run));
  const time = (d: Detector): [number, number] => {
    let models: ReturnType<Detector['defaultNoiseModels']>;
    const noise = cpuMs(() => { models = d.defaultNoiseModels(c.u, c.T, c.atoms.length); });
    const seg = cpuMs(() => { d.detectHopsDefault(c.u, c.T, c.atoms, { noise: models }); });
    return [noise, seg];
  };
  const rows = { base: [] as number[][], here: [] as number[][] };
  const ratio: number[][] = [[], [], []];
  console.log(`speed, ${c.name}, ${reps} reps ABBA, ${first} imported first, ${load()}`);
  const fa = fingerprint(base.detectHopsDefault(c.u, c.T, c.atoms)), fb = fingerprint(here.detectHopsDefault(c.u, c.T, c.atoms));
  console.log(`  answers ${fa === fb ? 'identical' : 'DIFFER'} (base ${fa}, new ${fb})`);
  if (fa !== fb) process.exitCode = 1;
  for (let r = 0; r < reps; r++) {
    let a: [number, number], b: [number, number];
    if (r % 2 === 0) { a = time(base); b = time(here); } else { b = time(here); a = time(base); }
    rows.base.push(a); rows.here.push(b);
    ratio[0].push(a[0] / b[0]); ratio[1].push(a[1] / b[1]); ratio[2].push((a[0] + a[1]) / (b[0] + b[1]));
    console.log(`  rep ${r}: base noise ${a[0].toFixed(0)} + detection ${a[1].toFixed(0)} ms, new ${b[0].toFixed(0)} + ${b[1].toFixed(0)} ms`);
  }
  const col = (xs: number[][], i: number): number[] => xs.map((x) => (i < 2 ? x[i] : x[0] + x[1]));
  for (const [i, label] of ['noise model', 'detection (segmentation, assembly)', 'both'].entries()) {
    const mb = med(col(rows.base, i)), mh = med(col(rows.here, i));
    console.log(`${label}: base median ${mb.toFixed(0)} ms, new ${mh.toFixed(0)} ms; base/new median of paired ratios ${med(ratio[i]).toFixed(2)} (range ${Math.min(...ratio[i]).toFixed(2)}–${Math.max(...ratio[i]).toFixed(2)})`);
  }
  const atomFrames = N * T;
  console.log(`new: ${(atomFrames / (med(col(rows.here, 2)) / 1000) / 1e6).toFixed(2)} M atom-frames per CPU-s (both stages); ${load()}`);
}

const sp = arg('--speed', '');
if (sp) speed(sp, Number(arg('--reps', '6'))); else await equality();
