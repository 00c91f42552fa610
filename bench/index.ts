/**
 * Indexing benchmark (not a test): `npx tsx bench/index.ts [--n 52] [--frames 1000] [--dist]`.
 * `--dist` runs the compiled indexer from dist/ (`npm run build` first), as users run it; without
 * it the indexer runs from src/ and every worker thread starts tsx and compiles the analysis
 * modules, which costs start-up CPU that a user's run does not have.
 * 1. Throughput of `ionsift index` (trajectories/s, MB/s) with 1 and 2 workers in the same run
 *    on ≥ 50 generated trajectories (src/generate; cached in the OS temp folder), peak RSS.
 * 2. Query time of the `descriptors` view over a database of 10,000 synthetic trajectories
 *    (rows inserted directly with SQL, no analysis).
 * `--pools thread,process` (default both) compares the worker pools, each 1 then 2 workers, pairs
 * alternated; `--child-flags="…"` (repeatable; "none" = no flags) compares the child processes'
 * Node flags (default: the indexer's CHILD_NODE_FLAGS). CPU is this process's plus the worker
 * processes' (they report theirs), per-thread where Linux's /proc allows.
 * Appends the figures to BENCHMARKS.md under "## Indexing".
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendToSection } from './benchmarks-md.js';
import { MATERIALS, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, writeRun } from '../src/generate/run.js';
import type { CodeSource } from '../src/indexer/child-code.js';
import type { ChildCpu } from '../src/indexer/process-pool.js';
import type { IndexSummary, runIndex as RunIndex } from '../src/indexer/run.js';
import type { Store as StoreClass } from '../src/store/db.js';
import type { recomputeArrhenius as RecomputeArrhenius } from '../src/store/ingest.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string' }, frames: { type: 'string' }, rows: { type: 'string' }, 'no-write': { type: 'boolean' }, dist: { type: 'boolean' }, reps: { type: 'string' }, batch: { type: 'string' },
    pools: { type: 'string' }, 'child-flags': { type: 'string', multiple: true }, 'no-query': { type: 'boolean' }, 'child-code': { type: 'string' },
  },
});
const DIST = values.dist ?? false;
const from = DIST ? '../dist' : '../src';
if (DIST) {
  const stale = ['indexer/run', 'indexer/worker', 'indexer/child', 'indexer/process-pool', 'indexer/pool', 'indexer/child-code', 'store/ingest', 'store/db'].find(
    (m) => !existsSync(new URL(`../dist/${m}.js`, import.meta.url)) || statSync(new URL(`../dist/${m}.js`, import.meta.url)).mtimeMs < statSync(new URL(`../src/${m}.ts`, import.meta.url)).mtimeMs,
  );
  if (stale) throw new Error(`dist/${stale}.js is missing or older than src/${stale}.ts: run \`npm run build\` first`);
}
const { runIndex } = (await import(`${from}/indexer/run.js`)) as { runIndex: typeof RunIndex };
const { Store } = (await import(`${from}/store/db.js`)) as { Store: typeof StoreClass };
const { recomputeArrhenius } = (await import(`${from}/store/ingest.js`)) as { recomputeArrhenius: typeof RecomputeArrhenius };
const N = Number(values.n ?? 52);
const FRAMES = Number(values.frames ?? 1000);
const ROWS = Number(values.rows ?? 10_000);
/** Repetitions of the 1-worker/2-worker pair, interleaved (1, 2, 1, 2, …) so load changes hit both alike. */
const REPS = Number(values.reps ?? 1);
/** Trajectories per write transaction (runIndex's writeBatch; 1 = one transaction each). */
const BATCH = values.batch === undefined ? undefined : Number(values.batch);
const POOLS = (values.pools ?? 'thread,process').split(',') as ('thread' | 'process')[];
for (const p of POOLS) if (p !== 'thread' && p !== 'process') throw new Error(`--pools: thread or process, not "${p}"`);
/** Child-process flag variants to compare (undefined: the indexer's default). */
const FLAG_VARIANTS: (string[] | undefined)[] = values['child-flags']?.map((f) => (f === 'none' ? [] : f.split(/\s+/).filter(Boolean))) ?? [undefined];
/** How the worker processes load their code, compared (default: the indexer's, bundle). */
const CODES = (values['child-code']?.split(',') ?? [undefined]) as (CodeSource | undefined)[];
for (const c of CODES) if (c !== undefined && !['modules', 'bundle'].includes(c)) throw new Error(`--child-code: modules or bundle, not "${c}"`);
const root = join(tmpdir(), `ionsift-bench-index-${N}x${FRAMES}`);
const data = join(root, 'data');

