/**
 * extxyz frames parsed on several threads: a large plain file is cut at frame starts (a line
 * holding only the atom count of the first frame, followed by a comment line with `Lattice=`),
 * each range is parsed by the serial reader's line handler on a parse thread or on the calling
 * thread (extxyz-chunk.ts), and the ranges' frames are joined in order. The calling thread first
 * feeds the whole file to the content hash. Anything the join cannot vouch for — ranges that
 * disagree on species, a warning past the first range, a bad line, a cut-off end — is answered
 * with a reason, and the caller reads the file on one thread, which gives the usual messages.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { openRegular, type HashSink } from './byte-source.js';
import { LineScanner } from './line-scanner.js';
import { GrowableF64 } from './frames.js';
import { runParseTasks, warmParsePool } from './parse-pool.js';
import { parseExtxyzChunk } from './extxyz-chunk.js';
import { parseIntBytes } from './number.js';
import type { ChunkResult, ExtxyzChunk, ExtxyzChunkResult } from './parse-task.js';

const RANGES_PER_LANE = 4;
const WINDOW = 1 << 16;

/** What `readExtxyz` builds its Trajectory from (an ExtxyzParser's state at the end of the file). */
export interface ExtxyzState {
  nFrames: number;
  nAtoms: number;
  species: string[];
  counts: number[];
  speciesOf: Uint16Array;
  frac: GrowableF64 | null;
  lat: GrowableF64;
  times: number[];
  allTimes: boolean;
  tempSum: number;
  tempN: number;
  tempMin: number;
  tempMax: number;
  title: string;
  warnings: string[];
  frameLine: number;
  partialWhat: string | null;
}

export type ExtxyzParallel = { state: ExtxyzState; contentHash: string; lines: number } | { fallback: string; hashed: boolean };

async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(b, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return b.subarray(0, got);
}

/** The integer a line holds alone (blanks and '\r' around it), else NaN. */
function loneInt(b: Buffer, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9 || b[e - 1] === 13)) e--;
  return parseIntBytes(b, s, e);
}

const LATTICE = /(^|\s)lattice\s*=/i;

/** Start of the first frame (count line `n`, then a `Lattice=` comment line) at or after `from`, or null. */
async function frameStartAfter(fh: FileHandle, from: number, limit: number, n: number): Promise<number | null> {
  for (let w = WINDOW; ; w *= 2) {
    const b = await readAt(fh, from - 1, Math.min(w, limit - from + 1));
    for (let i = b.indexOf(10); i >= 0; ) {
      const j = b.indexOf(10, i + 1);
      if (j < 0) break;
      if (loneInt(b, i + 1, j) === n) {
        const k = b.indexOf(10, j + 1);
        if (k < 0) break; // the comment line is not in the window: read a larger one
        if (LATTICE.test(b.toString('latin1', j + 1, Math.min(k, j + 1 + 65536)))) return from - 1 + i + 1;
      }
      i = j;
    }
    if (from - 1 + b.length >= limit) return null;
  }
}

function sameArray(a: ArrayLike<number | string>, b: ArrayLike<number | string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One GrowableF64 holding `parts` one after another. */
function joined(parts: Float64Array[], file: string): GrowableF64 {
  const total = parts.reduce((s, p) => s + p.length, 0);
  const g = new GrowableF64(total, file);
  for (const p of parts) g.data.set(p, g.reserve(p.length));
  return g;
}

/** The frames of a plain extxyz file of at least `minBytes`, parsed on `threads` threads plus this one; or why not. */
export async function readExtxyzParallel(path: string, hash: HashSink | undefined, threads: number, minBytes: number): Promise<ExtxyzParallel> {
  const { fh, size } = await openRegular(path);
  const cuts: number[] = [];
  try {
    if (size < minBytes) return { fallback: 'small file', hashed: false };
    const head = await readAt(fh, 0, Math.min(size, WINDOW));
    if (head[0] === 0x1f && head[1] === 0x8b) return { fallback: 'gzip', hashed: false };
    const nl = head.indexOf(10);
    const n = nl < 0 ? NaN : loneInt(head, 0, nl);
    if (!(n > 0)) return { fallback: 'no atom count on the first line', hashed: false };
    warmParsePool(threads);
    const k = (threads + 1) * RANGES_PER_LANE;
    let prev = 0;
    for (let j = 1; j < k; j++) {
      const aim = Math.max(prev + 1, Math.round((size * j) / k));
      if (aim >= size) break;
      const c = await frameStartAfter(fh, aim, size, n);
      if (c === null) break;
      cuts.push(c);
      prev = c;
    }
  } finally {
    await fh.close();
  }
  if (cuts.length === 0) return { fallback: 'no frame start found to cut at', hashed: false };
  // This thread feeds the whole file to the hashes first, then parses ranges too.
  const own = createHash('sha256');
  const tee: HashSink = { update(c: Buffer) { own.update(c); hash?.update(c); } };
  const drained = (async () => {
    const sc = await LineScanner.open(path, { hash: tee });
    try { await sc.drain(); } finally { sc.close(); }
  })();
  drained.catch(() => { /* awaited below */ });
  const starts = [0, ...cuts], ends = [...cuts, size];
  const tasks: ExtxyzChunk[] = starts.map((start, j) => ({ kind: 'extxyz', file: path, fileSize: size, start, end: ends[j] }));
  let results: (ExtxyzChunkResult | (ChunkResult & { ok: false }))[];
  try {
    results = await runParseTasks(tasks, threads, { ready: drained, run: parseExtxyzChunk });
  } catch (err) {
    await drained;
    return { fallback: `a range did not parse: ${err instanceof Error ? err.message : String(err)}`, hashed: true };
  }
  await drained;
  const ok: ExtxyzChunkResult[] = [];
  for (const r of results) {
    if (!r.ok) return { fallback: r.why, hashed: true };
    ok.push(r);
  }
  const first = ok[0];
  for (const r of ok.slice(1)) {
    if (r.nAtoms !== first.nAtoms || !sameArray(r.species, first.species) || !sameArray(r.counts, first.counts) || !sameArray(r.speciesOf, first.speciesOf)) {
      return { fallback: 'ranges disagree on the atoms', hashed: true };
    }
    // The serial reader says a warning once, for its first frame: only the first range's are known to be those.
    if (r.warnings.length > 0) return { fallback: 'a warning past the first range', hashed: true };
  }
  const temps = ok.flatMap((r) => r.temps);
  const state: ExtxyzState = {
    nFrames: ok.reduce((s, r) => s + r.nFrames, 0),
    nAtoms: first.nAtoms,
    species: first.species,
    counts: first.counts,
    speciesOf: first.speciesOf,
    frac: joined(ok.map((r) => r.frac), path),
    lat: joined(ok.map((r) => r.lat), path),
    times: ok.flatMap((r) => r.times),
    allTimes: ok.every((r) => r.allTimes),
    // Summed frame by frame in file order, as the serial reader does (same bits).
    tempSum: temps.reduce((s, x) => s + x, 0),
    tempN: temps.length,
    tempMin: temps.reduce((m, x) => (x < m ? x : m), Infinity),
    tempMax: temps.reduce((m, x) => (x > m ? x : m), -Infinity),
    title: first.title,
    warnings: [...first.warnings],
    frameLine: 0,
    partialWhat: null,
  };
  return { state, contentHash: own.digest('hex'), lines: ok.reduce((s, r) => s + r.lines, 0) };
}
