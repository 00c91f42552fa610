/**
 * Streaming, byte-level line and number scanner for text trajectory files (plain or gzip).
 *
 * Why not `readline`/`split('\n')`/`parseFloat`: those allocate a string per line and per
 * number, which dominates parse time for 100 MB+ files. Here chunks from an fs stream (or
 * node:zlib's streaming gunzip) are appended to one reusable buffer; readers consume whole
 * lines in place and parse numbers straight from the bytes. Only the unfinished tail of a
 * chunk is carried over, so memory stays at one chunk plus the caller's typed arrays.
 *
 * The one scanner of all text readers: XDATCAR and INCAR pull lines from a `LineScanner`;
 * vasprun, extxyz and LAMMPS dump get them pushed through `scanLines` and take them apart with
 * the byte-level token helpers at the end of this module.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, readFile, stat, type FileHandle } from 'node:fs/promises';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { ParseError } from './errors.js';

const RAW_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;
/** A "line" longer than this is not text we can read (binary data, or no newlines at all). */
const MAX_LINE = 1 << 22;

/** Exact powers of ten: m·10^±k with m < 2^53 and k ≤ 22 rounds once, so it is exact-rounded. */
const P10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Position just after the last number scanned by `scanNumber` (module state keeps the hot path allocation-free). */
let NEXT = 0;

/**
 * Parses one plain decimal number (`-12.5`, `.5`, `3`, `1.2E-05`, Fortran `1.2D-05`) starting at
 * `p`; the token must end at whitespace or `lim`. Returns NaN when the bytes are not such a number
 * (so NaN/Inf/garbage tokens are all rejected: no valid token ever yields NaN or ±Infinity).
 */
export function scanNumber(b: Uint8Array, p: number, lim: number): number {
  const start = p;
  let c = p < lim ? b[p] : 0;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = ++p < lim ? b[p] : 0;
  }
  let m = 0;
  let nd = 0; // significant digits accumulated into m
  let digits = 0; // all digits seen (mantissa)
  let e10 = 0;
  while (c >= 48 && c <= 57) {
    if (m !== 0 || c !== 48) { m = m * 10 + (c - 48); nd++; }
    digits++;
    c = ++p < lim ? b[p] : 0;
  }
  if (c === 46) {
    c = ++p < lim ? b[p] : 0;
    while (c >= 48 && c <= 57) {
      if (m !== 0 || c !== 48) { m = m * 10 + (c - 48); nd++; }
      e10--;
      digits++;
      c = ++p < lim ? b[p] : 0;
    }
  }
  if (digits === 0) { NEXT = p; return NaN; }
  if (c === 101 || c === 69 || c === 100 || c === 68) {
    c = ++p < lim ? b[p] : 0;
    let eneg = false;
    if (c === 45 || c === 43) { eneg = c === 45; c = ++p < lim ? b[p] : 0; }
    let ev = 0, ed = 0;
    while (c >= 48 && c <= 57) {
      if (ev < 100000) ev = ev * 10 + (c - 48);
      ed++;
      c = ++p < lim ? b[p] : 0;
    }
    if (ed === 0) { NEXT = p; return NaN; }
    e10 += eneg ? -ev : ev;
  }
  // The token must end here: "0.5abc", "1.2.3", "1-2" are garbage, not numbers.
  if (p < lim && c > 32) { NEXT = p; return NaN; }
  NEXT = p;
  let v: number;
  if (nd <= 15 && e10 >= -22 && e10 <= 22) {
    v = e10 === 0 ? m : e10 < 0 ? m / P10[-e10] : m * P10[e10];
  } else {
    // Rare: long mantissa or large exponent. The token is already validated, so Number() only
    // has to round it correctly (after mapping the Fortran D exponent).
    let s = '';
    for (let i = start; i < p; i++) s += String.fromCharCode(b[i] === 100 || b[i] === 68 ? 101 : b[i]);
    v = Math.abs(Number(s));
    if (!Number.isFinite(v)) return NaN;
  }
  return neg ? -v : v;
}

