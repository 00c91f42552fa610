// Whole-pipeline benchmark (issue 5, "Speed"): load + analyze() per trajectory, both hop
// methods, wall and CPU time per stage, peak RSS; and the same trajectory through
// analyzeParallel with hop detection on N worker threads (forced, whatever its threshold says),
// with the speed-up over the single-threaded call measured in the same process.
//
//   npx tsx bench/pipeline.ts                      # argyrodite + generated 500 ions × 12,500/25,000/50,000 frames
//   npx tsx bench/pipeline.ts --real-only          # only the argyrodite run
//   npx tsx bench/pipeline.ts --frames 12500,25000 --methods default
//   npx tsx bench/pipeline.ts --workers 2          # parallel variant's worker count (default 2; 1 = skip it)
//   npm run build && npx tsx bench/pipeline.ts --dist   # the analysis from dist/ (compiled JS, as installed)
//
// From src/ every worker registers tsx and transforms its modules at start (1–2 s, reported as
// "workers" in the stages); from dist/ (--dist) that is 0.2–0.5 s, as users run it.
// Each case runs in its own child process, so its peak RSS (process.resourceUsage().maxRSS) is
// its own and a cold start (module load + JIT, what a one-shot CLI call pays) is measured once;
// the real run is then repeated in the same process to give the warm time an indexer worker
// pays per trajectory. Generated runs are made in memory (generateRun → toTrajectory) from
// Li-sc scaled to 500 ions at 700 K, so no 200 MB file is needed; "load" for them is the
// in-memory generation and is reported separately, not as I/O.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { existsSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import type { analyze as Analyze } from '../src/analysis/analyze.js';
import type * as Parallel from '../src/parallel/analyze-parallel.js';
import { loadTrajectory } from '../src/io/load.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Trajectory } from '../src/trajectory/types.js';
import type { DetectorName } from '../src/analysis/detectors/registry.js';

const here = fileURLToPath(import.meta.url);
const REAL = resolve(here, '../../../shared/data/real/argyrodite_li6ps5cl_50p_500k');
/** The original Python (IonDiff) hop detection alone on this run (issue 5). */
const PYTHON_HOPS_S = 54;

