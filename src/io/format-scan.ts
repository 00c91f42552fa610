/**
 * Internal byte-level helpers shared by the vasprun, extxyz and LAMMPS-dump readers:
 * a streaming line scanner (plain or gzip, detected by magic bytes, SHA-256 of the raw
 * on-disk bytes computed on the way) and allocation-free token / number parsing.
 *
 * Kept separate from the XDATCAR scanner (`lines.ts`) so the two can evolve independently;
 * once `lines.ts` settles, these readers can switch to it by replacing `scanLines` only.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { ParseError } from './errors.js';

/** Called once per line with the bytes `buf[start, end)` (no `\n`, no trailing `\r`). */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

export interface ScanResult {
  /** Hex SHA-256 of the raw file bytes (compressed bytes for .gz, as stored on disk). */
  contentHash: string;
  /** Number of lines seen (1-based number of the last line). */
  lines: number;
}

const CHUNK = 1 << 20;

/** True when the file starts with the gzip magic bytes 1f 8b. */
export async function isGzipFile(path: string): Promise<boolean> {
  const fh = await open(path, 'r');
  try {
    const b = Buffer.alloc(2);
    const { bytesRead } = await fh.read(b, 0, 2, 0);
    return bytesRead === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    await fh.close();
  }
}

/**
 * Streams `path` line by line into `onLine`; `extraHash`, when given, also receives the raw bytes. The handler runs synchronously inside the chunk
 * loop (no promise per line); throwing from it aborts the scan and closes the file.
 */
export async function scanLines(path: string, onLine: LineHandler, extraHash?: Hash): Promise<ScanResult> {
  const gz = await isGzipFile(path);
  const own = createHash('sha256');
  // `extraHash` lets a caller (the loader) hash several files in one pass without re-reading them.
  const hash = extraHash === undefined ? own : { update(c: Buffer | string) { own.update(c); extraHash.update(c); } };
  const raw = createReadStream(path, { highWaterMark: CHUNK });
  let source: AsyncIterable<Buffer>;
  let gunzip: ReturnType<typeof createGunzip> | null = null;
  if (gz) {
    gunzip = createGunzip({ chunkSize: CHUNK });
    const g = gunzip;
    // The hash must cover the on-disk bytes, so it listens to the raw stream, not the inflated one.
    raw.on('data', (c: Buffer | string) => hash.update(c));
    raw.on('error', (e) => g.destroy(e));
    raw.pipe(g);
    source = g;
  } else {
    source = raw;
  }

  let line = 0;
  let carry: Buffer | null = null;
  try {
    for await (const chunk of source) {
      if (!gz) hash.update(chunk);
      let pos = 0;
      if (carry !== null) {
        const nl = chunk.indexOf(10);
        if (nl < 0) {
          carry = Buffer.concat([carry, chunk]);
          continue;
        }
        // Only the partial line is copied, never the whole chunk.
        const joined: Buffer = Buffer.concat([carry, chunk.subarray(0, nl)]);
        carry = null;
        let end = joined.length;
        if (end > 0 && joined[end - 1] === 13) end--;
        onLine(joined, 0, end, ++line);
        pos = nl + 1;
      }
      for (;;) {
        const nl = chunk.indexOf(10, pos);
        if (nl < 0) break;
        let end = nl;
        if (end > pos && chunk[end - 1] === 13) end--;
        onLine(chunk, pos, end, ++line);
        pos = nl + 1;
      }
      if (pos < chunk.length) carry = chunk.subarray(pos);
    }
  } catch (e) {
    if (e instanceof ParseError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (gz && typeof err.code === 'string' && err.code.startsWith('Z_')) {
      throw new ParseError(`corrupt or truncated gzip data (${err.message})`, { file: path, line: line + 1 });
    }
    if (gz && /unexpected end of file/i.test(err.message)) {
      throw new ParseError('gzip stream ends early (truncated .gz file)', { file: path, line: line + 1 });
    }
    throw e;
  } finally {
    raw.destroy();
    gunzip?.destroy();
  }
  if (carry !== null && carry.length > 0) {
    let end = carry.length;
    if (carry[end - 1] === 13) end--;
    onLine(carry, 0, end, ++line);
  }
  return { contentHash: own.digest('hex'), lines: line };
}

// ---------------------------------------------------------------------------------------
// Tokens and numbers, straight from bytes.

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/**
 * Splits `buf[s, e)` on blanks. Token i is `[out[2i], out[2i+1])`. Returns the token count;
 * tokens beyond the capacity of `out` are counted but not stored.
 */
export function tokenize(buf: Uint8Array, s: number, e: number, out: Int32Array): number {
  const cap = out.length >> 1;
  let n = 0;
  let i = s;
  while (i < e) {
    while (i < e && isSpace(buf[i])) i++;
    if (i >= e) break;
    const t = i;
    while (i < e && !isSpace(buf[i])) i++;
    if (n < cap) {
      out[2 * n] = t;
      out[2 * n + 1] = i;
    }
    n++;
  }
  return n;
}

/** True when `buf[s, e)` holds only blanks. */
export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isSpace(buf[i])) return false;
  return true;
}