async function generateSet(): Promise<void> {
  if (existsSync(join(data, '.complete'))) return;
  rmSync(data, { recursive: true, force: true });
  for (let i = 0; i < N; i++) {
    const base = MATERIALS[i % MATERIALS.length];
    const T = base.temperaturesK[Math.floor(i / MATERIALS.length) % base.temperaturesK.length];
    const spec = scaledMaterial(base, base.nIons, FRAMES);
    const run = generateRun(spec, T, 10_000 + i);
    // <material>-<k>/<T>K/: one material per k, so each trajectory is its own row of the set.
    await writeRun(run, join(data, `${base.name}-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`, `${T}K`));
  }
  writeFileSync(join(data, '.complete'), '');
}

interface Config {
  pool: 'thread' | 'process';
  flags?: string[];
  code?: CodeSource;
  label: string;
}

async function indexWith(c: Config, jobs: number): Promise<IndexSummary> {
  // Per process: other sessions may run this benchmark on the same cached set at the same time.
  const db = join(root, `bench-${c.pool}-${jobs}-${process.pid}.duckdb`);
  rmSync(db, { force: true });
  rmSync(db + '.wal', { force: true });
  try {
    return await runIndex({ paths: [data], db, jobs, progress: 'none', writeBatch: BATCH, pool: c.pool, childNodeFlags: c.flags, childCode: c.code });
  } finally {
    rmSync(db, { force: true });
    rmSync(db + '.wal', { force: true });
  }
}

/** CPU seconds of the main thread alone (Linux; null elsewhere): the rest is workers, DuckDB, GC. */
function mainThreadCpuS(): number | null {
  try {
    const st = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100; // utime + stime in USER_HZ (100 on Linux)
  } catch {
    return null;
  }
}

/** CPU seconds of each live thread of this process by tid, with its name (Linux /proc; empty elsewhere). */
function threadCpu(): Map<string, { comm: string; cpuS: number }> {
  const out = new Map<string, { comm: string; cpuS: number }>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const st = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
        const comm = st.slice(st.indexOf('(') + 1, st.lastIndexOf(')'));
        const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
        out.set(tid, { comm, cpuS: (Number(f[11]) + Number(f[12])) / 100 });
      } catch {
        // the thread ended meanwhile
      }
    }
  } catch {
    // no /proc
  }
  return out;
}

/**
 * CPU of this process's threads during a run, grouped: the main thread, V8's platform threads
 * (background JIT, concurrent GC), libuv's (DuckDB statements, file reads), DuckDB's own, and the
 * rest (threads that ended during the run, e.g. worker threads, are in none of these).
 */
function threadSplit(before: Map<string, { comm: string; cpuS: number }>, after: Map<string, { comm: string; cpuS: number }>): Record<string, number> {
  const groups: Record<string, number> = {};
  for (const [tid, a] of after) {
    const d = a.cpuS - (before.get(tid)?.cpuS ?? 0);
    if (d <= 0) continue;
    const g = tid === String(process.pid) ? 'main' : /^V8/.test(a.comm) ? 'v8' : /^libuv/.test(a.comm) ? 'libuv' : /duckdb/i.test(a.comm) ? 'duckdb' : a.comm;
    groups[g] = (groups[g] ?? 0) + d;
  }
  return groups;
}

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * One worker process's warm-up, from its main thread's CPU (10 ms ticks): start-up until ready,
 * the first task, tasks 2–5, the median of the later (steady) tasks, and the excess over steady
 * (start-up plus what the first five tasks cost above five steady ones).
 */
