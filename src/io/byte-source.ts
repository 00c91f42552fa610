/**
 * Where the text readers' bytes come from: a plain file read into a ring of buffers, a gzip
 * file through node:zlib's streaming gunzip, or a gzip file read and decompressed whole in the
 * background (`prefetchGzip`). `openSource` sniffs gzip by its magic bytes, so names never matter.
 */
import { constants, type Stats } from 'node:fs';
import { open, stat, type FileHandle } from 'node:fs/promises';
import { createGunzip, gunzip } from 'node:zlib';
import { promisify } from 'node:util';
import { pipeline } from 'node:stream';
import type { Readable } from 'node:stream';
import { ResourceError } from './errors.js';

/** What a non-regular file is, for the message refusing it. */
function kindOf(st: Stats): string {
  if (st.isDirectory()) return 'a directory';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function notRegular(path: string, st: Stats): ResourceError {
  return new ResourceError(`is ${kindOf(st)} (after following symlinks); only regular files are read — a device or pipe has no end to read to`, { file: path });
}

/**
 * Opens `path` for reading only if it is a regular file (after following symlinks): devices
 * (/dev/urandom, /dev/zero), FIFOs and sockets would be read without bound or block forever.
 * The path is checked before opening (opening a FIFO blocks until a writer comes), and the
 * open descriptor again (O_NONBLOCK, so a FIFO swapped in between cannot block either).
 */
export async function openRegular(path: string): Promise<{ fh: FileHandle; size: number }> {
  const before = await stat(path);
  if (!before.isFile()) throw notRegular(path, before);
  const fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw notRegular(path, st);
    return { fh, size: st.size };
  } catch (err) {
    await fh.close();
    throw err;
  }
}

/**
 * The bytes of a regular file of at most `maxBytes` (a ResourceError naming the file beyond
 * it): for small text files beside the trajectories (sidecars, INCAR).
 */
export async function readRegularFile(path: string, maxBytes: number, what = 'file'): Promise<Buffer> {
  const { fh, size } = await openRegular(path);
  try {
    if (size > maxBytes) throw new ResourceError(`${what} is ${size} bytes, more than the ${maxBytes} accepted`, { file: path });
    return await readExactly(fh, size);
  } finally {
    await fh.close();
  }
}

