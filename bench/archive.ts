/**
 * Indexing a generated archive of many trajectories (not a test):
 *   npx tsx scripts/generate-archive.ts /tmp/ionsift-archive-1000      # once, ~10 min on 2 busy cores
 *   npm run build && npx tsx bench/archive.ts [--dir /tmp/ionsift-archive-1000] [--jobs 2] [--no-write]
 * Runs the compiled indexer (dist/, as installed) over the archive into a fresh database and
 * reports throughput (trajectories/s, atom-frames/s), CPU, peak RSS of the whole process (main
 * thread, workers, DuckDB), the database's size on disk, and the time of `SELECT * FROM
 * descriptors` over it (fetched to plain JS objects; median of 6 after one warm-up), with the
 * load average beside the figures. Appends them to BENCHMARKS.md under "## Indexing".
 */
import { existsSync, rmSync, statSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { appendToSection } from './benchmarks-md.js';
import type { runIndex as RunIndex } from '../src/indexer/run.js';
import type { Store as StoreClass } from '../src/store/db.js';

const { values } = parseArgs({ options: { dir: { type: 'string' }, jobs: { type: 'string' }, 'no-write': { type: 'boolean' }, db: { type: 'string' } } });
const dir = resolve(values.dir ?? join(tmpdir(), 'ionsift-archive-1000'));
const jobs = Number(values.jobs ?? 2);
if (!existsSync(join(dir, '.complete'))) throw new Error(`${dir}: no finished archive (run \`npx tsx scripts/generate-archive.ts ${dir}\` first)`);
for (const m of ['indexer/run', 'indexer/stage-run', 'indexer/batch-writer', 'store/ingest', 'store/db']) {
  const js = new URL(`../dist/${m}.js`, import.meta.url), ts = new URL(`../src/${m}.ts`, import.meta.url);
  if (!existsSync(js) || statSync(js).mtimeMs < statSync(ts).mtimeMs) throw new Error(`dist/${m}.js is missing or older than src/${m}.ts: run \`npm run build\` first`);
}
const { runIndex } = (await import('../dist/indexer/run.js' as string)) as { runIndex: typeof RunIndex };
const { Store } = (await import('../dist/store/db.js' as string)) as { Store: typeof StoreClass };

const db = resolve(values.db ?? join(tmpdir(), `ionsift-archive-bench.duckdb`));
rmSync(db, { force: true });
rmSync(db + '.wal', { force: true });
const load0 = loadavg()[0];
const c0 = process.cpuUsage();
const s = await runIndex({ paths: [dir], db, jobs, progress: 'none' });
const c = process.cpuUsage(c0);
const load1 = loadavg()[0];
const cpuS = (c.user + c.system) / 1e6;
const wallS = s.elapsedMs / 1000;
const rssMb = process.resourceUsage().maxRSS / 1024;
const dbMb = (statSync(db).size + (existsSync(db + '.wal') ? statSync(db + '.wal').size : 0)) / 1e6;

function median(x: number[]): number {
  const v = [...x].sort((a, b) => a - b);
  return v[v.length >> 1];
}
const r = await Store.open(db, { readOnly: true });
const [{ trajectories, atomFrames, frames, materials }] = await r.query<{ trajectories: number; atomFrames: number; frames: number; materials: number }>(
  'SELECT count(*)::INT AS trajectories, sum(n_frames * n_atoms)::DOUBLE AS atomFrames, sum(n_frames)::DOUBLE AS frames, count(DISTINCT material)::INT AS materials FROM trajectories',
);
const fetchMs: number[] = [], aggMs: number[] = [];
let rows = 0, cols = 0;
for (let k = 0; k < 7; k++) {
  let t = performance.now();
  const got = await r.query<Record<string, unknown>>('SELECT * FROM descriptors');
  fetchMs.push(performance.now() - t);
  rows = got.length;
  cols = Object.keys(got[0] ?? {}).length;
  t = performance.now();
  await r.query('SELECT material, count(*) AS n, avg(log10_d_tracer) AS m FROM descriptors GROUP BY material');
  aggMs.push(performance.now() - t);
}
r.close();
const q = { fetch: median(fetchMs.slice(1)), agg: median(aggMs.slice(1)) };

const lines = [
  '',
  `### ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC — archive: \`npx tsx bench/archive.ts --dir ${dir} --jobs ${jobs}\``,
  '',
  `Machine: ${cpus()[0]?.model ?? 'cpu'} × ${availableParallelism()}, Node ${process.version}, compiled indexer (dist/); load average (1 min) ${load0.toFixed(1)} at the start, ${load1.toFixed(1)} at the end (other sessions' jobs: above 2 the cores were shared).`,
  `Archive: \`npx tsx scripts/generate-archive.ts ${dir}\` — ${trajectories} trajectories of ${materials} materials × 4 temperatures, 25 ps each, ${(frames / 1e3).toFixed(0)} k frames, ${(atomFrames / 1e6).toFixed(1)} M atom-frames, ${(s.bytesRead / 1e6).toFixed(0)} MB gzip XDATCAR.`,
  '',
  '| workers | indexed | failed | wall (s) | trajectories/s | atom-frames/s | CPU (s) | CPU/wall | peak RSS (MB) | database (MB) |',
  '|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  `| ${jobs} | ${s.indexed} | ${s.failed} | ${wallS.toFixed(1)} | ${(s.indexed / wallS).toFixed(2)} | ${(atomFrames / wallS / 1e6).toFixed(2)} M | ${cpuS.toFixed(1)} | ${(cpuS / wallS).toFixed(2)} | ${rssMb.toFixed(0)} | ${dbMb.toFixed(1)} |`,
  '',
  `\`SELECT * FROM descriptors\` over it (${rows} rows × ${cols} columns, fetched to plain JS objects): ${q.fetch.toFixed(1)} ms; ` +
    `\`GROUP BY material\` aggregate over the view ${q.agg.toFixed(1)} ms (medians of 6 after one warm-up, read-only open).`,
  '',
];
console.log(lines.join('\n'));
if (!values['no-write']) console.log(`appended to ${appendToSection('Indexing', lines)}`);