interface Warmup {
  readyS: number;
  firstS: number;
  next4S: number;
  steadyS: number;
  excessS: number;
  tasks: number;
  totalS: number;
}
function warmupOf(c: ChildCpu): Warmup | null {
  const t = c.tasksS;
  if (t.length < 6) return null;
  const steadyS = median(t.slice(5));
  const firstS = t[0];
  const next4S = t.slice(1, 5).reduce((a, b) => a + b, 0);
  const totalS = c.readyS + t.reduce((a, b) => a + b, 0);
  return { readyS: c.readyS, firstS, next4S, steadyS, excessS: c.readyS + firstS + next4S - 5 * steadyS, tasks: t.length, totalS };
}
const fmtWarmup = (w: Warmup): string =>
  `${w.readyS.toFixed(2)} + ${w.firstS.toFixed(2)} + ${w.next4S.toFixed(2)} (steady ${(1000 * w.steadyS).toFixed(0)} ms × ${w.tasks - 5}; excess ${w.excessS.toFixed(2)}; total ${w.totalS.toFixed(2)})`;

async function descriptorsQuery(): Promise<{ countMs: number; fetchMs: number; rows: number; buildMs: number }> {
  const db = join(root, `descriptors-${ROWS}.duckdb`);
  rmSync(db, { force: true });
  rmSync(db + '.wal', { force: true });
  const t0 = performance.now();
  const s = await Store.open(db);
  const nMat = Math.max(1, Math.round(ROWS / 10));
  await s.run(`INSERT INTO trajectories (trajectory_id, name, path, paths, content_hash, files_signature, format, material, formula,
      temperature_k, frame_interval_fs, n_frames, n_atoms, duration_ps, volume_a3, method, mobile, params_hash, indexed_at)
    SELECT 't' || i, 'run', '/x/' || i, ['/x/' || i], md5(i::VARCHAR), '', 'xdatcar', 'm' || (i % ${nMat}), 'Li3PS4',
      400 + 100 * (i // ${nMat} % 10), 20, 5000, 200, 100, 2000 + i % 500, 'default', ['Li'], 'p', now()
    FROM range(${ROWS}) r(i)`);
  await s.run(`INSERT INTO diffusion (trajectory_id, element, n_ions, d_tracer_cm2_s, d_tracer_err, d_collective_cm2_s, haven_ratio, conductivity_s_cm, d_hops_cm2_s, msd_times_ps, msd_a2)
    SELECT 't' || i, 'Li', 48, 1e-6 * (1 + random()), 1e-7, 2e-6, 0.5, 0.01, 1e-6, [0.0, 1.0, 2.0], [0.0, 0.5, 1.0] FROM range(${ROWS}) r(i)`);
  await s.run(`INSERT INTO element_descriptors (trajectory_id, element, n_ions, n_events, time_to_first_hop_ps_mean, event_duration_ps_mean,
      hop_length_a_mean, hop_rate_per_ion_ps, residence_ps_mean, concerted_fraction, n_bodies_mean, decay_rate, back_hop_fraction)
    SELECT 't' || i, 'Li', 48, 20, 1.0, 0.2, 2.5, 0.01 * random(), 5.0, 0.4, 1.6, 0.7, 0.2 FROM range(${ROWS}) r(i)`);
  await s.run(`INSERT INTO correlation_fits (trajectory_id, element, "offset", offset_err, amplitude, amplitude_err, decay_rate, decay_rate_err, r2, n_points)
    SELECT 't' || i, 'Li', 0, 0, 1.5, 0.1, 0.7, 0.05, 0.99, 5 FROM range(${ROWS}) r(i)`);
  await recomputeArrhenius(s);
  await s.checkpoint();
  s.close();
  const buildMs = performance.now() - t0;

  const r = await Store.open(db, { readOnly: true });
  const count: number[] = [], fetch: number[] = [];
  let rows = 0;
  for (let k = 0; k < 7; k++) {
    let t = performance.now();
    await r.query('SELECT count(*) AS n, avg(log10_d_tracer) AS m FROM descriptors');
    count.push(performance.now() - t);
    t = performance.now();
    rows = (await r.query('SELECT * FROM descriptors')).length;
    fetch.push(performance.now() - t);
  }
  r.close();
  return { countMs: median(count.slice(1)), fetchMs: median(fetch.slice(1)), rows, buildMs };
}

mkdirSync(root, { recursive: true });
console.log(`generating ${N} trajectories (${FRAMES} frames) in ${data} …`);
await generateSet();

