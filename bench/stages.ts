// Per-stage timings of the per-trajectory pipeline pieces owned by io/, trajectory/ and the
// IonDiff detector, and an exact fingerprint of their outputs (to prove speed work changed no answer).
//
//   npx tsx bench/stages.ts [--repeats 7] [--real DIR]     # timings, real argyrodite run
//   npx tsx bench/stages.ts --long 50 [--frames 12500]      # iondiff on a generated long run (50 of 500 ions)
//   npx tsx bench/stages.ts --fingerprint OUT.json          # hashes of every output, all real runs + datasets
//   npx tsx bench/stages.ts --compare A.json B.json         # which fingerprints differ
//
// Timings: the first repetition in a fresh process is "cold" (JIT not warmed up: what a one-shot
// CLI call pays); the median of the others is "warm" (what an indexer worker pays). Stages:
// gunzip alone (the I/O floor: fs.readFile + zlib.gunzipSync of the same files), loadTrajectory,
// unwrap, iondiff hops (k-means and silhouette split out), correlations of the default hops.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { parseArgs } from 'node:util';
import { loadTrajectories, loadTrajectory } from '../src/io/load.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { atomsOf, type Trajectory } from '../src/trajectory/types.js';
import { detectHopsIondiff } from '../src/analysis/hops-iondiff.js';
import { kmeansMulti } from '../src/analysis/kmeans.js';
import * as silhouette from '../src/analysis/silhouette.js';
import { analyzeCorrelations } from '../src/analysis/correlations.js';
import { backHopFlags, findChains, ionPaths } from '../src/analysis/paths.js';
import { occupancyRuns } from '../src/analysis/occupancy.js';
import type { RawHop } from '../src/analysis/types.js';

const here = dirname(fileURLToPath(import.meta.url));
const REAL_ROOT = resolve(here, '../../shared/data/real');
const { values } = parseArgs({
  options: {
    repeats: { type: 'string', default: '7' },
    real: { type: 'string', default: join(REAL_ROOT, 'argyrodite_li6ps5cl_50p_500k') },
    long: { type: 'string' },
    frames: { type: 'string', default: '12500' },
    fingerprint: { type: 'string' },
    compare: { type: 'boolean', default: false },
    hops: { type: 'string', default: '/tmp/ionsift-fp-hops' },
  },
  allowPositionals: true,
});

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const ms = (x: number): string => x.toFixed(1).padStart(7);
const header = (): string => `Node ${process.version}, ${cpus().length} cores, load avg ${loadavg().map((x) => x.toFixed(2)).join(' ')}`;

function mobileOf(t: Trajectory): string {
  return t.metadata.mobile?.[0] ?? (['Li', 'Na', 'Mg', 'K', 'Cu', 'Zn', 'Ag'].find((e) => t.species.includes(e)) ?? t.species[0]);
}

