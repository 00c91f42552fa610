/**
 * What the single-file frame readers (vasprun, extxyz, LAMMPS dump) share around their line
 * handlers: growable arrays to accumulate frames in, the species table, the end-of-file checks,
 * and building the `Trajectory` (lattice packing, one segment, metadata stamped with file and hash).
 */
import { ParseError } from './errors.js';
import type { CutLine } from './line-scanner.js';
import { checkMemory, maxMemoryBytes } from './budget.js';
import { emptyMetadata, type Trajectory, type TrajectoryMetadata } from '../trajectory/types.js';

/** Bytes of `values` doubles, checked against the memory budget (errors name `file`). */
function budgeted(values: number, file: string | undefined, what: string): number {
  checkMemory(values * 8, { file: file ?? '(frames)' }, what);
  return values;
}

/**
 * Growable Float64Array (doubling), for readers that do not know the frame count up front.
 * Growth beyond the memory budget (budget.ts) is a ResourceError naming `file`.
 */
export class GrowableF64 {
  data: Float64Array;
  length = 0;
  constructor(initial: number, private readonly file?: string) {
    this.data = new Float64Array(budgeted(Math.max(16, initial), file, 'the frame buffer'));
  }
  /** Makes room for `n` more values and returns the offset where they start. */
  reserve(n: number): number {
    const need = this.length + n;
    if (need > this.data.length) {
      budgeted(need, this.file, 'the frames read so far');
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
      // Doubling may overshoot the budget where the data itself does not: then take just enough.
      if (cap * 8 > maxMemoryBytes()) cap = need;
      const d = new Float64Array(cap);
      d.set(this.data.subarray(0, this.length));
      this.data = d;
    }
    const o = this.length;
    this.length = need;
    return o;
  }
  /** Drops values past `n` (e.g. an incomplete last frame). */
  truncate(n: number): void {
    if (n < this.length) this.length = n;
  }
  /** The filled part, copied into an exactly sized array. */
  toArray(): Float64Array {
    return this.data.slice(0, this.length);
  }
}

/** Growable frame-major Float64Array (XDATCAR: pre-sized from the text size, grows 1.5×), within the memory budget. */
export class FrameBuffer {
  data: Float64Array;
  constructor(private readonly stride: number, frames: number, private readonly file?: string) {
    this.data = new Float64Array(budgeted(stride * Math.max(1, frames), file, `${Math.max(1, frames)} frame(s) of ${stride / 3} atoms`));
  }
  ensure(frames: number): void {
    if (frames * this.stride <= this.data.length) return;
    budgeted(frames * this.stride, this.file, `${frames} frames of ${this.stride / 3} atoms`);
    let cap = Math.max(frames, Math.ceil((this.data.length / this.stride) * 1.5) + 1);
    if (cap * this.stride * 8 > maxMemoryBytes()) cap = frames;
    const nd = new Float64Array(cap * this.stride);
    nd.set(this.data);
    this.data = nd;
  }
  /**
   * Exactly `frames` frames. A small surplus (≤ 1/16, the usual case after pre-sizing) is kept
   * as a view rather than copied: copying 100s of MB costs more than the few % of slack.
   */
  take(frames: number): Float64Array {
    const n = frames * this.stride;
    if (n === this.data.length) return this.data;
    return this.data.length - n <= this.data.length / 16 ? this.data.subarray(0, n) : this.data.slice(0, n);
  }
}

/** Lattice as a single array when all frames are equal (to the printed digits), else per frame. */
export function packLattice(lat: Float64Array, nFrames: number): { lattice: Float64Array; variableCell: boolean } {
  for (let f = 1; f < nFrames; f++) {
    for (let k = 0; k < 9; k++) {
      if (lat[f * 9 + k] !== lat[k]) return { lattice: lat.slice(0, nFrames * 9), variableCell: true };
    }
  }
  return { lattice: lat.slice(0, 9), variableCell: false };
}

/**
 * Index of element `name` in `species`, appended (with its latin-1 bytes in `speciesBytes`, for
 * comparing later frames without strings) on first sight; counts one more atom of it.
 */