/** Position after the last `scanNumber` call (for callers outside this module). */
export function scanEnd(): number {
  return NEXT;
}

/** What the scanner feeds raw file bytes into (a node:crypto `Hash`, or a tee of several). */
export interface HashSink {
  update(data: Buffer): unknown;
}

export interface OpenOptions {
  /** Updated with the raw (still compressed) bytes of the file, in order. */
  hash?: HashSink;
  /** Read size in bytes (tests use tiny chunks to exercise lines split across chunks). */
  chunkSize?: number;
  /** Output block size of the gunzip stream (default: `chunkSize`, at most 256 KiB). */
  gunzipChunkSize?: number;
  /** Longest line accepted, in bytes (default 4 MiB: longer means binary data, a ParseError). */
  maxLine?: number;
  /**
   * A background read of this file (`prefetchGzip`): used when it succeeded, else the file is
   * streamed as usual (so errors and their line numbers are the streaming ones).
   */
  prefetch?: Prefetch;
  /**
   * Turns a failure of the byte source (read error, corrupt gzip) into the error to throw;
   * `line` is the line the scanner stands at. Default: a ParseError for gzip data, else as is.
   */
  streamError?: (err: unknown, file: string, gzip: boolean, line: number) => Error;
}

/**
 * Uncompressed size from the gzip trailer (ISIZE, size mod 2^32 of the last member): a hint
 * for pre-sizing arrays, never trusted for parsing. Falls back to 4× the compressed size.
 */
async function gzipSizeHint(fh: FileHandle, size: number): Promise<number> {
  if (size < 18) return 0;
  const b = Buffer.alloc(4);
  await fh.read(b, 0, 4, size - 4);
  const isize = b.readUInt32LE(0);
  return isize >= size ? isize : size * 4;
}

/** Up to `n` bytes of the (decompressed) start of a file, as latin1 text — for format sniffing. */
export async function readHead(path: string, n = 4096): Promise<string> {
  const sc = await LineScanner.open(path);
  try {
    let text = '';
    while (text.length < n && (await sc.fill())) {
      text += sc.buf.toString('latin1', sc.pos, Math.min(sc.end, sc.pos + n - text.length));
      sc.pos = sc.end;
    }
    return text;
  } catch {
    return '';
  } finally {
    sc.close();
  }
}

/** Largest gzip file (compressed, and uncompressed) that `prefetchGzip` reads whole. */
const WHOLE_GZIP_MAX = 64 << 20;

const gunzipAsync = promisify(gunzip);

/** A gzip file read and decompressed whole, in the background. */
export interface Prefetch {
  readonly path: string;
  /** Raw and decompressed bytes, or null when the file is to be streamed instead. */
  readonly result: Promise<{ raw: Buffer; text: Buffer } | null>;
}

/**
 * Starts reading and gunzipping a gzip file of at most 64 MiB (either way) in the background:
 * node's zlib runs one-shot gunzips in the libuv thread pool, so the files of a multi-file run
 * decompress in parallel with each other and with the parsing of the previous file, and the
 * parser then scans one buffer. Anything else — not gzip, larger, unreadable, corrupt — gives
 * null, and `LineScanner.open` streams the file as usual (same bytes, same errors).
 */
export function prefetchGzip(path: string): Prefetch {
  const result = (async () => {
    try {
      if ((await stat(path)).size > WHOLE_GZIP_MAX) return null;
      const raw = await readFile(path);
      if (raw.length < 18 || raw[0] !== 0x1f || raw[1] !== 0x8b) return null;
      // Output blocks as large as the text (ISIZE trailer, capped): one thread-pool job and one
      // callback instead of one per default 16 KiB block.
      const isize = raw.readUInt32LE(raw.length - 4);
      const chunkSize = Math.min(Math.max(isize, 1 << 16), 8 << 20);
      const text = await gunzipAsync(raw, { maxOutputLength: WHOLE_GZIP_MAX, chunkSize });
      return { raw, text };
    } catch {
      return null;
    }
  })();
  return { path, result };
}

