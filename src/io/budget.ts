/**
 * The readers' resource budget: how much memory a file may make them allocate, and how many
 * atoms a file of a given size can hold at all. Header counts are checked here before any
 * allocation, so that a count of 999999999 is a located error, never gigabytes of RAM or
 * "Invalid typed array length". The budget is read from IONSIFT_MAX_MEMORY (set by
 * `--max-memory`), so that worker threads share it.
 */
import { totalmem } from 'node:os';
import { ResourceError, type ErrorLocation } from './errors.js';

const GIB = 1024 ** 3;

/** Default memory budget of one reader: 8 GiB, or half the machine's memory if that is less. */
export function defaultMaxMemoryBytes(): number {
  return Math.min(8 * GIB, Math.floor(totalmem() / 2));
}

const UNITS: Record<string, number> = { '': 1, b: 1, k: 1024, m: 1024 ** 2, g: GIB, t: 1024 ** 4 };

/** "4G", "512M", "1.5GiB", "2000000000" → bytes (binary units); NaN when not a size. */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?(?:e\d+)?)\s*([kmgt]?)(?:i?b)?\s*$/i.exec(text);
  if (!m) return NaN;
  const v = Number(m[1]) * UNITS[m[2].toLowerCase()];
  return v > 0 && Number.isFinite(v) ? Math.floor(v) : NaN;
}

/** Environment variable holding the budget (what `--max-memory` sets). */
export const MAX_MEMORY_ENV = 'IONSIFT_MAX_MEMORY';

/** The memory budget in bytes (IONSIFT_MAX_MEMORY, else the default). */
export function maxMemoryBytes(): number {
  const env = process.env[MAX_MEMORY_ENV];
  if (env !== undefined && env !== '') {
    const v = parseByteSize(env);
    if (Number.isFinite(v)) return v;
  }
  return defaultMaxMemoryBytes();
}

/** Sets the budget for this process and its worker threads (the `--max-memory` flag); throws on a bad size. */
export function setMaxMemory(text: string): void {
  if (!Number.isFinite(parseByteSize(text))) throw new Error(`--max-memory expects a size such as 4G, 512M or a number of bytes, got "${text}"`);
  process.env[MAX_MEMORY_ENV] = text;
}

/** DEFLATE cannot expand data more than 1032:1: the most text a gzip file of a given size holds. */
export const MAX_GZIP_RATIO = 1032;

/** What is known of a file's size before reading it. */
export interface SizeBound {
  fileSize: number;
  gzip: boolean;
}

/** Most bytes of text the file can hold. */
export function textBound(s: SizeBound): number {
  return s.gzip ? s.fileSize * MAX_GZIP_RATIO : s.fileSize;
}

export function gib(bytes: number): string {
  return bytes >= GIB / 10 ? `${(bytes / GIB).toFixed(1)} GiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

/**
 * Checks a header's atom count before anything is allocated for it: it must be a safe integer,
 * the file must be large enough to hold one frame of it (each atom needs a line of at least
 * `minLineBytes`), and one frame (3 doubles per atom, plus `extraBytesPerAtom`) must fit the
 * memory budget.
 */
export function checkAtomCount(n: number, loc: ErrorLocation, size: SizeBound | null, what = 'atom count', minLineBytes = 6, extraBytesPerAtom = 16): void {
  if (!Number.isSafeInteger(n) || n <= 0) throw new ResourceError(`${what} ${n} is not a usable positive integer`, loc);
  if (size !== null) {
    const bound = textBound(size);
    if (n * minLineBytes > bound) {
      throw new ResourceError(
        `${what} ${n} cannot be right: one frame needs at least ${n * minLineBytes} bytes of text (a line per atom), ` +
          `but the file${size.gzip ? ` (gzip, ${size.fileSize} bytes, at most ${MAX_GZIP_RATIO}× that uncompressed)` : ` is ${size.fileSize} bytes`}; corrupt header?`,
        loc,
      );
    }
  }
  checkMemory(n * (24 + extraBytesPerAtom), loc, `one frame of ${n} atoms`);
}

/** Throws a located ResourceError when `bytes` exceeds the memory budget. */
export function checkMemory(bytes: number, loc: ErrorLocation, what: string): void {
  const max = maxMemoryBytes();
  if (!(bytes <= max)) {
    throw new ResourceError(`${what} would need ${gib(bytes)}, more than the memory budget of ${gib(max)} (raise it with --max-memory or ${MAX_MEMORY_ENV})`, loc);
  }
}

/** Initial capacity in values of a frame buffer: up to `frames` frames, but at most 64 MiB (it grows). */
export function initialValues(valuesPerFrame: number, frames = 64): number {
  const cap = Math.max(1, Math.floor((64 << 20) / 8 / Math.max(1, valuesPerFrame)));
  return valuesPerFrame * Math.max(1, Math.min(frames, cap));
}
