/**
 * XDATCAR frames parsed on several threads. After the header and the first configuration line
 * (read by xdatcar.ts), the rest of a plain-text file is cut at configuration lines into byte
 * ranges: each cut is found by reading a few KB where it should fall, and its configuration
 * number says which frame starts there (frames are numbered consecutively in a regular file),
 * so every range's frames have a known place in one shared output array, and the frame count
 * comes from the last configuration line. The parse threads (parse-pool.ts) fill their frames
 * in place with the serial reader's own number parsing (LineScanner.triples), so the numbers
 * are the same bits; the calling thread takes ranges too, once it has fed the file to the hash. Whatever breaks the plan — a repeated header (variable cell), numbering
 * that restarts or skips, a cut-off last frame, a bad token — comes back as "not as planned"
 * and the caller reads the file on one thread, which keeps every message and warning as it was.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { checkMemory } from './budget.js';
import { parseConfigLine } from './xdatcar-header.js';
import { runParseTasks, warmParsePool } from './parse-pool.js';
import { readAt } from './ranges-parallel.js';
import { parseXdatcarChunk } from './xdatcar-chunk.js';
import type { ChunkResult, XdatcarChunk } from './parse-task.js';

/** Ranges per lane: more than one, so a thread slowed by other processes (or still starting) hands work to the others. */
const RANGES_PER_THREAD = 4;
/** First read when looking for a configuration line (doubles until one is found). */
const WINDOW = 1 << 16;

export interface ParallelFrames<T extends Float64Array | Float32Array> {
  file: string;
  fileSize: number;
  /** Byte offset of frame 0's first coordinate line (just after its configuration line). */
  coordsStart: number;
  nAtoms: number;
  /** Number on frame 0's configuration line. */
  firstNumber: number;
  cartesian: boolean;
  cartScale: Float64Array | null;
  Linv: Float64Array | null;
  /** Parse threads besides the calling one. */
  threads: number;
  /** When the calling thread is free to parse ranges too (after feeding the file to the hash); null: it does not. */
  localReady: Promise<unknown> | null;
  /** The output for `nFrames` frames (frame-major, 3 per atom), on a SharedArrayBuffer. */
  alloc(nFrames: number): T;
  /**
   * Asked once the frame count is known: a consumer that takes the frames in order instead of
   * one array of them all (`frames[off…]`: one frame, float64), or null for the array. Then the
   * frames are parsed a window at a time (≤ `windowBytes`, two windows: the threads parse the
   * next while the caller consumes one) and `frac` of the result is null.
   */
  stream?: (nFrames: number) => ((frames: Float64Array, off: number) => void) | null;
  windowBytes?: number;
}

/** The frames, or why the file is to be read on one thread. */
export type ParallelResult<T> = { frac: T | null; nFrames: number } | { fallback: string };

/** Frames of all atoms held at once by a streamed parse (two windows of this many bytes each). */
export const STREAM_WINDOW_BYTES = 32 << 20;

/** A configuration line of the file: where it starts and its number. */
interface Cut {
  offset: number;
  number: number;
}

/** Configuration line at `text[s, e)` (no '\n'), or null. Cheap for coordinate lines (they start with a blank, digit or sign). */
function configAt(b: Buffer, s: number, e: number): number | null {
  let p = s;
  while (p < e && (b[p] === 32 || b[p] === 9)) p++;
  const c = b[p] | 0x20;
  if (p >= e || c < 97 || c > 122) return null;
  const cfg = parseConfigLine(b.toString('latin1', s, Math.min(e, s + 256)).replace(/\r$/, ''));
  return cfg && cfg.number !== null ? cfg.number : null;
}

/** The first configuration line starting at or after `from` (a line start must follow a '\n'), before `limit`. */
async function cutAfter(fh: FileHandle, from: number, limit: number): Promise<Cut | null> {
  for (let w = WINDOW; ; w *= 2) {
    const b = await readAt(fh, from - 1, Math.min(w, limit - from + 1));
    // Lines that start inside the window and end in it.
    for (let i = b.indexOf(10); i >= 0; ) {
      const j = b.indexOf(10, i + 1);
      if (j < 0) break;
      const num = configAt(b, i + 1, j);
      if (num !== null) return { offset: from - 1 + i + 1, number: num };
      i = j;
    }
    if (from - 1 + b.length >= limit) return null;
  }
}