/** Streams the raw bytes of files into `hash` (used when a reader does not hash its input). */
export async function hashFile(path: string, hash: HashSink): Promise<void> {
  for await (const chunk of createReadStream(path, { highWaterMark: RAW_CHUNK })) hash.update(chunk as Buffer);
}

/** New bytes `buf[start, start + n)`; `buf[0, start)` is free room for the carried-over line. */
interface Block {
  buf: Buffer;
  start: number;
  n: number;
}

/** Where bytes come from, block by block (null = end of data). */
interface ByteSource {
  next(): Promise<Block | null>;
  close(): void;
}

/** Room before each block for the unfinished line of the previous one (longer lines are joined by copying). */
const HEAD = 1 << 14;
/** Blocks in rotation: the scanner holds one, the source returns the next and prefetches a third. */
const RING = 3;

/**
 * Plain file: reads straight into a ring of buffers, one read ahead, so the kernel copy of the
 * next block overlaps with parsing the current one (like fs streams do) without a per-chunk
 * allocation or an extra copy.
 */
class FileSource implements ByteSource {
  private readonly bufs: Buffer[];
  private k = 0;
  private filePos = 0;
  private pending: Promise<Block | null>;
  constructor(private readonly fh: FileHandle, private readonly chunk: number, private readonly hash?: HashSink) {
    this.bufs = Array.from({ length: RING }, () => Buffer.allocUnsafe(HEAD + chunk));
    this.pending = this.readInto(0);
  }
  private readInto(k: number): Promise<Block | null> {
    const buf = this.bufs[k];
    const p = this.fh.read(buf, HEAD, this.chunk, this.filePos).then(({ bytesRead }) => {
      this.filePos += bytesRead;
      if (bytesRead === 0) return null;
      this.hash?.update(buf.subarray(HEAD, HEAD + bytesRead));
      return { buf, start: HEAD, n: bytesRead };
    });
    p.catch(() => { /* surfaced by next(); avoids an unhandled rejection after close() */ });
    return p;
  }
  async next(): Promise<Block | null> {
    const b = await this.pending;
    if (b === null) return null;
    this.k = (this.k + 1) % RING;
    this.pending = this.readInto(this.k);
    return b;
  }
  close(): void {
    this.fh.close().catch(() => { /* already closed */ });
  }
}

/** A whole text already in memory (a prefetched gzip file): one block. */
class MemorySource implements ByteSource {
  private done = false;
  constructor(private readonly text: Buffer) {}
  async next(): Promise<Block | null> {
    if (this.done) return null;
    this.done = true;
    return { buf: this.text, start: 0, n: this.text.length };
  }
  close(): void {
    /* nothing to release */
  }
}

/** Gzip: node:zlib streaming gunzip; its output chunks are copied into a ring of buffers. */
class GunzipSource implements ByteSource {
  private readonly it: AsyncIterator<Buffer>;
  private readonly bufs: (Buffer | null)[] = Array.from({ length: RING }, () => null);
  private k = 0;
  constructor(private readonly streams: Readable[]) {
    this.it = (streams[streams.length - 1] as AsyncIterable<Buffer>)[Symbol.asyncIterator]();
  }
  async next(): Promise<Block | null> {
    const r = await this.it.next();
    if (r.done) return null;
    const c = r.value;
    this.k = (this.k + 1) % RING;
    let buf = this.bufs[this.k];
    if (!buf || buf.length < HEAD + c.length) buf = this.bufs[this.k] = Buffer.allocUnsafe(HEAD + c.length);
    c.copy(buf, HEAD);
    return { buf, start: HEAD, n: c.length };
  }
  close(): void {
    for (const s of this.streams) s.destroy();
  }
}

/**
 * Line-oriented view of a (possibly gzipped) text file. `buf[pos, end)` always holds complete
 * lines, each ending in '\n' (one is added to a last line without it); `fill()` fetches more.
 * `line` is the 1-based number of the line starting at `pos`.
 */