type Method = DetectorName;
interface Timing { method: Method; workers: number; wallMs: number; cpuMs: number; stages: Record<string, number>; events: number; error?: string; load1: number }
interface CaseResult {
  name: string; nAtoms: number; nIons: number; nFrames: number;
  loadMs: number; loadKind: string; runs: Timing[]; warm: Timing[]; maxRssMb: number;
  /** What `analyzeParallel` would choose by itself with the requested workers. */
  auto: Record<string, string>;
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const DIST = process.argv.includes('--dist');
const from = DIST ? '../dist' : '../src';
if (DIST) {
  const stale = ['analysis/analyze', 'parallel/analyze-parallel', 'parallel/detect-worker', 'analysis/hops-default', 'analysis/hops-iondiff'].find(
    (m) => !existsSync(new URL(`../dist/${m}.js`, import.meta.url)) || statSync(new URL(`../dist/${m}.js`, import.meta.url)).mtimeMs < statSync(new URL(`../src/${m}.ts`, import.meta.url)).mtimeMs,
  );
  if (stale) throw new Error(`dist/${stale}.js is missing or older than src/${stale}.ts: run \`npm run build\` first`);
}
const { analyze } = (await import(`${from}/analysis/analyze.js`)) as { analyze: typeof Analyze };
const { analyzeParallel, planParallel } = (await import(`${from}/parallel/analyze-parallel.js`)) as typeof Parallel;

const fmt = (ms: number) => (ms >= 10_000 ? `${(ms / 1000).toFixed(1)} s` : ms >= 1000 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(0)} ms`);
// Per-element stages lose their ":Li"; the parallel variant's "workers:start|busy" keep theirs.
const stageStr = (s: Record<string, number>) => Object.entries(s).map(([k, v]) => `${k.startsWith('workers:') ? k : k.split(':')[0]} ${v.toFixed(0)}`).join(', ');

/**
 * One analysis, single-threaded (`workers` 1: analyze()) or with hop detection on `workers`
 * threads (analyzeParallel, threshold off). CPU time is the process's: main thread + workers.
 */
async function timed(t: Trajectory, method: Method, workers: number): Promise<Timing> {
  const c0 = process.cpuUsage(), t0 = performance.now();
  let r: ReturnType<typeof analyze>;
  try {
    r = workers > 1 ? await analyzeParallel(t, { method }, { workers, minParallelMs: 0 }) : analyze(t, { method });
  } catch (e) {
    // Report a failing case (e.g. a size limit) instead of losing the other cases' figures.
    const c = process.cpuUsage(c0);
    const at = e instanceof Error ? (e.stack ?? '').split('\n').find((l) => l.includes('/src/')) ?? '' : '';
    return { method, workers, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, stages: {}, events: 0, error: `${String(e)} ${at.trim()}`, load1: loadavg()[0] };
  }
  const c = process.cpuUsage(c0);
  return { method, workers, wallMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000, stages: r.timingsMs, events: r.events.length, load1: loadavg()[0] };
}

async function child(spec: string, methods: Method[], warmRepeats: number, workers: number): Promise<CaseResult> {
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
  // Single-threaded first (cold, as a one-shot CLI call), then the parallel variant: its
  // workers start cold whatever ran before, and its main-thread stages are the small part.
  const variants = workers > 1 ? [1, workers] : [1];
  const runs: Timing[] = [];
  const auto: Record<string, string> = {};
  for (const m of methods) {
    const plan = planParallel(t, { method: m }, { workers });
    auto[m] = `${plan.workers} (est. detection ${fmt(plan.estimatedDetectMs)})`;
    for (const w of variants) runs.push(await timed(t, m, w));
  }
  const warm: Timing[] = [];
  for (let k = 0; k < warmRepeats; k++) for (const m of methods) for (const w of variants) warm.push(await timed(t, m, w));
  return { name, nAtoms: t.nAtoms, nIons, nFrames: t.nFrames, loadMs, loadKind, runs, warm, maxRssMb: process.resourceUsage().maxRSS / 1024, auto };
}


/**
 * Cores this process actually gets right now: `n` threads spin for `ms`, CPU time ÷ wall. On a
 * shared machine the kernel shares CPU per session (autogroup), so with other jobs busy two
 * threads may get no more than one: read the speed-ups against this.
 */
async function coresObtained(n: number, ms = 1000): Promise<number> {
  const { Worker } = await import('node:worker_threads');
  const code = `const t0 = Date.now(); let x = 0; while (Date.now() - t0 < ${ms}) x += Math.sqrt(x + 1); require('node:worker_threads').parentPort.postMessage(x);`;
  const c0 = process.cpuUsage(), t0 = performance.now();
  await Promise.all(Array.from({ length: n }, () => new Promise((r) => new Worker(code, { eval: true }).once('message', r))));
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000 / (performance.now() - t0);
}

const label = (t: Timing) => `${t.method.padEnd(8)} ${t.workers > 1 ? `${t.workers} workers` : '1 thread '}`;
const hopsMs = (t: Timing) => Object.entries(t.stages).filter(([k]) => k.startsWith('hops:')).reduce((a, [, v]) => a + v, 0);

async function main(): Promise<void> {
  const one = arg('--one');
  const methods = (arg('--methods') ?? 'default,iondiff').split(',') as Method[];
  const workers = Number(arg('--workers') ?? 2);
  if (one) {
    const res = await child(one, methods, one === 'real' ? Number(arg('--warm') ?? 3) : 0, workers);
    process.stdout.write(JSON.stringify(res) + '\n');
    return;
  }
  const frames = process.argv.includes('--real-only') ? [] : (arg('--frames') ?? '12500,25000,50000').split(',');
  const cases = ['real', ...frames];
  const os = await import('node:os');
  console.log(`Node ${process.version}, ${os.cpus().length} cores (${os.cpus()[0].model}), load avg ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}; analysis from ${DIST ? 'dist/' : 'src/ (tsx)'}`);
  for (const c of cases) {
    if (workers > 1) console.log(`\ncores obtained by ${workers} spinning threads before this case: ${(await coresObtained(workers)).toFixed(2)}`);
    const out = execFileSync(process.execPath, [...process.execArgv, here, '--one', c, '--methods', methods.join(','), '--workers', String(workers), ...(DIST ? ['--dist'] : [])], {
      encoding: 'utf8', maxBuffer: 1 << 24, stdio: ['ignore', 'pipe', 'inherit'],
    });
    const r = JSON.parse(out.trim().split('\n').pop() as string) as CaseResult;
    console.log(`\n${r.name}: ${r.nAtoms} atoms (${r.nIons} mobile) × ${r.nFrames} frames; ${r.loadKind}: ${fmt(r.loadMs)}; peak RSS ${r.maxRssMb.toFixed(0)} MB`);
    for (const t of r.runs) {
      if (t.error) { console.log(`  ${label(t)} FAILED after ${fmt(t.wallMs)}: ${t.error}`); continue; }
      console.log(`  ${label(t)} cold: analyze ${fmt(t.wallMs)} wall (${fmt(t.cpuMs)} CPU), load+analyze ${fmt(r.loadMs + t.wallMs)}; ${t.events} events; stages ms: ${stageStr(t.stages)}; load avg ${t.load1.toFixed(1)}`);
    }
    for (const m of methods) {
      const [s1, sN] = [r.runs.find((t) => t.method === m && t.workers === 1), r.runs.find((t) => t.method === m && t.workers > 1)];
      if (!s1 || !sN || s1.error || sN.error) continue;
      console.log(`  ${m.padEnd(8)} speed-up with ${sN.workers} workers (same process): analyze ×${(s1.wallMs / sN.wallMs).toFixed(2)}, ` +
        `hop detection ×${(hopsMs(s1) / hopsMs(sN)).toFixed(2)} (workers busy ${fmt(sN.stages['workers:busy'] ?? NaN)} in all); ` +
        `CPU ${fmt(s1.cpuMs)} → ${fmt(sN.cpuMs)}, CPU/wall ${(s1.cpuMs / s1.wallMs).toFixed(2)} → ${(sN.cpuMs / sN.wallMs).toFixed(2)}; ` +
        `analyzeParallel by itself would use ${r.auto[m]}`);
    }
    for (const m of methods) {
      for (const w of [...new Set(r.warm.map((t) => t.workers))]) {
        const ws = r.warm.filter((t) => t.method === m && t.workers === w);
        if (ws.length === 0) continue;
        // the median run itself, so that its stages add up to the wall time printed beside them
        const medRun = [...ws].sort((a, b) => a.wallMs - b.wallMs)[ws.length >> 1];
        const med = medRun.wallMs;
        console.log(`  ${label(medRun)} warm (median of ${ws.length}): analyze ${fmt(med)}, load+analyze ${fmt(r.loadMs + med)}; stages ms: ${stageStr(medRun.stages)}`);
        if (c === 'real' && w === 1) {
          const hops = medRun.stages['hops:Li'] ?? NaN;
          console.log(`  ${m.padEnd(8)} vs the original Python's hop detection alone (${PYTHON_HOPS_S} s): ` +
            `×${(PYTHON_HOPS_S * 1000 / (r.loadMs + med)).toFixed(0)} for our whole load+analyze, ×${(PYTHON_HOPS_S * 1000 / hops).toFixed(0)} for our hop detection`);
        }
      }
    }
  }
}

await main();