/** The first `size` bytes of an open file (fewer if it shrank); never more, whatever it grows to. */
async function readExactly(fh: FileHandle, size: number): Promise<Buffer> {
  const buf = Buffer.allocUnsafe(size);
  let got = 0;
  while (got < size) {
    const { bytesRead } = await fh.read(buf, got, size - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}

/** Read size of plain files and of the raw side of gzip streams. */
const RAW_CHUNK = 1 << 20;
const GUNZIP_CHUNK = 1 << 18;

/** What the scanner feeds raw file bytes into (a node:crypto `Hash`, or a tee of several). */
export interface HashSink {
  update(data: Buffer): unknown;
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
      // Only a regular file's size is trusted (a device reports 0); anything else is left to
      // openSource, which refuses it with a message.
      const st = await stat(path);
      if (!st.isFile() || st.size > WHOLE_GZIP_MAX) return null;
      const { fh, size } = await openRegular(path);
      let raw: Buffer;
      try {
        if (size > WHOLE_GZIP_MAX) return null;
        // A plain file is not read here (twice over, for nothing).
        const magic = Buffer.alloc(2);
        await fh.read(magic, 0, 2, 0);
        if (magic[0] !== 0x1f || magic[1] !== 0x8b) return null;
        raw = await readExactly(fh, size);
      } finally {
        await fh.close();
      }
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
  const { fh, size } = await openRegular(path);
  try {
    // Up to the size at open: a file still being written cannot make this read forever.
    if (size === 0) return;
    for await (const chunk of fh.createReadStream({ highWaterMark: RAW_CHUNK, start: 0, end: size - 1, autoClose: false })) hash.update(chunk as Buffer);
  } finally {
    await fh.close();
  }
}

/** New bytes `buf[start, start + n)`; `buf[0, start)` is free room for the carried-over line. */
export interface Block {
  buf: Buffer;
  start: number;
  n: number;
}

/** Where bytes come from, block by block (null = end of data). */
export interface ByteSource {
  next(): Promise<Block | null>;
  close(): void;
}

/** Room before each block for the unfinished line of the previous one (longer lines are joined by copying). */
export const HEAD = 1 << 14;
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
  private filePos: number;
  private pending: Promise<Block | null>;
  /** Reads `[start, end)` of the file (default: all of it). */
  constructor(private readonly fh: FileHandle, private readonly chunk: number, private readonly hash?: HashSink, start = 0, private readonly endPos = Infinity) {
    this.filePos = start;
    this.bufs = Array.from({ length: RING }, () => Buffer.allocUnsafe(HEAD + chunk));
    this.pending = this.readInto(0);
  }
  private readInto(k: number): Promise<Block | null> {
    const buf = this.bufs[k];
    const want = Math.min(this.chunk, this.endPos - this.filePos);
    if (want <= 0) return Promise.resolve(null);
    const p = this.fh.read(buf, HEAD, want, this.filePos).then(({ bytesRead }) => {
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


/** What `openSource` opened: the bytes, and what is known about the file before reading it. */
export interface OpenedSource {
  src: ByteSource;
  gzip: boolean;
  /** Size on disk (compressed size for gzip). */
  fileSize: number;
  /** Expected text size (plain: the file size; gzip: the ISIZE trailer), for pre-sizing only. */
  textSizeHint: number;
}

export interface SourceOptions {
  /** Updated with the raw (still compressed) bytes of the file, in order. */
  hash?: HashSink;
  /** Read size in bytes (tests use tiny chunks to exercise lines split across chunks). */
  chunkSize?: number;
  /** Output block size of the gunzip stream (default: `chunkSize`, at most 256 KiB). */
  gunzipChunkSize?: number;
  /** A background read of this file (`prefetchGzip`): used when it succeeded, else the file is streamed. */
  prefetch?: Prefetch;
  /** Only the bytes `[start, end)` of a plain file (a parse worker's share); a gzip file is then an error. */
  range?: { start: number; end: number };
}

/** Opens `path` as a byte source: the prefetched text when there is one, else plain or streaming gunzip by magic bytes. */
export async function openSource(path: string, opts: SourceOptions = {}): Promise<OpenedSource> {
  if (opts.prefetch && opts.prefetch.path === path) {
    const whole = await opts.prefetch.result;
    if (whole) {
      opts.hash?.update(whole.raw);
      return { src: new MemorySource(whole.text), gzip: true, fileSize: whole.raw.length, textSizeHint: whole.text.length };
    }
  }
  // One open for sniffing, sizing and reading; a missing or non-regular file fails here.
  const { fh, size } = await openRegular(path);
  let gz: boolean, hint: number;
  try {
    const magic = Buffer.alloc(2);
    const { bytesRead } = await fh.read(magic, 0, 2, 0);
    gz = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
    hint = gz ? await gzipSizeHint(fh, size) : size;
  } catch (err) {
    await fh.close();
    throw err;
  }
  const chunk = opts.chunkSize ?? RAW_CHUNK;
  const { range } = opts;
  if (range) {
    if (gz) { await fh.close(); throw new ResourceError('a byte range of a gzip file cannot be read (gzip has no random access)', { file: path }); }
    return { src: new FileSource(fh, chunk, opts.hash, range.start, Math.min(range.end, size)), gzip: false, fileSize: size, textSizeHint: range.end - range.start };
  }
  if (!gz) return { src: new FileSource(fh, chunk, opts.hash), gzip: false, fileSize: size, textSizeHint: size };
  const raw = fh.createReadStream({ highWaterMark: RAW_CHUNK });
  const { hash } = opts;
  if (hash) raw.on('data', (c) => hash.update(c as Buffer));
  const gunzipStream = createGunzip({ chunkSize: opts.gunzipChunkSize ?? Math.max(64, Math.min(chunk, GUNZIP_CHUNK)) });
  pipeline(raw, gunzipStream, () => { /* errors surface through the iterator */ });
  return { src: new GunzipSource([raw, gunzipStream]), gzip: true, fileSize: size, textSizeHint: hint };
}