export class LineScanner {
  readonly file: string;
  readonly gzip: boolean;
  /** Size of the file on disk (compressed size for gzip). */
  readonly fileSize: number;
  /** Expected size of the text (plain: the file size; gzip: the ISIZE trailer), for pre-sizing only. */
  readonly textSizeHint: number;
  buf: Buffer;
  pos = 0;
  end = 0;
  len = 0;
  line = 1;
  eof = false;
  /** Text offset (decompressed) of buf[0]. */
  offset = 0;
  /** Text bytes received from the source so far. */
  private delivered = 0;
  private readonly src: ByteSource;
  private readonly maxLine: number;
  private readonly mapStreamError: OpenOptions['streamError'];

  private constructor(file: string, gzip: boolean, size: number, textSize: number, src: ByteSource, opts: OpenOptions) {
    this.file = file;
    this.gzip = gzip;
    this.fileSize = size;
    this.textSizeHint = textSize;
    this.src = src;
    this.maxLine = opts.maxLine ?? MAX_LINE;
    this.mapStreamError = opts.streamError;
    this.buf = Buffer.alloc(0);
  }

  static async open(path: string, opts: OpenOptions = {}): Promise<LineScanner> {
    if (opts.prefetch && opts.prefetch.path === path) {
      const whole = await opts.prefetch.result;
      if (whole) {
        opts.hash?.update(whole.raw);
        return new LineScanner(path, true, whole.raw.length, whole.text.length, new MemorySource(whole.text), opts);
      }
    }
    // One open for sniffing, sizing and (plain files) reading; a missing file fails here.
    const fh = await open(path, 'r');
    let gz: boolean, size: number, hint: number;
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await fh.read(magic, 0, 2, 0);
      gz = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
      size = (await fh.stat()).size;
      hint = gz ? await gzipSizeHint(fh, size) : size;
    } catch (err) {
      await fh.close();
      throw err;
    }
    const chunk = opts.chunkSize ?? RAW_CHUNK;
    if (!gz) return new LineScanner(path, false, size, size, new FileSource(fh, chunk, opts.hash), opts);
    await fh.close();
    const raw = createReadStream(path, { highWaterMark: RAW_CHUNK });
    const { hash } = opts;
    if (hash) raw.on('data', (c) => hash.update(c as Buffer));
    const gunzip = createGunzip({ chunkSize: opts.gunzipChunkSize ?? Math.max(64, Math.min(chunk, GUNZIP_CHUNK)) });
    pipeline(raw, gunzip, () => { /* errors surface through the iterator */ });
    return new LineScanner(path, true, size, hint, new GunzipSource([raw, gunzip]), opts);
  }

  /** Releases the file (call in `finally`; safe to call twice). */
  close(): void {
    this.src.close();
  }

  /** Byte offset (in the decompressed text) of `pos`. */
  get bytePos(): number {
    return this.offset + this.pos;
  }

  /** Makes at least one complete line available at `pos`; false at end of file. */
  async fill(): Promise<boolean> {
    if (this.pos < this.end) return true;
    for (;;) {
      if (this.eof) {
        // A last line without '\n' gets one, so that every buffered line ends in '\n' and the
        // hot loops can scan without bounds checks.
        if (this.len > this.pos && this.buf[this.len - 1] !== 10) {
          if (this.len === this.buf.length) this.grow(this.len + 1);
          this.buf[this.len++] = 10;
        }
        this.end = this.len;
        return this.pos < this.len;
      }
      const tail = this.len - this.pos; // the unfinished line, carried into the next block
      if (tail > this.maxLine) {
        throw new ParseError(`line is longer than ${this.maxLine} bytes without a newline; expected a text file (is this binary data?)`, { file: this.file, line: this.line });
      }
      let blk: Block | null;
      try {
        blk = await this.src.next();
      } catch (err) {
        throw this.streamError(err);
      }
      if (blk === null) { this.eof = true; continue; }
      const at = this.delivered; // text offset of the block's first byte
      this.delivered += blk.n;
      if (tail <= blk.start) {
        this.buf.copy(blk.buf, blk.start - tail, this.pos, this.len);
        this.buf = blk.buf;
        this.pos = blk.start - tail;
        this.len = blk.start + blk.n;
      } else {
        const nb = Buffer.allocUnsafe(tail + blk.n + 1);
        this.buf.copy(nb, 0, this.pos, this.len);
        blk.buf.copy(nb, tail, blk.start, blk.start + blk.n);
        this.buf = nb;
        this.pos = 0;
        this.len = tail + blk.n;
      }
      this.offset = at - (this.len - blk.n);
      const nl = this.buf.lastIndexOf(10, this.len - 1);
      if (nl >= this.len - blk.n) {
        this.end = nl + 1;
        return true;
      }
      this.end = this.pos;
    }
  }

  private grow(min: number): void {
    const nb = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
  }

  private streamError(err: unknown): Error {
    if (this.mapStreamError) return this.mapStreamError(err, this.file, this.gzip, this.line);
    const msg = err instanceof Error ? err.message : String(err);
    if (this.gzip && !(err instanceof ParseError) && !/ENOENT|EACCES|EISDIR/.test(msg)) {
      return new ParseError(`gzip data is corrupt or truncated (${msg}); expected a complete gzip stream`, { file: this.file, line: this.line });
    }
    return err instanceof Error ? err : new Error(msg);
  }

  /** Index of the '\n' ending the line at `pos` (or `end` for a last line without one). */
  lineEnd(): number {
    const i = this.buf.indexOf(10, this.pos);
    return i < 0 || i >= this.end ? this.end : i;
  }

  /** Text of the next line (without '\r\n'), advancing past it; null at end of file. */
  async nextLine(): Promise<string | null> {
    if (!(await this.fill())) return null;
    const e = this.lineEnd();
    let te = e;
    if (te > this.pos && this.buf[te - 1] === 13) te--;
    const s = this.buf.toString('utf8', this.pos, te);
    this.pos = e < this.end ? e + 1 : e;
    this.line++;
    return s;
  }

  /** Text of the next line without consuming it (null at end of file). */
  async peekLine(maxBytes = 256): Promise<string | null> {
    if (!(await this.fill())) return null;
    let e = this.lineEnd();
    if (e - this.pos > maxBytes) e = this.pos + maxBytes;
    if (e > this.pos && this.buf[e - 1] === 13) e--;
    return this.buf.toString('utf8', this.pos, e);
  }

  /** Skips the current line. */
  skipLine(): void {
    const e = this.lineEnd();
    this.pos = e < this.end ? e + 1 : e;
    this.line++;
  }

  /** Skips lines holding only whitespace; false at end of file. */
  async skipBlankLines(): Promise<boolean> {
    for (;;) {
      if (!(await this.fill())) return false;
      const b = this.buf;
      let p = this.pos;
      while (p < this.end && (b[p] === 32 || b[p] === 9 || b[p] === 13)) p++;
      if (p < this.end && b[p] !== 10) return true;
      this.pos = p < this.end ? p + 1 : p;
      this.line++;
    }
  }

  /**
   * Parses the numbers of the current line into `out[off…]` (at most `max`), advancing past it.
   * Returns how many were read, or -1 (without advancing) when the line holds a token that is
   * not a plain number, or more than `max` numbers. Call `fill()` first.
   */
  numbersOnLine(out: Float64Array, off: number, max: number): number {
    const b = this.buf, lim = this.end;
    let p = this.pos, n = 0;
    for (;;) {
      let c = b[p];
      while (p < lim && (c === 32 || c === 9 || c === 13)) c = b[++p];
      if (p >= lim || c === 10) break;
      if (n === max) return -1;
      const v = scanNumber(b, p, lim);
      if (v !== v) return -1;
      out[off + n++] = v;
      p = NEXT;
    }
    this.pos = p < lim ? p + 1 : p;
    this.line++;
    return n;
  }

  /**
   * Hot path: parses up to `n - k` lines of exactly three numbers into `out` (three per line,
   * line j at `off + 3j`) from the lines already in the buffer. Returns the new `k`; stops early
   * at the end of the buffered lines (call `fill()`) or at a line that is not three numbers
   * (then `pos` stays at that line and `peekLine()` shows it).
   * Plain decimals with ≤ 15 digits are parsed inline (m / 10^k, exact-rounded); anything else
   * (exponents, long mantissas, garbage) goes through `scanNumber`.
   */
  triples(n: number, k: number, out: Float64Array, off: number): number {
    const b = this.buf, lim = this.end;
    let p = this.pos, line = this.line;
    let o = off + 3 * k;
    // Every buffered line ends in '\n' (see fill), so scanning stops at it without bounds checks.
    while (k < n && p < lim) {
      const ls = p;
      let ok = true;
      for (let j = 0; j < 3; j++) {
        let c = b[p];
        while (c === 32 || c === 9) c = b[++p];
        const s = p;
        let neg = false;
        if (c === 45) { neg = true; c = b[++p]; } else if (c === 43) c = b[++p];
        // Integer and fraction digits accumulate in int32 (short dependency chains); the value
        // (ip·10^nf + fp) / 10^nf is then exact-rounded as long as nd + nf ≤ 15 digits.
        // `(d >>> 0) < 10` is one unsigned compare for "is a digit"; the '\n' ending every
        // buffered line stops each loop.
        const is = p;
        let ip = 0, d = c - 48;
        while (d >>> 0 < 10) { ip = (ip * 10 + d) | 0; d = b[++p] - 48; }
        const nd = p - is;
        let fp = 0, nf = 0;
        if (d === -2) { // '.'
          const fs = ++p;
          d = b[p] - 48;
          while (d >>> 0 < 10) { fp = (fp * 10 + d) | 0; d = b[++p] - 48; }
          nf = p - fs;
        }
        c = d + 48;
        let v: number;
        if (nd + nf > 0 && nd <= 9 && nf <= 9 && nd + nf <= 15 && (c === 32 || c === 10 || c === 9 || c === 13)) {
          v = nf === 0 ? ip : (ip * P10[nf] + fp) / P10[nf];
          if (neg) v = -v;
        } else {
          v = scanNumber(b, s, lim);
          if (v !== v) { ok = false; break; }
          p = NEXT;
        }
        out[o + j] = v;
      }
      if (!ok) { p = ls; break; }
      let c = b[p];
      while (c === 32 || c === 9 || c === 13) c = b[++p];
      if (c !== 10) { p = ls; break; }
      p++;
      o += 3;
      k++;
      line++;
    }
    this.pos = p;
    this.line = line;
    return k;
  }
}

