/**
 * Format registry: picks a reader from the file name and, failing that, from the first bytes
 * of the (gunzipped) content. Adding a format = one entry in FORMATS.
 */
import { basename } from 'node:path';
import type { Hash } from 'node:crypto';
import type { Trajectory } from '../trajectory/types.js';
import type { MobileFramesRequest } from '../trajectory/mobile-frames.js';
import { FormatError } from './errors.js';
import type { Prefetch } from './byte-source.js';
import { readHead } from './line-scanner.js';
import { readXdatcar } from './xdatcar.js';
import { readVasprun, sniffVasprun } from './vasprun.js';
import { readExtxyz, sniffExtxyz } from './extxyz.js';
import { readLammpsDump, sniffLammpsDump } from './lammps.js';
import { readXtc, sniffXtc } from './xtc.js';
import { readTrr, sniffTrr } from './trr.js';
import { readOutcarPositions, sniffOutcar } from './outcar.js';
import { readCp2kPos, sniffCp2kPos } from './cp2k.js';
import { readAseTraj, sniffAseTraj } from './ase-traj.js';

export interface ReaderOptions {
  /** Element names for files that do not carry them (VASP 4 XDATCAR; LAMMPS type order). */
  elements?: readonly string[];
  /** Called when names are needed and `elements` is absent (e.g. POTCAR/OUTCAR beside the file). */
  resolveElements?: () => Promise<string[] | null>;
  /** Receives the raw bytes of the file, when the reader supports it (`hashesInput`). */
  hash?: Hash;
  /** The file read ahead in the background (`prefetchGzip`), for readers that take it (`prefetches`). */
  prefetch?: Prefetch;
  /** Default true: a cut-off last frame is dropped with a warning; false (strict) makes it an error. */
  allowTruncated?: boolean;
  /** Keep only what the analysis uses of a long run (XDATCAR only; other readers keep all frames). */
  mobileFrames?: MobileFramesRequest;
}

export interface FormatEntry {
  /** Name stored in `metadata.format` and shown by `inspect`. */
  name: string;
  /** True when the file name says this format (compression suffix already removed). */
  matchName(name: string): boolean;
  /** True when the first few KB of (decompressed) text look like this format. */
  sniff(head: string): boolean;
  read(path: string, opts: ReaderOptions): Promise<Trajectory>;
  /** The reader feeds `opts.hash` with the raw bytes (saves a second read for content hashes). */
  hashesInput?: boolean;
  /** The reader uses `opts.prefetch`. */
  prefetches?: boolean;
}

/** VASP 5 XDATCAR / POSCAR-like head: scale line, then three rows of three numbers. */
function sniffXdatcar(head: string): boolean {
  const lines = head.split('\n', 9);
  if (lines.length < 8) return false;
  const nums = (s: string) => s.trim().split(/\s+/).filter((t) => t !== '' && Number.isFinite(Number(t))).length;
  const rows = [2, 3, 4].every((i) => nums(lines[i]) === 3 && lines[i].trim().split(/\s+/).length === 3);
  return rows && [1, 3].includes(nums(lines[1])) && lines.slice(5, 9).some((l) => /^\s*(direct|cartesian|konfig)/i.test(l));
}

export const FORMATS: FormatEntry[] = [
  { name: 'xdatcar', matchName: (n) => /XDATCAR/i.test(n), sniff: sniffXdatcar, read: (p, o) => readXdatcar(p, o), hashesInput: true, prefetches: true },
  { name: 'vasprun', matchName: (n) => /^vasprun.*\.xml$/i.test(n), sniff: sniffVasprun, read: (p, o) => readVasprun(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  // Before extxyz, whose name pattern also matches *.xyz.
  { name: 'cp2k-pos', matchName: (n) => /-pos-\d+\.xyz$/i.test(n), sniff: sniffCp2kPos, read: (p, o) => readCp2kPos(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  { name: 'extxyz', matchName: (n) => /\.(ext)?xyz$/i.test(n), sniff: sniffExtxyz, read: (p, o) => readExtxyz(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  {
    name: 'lammps-dump',
    matchName: (n) => /\.(lammpstrj|dump)$|^dump[._]/i.test(n),
    sniff: sniffLammpsDump,
    // Types 1, 2, … map to `elements` (sidecar "elements" or --elements) when the dump has no element column.
    read: (p, o) => readLammpsDump(p, { elements: o.elements, hash: o.hash, allowTruncated: o.allowTruncated }),
    hashesInput: true,
  },
  // Binary GROMACS trajectories; atom names come from the .gro beside them (gromacs.ts).
  { name: 'xtc', matchName: (n) => /\.xtc$/i.test(n), sniff: sniffXtc, read: (p, o) => readXtc(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  // OUTCAR positions; discovery skips an OUTCAR beside another trajectory file (it is metadata there).
  { name: 'outcar', matchName: (n) => /OUTCAR/i.test(n), sniff: sniffOutcar, read: (p, o) => readOutcarPositions(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  { name: 'trr', matchName: (n) => /\.trr$/i.test(n), sniff: sniffTrr, read: (p, o) => readTrr(p, { hash: o.hash, allowTruncated: o.allowTruncated }), hashesInput: true },
  { name: 'ase-traj', matchName: (n) => /\.traj$/i.test(n), sniff: sniffAseTraj, read: (p, o) => readAseTraj(p, { hash: o.hash }), hashesInput: true },
];

/** Base name without a compression suffix. */
function plainName(path: string): string {
  return basename(path).replace(/\.(gz|gzip)$/i, '');
}

/** The format whose name pattern matches `path`, or null (no I/O). */
export function formatByName(path: string): FormatEntry | null {
  const n = plainName(path);
  return FORMATS.find((f) => f.matchName(n)) ?? null;
}

/** Picks the reader: by name, else by content. Throws FormatError naming the file. */
export async function detectFormat(path: string): Promise<FormatEntry> {
  const byName = formatByName(path);
  if (byName) return byName;
  const head = await readHead(path, 8192);
  const byContent = FORMATS.find((f) => f.sniff(head));
  if (byContent) return byContent;
  throw new FormatError(
    `unrecognised trajectory format; expected one of ${FORMATS.map((f) => f.name).join(', ')} (by file name, e.g. XDATCAR, vasprun.xml, *.extxyz, *.lammpstrj, *.xtc, *.trr, OUTCAR, *-pos-1.xyz, *.traj, or by content)`,
    { file: path },
  );
}

/** Reads any supported file. */
export async function readTrajectoryFile(path: string, opts: ReaderOptions = {}): Promise<Trajectory> {
  return (await detectFormat(path)).read(path, opts);
}
