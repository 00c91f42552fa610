/** What the parse threads are asked (parse-pool.ts → parse-worker.ts) and what they answer. */

/** An XDATCAR byte range, parsed by xdatcar-chunk.ts (ranges planned by xdatcar-parallel.ts). */
export interface XdatcarChunk {
  kind: 'xdatcar';
  file: string;
  /** Byte range of the file. */
  start: number;
  end: number;
  /** True for the first range, which starts with the coordinates of frame `f0` (its configuration line was read by the caller). */
  bare: boolean;
  /** Frame index of the range's first frame, and one past its last. */
  f0: number;
  fEnd: number;
  /** Configuration number the next configuration line of the range must have. */
  number: number;
  nAtoms: number;
  cartesian: boolean;
  /** For Cartesian frames: the per-axis scale and the inverse lattice. */
  cartScale: Float64Array | null;
  Linv: Float64Array | null;
  /** Frame-major output for all frames of the file (or a window of them), and its element type. */
  out: SharedArrayBuffer;
  f32: boolean;
  /** Frame whose values start `out` (a window of frames read in turns, xdatcar-parallel.ts); default 0. */
  outFrame0?: number;
}

/** An extxyz byte range of whole frames, parsed by extxyz-chunk.ts (ranges planned by extxyz-parallel.ts). */
export interface ExtxyzChunk {
  kind: 'extxyz';
  file: string;
  fileSize: number;
  start: number;
  end: number;
}

/** The frames a range of a line-handler format holds; arrays exactly sized. */
export interface RangeFrames {
  ok: true;
  lines: number;
  nFrames: number;
  nAtoms: number;
  species: string[];
  counts: number[];
  speciesOf: Uint16Array;
  frac: Float64Array;
  lat: Float64Array;
}

/** What a range of an extxyz file holds (the state of an ExtxyzParser at its end). */
export interface ExtxyzChunkResult extends RangeFrames {
  times: number[];
  allTimes: boolean;
  temps: number[];
  title: string;
  warnings: string[];
}

/** A LAMMPS dump byte range of whole frames, parsed by lammps-chunk.ts (ranges planned by lammps-parallel.ts). */
export interface LammpsChunk {
  kind: 'lammps';
  file: string;
  fileSize: number;
  start: number;
  end: number;
  typeMap: Record<number, string>;
}

/** What a range of a LAMMPS dump holds (a LammpsDumpParser's state at its end). */
export interface LammpsChunkResult extends RangeFrames {
  steps: number[];
  times: number[];
  allTimes: boolean;
  units: string | null;
  warnings: string[];
}

/** Values `[start, end)` of a frame array on a SharedArrayBuffer, checked against the coordinate bounds (bounds-parallel.ts). */
export interface BoundsTask {
  kind: 'bounds';
  out: SharedArrayBuffer;
  f32: boolean;
  start: number;
  end: number;
}

export type ParseTask = XdatcarChunk | ExtxyzChunk | LammpsChunk | BoundsTask;

/**
 * A chunk's outcome: parsed (every frame of it written), or not parsed as planned, and why
 * (the caller then reads the file on one thread, which gives the located error or warning).
 */
export type ChunkResult = { ok: true } | { ok: false; why: string };