// ---------------------------------------------------------------------------------------
// Callback-style scanning, for readers that handle one line at a time (vasprun, extxyz, LAMMPS).

/** Called once per line with the bytes `buf[start, end)` (no `\n`, no trailing `\r`). */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

export interface ScanResult {
  /** Hex SHA-256 of the raw file bytes (compressed bytes for .gz, as stored on disk). */
  contentHash: string;
  /** Number of lines seen (1-based number of the last line). */
  lines: number;
}

/**
 * gunzip block size for `scanLines`: with 1 MiB blocks, the lines handed out before a corrupt
 * stream fails (hence the line its error names) are the same as with the readers' former scanner.
 */
const SCAN_GUNZIP_CHUNK = 1 << 20;

/** How `scanLines` reports a failed read: gzip trouble as a ParseError at the next line, anything else as is. */
function scanStreamError(err: unknown, file: string, gzip: boolean, line: number): Error {
  if (err instanceof ParseError) return err;
  const e = err as NodeJS.ErrnoException;
  if (gzip && typeof e.code === 'string' && e.code.startsWith('Z_')) {
    return new ParseError(`corrupt or truncated gzip data (${e.message})`, { file, line });
  }
  if (gzip && /unexpected end of file/i.test(e.message)) {
    return new ParseError('gzip stream ends early (truncated .gz file)', { file, line });
  }
  return err instanceof Error ? err : new Error(String(err));
}

