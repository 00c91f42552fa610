/**
 * Callback-style scanning over the one byte scanner, for readers that handle one line at a time
 * (vasprun, extxyz, LAMMPS dump): every line is handed to a handler as bytes, no string per line.
 */
import { createHash } from 'node:crypto';
import type { HashSink } from './byte-source.js';
import { LineScanner, type CutLine } from './line-scanner.js';
import type { SizeBound } from './budget.js';

/** Called once per line with the bytes `buf[start, end)` (no `\n`, no trailing `\r`). */
export type LineHandler = (buf: Buffer, start: number, end: number, line: number) => void;

export interface ScanResult {
  /** Hex SHA-256 of the raw file bytes (compressed bytes for .gz, as stored on disk). */
  contentHash: string;
  /** Number of lines seen (1-based number of the last line). */
  lines: number;
  /** A last line without its newline: not handed to the handler (see `cutLineWarning`). */
  cut: CutLine | null;
}

/** The warning for a dropped last line (readers add it; an incomplete frame is then reported too). */
export function cutLineWarning(cut: CutLine): string {
  return `the last line (line ${cut.line}, "${cut.text.trim().slice(0, 40)}") has no newline: the file was cut while being written, so that line was ignored`;
}

/**
 * gunzip block size for `scanLines`: with 1 MiB blocks, the lines handed out before a corrupt
 * stream fails (hence the line its error names) are the same as with the readers' former scanner.
 */
const SCAN_GUNZIP_CHUNK = 1 << 20;

/** Longest line of the line-handler readers: no real line comes near it, and a gzip bomb of zeros stops there. */
const SCAN_MAX_LINE = 1 << 24;

/**
 * Streams `path` (plain or gzip) line by line into `onLine` through a `LineScanner`, and hashes
 * its raw bytes on the way; `extraHash`, when given, also receives them (lets the loader hash
 * several files in one pass). The handler runs synchronously over the buffered lines (no
 * promise per line) and must not keep `buf`, which is reused; throwing from it aborts the scan
 * and closes the file. Lines may be up to 16 MiB long. With `dropCut` (default) a last line
 * cut while being written is not handed out but returned as `cut` (LineScanner.dropUnterminated).
 */
export async function scanLines(
  path: string,
  onLine: LineHandler,
  extraHash?: HashSink,
  onOpen?: (size: SizeBound) => void,
  dropCut = true,
): Promise<ScanResult> {
  const own = createHash('sha256');
  const hash: HashSink = extraHash === undefined ? own : { update(c: Buffer) { own.update(c); extraHash.update(c); } };
  const sc = await LineScanner.open(path, { hash, gunzipChunkSize: SCAN_GUNZIP_CHUNK, maxLine: SCAN_MAX_LINE, dropUnterminated: dropCut });
  onOpen?.({ fileSize: sc.fileSize, gzip: sc.gzip });
  const lines = await drainLines(sc, onLine);
  return { contentHash: own.digest('hex'), lines, cut: sc.cut };
}

/**
 * Hands every line of an open scanner to `onLine` (synchronously over each buffer), closes the
 * scanner (also when the handler throws) and returns the number of lines seen.
 */
export async function drainLines(sc: LineScanner, onLine: LineHandler): Promise<number> {
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
  return line;
}