export function countSpecies(name: string, species: string[], speciesBytes: Uint8Array[], counts: number[]): number {
  let k = species.indexOf(name);
  if (k < 0) {
    k = species.length;
    species.push(name);
    speciesBytes.push(Buffer.from(name, 'latin1'));
    counts.push(0);
  }
  counts[k]++;
  return k;
}

export interface FramesEnd {
  file: string;
  /** Number of lines in the file (where end-of-file errors point). */
  lines: number;
  /** Complete frames read. */
  nFrames: number;
  /** Set when the file ends inside frame `nFrames`: the line it began on and how far it got. */
  partial: { frameLine: number; what: string } | null;
  /** Default true; false (strict) makes a cut-off last frame a ParseError. */
  allowTruncated: boolean | undefined;
  warnings: string[];
  /** A last line without its newline, which the scanner dropped (scan-lines.ts). */
  cut?: CutLine | null;
}

/**
 * End-of-file checks of a frame-by-frame file. A file that stops inside a frame (a killed run)
 * keeps its complete frames and drops the partial one with a warning naming it (the caller
 * truncates its arrays to `nFrames`); with `allowTruncated: false` (strict) or without complete
 * frames that is a ParseError. A last line without its newline (`cut`, dropped by the scanner)
 * is said in the warning. A file without frames is a ParseError.
 */
export function checkFramesEnd(r: FramesEnd): void {
  const { file, lines, nFrames } = r;
  const cut = r.cut ? ` (the last line, line ${r.cut.line} "${r.cut.text.trim().slice(0, 40)}", has no newline: cut while being written, ignored)` : '';
  if (r.partial !== null) {
    const msg = `file ends inside frame ${nFrames} (begun on line ${r.partial.frameLine}), ${r.partial.what}${cut}: truncated`;
    if (!(r.allowTruncated ?? true) || nFrames === 0) {
      throw new ParseError(nFrames > 0 ? `${msg}. Pass allowTruncated to keep the ${nFrames} complete frames` : msg, { file, line: lines, frame: nFrames });
    }
    r.warnings.push(`${file}: ${msg}; the incomplete frame was dropped`);
  } else if (r.cut) {
    r.warnings.push(`${file}: the last line (line ${r.cut.line}, "${r.cut.text.trim().slice(0, 40)}") has no newline and was ignored`);
  }
  if (nFrames === 0) throw new ParseError('no frames found (empty file?)', { file, line: Math.max(1, lines) });
}

/** Fresh metadata of reader `format` for the single file `path` with raw-byte hash `contentHash`. */
export function fileMetadata(format: string, path: string, contentHash: string): TrajectoryMetadata {
  const md = emptyMetadata(format);
  md.sourcePaths = [path];
  md.contentHash = contentHash;
  return md;
}

/** The frames a line-handler reader has accumulated (its per-format state extends it). */
export interface FrameArrays {
  nFrames: number;
  nAtoms: number;
  species: string[];
  counts: number[];
  speciesOf: Uint16Array;
  /** Fractional coordinates, frame-major (`null`: no frame was started). */
  frac: GrowableF64 | null;
  /** Lattice rows, 9 values per frame. */
  lat: GrowableF64;
}

/** What a reader has accumulated by the end of one file. */
export interface ReadFrames extends FrameArrays {
  metadata: TrajectoryMetadata;
  warnings: string[];
}

/** The trajectory of one file: the first `nFrames` frames, lattice stored once unless it changes, one segment. */
export function singleFileTrajectory(path: string, r: ReadFrames): Trajectory {
  const { nFrames, nAtoms } = r;
  const { lattice, variableCell } = packLattice(r.lat.data, nFrames);
  return {
    nFrames,
    nAtoms,
    species: r.species,
    counts: r.counts,
    speciesOf: r.speciesOf,
    frac: r.frac === null ? new Float64Array(0) : r.frac.data.slice(0, nFrames * nAtoms * 3),
    lattice,
    variableCell,
    segments: [{ file: path, startFrame: 0, nFrames }],
    discontinuities: [],
    metadata: r.metadata,
    warnings: r.warnings,
  };
}
