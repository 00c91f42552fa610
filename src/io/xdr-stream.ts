/**
 * Sequential big-endian (XDR) reading of a binary file for the GROMACS readers: the file is
 * read in blocks into one buffer that grows only to the largest single record asked for, and
 * every request is checked against the bytes the file still has before anything is allocated
 * for it, so a corrupt count fails cleanly instead of sizing memory from the header.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { HashSink } from './byte-source.js';
import { ParseError } from './errors.js';

const BLOCK = 1 << 20;

export class XdrStream {
  private buf: Buffer = Buffer.alloc(BLOCK);
  private view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  /** Next byte to hand out, and end of the valid bytes, in `buf`. */
  private p = 0;
  private end = 0;
  /** File offset of `buf[0]`. */
  private base = 0;

  private constructor(private readonly fh: FileHandle, readonly path: string, readonly size: number, private readonly hash?: HashSink) {}

  /** Opens a regular file (devices, FIFOs and folders are refused, naming the path). */
  static async open(path: string, hash?: HashSink): Promise<XdrStream> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      if (!st.isFile()) throw new ParseError('not a regular file; expected a GROMACS trajectory file', { file: path });
      return new XdrStream(fh, path, st.size, hash);
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  /** File offset of the next byte. */
  get offset(): number {
    return this.base + this.p;
  }

  /** Bytes of the file not yet handed out. */
  get remaining(): number {
    return this.size - this.offset;
  }

  /**
   * Makes the next `n` bytes available; false when the file has fewer (nothing is read then).
   * The buffer grows to `n` only after that check, so `n` is bounded by the file size.
   */
  async ensure(n: number): Promise<boolean> {
    if (this.end - this.p >= n) return true;
    if (n > this.remaining) return false;
    const keep = this.end - this.p;
    if (n > this.buf.length) {
      const nb = Buffer.alloc(Math.max(n, Math.min(this.buf.length * 2, this.size)));
      this.buf.copy(nb, 0, this.p, this.end);
      this.buf = nb;
      this.view = new DataView(nb.buffer, nb.byteOffset, nb.byteLength);
    } else if (keep > 0) {
      this.buf.copy(this.buf, 0, this.p, this.end);
    }
    this.base += this.p;
    this.p = 0;
    this.end = keep;
    while (this.end < n) {
      const { bytesRead } = await this.fh.read(this.buf, this.end, this.buf.length - this.end, this.base + this.end);
      if (bytesRead === 0) throw new ParseError(`file shrank while being read (ends at byte ${this.base + this.end}, size was ${this.size})`, { file: this.path });
      this.hash?.update(this.buf.subarray(this.end, this.end + bytesRead));
      this.end += bytesRead;
    }
    return true;
  }

  /** Reads the rest of the file into the hash (a reader that stops early still hashes every byte). */
  async drain(): Promise<void> {
    while (this.remaining > 0) {
      const n = Math.min(this.remaining, BLOCK);
      await this.ensure(n);
      this.p += n;
    }
  }

  // The getters below assume a preceding successful `ensure`.
  int(): number {
    const v = this.view.getInt32(this.p);
    this.p += 4;
    return v;
  }
  uint(): number {
    const v = this.view.getUint32(this.p);
    this.p += 4;
    return v;
  }
  float(): number {
    const v = this.view.getFloat32(this.p);
    this.p += 4;
    return v;
  }
  double(): number {
    const v = this.view.getFloat64(this.p);
    this.p += 8;
    return v;
  }
  /** Real of `bytes` 4 or 8 (TRR single or double precision). */
  real(bytes: number): number {
    return bytes === 8 ? this.double() : this.float();
  }
  /** The next `n` bytes as a view into the buffer (valid until the next `ensure`). */
  bytes(n: number): Uint8Array {
    const b = this.buf.subarray(this.p, this.p + n);
    this.p += n;
    return b;
  }
  skip(n: number): void {
    this.p += n;
  }

  close(): void {
    this.fh.close().catch(() => { /* already closed */ });
  }
}
