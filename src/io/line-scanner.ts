/**
 * The one byte scanner of all text readers (plain or gzip): a line-oriented view of a file whose
 * bytes arrive block by block from a `ByteSource`.
 *
 * Why not `readline`/`split('\n')`/`parseFloat`: those allocate a string per line and per
 * number, which dominates parse time for 100 MB+ files. Here blocks are read into reusable
 * buffers; readers consume whole lines in place and parse numbers straight from the bytes (see
 * number.ts). Only the unfinished tail of a block is carried over, so memory stays at a few
 * blocks plus the caller's typed arrays. XDATCAR, INCAR/OUTCAR pull lines from a `LineScanner`;
 * vasprun, extxyz and LAMMPS dump get them pushed through `scanLines` (scan-lines.ts).
 */
import { ParseError } from './errors.js';
import { openSource, type Block, type ByteSource, type OpenedSource, type SourceOptions } from './byte-source.js';
import { streamError } from './gzip-error.js';
import { P10, scanEnd, scanNumber } from './number.js';

/** A "line" longer than this is not text we can read (binary data, or no newlines at all). */
const MAX_LINE = 1 << 22;

export interface OpenOptions extends SourceOptions {
  /** Longest line accepted, in bytes (default 4 MiB: longer means binary data, a ParseError). */
  maxLine?: number;
  /**
   * Drop a last line that has no '\n' and is shorter than the line before it, or has fewer
   * fields (see `cut`), instead of completing it: what a killed MD run leaves behind is a line
   * cut mid-number, which would otherwise parse as a shorter number (0.54763132 → 0). A last
   * line as long as the one before it (a complete file written without a final newline; MD
   * codes print fixed-width columns) is kept.
   */
  dropUnterminated?: boolean;
}