const POW10 = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22];

function slowNumber(b: Uint8Array, s: number, e: number): number {
  return Number(Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1'));
}

/**
 * Parses a decimal float from `b[s, e)`; NaN when the token is not a number.
 * Fast path (Clinger): ≤ 15 significant digits and |exponent| ≤ 22 give a correctly rounded
 * result with one multiply/divide of exact doubles; anything else falls back to `Number()`,
 * so results are always identical to `Number(token)` for valid decimal input.
 * Non-finite spellings (`NaN`, `Infinity`) come back as such, for the caller to reject.
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e) return NaN;
  let neg = false;
  let c = b[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0;
  let nd = 0;
  let digits = 0;
  let exp10 = 0;
  while (i < e) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) break;
    if (mant !== 0 || d !== 0) {
      mant = mant * 10 + d;
      nd++;
    }
    digits++;
    i++;
  }
  if (i < e && b[i] === 46) {
    i++;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (mant !== 0 || d !== 0) {
        mant = mant * 10 + d;
        nd++;
      }
      exp10--;
      digits++;
      i++;
    }
  }
  if (digits === 0) return slowNumber(b, s, e);
  if (i < e && (b[i] === 101 || b[i] === 69)) {
    i++;
    let eneg = false;
    if (i < e && (b[i] === 45 || b[i] === 43)) {
      eneg = b[i] === 45;
      i++;
    }
    let ev = 0;
    let ed = 0;
    while (i < e) {
      const d = b[i] - 48;
      if (d < 0 || d > 9) break;
      if (ev < 100000) ev = ev * 10 + d;
      ed++;
      i++;
    }
    if (ed === 0) return NaN;
    exp10 += eneg ? -ev : ev;
  }
  if (i !== e) return NaN;
  if (nd > 15) return slowNumber(b, s, e);
  let v: number;
  if (mant === 0) v = 0;
  else if (exp10 === 0) v = mant;
  else if (exp10 > 0 && exp10 <= 22) v = mant * POW10[exp10];
  else if (exp10 < 0 && exp10 >= -22) v = mant / POW10[-exp10];
  else return slowNumber(b, s, e);
  return neg ? -v : v;
}

/** Parses a plain decimal integer (optional sign); NaN when not an integer. */
export function parseIntBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e) return NaN;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  if (i >= e) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}

/** Latin-1 text of `b[s, e)` (one string; use for headers and messages, not per number). */
export function text(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/** True when `b[s, e)` equals the ASCII bytes `ascii`. */
export function bytesEqual(b: Uint8Array, s: number, e: number, ascii: Uint8Array): boolean {
  if (e - s !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (b[s + i] !== ascii[i]) return false;
  return true;
}

/** Shortened line text for error messages. */
export function excerpt(b: Uint8Array, s: number, e: number, max = 60): string {
  const t = text(b, s, Math.min(e, s + max + 1));
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** Growable Float64Array (doubling), for readers that do not know the frame count up front. */
export class GrowableF64 {
  data: Float64Array;
  length = 0;
  constructor(initial: number) {
    this.data = new Float64Array(Math.max(16, initial));
  }
  /** Makes room for `n` more values and returns the offset where they start. */
  reserve(n: number): number {
    const need = this.length + n;
    if (need > this.data.length) {
      let cap = this.data.length * 2;
      while (cap < need) cap *= 2;
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

/** Lattice as a single array when all frames are equal (to the printed digits), else per frame. */
export function packLattice(lat: Float64Array, nFrames: number): { lattice: Float64Array; variableCell: boolean } {
  for (let f = 1; f < nFrames; f++) {
    for (let k = 0; k < 9; k++) {
      if (lat[f * 9 + k] !== lat[k]) return { lattice: lat.slice(0, nFrames * 9), variableCell: true };
    }
  }
  return { lattice: lat.slice(0, 9), variableCell: false };
}
