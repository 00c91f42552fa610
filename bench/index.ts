/**
 * Indexing benchmark (not a test): `npx tsx bench/index.ts [--n 52] [--frames 1000] [--dist]`.
 * `--dist` runs the compiled indexer from dist/ (`npm run build` first), as users run it; without
 * it the indexer runs from src/ and every worker thread starts tsx and compiles the analysis
 * modules, which costs start-up CPU that a user's run does not have.
 * 1. Throughput of `ionsift index` (trajectories/s, MB/s) with 1 and 2 workers in the same run
 *    on ≥ 50 generated trajectories (src/generate; cached in the OS temp folder), peak RSS.
 * 2. Query time of the `descriptors` view over a database of 10,000 synthetic trajectories
 *    (rows inserted directly with SQL, no analysis).
 * Appends the figures to BENCHMARKS.md under "## Indexing".
 */
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { appendToSection } from './benchmarks-md.js';
import { MATERIALS, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, writeRun } from '../src/generate/run.js';
import type { IndexSummary, runIndex as RunIndex } from '../src/indexer/run.js';
import type { Store as StoreClass } from '../src/store/db.js';
import type { recomputeArrhenius as RecomputeArrhenius } from '../src/store/ingest.js';

const { values } = parseArgs({ options: { n: { type: 'string' }, frames: { type: 'string' }, rows: { type: 'string' }, 'no-write': { type: 'boolean' }, dist: { type: 'boolean' }, reps: { type: 'string' }, batch: { type: 'string' } } });
const DIST = values.dist ?? false;
const from = DIST ? '../dist' : '../src';
if (DIST) {
  const stale = ['indexer/run', 'indexer/worker', 'indexer/pool', 'store/ingest', 'store/db'].find(
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

async function indexWith(jobs: number): Promise<IndexSummary> {
  const db = join(root, `bench-${jobs}.duckdb`);
  rmSync(db, { force: true });
  rmSync(db + '.wal', { force: true });
  return runIndex({ paths: [data], db, jobs, progress: 'none', writeBatch: BATCH });
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

function median(x: number[]): number {
  const s = [...x].sort((a, b) => a - b);
  return s[s.length >> 1];
}

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
const runs: { jobs: number; s: IndexSummary; cpuS: number; mainS: number | null; load: number }[] = [];
for (const jobs of Array.from({ length: REPS }, () => [1, 2]).flat()) {
  const c0 = process.cpuUsage();
  const m0 = mainThreadCpuS();
  const s = await indexWith(jobs);
  const c = process.cpuUsage(c0);
  const m1 = mainThreadCpuS();
  const cpuS = (c.user + c.system) / 1e6;
  const mainS = m0 === null || m1 === null ? null : m1 - m0;
  const load = loadavg()[0];
  console.log(`jobs=${jobs}: indexed ${s.indexed} in ${(s.elapsedMs / 1000).toFixed(1)} s, cpu ${cpuS.toFixed(1)} s (main thread ${mainS?.toFixed(1) ?? '?'} s), load ${load.toFixed(1)}, failed ${s.failed}`);
  runs.push({ jobs, s, cpuS, mainS, load });
}
const rssMb = process.resourceUsage().maxRSS / 1024;
const q = await descriptorsQuery();
console.log(`descriptors over ${q.rows} rows: aggregate ${q.countMs.toFixed(1)} ms, full fetch ${q.fetchMs.toFixed(1)} ms`);

const mb = runs[0].s.bytesRead / 1e6;
const lines = [
  '',
  `### ${new Date().toISOString().slice(0, 10)} — \`npx tsx bench/index.ts --n ${N} --frames ${FRAMES}${DIST ? ' --dist' : ''}${REPS > 1 ? ` --reps ${REPS}` : ''}${BATCH !== undefined ? ` --batch ${BATCH}` : ''}\``,
  '',
  `Machine: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}; indexer run from ${DIST ? 'dist/ (compiled JS, as installed)' : 'src/ through tsx (workers compile TypeScript at start-up)'}.`,
  `Set: ${N} generated trajectories (4 materials × their temperatures, ${FRAMES} frames, 27–48 atoms), ${mb.toFixed(1)} MB gzip XDATCAR.`,
  '',
  '| workers | trajectories | wall (s) | trajectories/s | MB/s | speed-up | CPU (s) | main thread CPU (s) | CPU/wall | load avg (1 min) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ...runs.map(({ jobs, s, cpuS, mainS, load }, i) => {
    const sec = s.elapsedMs / 1000;
    const one = runs[jobs === 1 ? i : i - 1].s.elapsedMs; // the 1-worker run of the same pair
    return `| ${jobs} | ${s.indexed} | ${sec.toFixed(2)} | ${(s.indexed / sec).toFixed(2)} | ${(s.bytesRead / 1e6 / sec).toFixed(2)} | ${(one / s.elapsedMs).toFixed(2)}× | ${cpuS.toFixed(1)} | ${mainS?.toFixed(1) ?? '–'} | ${(cpuS / sec).toFixed(2)} | ${load.toFixed(1)} |`;
  }),
  '',
  'CPU is the whole process (main thread, workers, DuckDB, GC); the main thread column is the',
  'single writer, discovery and scheduling. CPU/wall near the worker count means the pipeline',
  'keeps every worker busy; a load average above the core count means other jobs took the cores',
  'and the speed-up column understates what the indexer can do.',
  '',
  `Peak RSS of the whole run (main thread + workers + DuckDB): ${rssMb.toFixed(0)} MB.`,
  '',
  `\`descriptors\` view over ${q.rows.toLocaleString('en')} synthetic trajectories (DB built in ${(q.buildMs / 1000).toFixed(1)} s): ` +
    `aggregate over the view ${q.countMs.toFixed(1)} ms, \`SELECT *\` fetched to plain JS objects ${q.fetchMs.toFixed(1)} ms (median of 6).`,
  '',
];
if (!values['no-write']) console.log(`appended to ${appendToSection('Indexing', lines)}`);
console.log(lines.join('\n'));
