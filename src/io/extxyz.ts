/**
 * Extended XYZ (extxyz) reader.
 *
 * What the format holds: a sequence of frames, each
 *   line 1: atom count N;
 *   line 2: `key=value` pairs (values bare, "double-quoted", {braced} or [bracketed]), e.g.
 *           Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3 Time=10.0
 *           Temperature=600 pbc="T T T"; a key alone means true;
 *   N lines: one atom each, columns as declared by `Properties=name:type:ncols:…`
 *           (default species:S:1:pos:R:3), in any order.
 *
 * What this reader takes: `Lattice` (required: ion transport needs periodic cells; rows a,
 * b, c in Å), `Properties` (the `species` S:1 and `pos` R:3 columns, anywhere in the line),
 * `Time` (fs, assumed — there is no unit field; evenly spaced values give the frame interval),
 * `Temperature` (K; mean over frames), `pbc` (a non-periodic direction gives a warning).
 * Cartesian `pos` is converted to fractional with each frame's lattice; the lattice is stored
 * per frame only when it changes.
 *
 * Species order is the order of first appearance; atoms keep file order (speciesOf per atom),
 * so atoms of one element need not be contiguous. Every frame must list the same elements
 * in the same order and the same number of atoms.
 *
 * Deliberately ignored: every other per-atom column (forces, velocities, masses, charges,
 * tags…), every other comment key (energy, stress, virial, config_type…), and the Fortran-
 * style or ASE-specific quirks beyond the keys above (e.g. `Z` without `species`).
 */
import type { Hash } from 'node:crypto';
import { scanLines } from './scan-lines.js';
import { checkFramesEnd, fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory } from '../trajectory/types.js';
import { ExtxyzParser } from './extxyz-parser.js';
import { readExtxyzParallel, type ExtxyzState } from './extxyz-parallel.js';
import { defaultParseWorkers, parseThreadsStarted, PARALLEL_MIN_BYTES } from './parse-pool.js';
import type { CutLine } from './line-scanner.js';

export { parseCommentLine } from './extxyz-comment.js';

export interface ExtxyzOptions {
  /** Default true: the complete frames of a file whose last frame is cut off are kept (a warning); false makes it an error. */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
  /** Parse threads for a large plain file (extxyz-parallel.ts), as for XDATCAR (`XdatcarOptions.parallel`). */
  parallel?: { threads?: number; minBytes?: number };
}

/** Content detection from the first few KB of text. */
export function sniffExtxyz(head: string): boolean {
  const lines = head.split('\n', 4);
  if (lines.length < 2) return false;
  if (!/^\s*\d+\s*$/.test(lines[0]) || Number(lines[0]) <= 0) return false;
  if (/(^|\s)(lattice|properties)\s*=/i.test(lines[1])) return true;
  // Plain XYZ (no Lattice): still ours, so that the user gets "needs Lattice" rather than "unknown format".
  return lines.length >= 3 && /^\s*[A-Z][a-z]?\s+[-+.\d]/.test(lines[2]);
}

export async function readExtxyz(path: string, opts: ExtxyzOptions = {}): Promise<Trajectory> {
  const threads = opts.parallel?.threads ?? defaultParseWorkers();
  let hashed = false;
  if (threads > 0) {
    const min = opts.parallel?.minBytes ?? (parseThreadsStarted() >= threads ? PARALLEL_MIN_BYTES.warm : PARALLEL_MIN_BYTES.cold);
    const r = await readExtxyzParallel(path, opts.hash, threads, min);
    if ('state' in r) return extxyzTrajectory(path, r.state, r.contentHash, r.lines, null, opts);
    hashed = r.hashed;
  }
  const p = new ExtxyzParser(path);
  // After a parallel attempt the caller's hash already has every byte.
  const { contentHash, lines, cut } = await scanLines(path, (b, s, e, line) => p.onLine(b, s, e, line), hashed ? undefined : opts.hash, (size) => { p.size = size; });
  return extxyzTrajectory(path, p, contentHash, lines, cut, opts);
}

/** The Trajectory of a parsed file: end-of-file checks, metadata from Time=/Temperature=. */
function extxyzTrajectory(path: string, p: ExtxyzState, contentHash: string, lines: number, cut: CutLine | null, opts: ExtxyzOptions): Trajectory {
  const { nFrames, nAtoms, warnings, times, lat } = p;
  const what = p.partialWhat;
  const partial = what === null ? null : { frameLine: p.frameLine, what };
  checkFramesEnd({ file: path, lines, nFrames, partial, allowTruncated: opts.allowTruncated, warnings, cut });
  if (partial !== null) {
    lat.truncate(nFrames * 9);
    if (times.length > nFrames) times.length = nFrames;
  }

  const md = fileMetadata('extxyz', path, contentHash);
  md.title = p.title;
  if (p.allTimes && times.length === nFrames && nFrames >= 2) {
    const dt = times[1] - times[0];
    let even = dt > 0;
    for (let f = 2; f < nFrames && even; f++) {
      if (Math.abs(times[f] - times[f - 1] - dt) > 1e-6 * Math.abs(dt) + 1e-9) even = false;
    }
    if (even) {
      md.frameIntervalFs = dt;
      md.sources.frameIntervalFs = 'extxyz Time= (fs assumed)';
    } else {
      warnings.push('Time= values are not evenly spaced; frame interval unknown — give frame_interval_fs in ionsift.json or on the command line');
    }
  }
  // Missing Time=/Temperature= stay null: the loader reports what is still missing after sidecar and flags.
  if (p.tempN > 0) {
    md.temperatureK = p.tempSum / p.tempN;
    md.sources.temperatureK = p.tempMax - p.tempMin > 1e-9 ? `extxyz Temperature= (mean of ${p.tempN} per-frame values)` : 'extxyz Temperature=';
  }

  const { species, counts, speciesOf, frac } = p;
  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
}
