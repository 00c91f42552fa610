/**
 * Frame ranges of a plain text file parsed on several threads, for readers whose frames are
 * handled by a line handler (extxyz, LAMMPS dump): the file is cut at frame starts found by
 * reading a few KB where each cut should fall, each range is parsed on a parse thread or on the
 * calling thread (which first feeds the whole file to the content hashes), and the caller joins
 * the ranges' results in order. Any range that did not parse, or a warning past the first range
 * (the serial reader says each once, for the first frame it concerns), is answered with a reason:
 * the caller then reads the file on one thread, which gives the usual messages.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { openRegular, type HashSink } from './byte-source.js';
import { LineScanner } from './line-scanner.js';
import { GrowableF64, type FrameArrays } from './frames.js';
import { runParseTasks, warmParsePool } from './parse-pool.js';
import type { ChunkResult, ParseTask, RangeFrames } from './parse-task.js';

const RANGES_PER_LANE = 4;
const WINDOW = 1 << 16;

/** Says whether the line starting at `ls` in the window `b` starts a frame (null: the window is too short to tell). */
export type FrameStart = (b: Buffer, ls: number) => boolean | null;

export interface RangeResult {
  ok: true;
  warnings: string[];
}

export type RangesParallel<R> = { results: R[]; contentHash: string } | { fallback: string; hashed: boolean };

export async function readAt(fh: FileHandle, pos: number, len: number): Promise<Buffer> {
  const b = Buffer.allocUnsafe(len);
  let got = 0;
  while (got < len) {
    const { bytesRead } = await fh.read(b, got, len - got, pos + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return b.subarray(0, got);
}

/** Element-wise equality (the ranges' species, counts, species of each atom). */
function sameArray(a: ArrayLike<number | string>, b: ArrayLike<number | string>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** One GrowableF64 holding the ranges' `parts` one after another (within the memory budget). */
function joined(parts: Float64Array[], file: string): GrowableF64 {
  const g = new GrowableF64(parts.reduce((s, p) => s + p.length, 0), file);
  for (const p of parts) g.data.set(p, g.reserve(p.length));
  return g;
}

/** The ranges' frames joined in order, or null when the ranges disagree on the atoms. */
export function joinedFrames(ranges: readonly RangeFrames[], file: string): FrameArrays | null {
  const first = ranges[0];
  for (const x of ranges.slice(1)) {
    if (x.nAtoms !== first.nAtoms || !sameArray(x.species, first.species) || !sameArray(x.counts, first.counts) || !sameArray(x.speciesOf, first.speciesOf)) return null;
  }
  return {
    nFrames: ranges.reduce((s, x) => s + x.nFrames, 0),
    nAtoms: first.nAtoms,
    species: first.species,
    counts: first.counts,
    speciesOf: first.speciesOf,
    frac: joined(ranges.map((x) => x.frac), file),
    lat: joined(ranges.map((x) => x.lat), file),
  };
}

/** The first frame start at or after `from` (a line start: after a '\n'), or null before `limit`. */
async function cutAfter(fh: FileHandle, from: number, limit: number, isStart: FrameStart): Promise<number | null> {
  for (let w = WINDOW; ; w *= 2) {
    const b = await readAt(fh, from - 1, Math.min(w, limit - from + 1));
    for (let i = b.indexOf(10); i >= 0 && i + 1 < b.length; i = b.indexOf(10, i + 1)) {
      const r = isStart(b, i + 1);
      if (r === null) break; // read a larger window
      if (r) return from - 1 + i + 1;
    }
    if (from - 1 + b.length >= limit) return null;
  }
}

/**
 * Parses the ranges of `path` (plain, at least `minBytes`) on `threads` threads plus this one.
 * `planner(head)` gives the frame-start test for this file from its first 64 KB (null: not
 * splittable); `task(start, end, size)` the range's task; `local` parses a task on this thread.
 */
export async function parseRangesParallel<T extends ParseTask, R extends RangeResult>(
  path: string,
  hash: HashSink | undefined,
  threads: number,
  minBytes: number,
  planner: (head: Buffer) => FrameStart | null,
  task: (start: number, end: number, size: number) => T,
  local: (t: T) => Promise<R | (ChunkResult & { ok: false })>,
): Promise<RangesParallel<R>> {
  const { fh, size } = await openRegular(path);
  const cuts: number[] = [];
  try {
    if (size < minBytes) return { fallback: 'small file', hashed: false };
    const head = await readAt(fh, 0, Math.min(size, WINDOW));
    if (head[0] === 0x1f && head[1] === 0x8b) return { fallback: 'gzip', hashed: false };
    const isStart = planner(head);
    if (!isStart) return { fallback: 'no frame layout recognised in the first 64 KB', hashed: false };
    warmParsePool(threads);
    const k = (threads + 1) * RANGES_PER_LANE;
    let prev = 0;
    for (let j = 1; j < k; j++) {
      const aim = Math.max(prev + 1, Math.round((size * j) / k));
      if (aim >= size) break;
      const c = await cutAfter(fh, aim, size, isStart);
      if (c === null) break;
      cuts.push(c);
      prev = c;
    }
  } finally {
    await fh.close();
  }
  if (cuts.length === 0) return { fallback: 'no frame start found to cut at', hashed: false };
  const own = createHash('sha256');
  const tee: HashSink = { update(c: Buffer) { own.update(c); hash?.update(c); } };
  const drained = (async () => {
    const sc = await LineScanner.open(path, { hash: tee });
    try { await sc.drain(); } finally { sc.close(); }
  })();
  drained.catch(() => { /* awaited below */ });
  const starts = [0, ...cuts], ends = [...cuts, size];
  const tasks = starts.map((s, j) => task(s, ends[j], size));
  let results: (R | (ChunkResult & { ok: false }))[];
  try {
    results = await runParseTasks(tasks, threads, { ready: drained, run: local });
  } catch (err) {
    await drained;
    return { fallback: `a range did not parse: ${err instanceof Error ? err.message : String(err)}`, hashed: true };
  }
  await drained;
  const ok: R[] = [];
  for (const r of results) {
    if (!r.ok) return { fallback: r.why, hashed: true };
    if (ok.length > 0 && r.warnings.length > 0) return { fallback: 'a warning past the first range', hashed: true };
    ok.push(r);
  }
  return { results: ok, contentHash: own.digest('hex') };
}