const configs: Config[] = POOLS.flatMap((pool) =>
  pool === 'thread'
    ? [{ pool, label: 'thread' }]
    : FLAG_VARIANTS.flatMap((flags) =>
        CODES.map((code) => ({
          pool,
          flags,
          code,
          label: `process${flags === undefined ? '' : ` [${flags.join(' ') || 'no flags'}]`}${code === undefined ? '' : ` ${code}`}`,
        })),
      ),
);
interface Run {
  c: Config;
  jobs: number;
  s: IndexSummary;
  /** Whole run: this process plus the worker processes. */
  cpuS: number;
  mainS: number | null;
  childS: number | null;
  childMainS: number | null;
  childRssMb: number | null;
  load: [number, number];
  /** This process's CPU by surviving thread group (main, v8, libuv, duckdb, …). */
  split: Record<string, number>;
  /** Each worker process's warm-up (process pool; children with ≥ 6 tasks). */
  warmups?: Warmup[];
}
const startedAt = new Date().toISOString().slice(11, 16);
const runs: Run[] = [];
for (let rep = 0; rep < REPS; rep++) {
  for (const c of configs) {
    for (const jobs of [1, 2]) {
      const l0 = loadavg()[0];
      const c0 = process.cpuUsage();
      const m0 = mainThreadCpuS();
      const t0 = threadCpu();
      const s = await indexWith(c, jobs);
      const split = threadSplit(t0, threadCpu());
      const cu = process.cpuUsage(c0);
      const m1 = mainThreadCpuS();
      const ch = s.children ?? null;
      const cpuS = (cu.user + cu.system) / 1e6 + (ch?.cpuS ?? 0);
      const mainS = m0 === null || m1 === null ? null : m1 - m0;
      const r: Run = { c, jobs, s, cpuS, mainS, childS: ch?.cpuS ?? null, childMainS: ch && ch.mainCpuS > 0 ? ch.mainCpuS : null, childRssMb: ch?.maxRssMb ?? null, load: [l0, loadavg()[0]], split };
      runs.push(r);
      r.warmups = (ch?.perChild ?? []).map(warmupOf).filter((w): w is Warmup => w !== null);
      const sources = (ch?.perChild ?? []).map((p) => p.source ?? '?').join(', ');
      if (sources) console.log(`  worker processes' code: ${sources}`);
      for (const w of r.warmups) console.log(`  worker process: ready + first task + tasks 2–5 = ${fmtWarmup(w)} s`);
      console.log(
        `${c.label} jobs=${jobs}: indexed ${s.indexed} in ${(s.elapsedMs / 1000).toFixed(2)} s, cpu ${cpuS.toFixed(2)} s` +
          ` (main thread ${mainS?.toFixed(2) ?? '?'} s, worker processes ${r.childS?.toFixed(2) ?? '–'} s, their main threads ${r.childMainS?.toFixed(2) ?? '–'} s), load ${l0.toFixed(1)}→${r.load[1].toFixed(1)}, failed ${s.failed}; this process by thread: ${Object.entries(split).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
      );
    }
  }
}
const rssMb = process.resourceUsage().maxRSS / 1024;
const q = values['no-query'] ? null : await descriptorsQuery();
if (q) console.log(`descriptors over ${q.rows} rows: aggregate ${q.countMs.toFixed(1)} ms, full fetch ${q.fetchMs.toFixed(1)} ms`);

/**
 * Lower bound of the wall time on idle cores: the whole run's CPU spread over min(workers + 1, cores)
 * cores, and no less than the busiest single thread we can see (a worker process's main thread, or
 * the main thread).
 */
function criticalS(r: Run): number {
  const cores = Math.min(availableParallelism(), r.jobs + 1);
  return Math.max(r.cpuS / cores, (r.childMainS ?? 0) / r.jobs, r.mainS ?? 0);
}
const fmt = (x: number | null, d = 2): string => (x === null ? '–' : x.toFixed(d));
const best1 = Math.min(...runs.filter((r) => r.jobs === 1).map((r) => r.s.elapsedMs));
const mb = runs[0].s.bytesRead / 1e6;
const flagsArg = values['child-flags']?.map((f) => ` --child-flags=${JSON.stringify(f)}`).join('') ?? '';
const codeArg = values['child-code'] ? ` --child-code ${values['child-code']}` : '';
const lines = [
  '',
  `### ${new Date().toISOString().slice(0, 10)} — \`npx tsx bench/index.ts --n ${N} --frames ${FRAMES}${DIST ? ' --dist' : ''}${REPS > 1 ? ` --reps ${REPS}` : ''}${BATCH !== undefined ? ` --batch ${BATCH}` : ''}${values.pools ? ` --pools ${values.pools}` : ''}${flagsArg}${codeArg}${values['no-query'] ? ' --no-query' : ''}\``,
  '',
  `Machine: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}; indexer run from ${DIST ? 'dist/ (compiled JS, as installed)' : 'src/ through tsx (workers compile TypeScript at start-up)'}; started ${startedAt} UTC.`,
  `Set: ${N} generated trajectories (4 materials × their temperatures, ${FRAMES} frames, 27–48 atoms), ${mb.toFixed(1)} MB gzip XDATCAR.`,
  '',
  '| pool | workers | wall (s) | trajectories/s | speed-up (same pool) | vs best 1-worker | CPU (s) | CPU/trajectory (ms) | main thread (s) | worker processes (s) | their main threads (s) | critical path ≥ (s) | est. speed-up | load (1 min) |',
  '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ...runs.map((r, i) => {
    const sec = r.s.elapsedMs / 1000;
    const one = r.jobs === 1 ? r : runs[i - 1]; // the 1-worker run of the same pair
    return `| ${r.c.label} | ${r.jobs} | ${sec.toFixed(2)} | ${(r.s.indexed / sec).toFixed(2)} | ${(one.s.elapsedMs / r.s.elapsedMs).toFixed(2)}× | ${(best1 / r.s.elapsedMs).toFixed(2)}× | ${r.cpuS.toFixed(2)} | ${((1000 * r.cpuS) / Math.max(1, r.s.indexed)).toFixed(0)} | ${fmt(r.mainS)} | ${fmt(r.childS)} | ${fmt(r.childMainS)} | ${criticalS(r).toFixed(2)} | ${r.jobs === 1 ? '1.00×' : `${(criticalS(one) / criticalS(r)).toFixed(2)}×`} | ${r.load[0].toFixed(1)} → ${r.load[1].toFixed(1)} |`;
  }),
  '',
  'CPU is the whole run: this process (main thread, worker threads, DuckDB, V8 GC/JIT threads) plus',
  'the worker processes (as each reported with its last answer). "critical path ≥" is a lower bound',
  'of the wall time on idle cores: the CPU spread over min(workers + 1, cores) cores, and no less',
  'than the busiest visible thread (a worker process\'s main thread per worker, the main thread);',
  '"est. speed-up" is the ratio of those bounds in the same pair. A load average above the core',
  'count means other jobs took the cores: the wall-time columns are then not the indexer\'s.',
  '',
  'This process\'s CPU by thread (surviving threads; worker threads end with the run and are in none): ' +
    runs.map((r) => `${r.c.label} ${r.jobs}: ${Object.entries(r.split).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`).join('; ') + '.',
  '',
  ...(runs.some((r) => r.warmups?.length)
    ? [
        'Worker processes\' warm-up, from each child\'s main-thread CPU (s): start-up until ready + first task + tasks 2–5 (steady = median',
        'of its later tasks; excess = what start-up and the first five tasks cost above five steady ones; total = the child\'s whole main thread): ' +
          runs.filter((r) => r.warmups?.length).map((r) => `${r.c.label} ${r.jobs}: ${r.warmups!.map(fmtWarmup).join('; ')}`).join(' — ') + '.',
        '',
      ]
    : []),
  `Peak RSS: this process ${rssMb.toFixed(0)} MB over all runs; worker processes (summed peaks per run) ${runs.filter((r) => r.childRssMb !== null).map((r) => r.childRssMb!.toFixed(0)).join(' / ') || '–'} MB.`,
  '',
  ...(q
    ? [
        `\`descriptors\` view over ${q.rows.toLocaleString('en')} synthetic trajectories (DB built in ${(q.buildMs / 1000).toFixed(1)} s): ` +
          `aggregate over the view ${q.countMs.toFixed(1)} ms, \`SELECT *\` fetched to plain JS objects ${q.fetchMs.toFixed(1)} ms (median of 6).`,
        '',
      ]
    : []),
];
if (!values['no-write']) console.log(`appended to ${appendToSection('Indexing', lines)}`);
console.log(lines.join('\n'));
