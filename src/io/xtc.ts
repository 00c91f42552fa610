/**
 * GROMACS XTC reader (with the .gro beside it for the atom names; see gromacs.ts).
 *
 * Each frame (XDR, big-endian):
 *   magic 1995 (2023: 64-bit byte count, GROMACS ≥ 2023 for huge frames), natoms, step, time (ps, float);
 *   box: 9 floats (rows, nm);
 *   natoms again; then for ≤ 9 atoms 3·natoms floats, else precision (float), minint[3],
 *   maxint[3], smallidx, byte count, and the compressed bytes padded to 4 (xtc-coords.ts).
 * Positions are int/precision in float32 exactly as xdrfile computes them, then nm → Å and
 * Cartesian → fractional with the frame's box. The frame interval comes from the time fields
 * when they are evenly spaced (writers that leave them 0 give none: sidecar or flag).
 * Streaming: one frame's bytes at a time; every count is checked against the bytes left.
 */
import type { Trajectory } from '../trajectory/types.js';
import { ParseError } from './errors.js';
import { GromacsFrames, gromacsTrajectory, openWithTopology, topologyFor } from './gromacs.js';
import type { GroTopology } from './gro.js';
import { decodeCoords, XtcCorrupt } from './xtc-coords.js';
import type { HashSink } from './byte-source.js';

export const XTC_MAGIC = 1995;
export const XTC_MAGIC_2023 = 2023;

export interface GromacsReadOptions {
  /** false: a file whose last frame is cut off is an error; otherwise its complete frames are kept with a warning (the default, as for every reader). */
  allowTruncated?: boolean;
  /** Also fed with the raw bytes (the .gro first, then the trajectory). */
  hash?: HashSink;
}

/** Big-endian int32 at `o` of a latin-1 string of file bytes (the registry sniffs text heads). */
export function int32At(head: string, o: number): number {
  return ((head.charCodeAt(o) << 24) | (head.charCodeAt(o + 1) << 16) | (head.charCodeAt(o + 2) << 8) | head.charCodeAt(o + 3)) | 0;
}

/** XTC by content: the first frame's magic and a positive atom count repeated after the box. */
export function sniffXtc(head: string): boolean {
  if (head.length < 56) return false;
  const m = int32At(head, 0);
  return (m === XTC_MAGIC || m === XTC_MAGIC_2023) && int32At(head, 4) > 0 && int32At(head, 52) === int32At(head, 4);
}

export async function readXtc(path: string, opts: GromacsReadOptions = {}): Promise<Trajectory> {
  const { gro, stream: s, digest } = await openWithTopology(path, opts.hash);
  const warnings: string[] = [];
  try {
    let fr: GromacsFrames | null = null;
    let top: GroTopology | null = null;
    let natoms = 0;
    let ints = new Int32Array(0);
    let x = new Float32Array(0);
    const box = new Float32Array(9);
    const minint = new Int32Array(3), maxint = new Int32Array(3);
    for (let f = 0; ; f++) {
      const at = s.offset;
      if (s.remaining === 0) break;
      const truncated = (what: string): ParseError | null => {
        const msg = `file ends inside frame ${f} (begun at byte ${at}), ${what}: truncated`;
        if (opts.allowTruncated === false || f === 0) return new ParseError(f > 0 ? `${msg}. Pass allowTruncated to keep the ${f} complete frames` : msg, { file: path, frame: f });
        warnings.push(`${msg}; the incomplete frame was dropped`);
        return null;
      };
      if (!(await s.ensure(56))) {
        const e = truncated(`${s.remaining} bytes left of a 56-byte frame header`);
        if (e) throw e;
        break;
      }
      const magic = s.int();
      if (magic !== XTC_MAGIC && magic !== XTC_MAGIC_2023) {
        throw new ParseError(`bad magic number ${magic} at byte ${at}; expected ${XTC_MAGIC} (an XTC frame)`, { file: path, frame: f });
      }
      const n = s.int();
      s.int(); // step
      const time = s.float();
      for (let k = 0; k < 9; k++) box[k] = s.float();
      const lsize = s.int();
      if (f === 0) {
        if (n <= 0) throw new ParseError(`atom count ${n}; expected a positive number`, { file: path, frame: 0 });
        // Arrays are sized from the .gro's count (bounded by the .gro's size) once it matches.
        if (n > s.size) throw new ParseError(`atom count ${n} is larger than the file (${s.size} bytes) can hold`, { file: path, frame: 0 });
        top = await topologyFor(gro, path, n);
        natoms = n;
        ints = new Int32Array(3 * n);
        x = new Float32Array(3 * n);
      } else if (n !== natoms) {
        throw new ParseError(`atom count ${n} differs from the first frame's ${natoms}`, { file: path, frame: f });
      }
      if (lsize !== natoms) throw new ParseError(`coordinate block holds ${lsize} atoms; the frame header says ${natoms}`, { file: path, frame: f });
      if (natoms <= 9) {
        if (!(await s.ensure(12 * natoms))) {
          const e = truncated('inside the coordinates');
          if (e) throw e;
          break;
        }
        for (let k = 0; k < 3 * natoms; k++) x[k] = s.float();
      } else {
        const lenBytes = magic === XTC_MAGIC_2023 ? 8 : 4;
        if (!(await s.ensure(32 + lenBytes))) {
          const e = truncated('inside the compressed-coordinate header');
          if (e) throw e;
          break;
        }
        const precision = s.float();
        for (let k = 0; k < 3; k++) minint[k] = s.int();
        for (let k = 0; k < 3; k++) maxint[k] = s.int();
        const smallidx = s.int();
        const nbytes = lenBytes === 8 ? s.uint() * 2 ** 32 + s.uint() : s.uint();
        if (!(precision > 0) || !Number.isFinite(precision)) throw new ParseError(`precision ${precision}; expected a positive number (e.g. 1000 per nm)`, { file: path, frame: f });
        const padded = Math.ceil(nbytes / 4) * 4;
        if (padded > s.remaining) {
          const e = truncated(`compressed block of ${nbytes} bytes but ${s.remaining} left`);
          if (e) throw e;
          break;
        }
        await s.ensure(padded);
        const data = s.bytes(padded);
        try {
          decodeCoords({ precision, minint, maxint, smallidx }, data, 0, nbytes, natoms, ints);
        } catch (err) {
          if (err instanceof XtcCorrupt) throw new ParseError(`corrupt compressed coordinates: ${err.message}`, { file: path, frame: f });
          throw err;
        }
        // As xdrfile: a float32 product of the integer and the float32 inverse precision.
        const inv = Math.fround(1 / precision);
        for (let k = 0; k < 3 * natoms; k++) x[k] = Math.fround(ints[k]) * inv;
      }
      // Sized from the first frame's bytes: compressed frames differ by a few per cent.
      fr ??= new GromacsFrames(path, top!, Math.ceil((1.05 * s.size) / Math.max(1, s.offset - at)) + 1);
      fr.add(box, x, time, f);
    }
    await s.drain();
    if (fr === null || fr.nFrames === 0) throw new ParseError('no frames found (empty file?)', { file: path });
    const t = gromacsTrajectory('xtc', fr, digest(), warnings);
    t.metadata.sources.species = `atom names of ${gro}`;
    return t;
  } finally {
    s.close();
  }
}
