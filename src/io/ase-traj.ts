/**
 * ASE trajectory (`.traj`, the ULM binary layout of ase/io/ulm.py and ase/io/trajectory.py).
 *
 * File: "- of Ulm" (older: "AFFormat"), a 16-byte tag ("ASE-Trajectory"), then int64 version,
 * number of items and the position of the item-offset table (int64 each, little-endian). Each
 * item (one frame) at its offset: an int64 length and that many bytes of JSON. Arrays are keys
 * ending in "." holding {"ndarray": [shape, dtype, file offset]} with the data elsewhere in the
 * file; small values are plain JSON. A frame gives `positions.` (Cartesian Å, float64 (n, 3)) and
 * `cell` (3 × 3 rows, JSON or ndarray); `numbers.` (atomic numbers) and `pbc` appear in the first
 * item and again only when they change. `_little_endian: false` marks big-endian arrays.
 * No time is stored: the frame interval comes from a sidecar or flag. Every offset and size is
 * checked against the file size before it is read or allocated.
 */
import { createHash } from 'node:crypto';
import { open, type FileHandle } from 'node:fs/promises';
import type { Trajectory } from '../trajectory/types.js';
import { det3, inverse3 } from '../trajectory/lattice.js';
import { hashFile, type HashSink } from './byte-source.js';
import { ParseError } from './errors.js';
import { symbolOf } from './elements.js';
import { fileMetadata, GrowableF64, singleFileTrajectory } from './frames.js';

const MAGIC = ['- of Ulm', 'AFFormat'];
/** Largest JSON block of one item (a frame's JSON is a few hundred bytes plus info/calculator). */
const MAX_JSON = 64 << 20;

/** ASE .traj by content: the ULM magic. */
export function sniffAseTraj(head: string): boolean {
  return MAGIC.includes(head.slice(0, 8));
}

interface NdArray { shape: number[]; dtype: string; offset: number }

const DTYPES: Record<string, { bytes: number; get(v: DataView, o: number, le: boolean): number }> = {
  float64: { bytes: 8, get: (v, o, le) => v.getFloat64(o, le) },
  float32: { bytes: 4, get: (v, o, le) => v.getFloat32(o, le) },
  int64: { bytes: 8, get: (v, o, le) => Number(v.getBigInt64(o, le)) },
  int32: { bytes: 4, get: (v, o, le) => v.getInt32(o, le) },
};

class UlmFile {
  constructor(readonly path: string, readonly fh: FileHandle, readonly size: number) {}

  async bytes(offset: number, n: number, what: string, frame?: number): Promise<Buffer> {
    if (!(Number.isSafeInteger(offset) && Number.isSafeInteger(n) && offset >= 0 && n >= 0 && offset + n <= this.size)) {
      throw new ParseError(`${what} at byte ${offset} (${n} bytes) lies outside the file (${this.size} bytes): truncated or corrupt`, { file: this.path, frame });
    }
    const b = Buffer.alloc(n);
    const { bytesRead } = await this.fh.read(b, 0, n, offset);
    if (bytesRead !== n) throw new ParseError(`file shrank while being read (${what})`, { file: this.path, frame });
    return b;
  }

  /** Reads an ndarray described by `spec` as numbers (count checked against the file). */
  async array(spec: unknown, key: string, le: boolean, frame: number): Promise<{ shape: number[]; values: Float64Array }> {
    const a = ndArray(spec);
    const dt = a ? DTYPES[a.dtype] : undefined;
    if (!a || !dt) throw new ParseError(`"${key}" is not an ndarray of ${Object.keys(DTYPES).join('/')}; found ${JSON.stringify(spec)?.slice(0, 80)}`, { file: this.path, frame });
    const count = a.shape.reduce((p, x) => p * x, 1);
    const b = await this.bytes(a.offset, count * dt.bytes, `array "${key}"`, frame);
    const v = new DataView(b.buffer, b.byteOffset, b.byteLength);
    const values = new Float64Array(count);
    for (let i = 0; i < count; i++) values[i] = dt.get(v, i * dt.bytes, le);
    return { shape: a.shape, values };
  }
}

function ndArray(spec: unknown): NdArray | null {
  if (spec === null || typeof spec !== 'object' || !('ndarray' in spec)) return null;
  const nd = (spec as { ndarray: unknown }).ndarray;
  if (!Array.isArray(nd) || nd.length !== 3) return null;
  const [shape, dtype, offset] = nd as unknown[];
  if (!Array.isArray(shape) || !shape.every((x) => Number.isSafeInteger(x) && (x as number) >= 0) || typeof dtype !== 'string' || !Number.isSafeInteger(offset)) return null;
  return { shape: shape as number[], dtype, offset: offset as number };
}

/** JSON of one item; ASE's encoder may write bare NaN/Infinity (Python's json), read as null. */
function parseItemJson(text: string): Record<string, unknown> {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    v = JSON.parse(text.replace(/(?<=[[,:]\s*)-?(NaN|Infinity)(?=\s*[\],}])/g, 'null'));
  }
  if (v === null || typeof v !== 'object' || Array.isArray(v)) throw new Error('not a JSON object');
  return v as Record<string, unknown>;
}

