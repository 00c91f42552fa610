/**
 * VASP 5 XDATCAR and INCAR writers (used by the synthetic-data generator; also handy for
 * exporting a Trajectory). Output is streamed frame by frame — never one giant string — and is
 * byte-deterministic: fixed-width formatting with integer rounding, and gzip from node's zlib
 * (header mtime 0, no file name), so the same input always gives the same bytes.
 */
import { createWriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { latticeAt, type Trajectory } from '../trajectory/types.js';

export interface XdatcarHeader {
  title: string;
  /** Lattice vectors as rows, Å (9 numbers). */
  lattice: ArrayLike<number>;
  species: readonly string[];
  counts: readonly number[];
}

export interface WriteXdatcarOptions {
  title?: string;
  /** Gzip the output; default: true when the path ends in `.gz`. */
  gzip?: boolean;
  /** zlib level (default 6: level 9 is ~8× slower on coordinate text for ~2% less size). */
  gzipLevel?: number;
}

const f6 = (x: number): string => (Math.round(x * 1e6) / 1e6 + 0).toFixed(6).padStart(12);

/** The seven header lines (title … counts), newline-terminated. */
export function formatXdatcarHeader(h: XdatcarHeader): string {
  const L = h.lattice;
  const rows = [0, 3, 6].map((o) => ' ' + f6(L[o]) + f6(L[o + 1]) + f6(L[o + 2]));
  return [
    h.title.replace(/[\r\n]+/g, ' '),
    '           1',
    ...rows,
    h.species.map((s) => s.padStart(5)).join(''),
    h.counts.map((c) => String(c).padStart(6)).join(''),
    '',
  ].join('\n');
}

/**
 * One "Direct configuration=" block. Coordinates are wrapped into [0, 1) AFTER rounding to 8
 * decimals, so 0.999999996 prints as 0.00000000, never as 1.00000000.
 */
export function formatXdatcarFrame(frameNumber: number, frac: ArrayLike<number>, nAtoms: number, offset = 0): string {
  const parts: string[] = new Array(nAtoms + 1);
  parts[0] = 'Direct configuration=' + String(frameNumber).padStart(6);
  for (let a = 0; a < nAtoms; a++) {
    const o = offset + a * 3;
    parts[a + 1] = fmtFrac(frac[o]) + fmtFrac(frac[o + 1]) + fmtFrac(frac[o + 2]);
  }
  return parts.join('\n') + '\n';
}

function fmtFrac(x: number): string {
  let r = Math.round((x - Math.floor(x)) * 1e8);
  if (r >= 1e8) r -= 1e8;
  if (!(r >= 0)) throw new Error(`non-finite coordinate ${x}`);
  return '  0.' + String(r).padStart(8, '0');
}

/**
 * Stream frames (fractional, nAtoms·3 each; the buffer may be reused between yields) to an
 * XDATCAR. Frames are numbered from 1 as VASP does.
 */
export async function writeXdatcarFrames(
  path: string,
  header: XdatcarHeader,
  frames: Iterable<Float64Array>,
  opts: { gzip?: boolean; gzipLevel?: number } = {},
): Promise<number> {
  const nAtoms = header.counts.reduce((a, b) => a + b, 0);
  let written = 0;
  function* chunks(): Generator<string> {
    let buf = formatXdatcarHeader(header);
    for (const fr of frames) {
      if (fr.length < nAtoms * 3) throw new Error(`frame ${written + 1} has ${fr.length / 3} atoms, header says ${nAtoms}`);
      written++;
      buf += formatXdatcarFrame(written, fr, nAtoms);
      // ~256 kB chunks: few stream calls, bounded memory.
      if (buf.length > 1 << 18) {
        yield buf;
        buf = '';
      }
    }
    if (buf.length) yield buf;
  }
  const gzip = opts.gzip ?? path.endsWith('.gz');
  const src = Readable.from(chunks(), { objectMode: false });
  if (gzip) await pipeline(src, createGzip({ level: opts.gzipLevel ?? 6 }), createWriteStream(path));
  else await pipeline(src, createWriteStream(path));
  return written;
}

/** Write a whole Trajectory as an XDATCAR (fixed cell: the lattice of frame 0 is written). */
export async function writeXdatcar(traj: Trajectory, path: string, opts: WriteXdatcarOptions = {}): Promise<void> {
  if (traj.variableCell) throw new Error('writeXdatcar: variable-cell trajectories are not supported');
  const header: XdatcarHeader = {
    title: opts.title ?? (traj.metadata.title || 'ionsift'),
    lattice: latticeAt(traj, 0),
    species: traj.species,
    counts: traj.counts,
  };
  const stride = traj.nAtoms * 3;
  function* frames(): Generator<Float64Array> {
    for (let f = 0; f < traj.nFrames; f++) yield traj.frac.subarray(f * stride, (f + 1) * stride);
  }
  await writeXdatcarFrames(path, header, frames(), { gzip: opts.gzip, gzipLevel: opts.gzipLevel });
}

export interface IncarParams {
  potimFs: number;
  nblock: number;
  temperatureK: number;
  /** MD steps (NSW); default: not written. */
  nsw?: number;
  system?: string;
}

/** A minimal NVT AIMD INCAR: the tags a reader needs for timestep and temperature. */
export function formatIncar(p: IncarParams): string {
  const lines = [
    `SYSTEM = ${p.system ?? 'ionsift synthetic'}`,
    'IBRION = 0',
    'MDALGO = 2',
    'ISIF = 2',
    'ISYM = 0',
    `POTIM = ${p.potimFs}`,
    `NBLOCK = ${p.nblock}`,
    `TEBEG = ${p.temperatureK}`,
    `TEEND = ${p.temperatureK}`,
    'SMASS = 0',
  ];
  if (p.nsw !== undefined) lines.push(`NSW = ${p.nsw}`);
  return lines.join('\n') + '\n';
}

export async function writeIncar(path: string, p: IncarParams): Promise<void> {
  await writeFile(path, formatIncar(p));
}
