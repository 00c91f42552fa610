/**
 * extxyz frames parsed on several threads (ranges-parallel.ts): a large plain file is cut at
 * frame starts (a line holding only the atom count of the first frame, followed by a comment
 * line with `Lattice=`), each range is parsed by the serial reader's line handler
 * (extxyz-chunk.ts), and the ranges' frames are joined in order. Ranges that disagree on the
 * atoms are answered with a reason, and the caller reads the file on one thread.
 */
import type { HashSink } from './byte-source.js';
import type { FrameArrays } from './frames.js';
import { parseExtxyzChunk } from './extxyz-chunk.js';
import { parseIntBytes } from './number.js';
import { joinedFrames, parseRangesParallel, type FrameStart } from './ranges-parallel.js';
import type { ExtxyzChunk } from './parse-task.js';

/** What `readExtxyz` builds its Trajectory from (an ExtxyzParser's state at the end of the file). */
export interface ExtxyzState extends FrameArrays {
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

/** The integer a line holds alone (blanks and '\r' around it), else NaN. */
function loneInt(b: Buffer, s: number, e: number): number {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9 || b[e - 1] === 13)) e--;
  return parseIntBytes(b, s, e);
}

const LATTICE = /(^|\s)lattice\s*=/i;

/** Frame starts of an extxyz file whose first line holds atom count `n`: a line holding `n` alone, then a `Lattice=` comment line. */
function extxyzStarts(head: Buffer): FrameStart | null {
  const nl = head.indexOf(10);
  const n = nl < 0 ? NaN : loneInt(head, 0, nl);
  if (!(n > 0)) return null;
  return (b, ls) => {
    const j = b.indexOf(10, ls);
    if (j < 0) return null;
    if (loneInt(b, ls, j) !== n) return false;
    const k = b.indexOf(10, j + 1);
    if (k < 0) return null;
    return LATTICE.test(b.toString('latin1', j + 1, Math.min(k, j + 1 + 65536)));
  };
}

/** The frames of a plain extxyz file of at least `minBytes`, parsed on `threads` threads plus this one; or why not. */
export async function readExtxyzParallel(path: string, hash: HashSink | undefined, threads: number, minBytes: number): Promise<ExtxyzParallel> {
  const r = await parseRangesParallel(path, hash, threads, minBytes, extxyzStarts,
    (start, end, fileSize): ExtxyzChunk => ({ kind: 'extxyz', file: path, fileSize, start, end }), parseExtxyzChunk);
  if (!('results' in r)) return r;
  const ok = r.results;
  const frames = joinedFrames(ok, path);
  if (frames === null) return { fallback: 'ranges disagree on the atoms', hashed: true };
  const first = ok[0];
  const temps = ok.flatMap((r) => r.temps);
  const state: ExtxyzState = {
    ...frames,
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
  return { state, contentHash: r.contentHash, lines: ok.reduce((s, x) => s + x.lines, 0) };
}
