/**
 * GROMACS TRR reader (full-precision trajectory; atom names from the .gro beside it).
 *
 * Each frame (XDR, big-endian): magic 1993; the version string "GMX_trn_file" (its length + 1,
 * then an XDR string); the byte sizes ir, e, box, vir, pres, top, sym, x, v, f; natoms, step,
 * nre; time and lambda as reals. Then box (9 reals, rows, nm), virial, pressure, x, v, f, each
 * present when its size is non-zero. Reals are float or double: box_size / 9 (or
 * x_size / 3·natoms) says which. Frames without positions (velocity/force-only output) are
 * skipped with a warning; frames without a box are an error (a periodic cell is needed).
 */
import type { Trajectory } from '../trajectory/types.js';
import { ParseError } from './errors.js';
import { GromacsFrames, gromacsTrajectory, openWithTopology, topologyFor } from './gromacs.js';
import { int32At, type GromacsReadOptions } from './xtc.js';

export const TRR_MAGIC = 1993;
const VERSION = 'GMX_trn_file';
/** magic, string length, XDR string length and bytes, 13 ints. */
const FIXED_HEADER = 4 + 4 + 4 + 12 + 13 * 4;

/** TRR by content: magic and the version string. */
export function sniffTrr(head: string): boolean {
  return head.length >= 24 && int32At(head, 0) === TRR_MAGIC && head.slice(12, 24) === VERSION;
}

export async function readTrr(path: string, opts: GromacsReadOptions = {}): Promise<Trajectory> {
  const { gro, stream: s, digest } = await openWithTopology(path, opts.hash);
  const warnings: string[] = [];
  let skipped = 0;
  try {
    let fr: GromacsFrames | null = null;
    let natoms = 0;
    let x = new Float64Array(0);
    const box = new Float64Array(9);
    for (let f = 0; ; f++) {
      const at = s.offset;
      if (s.remaining === 0) break;
      const truncated = (what: string): ParseError | null => {
        const msg = `file ends inside frame ${f} (begun at byte ${at}), ${what}: truncated`;
        if (opts.allowTruncated === false || fr === null || fr.nFrames === 0) return new ParseError(f > 0 ? `${msg}. Pass allowTruncated to keep the complete frames` : msg, { file: path, frame: f });
        warnings.push(`${msg}; the incomplete frame was dropped`);
        return null;
      };
      if (!(await s.ensure(FIXED_HEADER))) {
        const e = truncated(`${s.remaining} bytes left of a frame header`);
        if (e) throw e;
        break;
      }
      const magic = s.int();
      if (magic !== TRR_MAGIC) throw new ParseError(`bad magic number ${magic} at byte ${at}; expected ${TRR_MAGIC} (a TRR frame)`, { file: path, frame: f });
      const slen = s.int(), len = s.int();
      const version = Buffer.from(s.bytes(12)).toString('latin1');
      if (slen !== VERSION.length + 1 || len !== VERSION.length || version !== VERSION) {
        throw new ParseError(`version string "${version.replace(/[^\x20-\x7e]/g, '?')}" (lengths ${slen}, ${len}); expected "${VERSION}"`, { file: path, frame: f });
      }
      const [ir, e, boxSize, vir, pres, top, sym, xSize, vSize, fSize, n] = Array.from({ length: 11 }, () => s.int());
      s.int(); // step
      s.int(); // nre
      if (f === 0) {
        if (n <= 0) throw new ParseError(`atom count ${n}; expected a positive number`, { file: path, frame: 0 });
        if (n > s.size) throw new ParseError(`atom count ${n} is larger than the file (${s.size} bytes) can hold`, { file: path, frame: 0 });
        const topo = await topologyFor(gro, path, n);
        natoms = n;
        // Every frame with positions has the same size: the file size / this one's is the count.
        const est = Math.ceil(s.size / (FIXED_HEADER + 2 * 8 + boxSize + vir + pres + xSize + vSize + fSize));
        fr = new GromacsFrames(path, topo, Number.isFinite(est) && est > 0 ? Math.min(est, Math.ceil(s.size / (12 * n))) : 1);
        x = new Float64Array(3 * n);
      } else if (n !== natoms) {
        throw new ParseError(`atom count ${n} differs from the first frame's ${natoms}`, { file: path, frame: f });
      }
      const real = boxSize ? boxSize / 9 : xSize ? xSize / (3 * natoms) : vSize ? vSize / (3 * natoms) : fSize / (3 * natoms);
      if (real !== 4 && real !== 8) throw new ParseError(`section sizes (box ${boxSize}, x ${xSize}, v ${vSize}, f ${fSize} bytes) give ${real}-byte reals; expected 4 or 8`, { file: path, frame: f });
      const sizes = { ir, e, top, sym };
      for (const [k, v] of Object.entries(sizes)) if (v !== 0) throw new ParseError(`${k}_size ${v}: old TRR sections are not supported; expected 0`, { file: path, frame: f });
      const vec = 3 * natoms * real;
      for (const [k, v] of [['box', boxSize], ['vir', vir], ['pres', pres]] as const) if (v !== 0 && v !== 9 * real) throw new ParseError(`${k}_size ${v}; expected 0 or ${9 * real}`, { file: path, frame: f });
      for (const [k, v] of [['x', xSize], ['v', vSize], ['f', fSize]] as const) if (v !== 0 && v !== vec) throw new ParseError(`${k}_size ${v}; expected 0 or ${vec} for ${natoms} atoms`, { file: path, frame: f });
      const body = 2 * real + boxSize + vir + pres + xSize + vSize + fSize;
      if (!(await s.ensure(body))) {
        const er = truncated(`${s.remaining} bytes left of a ${body}-byte frame body`);
        if (er) throw er;
        break;
      }
      const time = s.real(real);
      s.real(real); // lambda
      if (boxSize) for (let k = 0; k < 9; k++) box[k] = s.real(real);
      s.skip(vir + pres);
      if (xSize === 0) {
        s.skip(vSize + fSize);
        skipped++;
        continue;
      }
      if (!boxSize) throw new ParseError('frame has positions but no box; expected a periodic cell', { file: path, frame: f });
      for (let k = 0; k < 3 * natoms; k++) x[k] = s.real(real);
      s.skip(vSize + fSize);
      fr!.add(box, x, time, f);
    }
    await s.drain();
    if (fr === null || fr.nFrames === 0) throw new ParseError('no frames with positions found (empty file?)', { file: path });
    if (skipped > 0) warnings.push(`${skipped} frame(s) without positions (velocities/forces only) skipped`);
    const t = gromacsTrajectory('trr', fr, digest(), warnings);
    t.metadata.sources.species = `atom names of ${gro}`;
    return t;
  } finally {
    s.close();
  }
}