/** A last line without its newline, dropped by a scanner opened with `dropUnterminated`. */
export interface CutLine {
  /** 1-based line number. */
  line: number;
  /** Its start, for messages. */
  text: string;
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

/**
 * True when an unterminated last line looks whole next to the complete line before it: as many
 * fields, and at least as long (fixed-width columns; a number cut short makes the line shorter).
 */
function looksComplete(last: string, before: string | null): boolean {
  if (before === null) return false;
  const a = last.trimEnd(), b = before.trimEnd();
  const fields = (s: string): number => s.split(/[\s]+/).filter((t) => t !== '').length;
  return a.length >= b.length && fields(a) === fields(b);
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
  private readonly dropUnterminated: boolean;
  /** The last line, when it had no newline and was dropped (`dropUnterminated`). */
  cut: CutLine | null = null;
  /** Start of the last complete line seen (up to 512 bytes), to judge an unterminated last line by. */
  private lastComplete: string | null = null;

  private constructor(file: string, o: OpenedSource, opts: OpenOptions) {
    this.file = file;
    this.gzip = o.gzip;
    this.fileSize = o.fileSize;
    this.textSizeHint = o.textSizeHint;
    this.src = o.src;
    this.maxLine = opts.maxLine ?? MAX_LINE;
    this.dropUnterminated = opts.dropUnterminated ?? false;
    this.buf = Buffer.alloc(0);
  }

  static async open(path: string, opts: OpenOptions = {}): Promise<LineScanner> {
    return new LineScanner(path, await openSource(path, opts), opts);
  }

  /** Releases the file (call in `finally`; safe to call twice). */
  close(): void {
    this.src.close();
  }

  /**
   * Reads the rest of the file without scanning it, so that its bytes still reach the hash
   * (after the frames were parsed elsewhere: xdatcar-parallel.ts).
   */
  async drain(): Promise<void> {
    try {
      while ((await this.src.next()) !== null) { /* the source feeds the hash */ }
    } catch (err) {
      throw streamError(err, this.file, this.gzip, this.line);
    }
    this.pos = this.end = this.len = 0;
    this.eof = true;
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
          if (this.dropUnterminated) this.dropTail();
          else {
            if (this.len === this.buf.length) this.grow(this.len + 1);
            this.buf[this.len++] = 10;
          }
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
        throw streamError(err, this.file, this.gzip, this.line);
      }
      if (blk === null) { this.eof = true; continue; }
      let at = this.delivered; // text offset of the block's first byte
      this.delivered += blk.n;
      // A UTF-8 byte-order mark before the first line is not text of it, in every reader alike.
      if (at === 0 && blk.n >= 3 && blk.buf[blk.start] === 0xef && blk.buf[blk.start + 1] === 0xbb && blk.buf[blk.start + 2] === 0xbf) {
        blk = { buf: blk.buf, start: blk.start + 3, n: blk.n - 3 };
        at = 3;
      }
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
        if (this.dropUnterminated) {
          // `pos` is at a line start, so the last complete line starts at or after it.
          const ls = Math.max(this.pos, this.buf.lastIndexOf(10, nl - 1) + 1);
          this.lastComplete = this.buf.toString('latin1', ls, Math.min(nl, ls + 512));
        }
        return true;
      }
      this.end = this.pos;
    }
  }

  /** Removes the unterminated last line from the buffer, remembering it in `cut` (whitespace alone is not a line). */
  private dropTail(): void {
    const nl = this.buf.lastIndexOf(10, this.len - 1);
    const start = nl >= this.pos ? nl + 1 : this.pos;
    const text = this.buf.toString('latin1', start, Math.min(this.len, start + 512)).replace(/\r$/, '');
    if (text.trim() !== '' && looksComplete(text, this.lastComplete)) {
      if (this.len === this.buf.length) this.grow(this.len + 1);
      this.buf[this.len++] = 10;
      return;
    }
    if (text.trim() !== '') {
      let line = this.line;
      for (let i = this.buf.indexOf(10, this.pos); i >= 0 && i < start; i = this.buf.indexOf(10, i + 1)) line++;
      this.cut = { line, text };
    }
    this.len = start;
  }

  private grow(min: number): void {
    const nb = Buffer.allocUnsafe(Math.max(min, this.buf.length * 2));
    this.buf.copy(nb, 0, 0, this.len);
    this.buf = nb;
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
      p = scanEnd();
    }
    this.pos = p < lim ? p + 1 : p;
    this.line++;
    return n;
  }

  /** A view of `buf` for the 4-byte loads of `triples` (rebuilt when `buf` changes). */
  private view: DataView = new DataView(new ArrayBuffer(0));
  private viewOf: Buffer | null = null;

  /**
   * Hot path: parses up to `n - k` lines of exactly three numbers into `out` (three per line,
   * line j at `off + 3j`) from the lines already in the buffer. Returns the new `k`; stops early
   * at the end of the buffered lines (call `fill()`) or at a line that is not three numbers
   * (then `pos` stays at that line and `peekLine()` shows it).
   * Plain decimals with ≤ 15 digits are parsed inline (m / 10^k, exact-rounded); anything else
   * (exponents, long mantissas, garbage) goes through `scanNumber`. VASP's own layout, one
   * integer digit and eight fraction digits (`-0.12345678`, Fortran F12.8), takes a branch-free
   * route first: the eight fraction digits are checked and combined four at a time (SWAR on two
   * 32-bit loads), which makes the same integer m and so the same m / 10^8, several times
   * faster than the digit loops (BENCHMARKS.md "XDATCAR parse"; bench/triples-fastpath.ts).
   */
  triples(n: number, k: number, out: Float64Array | Float32Array, off: number): number {
    const b = this.buf, lim = this.end;
    if (this.viewOf !== b) { this.view = new DataView(b.buffer, b.byteOffset, b.byteLength); this.viewOf = b; }
    const dv = this.view;
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
        // d.dddddddd then a blank or the line end (p + 10 < lim: the loads stay in the buffer).
        if (p + 10 < lim && (c - 48) >>> 0 < 10 && b[p + 1] === 46) {
          const lo = dv.getUint32(p + 2, true), hi = dv.getUint32(p + 6, true), t = b[p + 10];
          // Each byte in '0'…'9': high nibble 3, and still 3 after adding 6 (no carry between
          // bytes: a byte ≥ 0xFA already failed the first test).
          if ((lo & 0xf0f0f0f0) === 0x30303030 && (hi & 0xf0f0f0f0) === 0x30303030
            && ((lo + 0x06060606) & 0xf0f0f0f0) === 0x30303030 && ((hi + 0x06060606) & 0xf0f0f0f0) === 0x30303030
            && (t === 32 || t === 10 || t === 9 || t === 13)) {
            // Little-endian: the first digit is the low byte. Pairs, then fours: d0d1d2d3.
            const x = (lo - 0x30303030) | 0, y = (hi - 0x30303030) | 0;
            let a = (Math.imul(x, 10) + (x >>> 8)) & 0x00ff00ff;
            a = (Math.imul(a, 100) + (a >>> 16)) & 0xffff;
            let e = (Math.imul(y, 10) + (y >>> 8)) & 0x00ff00ff;
            e = (Math.imul(e, 100) + (e >>> 16)) & 0xffff;
            // (ip·10^8 + fp) / 10^8, as in the general branch below.
            const v = ((c - 48) * 1e8 + (a * 10000 + e)) / 1e8;
            out[o + j] = neg ? -v : v;
            p += 10;
            continue;
          }
        }
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
          p = scanEnd();
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
