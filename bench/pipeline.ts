// Whole-pipeline benchmark (issue 5, "Speed"): load + analyze() per trajectory, both hop
// methods, wall and CPU time per stage, peak RSS.
//
//   npx tsx bench/pipeline.ts                      # argyrodite + generated 500 ions × 12,500/25,000/50,000 frames
//   npx tsx bench/pipeline.ts --real-only          # only the argyrodite run
//   npx tsx bench/pipeline.ts --frames 12500,25000 --methods default
//
// Each case runs in its own child process, so its peak RSS (process.resourceUsage().maxRSS) is
// its own and a cold start (module load + JIT, what a one-shot CLI call pays) is measured once;
// the real run is then repeated in the same process to give the warm time an indexer worker
// pays per trajectory. Generated runs are made in memory (generateRun → toTrajectory) from
// Li-sc scaled to 500 ions at 700 K, so no 200 MB file is needed; "load" for them is the
// in-memory generation and is reported separately, not as I/O.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { analyze } from '../src/analysis/analyze.js';
import { loadTrajectory } from '../src/io/load.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Trajectory } from '../src/trajectory/types.js';

const here = fileURLToPath(import.meta.url);
const REAL = resolve(here, '../../../shared/data/real/argyrodite_li6ps5cl_50p_500k');
/** The original Python (IonDiff) hop detection alone on this run (issue 5). */
const PYTHON_HOPS_S = 54;

type Method = 'default' | 'iondiff';
interface Timing { method: Method; wallMs: number; cpuMs: number; stages: Record<string, number>; events: number; error?: string }
interface CaseResult {
  name: string; nAtoms: number; nIons: number; nFrames: number;
  loadMs: number; loadKind: string; runs: Timing[]; warm: Timing[]; maxRssMb: number;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

function timed(t: Trajectory, method: Method): Timing {
  const c0 = process.cpuUsage(), t0 = performance.now();
  let r: ReturnType<typeof analyze>;
  try {
    r = analyze(t, { method });
  } catch (e) {
    // Report a failing case (e.g. a size limit) instead of losing the other cases' figures.
    const c = process.cpuUsage(c0);
    const at = e instanceof Error ? (e.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '' : '';
    return { method, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, stages: {}, events: 0, error: `${String(e)} ${at.trim()}` };
  }
  const c = process.cpuUsage(c0);
  return { method, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, stages: r.timingsMs, events: r.events.length };
}

async function child(spec: string, methods: Method[], warmRepeats: number): Promise<CaseResult> {
  let t: Trajectory, loadKind: string, name: string;
  const t0 = performance.now();
  if (spec === 'real') {
    t = await loadTrajectory(REAL);
    loadKind = 'read + parse 6 gzip XDATCARs';
    name = 'argyrodite_li6ps5cl_50p_500k';
  } else {
    const frames = Number(spec);
    const run = generateRun(scaledMaterial(materialByName('Li-sc'), 500, frames), 700, 4242);
    t = toTrajectory(run);
    loadKind = 'generate in memory';
    name = `generated Li-sc 500 ions × ${frames} frames, 700 K`;
  }
  const loadMs = performance.now() - t0;
  const nIons = t.counts[t.species.indexOf(t.species.includes('Li') ? 'Li' : t.species[0])];
  const runs = methods.map((m) => timed(t, m));
  const warm: Timing[] = [];
  for (let k = 0; k < warmRepeats; k++) for (const m of methods) warm.push(timed(t, m));
  return { name, nAtoms: t.nAtoms, nIons, nFrames: t.nFrames, loadMs, loadKind, runs, warm, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
const stageStr = (s: Record<string, number>) => Object.entries(s).map(([k, v]) => `${k.split(':')[0]} ${v.toFixed(0)}`).join(', ');

async function main(): Promise<void> {
  const one = arg('--one');
  const methods = (arg('--methods') ?? 'default,iondiff').split(',') as Method[];
  if (one) {
    const res = await child(one, methods, one === 'real' ? Number(arg('--warm') ?? 3) : 0);
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const frames = process.argv.includes('--real-only') ? [] : (arg('--frames') ?? '12500,25000,50000').split(',');
  const cases = ['real', ...frames];
  console.log(`Node ${process.version}, ${(await import('node:os')).cpus().length} cores (${(await import('node:os')).cpus()[0].model}), load avg ${(await import('node:os')).loadavg().map((x) => x.toFixed(1)).join(' ')}`);
  for (const c of cases) {
    const out = execFileSync(process.execPath, [...process.execArgv, here, '--one', c, '--methods', methods.join(',')], {
      encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as CaseResult;
    console.log(`\n${r.name}: ${r.nAtoms} atoms (${r.nIons} mobile) × ${r.nFrames} frames; ${r.loadKind}: ${fmt(r.loadMs)}; peak RSS ${r.maxRssMb.toFixed(0)} MB`);
    for (const t of r.runs) {
      if (t.error) { console.log(`  ${t.method.padEnd(8)} FAILED after ${fmt(t.wallMs)}: ${t.error}`); continue; }
      console.log(`  ${t.method.padEnd(8)} cold: analyze ${fmt(t.wallMs)} wall (${fmt(t.cpuMs)} CPU), load+analyze ${fmt(r.loadMs + t.wallMs)}; ${t.events} events; stages ms: ${stageStr(t.stages)}`);
    }
    for (const m of methods) {
      const w = r.warm.filter((t) => t.method === m).map((t) => t.wallMs).sort((a, b) => a - b);
      if (w.length === 0) continue;
      const med = w[Math.floor(w.length / 2)];
      const last = r.warm.filter((t) => t.method === m).pop() as Timing;
      console.log(`  ${m.padEnd(8)} warm (median of ${w.length}): analyze ${fmt(med)}, load+analyze ${fmt(r.loadMs + med)}; stages ms: ${stageStr(last.stages)}`);
      if (c === 'real') {
        const hops = last.stages['hops:Li'] ?? NaN;
        console.log(`  ${m.padEnd(8)} vs the original Python's hop detection alone (${PYTHON_HOPS_S} s): ` +
          `×${(PYTHON_HOPS_S * 1000 / (r.loadMs + med)).toFixed(0)} for our whole load+analyze, ×${(PYTHON_HOPS_S * 1000 / hops).toFixed(0)} for our hop detection`);
      }
    }
  }
}

await main();