/** The last configuration line of the file (after `from`), or null; also whether the file ends in '\n'. */
async function lastCut(fh: FileHandle, from: number, size: number): Promise<{ cut: Cut | null; terminated: boolean }> {
  let terminated = false;
  for (let w = WINDOW; ; w *= 2) {
    const s = Math.max(from - 1, size - w);
    const b = await readAt(fh, s, size - s);
    terminated = b.length > 0 && b[b.length - 1] === 10;
    for (let j = b.length - 1; j > 0; ) {
      const i = b.lastIndexOf(10, j - 1);
      if (i < 0) break;
      const num = configAt(b, i + 1, j);
      if (num !== null) return { cut: { offset: s + i + 1, number: num }, terminated };
      j = i;
    }
    if (s <= from - 1) return { cut: null, terminated };
  }
}

/** The frames of the file parsed on `p.threads` threads, or why not (then read it on one). */
export async function parseFramesParallel<T extends Float64Array | Float32Array>(p: ParallelFrames<T>): Promise<ParallelResult<T>> {
  warmParsePool(p.threads);
  const fh = await open(p.file, 'r');
  let cuts: Cut[];
  let nFrames: number;
  let consume: ((frames: Float64Array, off: number) => void) | null = null;
  let windowFrames = 0;
  try {
    const size = (await fh.stat()).size;
    if (size !== p.fileSize) return { fallback: 'the file changed size while being read' };
    const last = await lastCut(fh, p.coordsStart, size);
    if (!last.terminated) return { fallback: 'the last line has no newline' };
    nFrames = last.cut ? last.cut.number - p.firstNumber + 1 : 1;
    // Each frame has at least one short line per atom.
    if (!(nFrames >= 1 && nFrames <= (size - p.coordsStart) / (p.nAtoms * 6) + 1)) return { fallback: `the configuration numbers (${p.firstNumber} … ${last.cut?.number}) do not count the frames` };
    cuts = [];
    consume = p.stream?.(nFrames) ?? null;
    let k = (p.threads + 1) * RANGES_PER_THREAD;
    if (consume) {
      // Each window cut into ranges for every lane, twice over (a slow lane hands work on).
      windowFrames = Math.max(1, Math.floor((p.windowBytes ?? STREAM_WINDOW_BYTES) / (p.nAtoms * 24)));
      k = Math.max(k, Math.ceil(nFrames / windowFrames) * (p.threads + 1) * 2);
    }
    let prev = p.coordsStart;
    for (let j = 1; j < k; j++) {
      const aim = Math.max(prev + 1, Math.round(p.coordsStart + ((size - p.coordsStart) * j) / k));
      if (aim >= size) break;
      const c = await cutAfter(fh, aim, size);
      if (c === null) break;
      const f = c.number - p.firstNumber;
      const fPrev = cuts.length ? cuts[cuts.length - 1].number - p.firstNumber : 0;
      if (!(f > fPrev && f < nFrames)) return { fallback: `configuration ${c.number} at byte ${c.offset} is out of sequence` };
      cuts.push(c);
      prev = c.offset;
    }
  } finally {
    await fh.close();
  }
  if (consume) return streamed(p, cuts, nFrames, windowFrames, consume);
  checkMemory(nFrames * p.nAtoms * 3 * 8, { file: p.file }, `${nFrames} frames of ${p.nAtoms} atoms`);
  const frac = p.alloc(nFrames);
  if (!(frac.buffer instanceof SharedArrayBuffer)) throw new Error('parseFramesParallel: alloc must return an array on a SharedArrayBuffer');
  const base = {
    kind: 'xdatcar' as const, file: p.file, nAtoms: p.nAtoms, cartesian: p.cartesian, cartScale: p.cartScale, Linv: p.Linv,
    out: frac.buffer, f32: frac instanceof Float32Array,
  };
  const tasks = rangeTasks(p, cuts, nFrames, base);
  let results;
  try {
    const { localReady } = p;
    results = await runParseTasks(tasks, p.threads, localReady ? { ready: localReady, run: (t) => parseXdatcarChunk(t) } : undefined);
  } catch (err) {
    return { fallback: `a parse thread failed: ${err instanceof Error ? err.message : String(err)}` };
  }
  const bad = results.find((r) => !r.ok);
  if (bad && !bad.ok) return { fallback: bad.why };
  return { frac, nFrames };
}

