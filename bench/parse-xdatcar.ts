/**
 * XDATCAR parse throughput: serial against parallel against numpy, in one run.
 *
 *   npx tsx bench/parse-xdatcar.ts [--mb 220] [--repeats 5] [--source PATH] [--gzip] [--no-cli] [--no-numpy] [--threads N]
 *                                  [--base DIR] [--cli-only]
 *
 * Builds bench/data/XDATCAR_big (≥ --mb MB, plain text; gitignored) by repeating the frames of
 * a real XDATCAR (default: argyrodite Li6PS5Cl 50p run1 from ../shared/data/real), then times,
 * each repeat running every case once in turn (so that all see the same load):
 *   (a) baseline: read the file as the parser does (1 MiB reads into one buffer) and count
 *       newlines (Buffer.indexOf); (a2) the same through fs.createReadStream, for reference;
 *   (b) readXdatcar() on this thread only (serial); (b2) on parse threads (xdatcar-parallel.ts);
 *   (c), (c2) the same + SHA-256 content hash (what loadTrajectory does);
 *   (n) numpy.loadtxt of the coordinates (python3, timed inside python around the call);
 *   (w), (w2) whole CLI: `node bin/ionsift.js inspect FILE` (needs `npm run build`), serial
 *       (IONSIFT_PARSE_WORKERS=0) and parallel, wall and CPU (user + sys) of the child process;
 *   (wb), (wb2) with --base DIR: the same with DIR/bin/ionsift.js (another build, e.g. main's
 *       `bin` and `dist` copied to /tmp), run in turn with (w), (w2) so the ratio is same-load;
 *   (wh2) with --no-huge: (w2) without the huge-page relaunch (IONSIFT_HUGE_PAGES=0, cli/relaunch.ts);
 *   --cli-only: only the CLI cases and numpy.
 *   (d) with --gzip: readXdatcar() on a gzip -1 copy (bench/data/XDATCAR_big.gz).
 *   (x), (x2) with --extxyz: readExtxyz() serial and parallel on bench/data/big.extxyz (the
 *       first 4,000 frames of the XDATCAR written as extxyz, with SHA-256); (l), (l2) the same
 *       for readLammpsDump() on bench/data/big.lammpstrj (the same frames as `id type xs ys zs`).
 * Reports the median and best of --repeats for each (wall and CPU; in-process cases also the
 * busiest thread's CPU time, from /proc: the wall time with a free core per thread, which a
 * shared machine cannot show) and the load average at each measurement, after one warm-up read so all see a warm page cache. MB = 10^6 bytes.
 */
import { createReadStream, createWriteStream, existsSync, statSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { readXdatcar, type XdatcarOptions } from '../src/io/xdatcar.js';
import { defaultParseWorkers } from '../src/io/parse-pool.js';
import { readExtxyz } from '../src/io/extxyz.js';
import { writeExtxyz } from '../src/io/write-extxyz.js';
import { readLammpsDump } from '../src/io/lammps.js';
import { LineScanner } from '../src/io/line-scanner.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '220' },
    repeats: { type: 'string', default: '5' },
    gzip: { type: 'boolean', default: false },
    'no-cli': { type: 'boolean', default: false },
    'no-numpy': { type: 'boolean', default: false },
    threads: { type: 'string' },
    base: { type: 'string' },
    'cli-only': { type: 'boolean', default: false },
    'no-huge': { type: 'boolean', default: false },
    extxyz: { type: 'boolean', default: false },
    source: { type: 'string', default: resolve(here, '../../shared/data/real/argyrodite_li6ps5cl_50p_500k/run1_actual_XDATCAR.gz') },
  },
});
const targetBytes = Number(values.mb) * 1e6;
const repeats = Number(values.repeats);
const big = resolve(here, 'data/XDATCAR_big');

