/**
 * XDATCAR parse throughput against an I/O baseline, in one process.
 *
 *   npx tsx bench/parse-xdatcar.ts [--mb 220] [--repeats 5] [--source PATH] [--gzip]
 *
 * Builds bench/data/XDATCAR_big (≥ --mb MB, plain text; gitignored) by repeating the frames of
 * a real XDATCAR (default: argyrodite Li6PS5Cl 50p run1 from ../shared/data/real), then times
 *   (a) baseline: read the file as the parser does (1 MiB reads into one buffer) and count
 *       newlines (Buffer.indexOf); (a2) the same through fs.createReadStream, for reference;
 *   (b) parse:    readXdatcar() → Trajectory (fractional Float64Array);
 *   (c) parse + SHA-256 content hash (what loadTrajectory does).
 *   (d) with --gzip: readXdatcar() on a gzip -1 copy (bench/data/XDATCAR_big.gz).
 * Best of --repeats runs each, after one warm-up read so both see a warm page cache.
 * MB = 10^6 bytes.
 */
import { createReadStream, createWriteStream, existsSync, statSync, mkdirSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { open } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { createGzip } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { cpus, loadavg } from 'node:os';
import { readXdatcar } from '../src/io/xdatcar.js';
import { LineScanner } from '../src/io/line-scanner.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '220' },
    repeats: { type: 'string', default: '5' },
    gzip: { type: 'boolean', default: false },
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

interface Timing { s: number; cpu: number }
/** Best wall time and best CPU time (user + system; robust when other processes share the cores). */
async function best<T>(fn: () => Promise<T>): Promise<Timing & { r: T }> {
  let bestS = Infinity, bestCpu = Infinity, r: T | undefined;
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    r = await fn();
    bestS = Math.min(bestS, (performance.now() - t0) / 1000);
    const c = process.cpuUsage(c0);
    bestCpu = Math.min(bestCpu, (c.user + c.system) / 1e6);
  }
  return { s: bestS, cpu: bestCpu, r: r as T };
}

await build();
const size = statSync(big).size;
const mb = size / 1e6;
await countNewlines(big); // warm the page cache
const base = await best(() => countNewlines(big));
const baseStream = await best(() => countNewlinesStream(big));
const parse = await best(() => readXdatcar(big));
const hashed = await best(async () => { const h = createHash('sha256'); const t = await readXdatcar(big, { hash: h }); h.digest('hex'); return t; });
const t = parse.r;
const rate = (s: number) => (mb / s).toFixed(0).padStart(5);
// The baseline is the faster of the two ways of reading (ratios are against it).
const refS = Math.min(base.s, baseStream.s), refCpu = Math.min(base.cpu, baseStream.cpu);
const row = (label: string, x: Timing) =>
  `${label.padEnd(31)} wall ${x.s.toFixed(3)} s ${rate(x.s)} MB/s (${(refS / x.s).toFixed(2)} of baseline) | cpu ${x.cpu.toFixed(3)} s ${rate(x.cpu)} MB/s (${(refCpu / x.cpu).toFixed(2)} of baseline)`;
console.log(`file: ${big} (${mb.toFixed(1)} MB, ${base.r} lines, ${t.nFrames} frames × ${t.nAtoms} atoms)`);
console.log(`node ${process.version}, ${cpus().length} cpus, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}, best of ${repeats}`);
console.log(row('(a) read + count newlines', base));
console.log(row('(a2) same via createReadStream', baseStream));
console.log(`baseline = the faster of (a), (a2): wall ${rate(refS).trim()} MB/s, cpu ${rate(refCpu).trim()} MB/s`);
console.log(row('(b) readXdatcar', parse));
console.log(row('(c) readXdatcar + SHA-256', hashed));
console.log(`float array: ${(t.frac.byteLength / 1e6).toFixed(1)} MB; peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`);

if (values.gzip) {
  const gz = `${big}.gz`;
  if (!existsSync(gz) || statSync(gz).mtimeMs < statSync(big).mtimeMs) {
    await new Promise<void>((res, rej) => pipeline(createReadStream(big), createGzip({ level: 1 }), createWriteStream(gz), (e) => (e ? rej(e) : res())));
  }
  const g = await best(() => readXdatcar(gz));
  console.log(`${'(d) readXdatcar on .gz'.padEnd(31)} wall ${g.s.toFixed(3)} s ${rate(g.s)} MB/s of text (${(statSync(gz).size / 1e6).toFixed(0)} MB gzip) | cpu ${g.cpu.toFixed(3)} s`);
}