function ionColumns(pos: Float64Array, T: number, n: number): Float64Array[] {
  const out: Float64Array[] = [];
  for (let a = 0; a < n; a++) {
    const X = new Float64Array(T * 3);
    for (let f = 0; f < T; f++) { const o = (f * n + a) * 3; X[f * 3] = pos[o]; X[f * 3 + 1] = pos[o + 1]; X[f * 3 + 2] = pos[o + 2]; }
    out.push(X);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Timings

async function timings(): Promise<void> {
  const dir = values.real as string;
  const R = Number(values.repeats);
  console.log(header());
  const files = readdirSync(dir).filter((f) => /actual_XDATCAR\.gz$/.test(f)).sort().map((f) => join(dir, f));
  const rows: Record<string, number[]> = {};
  const add = (k: string, v: number): void => { (rows[k] ??= []).push(v); };
  let t!: Trajectory;
  for (let r = 0; r < R; r++) {
    let c = performance.now();
    const lap = (k: string): void => { const now = performance.now(); add(k, now - c); c = now; };
    if (files.length > 0) {
      let bytes = 0;
      for (const f of files) bytes += gunzipSync(readFileSync(f)).length;
      lap('gunzip only (floor)');
      if (r === 0) console.log(`${files.length} gzip files, ${(bytes / 1e6).toFixed(1)} MB of text`);
    }
    t = await loadTrajectory(dir);
    lap('loadTrajectory');
    const el = mobileOf(t);
    const idx = atomsOf(t, [el]);
    const pos = unwrap(t, { atoms: idx, removeDriftExcept: [el] });
    lap('unwrap (mobile, drift removed)');
    const det = detectHopsIondiff(pos, t.nFrames, idx);
    lap('iondiff hops');
    const cols = ionColumns(pos, t.nFrames, idx.length);
    c = performance.now();
    const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
    const fits: Int32Array[][] = [];
    for (const X of cols) fits.push(kmeansMulti(X, t.nFrames, ks).map((f) => f.labels));
    lap('  of which k-means');
    // (silhouetteScoresBelow is absent from older trees: then only the full evaluation is timed.)
    const below = (silhouette as Partial<typeof silhouette>).silhouetteScoresBelow;
    if (below) {
      for (let a = 0; a < cols.length; a++) below(cols[a], t.nFrames, fits[a], ks, 0.7);
      lap('  of which silhouette (stops below 0.7)');
    }
    for (let a = 0; a < cols.length; a++) silhouette.silhouetteScores(cols[a], t.nFrames, fits[a], ks);
    lap('  silhouette of every row');
    const hops = loadSavedHops(dir) ?? det.hops;
    const placed = [...hops].sort((a, b) => a.atom - b.atom || a.startFrame - b.startFrame || a.endFrame - b.endFrame)
      .map((h) => ({ atom: h.atom, first: h.startFrame, last: h.endFrame, from: h.from, to: h.to }));
    c = performance.now();
    analyzeCorrelations(placed, t.nFrames, el, { lattice: t.lattice.subarray(0, 9) });
    backHopFlags(hops, t.lattice.subarray(0, 9));
    lap(`correlations + back-hops (${hops.length} hops)`);
  }
  console.log(`${t.nAtoms} atoms × ${t.nFrames} frames; ms: cold (1st) | warm median of ${R - 1} | warm min`);
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(42)} ${ms(v[0])} | ${ms(median(v.slice(1)))} | ${ms(Math.min(...v.slice(1)))}`);
  console.log(header());
}

/** Default-method hops saved by `--fingerprint` (a fixed, many-event input for the correlation timings). */
function loadSavedHops(dir: string): RawHop[] | null {
  const f = join(values.hops as string, `${dir.split('/').filter(Boolean).slice(-2).join('_')}.json`);
  return existsSync(f) ? (JSON.parse(readFileSync(f, 'utf8')) as RawHop[]) : null;
}

// ---------------------------------------------------------------------------------------------
// Long generated run (iondiff scaling)

async function longRun(): Promise<void> {
  const nIons = Number(values.long), frames = Number(values.frames);
  const { materialByName, scaledMaterial } = await import('../src/generate/materials.js');
  const { generateRun, toTrajectory } = await import('../src/generate/run.js');
  console.log(header());
  const cache = `/tmp/ionsift-long-${frames}.bin`;
  let pos: Float64Array, n: number;
  if (existsSync(cache)) {
    const b = readFileSync(cache);
    pos = new Float64Array(b.buffer, b.byteOffset, b.length / 8);
    n = pos.length / (frames * 3);
  } else {
    const t = toTrajectory(generateRun(scaledMaterial(materialByName('Li-sc'), 500, frames), 700, 4242));
    const idx = atomsOf(t, ['Li']);
    pos = unwrap(t, { atoms: idx, removeDriftExcept: ['Li'] });
    n = idx.length;
    writeFileSync(cache, pos);
  }
  // The first nIons columns only (ions are independent: time scales linearly with their number).
  const sub = new Float64Array(frames * nIons * 3);
  for (let f = 0; f < frames; f++) sub.set(pos.subarray((f * n) * 3, (f * n + nIons) * 3), f * nIons * 3);
  const atoms = Int32Array.from({ length: nIons }, (_, i) => i);
  const t0 = performance.now();
  const det = detectHopsIondiff(sub, frames, atoms);
  const wall = performance.now() - t0;
  console.log(`iondiff, generated Li-sc 700 K, ${nIons} of ${n} ions × ${frames} frames: ${wall.toFixed(0)} ms ` +
    `(${(wall / nIons).toFixed(1)} ms/ion → ×${n} ions ≈ ${(wall / nIons * n / 1000).toFixed(1)} s); ${det.hops.length} hops; ` +
    `fingerprint ${sha(JSON.stringify(det.events) + JSON.stringify(det.hops))} ${sha(bytes(det.silhouettes))}`);
  console.log(header());
}

// ---------------------------------------------------------------------------------------------
// Fingerprints

function sha(x: string | Uint8Array): string {
  return createHash('sha256').update(x).digest('hex').slice(0, 16);
}
function bytes(a: ArrayBufferView): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function trajectoryDirs(root: string, depth = 2): string[] {
  const out: string[] = [];
  for (const e of readdirSync(root).sort()) {
    const p = join(root, e);
    if (!statSync(p).isDirectory()) continue;
    const kids = readdirSync(p);
    if (kids.some((k) => /XDATCAR|vasprun|\.extxyz|ionsift\.json/i.test(k))) out.push(p);
    else if (depth > 1) out.push(...trajectoryDirs(p, depth - 1));
  }
  return out;
}

async function fingerprint(out: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(values.hops as string, { recursive: true });
  const res: Record<string, string> = {};
  const dirs = [...trajectoryDirs(REAL_ROOT), ...trajectoryDirs(resolve(here, '../datasets'))];
  for (const dir of dirs) {
    const name = dir.split('/').slice(-2).join('/');
    let ts: Trajectory[];
    try {
      ts = await loadTrajectories(dir);
    } catch (e) {
      res[`${name} load`] = `error ${String(e)}`;
      continue;
    }
    for (let k = 0; k < ts.length; k++) {
      const t = ts[k];
      const key = ts.length > 1 ? `${name}#${k}` : name;
      const { frac, lattice, speciesOf, ...rest } = t;
      res[`${key} load`] = `${sha(bytes(frac))} ${sha(bytes(lattice))} ${sha(bytes(speciesOf))} ${sha(JSON.stringify(rest).split(resolve(here, '..')).join('<repo>'))}`;
      const el = mobileOf(t);
      const idx = atomsOf(t, [el]);
      const pos = unwrap(t, { atoms: idx, removeDriftExcept: [el] });
      res[`${key} unwrap`] = sha(bytes(pos));
      res[`${key} unwrap-all`] = sha(bytes(unwrap(t)));
      const t0 = performance.now();
      const det = detectHopsIondiff(pos, t.nFrames, idx);
      const iondiffMs = performance.now() - t0;
      // Answers: events, hops, centres, labels (the score is a silhouette, checked below).
      res[`${key} iondiff`] = `${sha(JSON.stringify(det.events))} ${sha(JSON.stringify(det.hops))} ` +
        `${sha(JSON.stringify(det.atoms.map((a) => [a.atom, a.nCentres, Array.from(a.centres)])))} ` +
        `${sha(det.atoms.map((a) => Array.from(a.labels).join(',')).join(';'))} (${det.hops.length} hops)`;
      // Silhouettes evaluated in full; where the default run only bounded them, the bounds must
      // be ≥ the values and below the threshold.
      const full = detectHopsIondiff(pos, t.nFrames, idx, { exactSilhouettes: true });
      res[`${key} iondiff-silhouettes`] = `${sha(bytes(full.silhouettes))} ${sha(JSON.stringify(full.atoms.map((a) => (Number.isNaN(a.score) ? 'NaN' : a.score))))}`;
      const exactFlags = (det as { silhouetteExact?: Uint8Array }).silhouetteExact;
      const nK = det.silhouettes.length / idx.length;
      let bounded = 0;
      for (let a = 0; a < idx.length; a++) {
        const isExact = exactFlags ? exactFlags[a] === 1 : true;
        if (!isExact) bounded++;
        for (let m = 0; m < nK; m++) {
          const v = det.silhouettes[a * nK + m], w = full.silhouettes[a * nK + m];
          const ok = isExact ? Object.is(v, w) : (Number.isNaN(v) && Number.isNaN(w)) || (v >= w && v < 0.7);
          if (!ok) throw new Error(`${key}: ion ${a} k=${m + 2}: silhouette ${v} vs exact ${w} (exact flag ${isExact})`);
        }
      }
      // The faithful settings too (Forgy ×10, no shortcut) where they are affordable.
      const compat = detectHopsIondiff(pos, t.nFrames, idx, t.nFrames * idx.length <= 200_000 ? { compat: true } : { compat: true, init: 'k-means++', nInit: 1 });
      res[`${key} iondiff-compat`] = `${sha(JSON.stringify(compat.events))} ${sha(JSON.stringify(compat.hops))} ${sha(bytes(compat.silhouettes))}`;
      console.error(`${key}: ${t.nFrames} frames, ${idx.length} ${el}, iondiff ${iondiffMs.toFixed(0)} ms, ${det.hops.length} hops, ${bounded} ions with bounded silhouettes`);
      // Correlations / paths on a fixed many-event input: the default method's hops, saved on
      // the first run (hops-default is not ours; its answers may move while we work).
      const hopFile = join(values.hops as string, `${key.replace(/[/#]/g, '_')}.json`);
      let hops: RawHop[];
      if (existsSync(hopFile)) hops = JSON.parse(readFileSync(hopFile, 'utf8')) as RawHop[];
      else {
        const { detectHopsDefault } = await import('../src/analysis/hops-default.js');
        hops = detectHopsDefault(pos, t.nFrames, idx).hops;
        writeFileSync(hopFile, JSON.stringify(hops));
      }
      const cell = t.lattice.subarray(0, 9);
      for (const [src, hs] of [['default-hops', hops], ['iondiff-hops', det.hops]] as const) {
        const sorted = [...hs].sort((a, b) => a.atom - b.atom || a.startFrame - b.startFrame || a.endFrame - b.endFrame);
        const placed = sorted.map((h) => ({ atom: h.atom, first: h.startFrame, last: h.endFrame, from: h.from, to: h.to }));
        const corr = analyzeCorrelations(placed, t.nFrames, el, { lattice: cell });
        const corrT = analyzeCorrelations(placed, t.nFrames, el);
        const corrMC = analyzeCorrelations(placed, t.nFrames, el, { nRandom: 50, seed: 3 });
        const occ = occupancyRuns(sorted.map((h) => ({ atom: h.atom, start: h.startFrame, end: h.endFrame })), t.nFrames);
        res[`${key} corr(${src})`] = `${sha(JSON.stringify([corr, corrT, corrMC, occ], (_k, v: unknown) => (v instanceof Int32Array ? Array.from(v) : typeof v === 'number' && Number.isNaN(v) ? 'NaN' : v)))}`;
        res[`${key} paths(${src})`] = `${sha(bytes(backHopFlags(sorted, cell)))} ${sha(JSON.stringify(findChains(sorted, cell)))} ${sha(JSON.stringify(ionPaths(sorted, t.nFrames, cell)))}`;
      }
    }
  }
  writeFileSync(out, JSON.stringify(res, null, 1));
  console.error(`${Object.keys(res).length} fingerprints → ${out}`);
}

function compare(a: string, b: string): void {
  const A = JSON.parse(readFileSync(a, 'utf8')) as Record<string, string>;
  const B = JSON.parse(readFileSync(b, 'utf8')) as Record<string, string>;
  let diff = 0;
  for (const k of new Set([...Object.keys(A), ...Object.keys(B)])) {
    if (A[k] !== B[k]) { diff++; console.log(`DIFF ${k}\n  ${A[k]}\n  ${B[k]}`); }
  }
  console.log(diff === 0 ? `identical (${Object.keys(A).length} fingerprints)` : `${diff} differ`);
  if (diff) process.exitCode = 1;
}

if (values.compare) compare(process.argv[process.argv.length - 2], process.argv[process.argv.length - 1]);
else if (values.fingerprint) await fingerprint(values.fingerprint);
else if (values.long) await longRun();
else await timings();