/**
 * Streams `path` (plain or gzip) line by line into `onLine` through a `LineScanner`, and hashes
 * its raw bytes on the way; `extraHash`, when given, also receives them (lets the loader hash
 * several files in one pass). The handler runs synchronously over the buffered lines (no
 * promise per line) and must not keep `buf`, which is reused; throwing from it aborts the scan
 * and closes the file. Lines may be of any length.
 */
export async function scanLines(path: string, onLine: LineHandler, extraHash?: HashSink): Promise<ScanResult> {
  const own = createHash('sha256');
  const hash: HashSink = extraHash === undefined ? own : { update(c: Buffer) { own.update(c); extraHash.update(c); } };
  const sc = await LineScanner.open(path, { hash, gunzipChunkSize: SCAN_GUNZIP_CHUNK, maxLine: Infinity, streamError: scanStreamError });
  let line = 0;
  try {
    while (await sc.fill()) {
      // Every buffered line ends in '\n' (see LineScanner.fill).
      const b = sc.buf, end = sc.end;
      let pos = sc.pos;
      while (pos < end) {
        const nl = b.indexOf(10, pos);
        let e = nl;
        if (e > pos && b[e - 1] === 13) e--;
        onLine(b, pos, e, ++line);
        pos = nl + 1;
      }
      sc.pos = pos;
      sc.line = line + 1;
    }
  } finally {
    sc.close();
  }
  return { contentHash: own.digest('hex'), lines: line };
}