/** One task per range between the cuts. */
function rangeTasks(p: ParallelFrames<Float64Array | Float32Array>, cuts: readonly Cut[], nFrames: number, base: Omit<XdatcarChunk, 'start' | 'end' | 'bare' | 'f0' | 'fEnd' | 'number'>): XdatcarChunk[] {
  const tasks: XdatcarChunk[] = [];
  for (let j = 0; j <= cuts.length; j++) {
    const startCut = j > 0 ? cuts[j - 1] : null, endCut = j < cuts.length ? cuts[j] : null;
    tasks.push({
      ...base,
      start: startCut ? startCut.offset : p.coordsStart,
      end: endCut ? endCut.offset : p.fileSize,
      bare: startCut === null,
      f0: startCut ? startCut.number - p.firstNumber : 0,
      fEnd: endCut ? endCut.number - p.firstNumber : nFrames,
      number: startCut ? startCut.number : p.firstNumber + 1,
    });
  }
  return tasks;
}

/**
 * The streamed parse: the ranges grouped into windows of ≤ `windowFrames` frames (a longer range
 * is a window of its own), parsed window by window into two alternating shared buffers; while
 * the threads parse window w + 1, this thread hands window w's frames to `consume` in order, then
 * joins the parsing. The numbers are the same bits as the one-array parse (the same chunks).
 */
async function streamed<T extends Float64Array | Float32Array>(
  p: ParallelFrames<T>, cuts: readonly Cut[], nFrames: number, windowFrames: number, consume: (frames: Float64Array, off: number) => void,
): Promise<ParallelResult<T>> {
  const stride = p.nAtoms * 3;
  const base = { kind: 'xdatcar' as const, file: p.file, nAtoms: p.nAtoms, cartesian: p.cartesian, cartScale: p.cartScale, Linv: p.Linv, f32: false };
  const ranges = rangeTasks(p as ParallelFrames<Float64Array | Float32Array>, cuts, nFrames, { ...base, out: new SharedArrayBuffer(0) });
  const windows: XdatcarChunk[][] = [];
  let cur: XdatcarChunk[] = [], curFrames = 0, most = 0;
  for (const r of ranges) {
    const len = r.fEnd - r.f0;
    if (cur.length > 0 && curFrames + len > windowFrames) { windows.push(cur); cur = []; curFrames = 0; }
    cur.push(r);
    curFrames += len;
    most = Math.max(most, curFrames);
  }
  if (cur.length > 0) windows.push(cur);
  checkMemory(2 * most * stride * 8, { file: p.file }, `two windows of ${most} frames of ${p.nAtoms} atoms`);
  const bufs = [new SharedArrayBuffer(most * stride * 8), new SharedArrayBuffer(most * stride * 8)];
  const start = (w: number, ready: Promise<unknown> | null): Promise<ChunkResult[]> => {
    const out = bufs[w % 2], f0 = windows[w][0].f0;
    const tasks = windows[w].map((t) => ({ ...t, out, outFrame0: f0 }));
    return runParseTasks(tasks, p.threads, ready ? { ready, run: (t) => parseXdatcarChunk(t) } : undefined);
  };
  const joined = (after: Promise<unknown>): Promise<unknown> | null => (p.localReady ? Promise.all([p.localReady, after]) : null);
  let pending = start(0, p.localReady);
  for (let w = 0; w < windows.length; w++) {
    let results;
    try {
      results = await pending;
    } catch (err) {
      return { fallback: `a parse thread failed: ${err instanceof Error ? err.message : String(err)}` };
    }
    const bad = results.find((r) => !r.ok);
    if (bad && !bad.ok) return { fallback: bad.why };
    let consumed: () => void = () => {};
    if (w + 1 < windows.length) pending = start(w + 1, joined(new Promise<void>((res) => { consumed = res; })));
    const frames = new Float64Array(bufs[w % 2]);
    const f0 = windows[w][0].f0, fEnd = windows[w][windows[w].length - 1].fEnd;
    for (let f = f0; f < fEnd; f++) consume(frames, (f - f0) * stride);
    consumed();
  }
  return { frac: null, nFrames };
}
