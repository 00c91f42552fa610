/**
 * LAMMPS dump frames parsed on several threads (ranges-parallel.ts): a large plain dump is cut
 * where a frame's first section starts (`ITEM: TIMESTEP`, or the `ITEM: UNITS`/`ITEM: TIME`
 * before it, after two lines that are not `ITEM:` lines — the end of the previous atoms), each
 * range is parsed by the serial reader's line handler (lammps-chunk.ts), and the ranges' frames
 * are joined in order. Ranges that disagree on the atoms or the units are answered with a
 * reason, and the caller reads the file on one thread.
 */
import type { HashSink } from './byte-source.js';
import type { FrameArrays } from './frames.js';
import { parseLammpsChunk } from './lammps-chunk.js';
import { joinedFrames, parseRangesParallel, type FrameStart } from './ranges-parallel.js';
import type { LammpsChunk } from './parse-task.js';

/** What `readLammpsDump` builds its Trajectory from (a LammpsDumpParser's state at the end of the file). */
export interface LammpsState extends FrameArrays {
  steps: number[];
  times: number[];
  allTimes: boolean;
  units: string | null;
  warnings: string[];
  midFrame: boolean;
  frameLine: number;
  partialWhat: string;
}

export type LammpsParallel = { state: LammpsState; contentHash: string; lines: number } | { fallback: string; hashed: boolean };

/** "ITEM:" at `s`. */
function isItem(b: Buffer, s: number): boolean {
  return b[s] === 73 && b[s + 1] === 84 && b[s + 2] === 69 && b[s + 3] === 77 && b[s + 4] === 58;
}

const lammpsStarts = (head: Buffer): FrameStart | null => {
  if (!isItem(head, 0)) return null;
  return (b, ls) => {
    if (!isItem(b, ls)) return false;
    const e = b.indexOf(10, ls);
    if (e < 0) return null;
    const item = b.toString('latin1', ls + 6, e).trim();
    if (item !== 'TIMESTEP' && item !== 'TIME' && item !== 'UNITS') return false;
    const p1 = ls >= 2 ? b.lastIndexOf(10, ls - 2) : -1;
    const p2 = p1 >= 1 ? b.lastIndexOf(10, p1 - 1) : -1;
    return p2 >= 0 && !isItem(b, p1 + 1) && !isItem(b, p2 + 1);
  };
};

/** The frames of a plain LAMMPS dump of at least `minBytes`, parsed on `threads` threads plus this one; or why not. */
export async function readLammpsParallel(path: string, typeMap: Record<number, string>, hash: HashSink | undefined, threads: number, minBytes: number): Promise<LammpsParallel> {
  const r = await parseRangesParallel(path, hash, threads, minBytes, lammpsStarts,
    (start, end, fileSize): LammpsChunk => ({ kind: 'lammps', file: path, fileSize, start, end, typeMap }), parseLammpsChunk);
  if (!('results' in r)) return r;
  const ok = r.results;
  const first = ok[0];
  // ITEM: UNITS may be written once, in the first frame; a range that has it must agree.
  if (ok.some((x) => x.units !== null && x.units !== first.units)) return { fallback: 'ranges disagree on the units', hashed: true };
  const frames = joinedFrames(ok, path);
  if (frames === null) return { fallback: 'ranges disagree on the atoms', hashed: true };
  const state: LammpsState = {
    ...frames,
    steps: ok.flatMap((x) => x.steps),
    times: ok.flatMap((x) => x.times),
    allTimes: ok.every((x) => x.allTimes),
    units: first.units,
    warnings: [...first.warnings],
    midFrame: false,
    frameLine: 0,
    partialWhat: '',
  };
  return { state, contentHash: r.contentHash, lines: ok.reduce((s, x) => s + x.lines, 0) };
}