/** Header lines and frame blocks of the source, as text (it is small: a few MB). */
async function sourceParts(path: string): Promise<{ header: string; frames: string[] }> {
  const sc = await LineScanner.open(path);
  const lines: string[] = [];
  try {
    for (let l = await sc.nextLine(); l !== null; l = await sc.nextLine()) lines.push(l);
  } finally {
    sc.close();
  }
  const first = lines.findIndex((l) => /^\s*Direct configuration/i.test(l));
  const header = lines.slice(0, first).join('\n') + '\n';
  const frames: string[] = [];
  let cur: string[] = [];
  for (const l of lines.slice(first + 1)) {
    if (/^\s*Direct configuration/i.test(l)) { frames.push(cur.join('\n') + '\n'); cur = []; } else cur.push(l);
  }
  frames.push(cur.join('\n') + '\n');
  return { header, frames };
}

async function build(): Promise<void> {
  if (existsSync(big) && statSync(big).size >= targetBytes) return;
  mkdirSync(dirname(big), { recursive: true });
  const { header, frames } = await sourceParts(values.source!);
  const out = createWriteStream(big);
  let bytes = 0, n = 0;
  out.write(header);
  while (bytes < targetBytes) {
    const fr = frames[n % frames.length];
    const s = `Direct configuration= ${String(n + 1).padStart(6)}\n${fr}`;
    bytes += s.length;
    n++;
    if (!out.write(s)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
  console.log(`built ${big}: ${n} frames, ${(statSync(big).size / 1e6).toFixed(1)} MB`);
}

/** Baseline: the same reads the parser does (1 MiB into one reused buffer), then count '\n'. */
async function countNewlines(path: string): Promise<number> {
  const fh = await open(path, 'r');
  const b = Buffer.allocUnsafe(1 << 20);
  let n = 0;
  try {
    for (let pos = 0; ;) {
      const { bytesRead } = await fh.read(b, 0, b.length, pos);
      if (bytesRead === 0) break;
      pos += bytesRead;
      for (let i = b.indexOf(10); i >= 0 && i < bytesRead; i = b.indexOf(10, i + 1)) n++;
    }
  } finally {
    await fh.close();
  }
  return n;
}

/** Same, through fs.createReadStream (a new buffer per chunk). */
async function countNewlinesStream(path: string): Promise<number> {
  let n = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    const b = chunk as Buffer;
    for (let i = b.indexOf(10); i >= 0; i = b.indexOf(10, i + 1)) n++;
  }
  return n;
}

interface Timing { s: number; cpu: number; load: number; crit?: number }
/** CPU seconds of each thread of this process so far (/proc: clock ticks of 10 ms). */
function threadCpu(): Map<string, number> {
  const m = new Map<string, number>();
  for (const t of readdirSync('/proc/self/task')) {
    try {
      const st = readFileSync(`/proc/self/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      m.set(t, (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* the thread ended */ }
  }
  return m;
}
/** All repeats of every case, in turn per repeat; median and best wall and CPU (user + system, this process and its threads). */
const runs = new Map<string, Timing[]>();
async function once_(label: string, fn: () => Promise<unknown>): Promise<void> {
  const th0 = threadCpu();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const s = (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  // The busiest thread's CPU time: the critical path, what the wall time would be with a core per thread.
  let crit = 0;
  for (const [t, v] of threadCpu()) crit = Math.max(crit, v - (th0.get(t) ?? 0));
  push(label, { s, cpu: (c.user + c.system) / 1e6, load: loadavg()[0], crit });
}
function push(label: string, t: Timing): void {
  if (!runs.has(label)) runs.set(label, []);
  runs.get(label)!.push(t);
}
const median = (xs: number[]): number => { const v = [...xs].sort((a, b) => a - b); return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2; };
const stat_ = (label: string) => {
  const r = runs.get(label)!;
  return { crit: r[0].crit === undefined ? null : median(r.map((x) => x.crit!)), s: median(r.map((x) => x.s)), sBest: Math.min(...r.map((x) => x.s)), cpu: median(r.map((x) => x.cpu)), cpuBest: Math.min(...r.map((x) => x.cpu)), loads: r.map((x) => x.load.toFixed(1)).join('/') };
};

/** numpy.loadtxt of the coordinate lines (configuration lines skipped as comments), timed in python; seconds per run. */
function numpyRun(path: string, header: number): Timing | null {
  const py = `import time, numpy as np, os
t0 = time.perf_counter(); c0 = os.times()
a = np.loadtxt(${JSON.stringify(path)}, skiprows=${header}, comments='Direct')
c1 = os.times(); t1 = time.perf_counter()
print(t1 - t0, (c1.user - c0.user) + (c1.system - c0.system), a.shape[0])`;
  const r = spawnSync('python3', ['-c', py], { encoding: 'utf8' });
  if (r.status !== 0) { console.log(`numpy: ${r.stderr.trim().split('\n').pop()}`); return null; }
  const [s, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  return { s, cpu, load: loadavg()[0], crit: cpu };
}

/** CPU seconds of each thread of process `pid` (empty once it is gone). */
function threadCpuOf(pid: number | string): Map<string, number> {
  const m = new Map<string, number>();
  let tasks: string[] = [];
  try { tasks = readdirSync(`/proc/${pid}/task`); } catch { return m; }
  for (const t of tasks) {
    try {
      const st = readFileSync(`/proc/${pid}/task/${t}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' ');
      m.set(t, (Number(f[11]) + Number(f[12])) / 100);
    } catch { /* the thread ended */ }
  }
  return m;
}

/**
 * `node bin/ionsift.js inspect FILE` in a child process: wall, CPU (user + sys, /usr/bin/time,
 * its descendants included), and the busiest thread's CPU time among its processes (polled from
 * /proc every 10 ms, so up to 10 ms short).
 */
async function cliRun(path: string, env: Record<string, string>, root = resolve(here, '..')): Promise<Timing | null> {
  const bin = resolve(root, 'bin/ionsift.js');
  const t0 = performance.now();
  const child = spawn('/usr/bin/time', ['-f', '%U %S', process.execPath, bin, 'inspect', path], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => { err += c.toString(); });
  // Every thread of every process below /usr/bin/time (the CLI may relaunch itself: cli/relaunch.ts).
  const last = new Map<string, number>();
  const kidsOf = (pid: number | string): string[] => {
    try { return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim().split(' ').filter(Boolean); } catch { return []; }
  };
  const poll = setInterval(() => {
    for (let todo = kidsOf(child.pid!); todo.length > 0;) {
      const pid = todo.pop()!;
      for (const [t, v] of threadCpuOf(pid)) last.set(`${pid}/${t}`, v);
      todo.push(...kidsOf(pid));
    }
  }, 10);
  const code: number = await new Promise((r) => child.on('close', (c) => r(c ?? 1)));
  clearInterval(poll);
  const s = (performance.now() - t0) / 1000;
  if (code !== 0) { console.log(`cli: ${err.trim().split('\n').slice(-3).join(' | ')}`); return null; }
  const [u, sys] = err.trim().split('\n').pop()!.split(/\s+/).map(Number);
  return { s, cpu: u + sys, load: loadavg()[0], crit: Math.max(0, ...last.values()) };
}

await build();
const size = statSync(big).size;
const mb = size / 1e6;
await countNewlines(big); // warm the page cache
const threads = values.threads !== undefined ? Number(values.threads) : Math.max(2, defaultParseWorkers());
const SER: XdatcarOptions = { parallel: { threads: 0 } };
const PAR: XdatcarOptions = { parallel: { threads } };
const headerLines = (await sourceParts(values.source!)).header.split('\n').length - 1;
const cliOnly = values['cli-only'];
let t = await readXdatcar(big, cliOnly ? SER : PAR); // starts the parse threads (a CLI run pays this once; below in (w2))
const hashed = (o: XdatcarOptions) => async () => { const h = createHash('sha256'); const x = await readXdatcar(big, { ...o, hash: h }); h.digest('hex'); return x; };
const wantCli = !values['no-cli'] && existsSync(resolve(here, '../dist/cli/main.js'));
if (!values['no-cli'] && !wantCli) console.log('whole CLI skipped: run `npm run build` first');
for (let i = 0; i < repeats; i++) {
  if (!cliOnly) await runInProcess();
  if (!values['no-numpy']) { const n = numpyRun(big, headerLines + 1); if (n) push('(n) numpy.loadtxt', n); }
  if (wantCli) {
    const w = await cliRun(big, { IONSIFT_PARSE_WORKERS: '0' }); if (w) push('(w) CLI inspect, serial', w);
    const w2 = await cliRun(big, { IONSIFT_PARSE_WORKERS: String(threads) }); if (w2) push(`(w2) CLI inspect, ${threads} threads`, w2);
    if (values['no-huge']) { const h = await cliRun(big, { IONSIFT_PARSE_WORKERS: String(threads), IONSIFT_HUGE_PAGES: '0' }); if (h) push(`(wh2) CLI, ${threads} threads, 4 KiB pages`, h); }
  }
  if (values.base) {
    const b = await cliRun(big, { IONSIFT_PARSE_WORKERS: '0' }, values.base); if (b) push('(wb) base CLI, serial', b);
    const b2 = await cliRun(big, { IONSIFT_PARSE_WORKERS: String(threads) }, values.base); if (b2) push(`(wb2) base CLI, ${threads} threads`, b2);
  }
}
async function runInProcess(): Promise<void> {
  await once_('(a) read + count newlines', () => countNewlines(big));
  await once_('(a2) same via createReadStream', () => countNewlinesStream(big));
  await once_('(b) readXdatcar, serial', async () => { t = await readXdatcar(big, SER); });
  await once_(`(b2) readXdatcar, ${threads} threads`, async () => { t = await readXdatcar(big, PAR); });
  await once_('(c) serial + SHA-256', hashed(SER));
  await once_(`(c2) ${threads} threads + SHA-256`, hashed(PAR));
}
const rate = (s: number) => (mb / s).toFixed(0).padStart(5);
console.log(`file: ${big} (${mb.toFixed(1)} MB, ${t.nFrames} frames × ${t.nAtoms} atoms)`);
console.log(`node ${process.version}, ${cpus().length} cpus, ${repeats} repeats, each case once per repeat in turn; median (best) MB/s; load average (1 min) at each run`);
for (const label of runs.keys()) {
  const x = stat_(label);
  const crit = x.crit === null ? '' : ` | busiest thread ${x.crit.toFixed(2)} s ${rate(x.crit)} MB/s`;
  console.log(`${label.padEnd(34)} wall ${x.s.toFixed(3)} s ${rate(x.s)} (${rate(x.sBest).trim()}) MB/s | cpu ${x.cpu.toFixed(3)} s ${rate(x.cpu)} (${rate(x.cpuBest).trim()}) MB/s${crit} | load ${x.loads}`);
}
/** Per-repeat ratios of two cases (they ran back to back, under the same load): median and range. */
const ratio = (num: string, den: string, what: 's' | 'cpu' | 'crit') => {
  const a = runs.get(num), b = runs.get(den);
  if (!a || !b) return 'n/a';
  const r = a.map((x, i) => b[i][what]! / x[what]!).sort((p, q) => p - q);
  return `${median(r).toFixed(2)} (${r[0].toFixed(2)}–${r[r.length - 1].toFixed(2)})`;
};
console.log(`speed-up, ${threads} threads over serial (same repeat), wall: readXdatcar ${ratio(`(b2) readXdatcar, ${threads} threads`, '(b) readXdatcar, serial', 's')}, + SHA ${ratio(`(c2) ${threads} threads + SHA-256`, '(c) serial + SHA-256', 's')}, CLI ${ratio(`(w2) CLI inspect, ${threads} threads`, '(w) CLI inspect, serial', 's')}`);
console.log(`critical path (busiest thread's CPU) serial / parallel, i.e. the speed-up with a free core per thread: readXdatcar ${ratio(`(b2) readXdatcar, ${threads} threads`, '(b) readXdatcar, serial', 'crit')}, + SHA ${ratio(`(c2) ${threads} threads + SHA-256`, '(c) serial + SHA-256', 'crit')}, CLI ${ratio(`(w2) CLI inspect, ${threads} threads`, '(w) CLI inspect, serial', 'crit')}`);
console.log(`CPU time serial / parallel (overhead of the threads < 1): readXdatcar ${ratio(`(b2) readXdatcar, ${threads} threads`, '(b) readXdatcar, serial', 'cpu')}`);
console.log(`over numpy.loadtxt (same repeat), wall: readXdatcar ${threads} threads ${ratio(`(b2) readXdatcar, ${threads} threads`, '(n) numpy.loadtxt', 's')}, serial ${ratio('(b) readXdatcar, serial', '(n) numpy.loadtxt', 's')}, CLI ${threads} threads ${ratio(`(w2) CLI inspect, ${threads} threads`, '(n) numpy.loadtxt', 's')}, CLI serial ${ratio('(w) CLI inspect, serial', '(n) numpy.loadtxt', 's')}`);
console.log(`over numpy.loadtxt by critical path (numpy is one thread: its CPU time), i.e. with a free core per thread: readXdatcar ${threads} threads ${ratio(`(b2) readXdatcar, ${threads} threads`, '(n) numpy.loadtxt', 'crit')}, serial ${ratio('(b) readXdatcar, serial', '(n) numpy.loadtxt', 'crit')}, CLI ${threads} threads ${ratio(`(w2) CLI inspect, ${threads} threads`, '(n) numpy.loadtxt', 'crit')}, CLI serial ${ratio('(w) CLI inspect, serial', '(n) numpy.loadtxt', 'crit')}`);
if (values.base) {
  console.log(`this CLI over the base CLI (same repeat): wall serial ${ratio('(w) CLI inspect, serial', '(wb) base CLI, serial', 's')}, ${threads} threads ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wb2) base CLI, ${threads} threads`, 's')}; CPU serial ${ratio('(w) CLI inspect, serial', '(wb) base CLI, serial', 'cpu')}, ${threads} threads ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wb2) base CLI, ${threads} threads`, 'cpu')}; busiest thread serial ${ratio('(w) CLI inspect, serial', '(wb) base CLI, serial', 'crit')}, ${threads} threads ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wb2) base CLI, ${threads} threads`, 'crit')}`);
  if (values['no-huge']) console.log(`huge pages (w2) over 4 KiB pages (wh2), same repeat: wall ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wh2) CLI, ${threads} threads, 4 KiB pages`, 's')}, CPU ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wh2) CLI, ${threads} threads, 4 KiB pages`, 'cpu')}, busiest thread ${ratio(`(w2) CLI inspect, ${threads} threads`, `(wh2) CLI, ${threads} threads, 4 KiB pages`, 'crit')}`);
  console.log(`base CLI over numpy.loadtxt (same repeat), wall: ${threads} threads ${ratio(`(wb2) base CLI, ${threads} threads`, '(n) numpy.loadtxt', 's')}, serial ${ratio('(wb) base CLI, serial', '(n) numpy.loadtxt', 's')}`);
}
console.log(`float array: ${(t.frac.byteLength / 1e6).toFixed(1)} MB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