export async function readAseTraj(path: string, opts: { hash?: HashSink } = {}): Promise<Trajectory> {
  const fh = await open(path, 'r');
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ParseError('not a regular file; expected an ASE .traj file', { file: path });
    const f = new UlmFile(path, fh, st.size);
    const head = await f.bytes(0, 48, 'the 48-byte header');
    const magic = head.toString('latin1', 0, 8);
    if (!MAGIC.includes(magic)) {
      const pickle = head[0] === 0x80 || head.toString('latin1', 0, 14) === 'PickleTrajecto';
      throw new ParseError(pickle ? 'an old pickle-based ASE trajectory; convert it with a current ASE (ase convert) first' : `not a ULM file (starts "${magic.replace(/[^\x20-\x7e]/g, '?')}"; expected "- of Ulm")`, { file: path });
    }
    const tag = head.toString('latin1', 8, 24).trim();
    if (tag !== 'ASE-Trajectory') throw new ParseError(`ULM tag "${tag}"; expected "ASE-Trajectory" (other ULM files, e.g. GPAW's, hold no trajectory)`, { file: path });
    const nItems = Number(head.readBigInt64LE(32));
    const pos0 = Number(head.readBigInt64LE(40));
    if (!(nItems >= 1)) throw new ParseError(`header says ${nItems} items; expected at least one frame`, { file: path });
    const table = await f.bytes(pos0, nItems * 8, `the table of ${nItems} item offsets`);
    let frac: GrowableF64 | null = null;
    const lat = new GrowableF64(nItems * 9);
    let numbers: Float64Array | null = null;
    let nAtoms = 0;
    let species: string[] = [], counts: number[] = [], speciesOf = new Uint16Array(0);
    const warnings: string[] = [];
    for (let k = 0; k < nItems; k++) {
      const off = Number(table.readBigInt64LE(k * 8));
      const len = Number((await f.bytes(off, 8, 'the item length', k)).readBigInt64LE(0));
      if (len > MAX_JSON) throw new ParseError(`item JSON of ${len} bytes; expected at most ${MAX_JSON}`, { file: path, frame: k });
      let item: Record<string, unknown>;
      try {
        item = parseItemJson((await f.bytes(off + 8, len, 'the item JSON', k)).toString('utf8'));
      } catch (err) {
        if (err instanceof ParseError) throw err;
        throw new ParseError(`item JSON is not valid (${err instanceof Error ? err.message : String(err)})`, { file: path, frame: k });
      }
      const le = item._little_endian !== false;
      if ('numbers.' in item) {
        const nums = (await f.array(item['numbers.'], 'numbers', le, k)).values;
        if (numbers === null) {
          numbers = nums;
          nAtoms = nums.length;
          const names = Array.from(nums, (z, i) => {
            const s = symbolOf(z);
            if (s === null) throw new ParseError(`atom ${i} has atomic number ${z}; expected 1…103`, { file: path, frame: k });
            return s;
          });
          species = [...new Set(names)];
          counts = species.map((s) => names.filter((n) => n === s).length);
          speciesOf = Uint16Array.from(names, (n) => species.indexOf(n));
          // Positions take 24 bytes per atom and frame in the file: its size bounds the first guess.
          frac = new GrowableF64(Math.min(nItems * nAtoms * 3, Math.ceil(st.size / 8)));
        } else if (nums.length !== nAtoms || nums.some((z, i) => z !== numbers![i])) {
          throw new ParseError('atoms change (atomic numbers differ from frame 0); expected the same atoms in every frame', { file: path, frame: k });
        }
      }
      if (numbers === null || frac === null) throw new ParseError('no "numbers" (atomic numbers) before this frame', { file: path, frame: k });
      if (Array.isArray(item.pbc) && item.pbc.some((x) => x === false)) warnings.push(`frame ${k}: pbc ${JSON.stringify(item.pbc)} (not periodic in every direction)`);
      if (!('positions.' in item)) throw new ParseError('frame has no "positions"', { file: path, frame: k });
      const pos = await f.array(item['positions.'], 'positions', le, k);
      if (pos.shape.length !== 2 || pos.shape[0] !== nAtoms || pos.shape[1] !== 3) throw new ParseError(`positions of shape [${pos.shape.join(', ')}]; expected [${nAtoms}, 3]`, { file: path, frame: k });
      const cellSpec = item.cell ?? item['cell.'];
      const L = Array.isArray(cellSpec) ? Float64Array.from(cellSpec.flat(), (x) => (typeof x === 'number' ? x : NaN)) : (await f.array(cellSpec, 'cell', le, k)).values;
      const d = L.length === 9 ? det3(L) : NaN;
      if (!(Math.abs(d) > 1e-6)) throw new ParseError(`cell ${JSON.stringify(cellSpec)?.slice(0, 80)} is not 3 × 3 with a volume; expected a periodic cell`, { file: path, frame: k });
      const lo = lat.reserve(9); // before reading .data: reserve may replace it
      lat.data.set(L, lo);
      const I = inverse3(L), p = frac.reserve(nAtoms * 3), out = frac.data, x = pos.values;
      for (let i = 0; i < nAtoms * 3; i += 3) {
        if (!Number.isFinite(x[i] + x[i + 1] + x[i + 2])) throw new ParseError(`atom ${i / 3} has a non-finite position`, { file: path, frame: k });
        out[p + i] = x[i] * I[0] + x[i + 1] * I[3] + x[i + 2] * I[6];
        out[p + i + 1] = x[i] * I[1] + x[i + 1] * I[4] + x[i + 2] * I[7];
        out[p + i + 2] = x[i] * I[2] + x[i + 1] * I[5] + x[i + 2] * I[8];
      }
    }
    // Items are read out of order: the content hash is one more sequential pass.
    const own = createHash('sha256');
    const extra = opts.hash;
    await hashFile(path, { update(c: Buffer) { own.update(c); extra?.update(c); } });
    const md = fileMetadata('ase-traj', path, own.digest('hex'));
    return singleFileTrajectory(path, { nFrames: nItems, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
  } finally {
    await fh.close();
  }
}