// ---------------------------------------------------------------------------------------
// Tokens and numbers of a line, straight from its bytes.

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

function slowNumber(b: Uint8Array, s: number, e: number): number {
  return Number(text(b, s, e));
}

/**
 * Parses the decimal float token `b[s, e)`; NaN when it is not a number. Unlike `scanNumber`
 * (XDATCAR), a Fortran `D` exponent is not a number here, and the whole range must be the token.
 * Fast path (Clinger): ≤ 15 significant digits and |exponent| ≤ 22 give a correctly rounded
 * result with one multiply/divide of exact doubles; anything else falls back to `Number()`,
 * so results are always identical to `Number(token)` for valid decimal input.
 * Non-finite spellings (`NaN`, `Infinity`) come back as such, for the caller to reject.
 */
export function parseFloatBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e) return NaN;
  let neg = false;
  const c = b[i];
  if (c === 45) {
    neg = true;
    i++;
  } else if (c === 43) i++;
  let mant = 0;
  let nd = 0;
  let digits = 0;
  let exp10 = 0;
  // Integer digits, then at most one '.', then fraction digits (each one lowers the exponent).
  let dot = false;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d === -2 && !dot) {
      dot = true;
      continue;
    }
    if (d < 0 || d > 9) break;
    if (mant !== 0 || d !== 0) {
      mant = mant * 10 + d;
      nd++;
    }
    if (dot) exp10--;
    digits++;
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
  else if (exp10 > 0 && exp10 <= 22) v = mant * P10[exp10];
  else if (exp10 < 0 && exp10 >= -22) v = mant / P10[-exp10];
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

/** Shortened, quoted text of `b[s, e)` for error messages (cf. `excerpt` for strings). */
export function excerptBytes(b: Uint8Array, s: number, e: number, max = 60): string {
  const t = text(b, s, Math.min(e, s + max + 1));
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** Splits a header line into whitespace-separated tokens (headers only; never for bulk numbers). */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Short, printable excerpt of a line for error messages. */
export function excerpt(s: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g, '?').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** True when text looks binary (NUL bytes or many control / replacement characters). */
export function looksBinary(s: string): boolean {
  if (s.includes('\0')) return true;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 13) || c === 0xfffd) bad++;
  }
  return s.length > 0 && bad / s.length > 0.1;
}