if (values.gzip) {
  const gz = `${big}.gz`;
  if (!existsSync(gz) || statSync(gz).mtimeMs < statSync(big).mtimeMs) {
    await new Promise<void>((res, rej) => pipeline(createReadStream(big), createGzip({ level: 1 }), createWriteStream(gz), (e) => (e ? rej(e) : res())));
  }
  for (let i = 0; i < repeats; i++) await once_('(d) readXdatcar on .gz', () => readXdatcar(gz));
  const g = stat_('(d) readXdatcar on .gz');
  console.log(`${'(d) readXdatcar on .gz'.padEnd(34)} wall ${g.s.toFixed(3)} s ${rate(g.s)} MB/s of text (${(statSync(gz).size / 1e6).toFixed(0)} MB gzip) | cpu ${g.cpu.toFixed(3)} s`);
}
if (values.extxyz) {
  const xyz = resolve(here, 'data/big.extxyz');
  if (!existsSync(xyz) || statSync(xyz).mtimeMs < statSync(big).mtimeMs) {
    const all = await readXdatcar(big, SER);
    const n = Math.min(all.nFrames, 4000);
    const part = { ...all, nFrames: n, frac: all.frac.subarray(0, n * all.nAtoms * 3), segments: [{ file: big, startFrame: 0, nFrames: n }] };
    part.metadata = { ...all.metadata, frameIntervalFs: 2, temperatureK: 500 };
    await writeExtxyz(part, xyz);
  }
  const lmp = resolve(here, 'data/big.lammpstrj');
  if (!existsSync(lmp) || statSync(lmp).mtimeMs < statSync(big).mtimeMs) {
    const all = await readXdatcar(big, SER);
    const n = Math.min(all.nFrames, 4000), na = all.nAtoms, L = all.lattice;
    const out = createWriteStream(lmp);
    for (let f = 0; f < n; f++) {
      let s = `ITEM: TIMESTEP\n${f * 10}\nITEM: NUMBER OF ATOMS\n${na}\nITEM: BOX BOUNDS pp pp pp\n0 ${L[0]}\n0 ${L[4]}\n0 ${L[8]}\nITEM: ATOMS id type xs ys zs\n`;
      for (let i = 0; i < na; i++) { const o = (f * na + i) * 3; s += `${i + 1} ${all.speciesOf[i] + 1} ${all.frac[o].toFixed(8)} ${all.frac[o + 1].toFixed(8)} ${all.frac[o + 2].toFixed(8)}\n`; }
      if (!out.write(s)) await once(out, 'drain');
    }
    out.end();
    await once(out, 'finish');
  }
  runs.clear();
  const hx = (o: { parallel: { threads: number } }) => async () => { const h = createHash('sha256'); await readExtxyz(xyz, { ...o, hash: h }); h.digest('hex'); };
  const hl = (o: { parallel: { threads: number } }) => async () => { const h = createHash('sha256'); await readLammpsDump(lmp, { ...o, hash: h, elements: ['Li', 'P', 'S', 'Cl', 'X', 'Y'] }); h.digest('hex'); };
  for (let i = 0; i < repeats; i++) {
    await once_('(x) readExtxyz + SHA, serial', hx({ parallel: { threads: 0 } }));
    await once_(`(x2) readExtxyz + SHA, ${threads} threads`, hx({ parallel: { threads } }));
    await once_('(l) readLammpsDump + SHA, serial', hl({ parallel: { threads: 0 } }));
    await once_(`(l2) readLammpsDump + SHA, ${threads} threads`, hl({ parallel: { threads } }));
  }
  for (const [label, file] of [['(x', xyz], ['(l', lmp]] as const) {
    const fmb = statSync(file).size / 1e6;
    const xr = (sec: number) => (fmb / sec).toFixed(0).padStart(5);
    console.log(`${file} (${fmb.toFixed(1)} MB)`);
    for (const l of [...runs.keys()].filter((k) => k.startsWith(label))) {
      const x = stat_(l);
      console.log(`${l.padEnd(34)} wall ${x.s.toFixed(3)} s ${xr(x.s)} MB/s | cpu ${x.cpu.toFixed(3)} s ${xr(x.cpu)} MB/s | busiest thread ${x.crit!.toFixed(2)} s ${xr(x.crit!)} MB/s | load ${x.loads}`);
    }
  }
  console.log(`critical path serial / parallel: extxyz ${ratio(`(x2) readExtxyz + SHA, ${threads} threads`, '(x) readExtxyz + SHA, serial', 'crit')}, LAMMPS ${ratio(`(l2) readLammpsDump + SHA, ${threads} threads`, '(l) readLammpsDump + SHA, serial', 'crit')}; wall: extxyz ${ratio(`(x2) readExtxyz + SHA, ${threads} threads`, '(x) readExtxyz + SHA, serial', 's')}, LAMMPS ${ratio(`(l2) readLammpsDump + SHA, ${threads} threads`, '(l) readLammpsDump + SHA, serial', 's')}`);
  console.log(`CPU time serial / parallel: extxyz ${ratio(`(x2) readExtxyz + SHA, ${threads} threads`, '(x) readExtxyz + SHA, serial', 'cpu')}, LAMMPS ${ratio(`(l2) readLammpsDump + SHA, ${threads} threads`, '(l) readLammpsDump + SHA, serial', 'cpu')}`);
}
process.exit(0);
