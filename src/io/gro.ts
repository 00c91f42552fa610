/**
 * GROMACS .gro (Gromos87) structure file, read as the topology of an XTC/TRR trajectory: the
 * element of every atom (from its atom name) and the box. Positions of the .gro are not used
 * (the trajectory has its own); only the first frame of a multi-frame .gro is read.
 *
 * Layout: title line; atom count; one fixed-column line per atom
 *   residue number (cols 1–5), residue name (6–10), atom name (11–15), atom number (16–20),
 *   x y z in nm (then optional velocities);
 * then the box line in nm: `v1x v2y v3z` or `v1x v2y v3z v1y v1z v2x v2z v3x v3y`.
 */
import { open } from 'node:fs/promises';
import { ParseError } from './errors.js';
import { elementFromAtomName } from './elements.js';
import { parseNumber } from './number.js';
import { excerpt } from './tokens.js';

export interface GroTopology {
  path: string;
  title: string;
  nAtoms: number;
  /** Element per atom, in file order. */
  elements: string[];
  /** Box rows a, b, c in Å (from nm). */
  box: Float64Array;
}

/** Shortest atom line: 20 columns of labels + three 8-column numbers, and its newline. */
const MIN_ATOM_LINE = 45;

/** Box rows (Å) from the 3 or 9 numbers of a .gro box line (nm). */
function boxOf(v: number[]): Float64Array {
  const [xx, yy, zz, xy = 0, xz = 0, yx = 0, yz = 0, zx = 0, zy = 0] = v;
  return Float64Array.from([xx, xy, xz, yx, yy, yz, zx, zy, zz], (x) => x * 10);
}

/**
 * Reads the first frame's atom names and box. The atom count is checked against the file size
 * before anything is sized from it; only the bytes of the first frame are read.
 */
export async function readGro(path: string): Promise<GroTopology> {
  const fh = await open(path, 'r');
  let text: string;
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new ParseError('not a regular file; expected a .gro structure file', { file: path });
    // Title and count lines first (a .gro line is short; 4 KiB covers both).
    const head = Buffer.alloc(Math.min(st.size, 4096));
    await fh.read(head, 0, head.length, 0);
    const hl = head.toString('latin1').split('\n');
    if (hl.length < 3) throw new ParseError('file ends before the atom lines; expected a title line and an atom count', { file: path, line: Math.max(1, hl.length) });
    const n = Number(hl[1].trim());
    if (!/^\s*\d+\s*$/.test(hl[1]) || !Number.isSafeInteger(n) || n <= 0) {
      throw new ParseError(`atom count "${excerpt(hl[1].trim())}" is not a positive integer`, { file: path, line: 2 });
    }
    if (n * MIN_ATOM_LINE > st.size) {
      throw new ParseError(`atom count ${n} needs at least ${n * MIN_ATOM_LINE} bytes but the file has ${st.size}: truncated or wrong count`, { file: path, line: 2 });
    }
    // Atom lines are at most a few hundred bytes (velocities, high precision): read what
    // n + 3 lines can take, bounded by the file size.
    const want = Math.min(st.size, (n + 3) * 256 + 4096);
    const buf = Buffer.alloc(want);
    const { bytesRead } = await fh.read(buf, 0, want, 0);
    text = buf.subarray(0, bytesRead).toString('latin1');
    return parseGroText(path, text, n);
  } finally {
    await fh.close();
  }
}

/** Parses the first frame of `text`, whose line 2 says `n` atoms. */
export function parseGroText(path: string, text: string, n: number): GroTopology {
  const lines = text.split('\n');
  if (lines.length < n + 3 || (lines.length === n + 3 && lines[n + 2].trim() === '')) {
    throw new ParseError(`file ends after ${Math.max(0, lines.length - 2)} lines of atoms; expected ${n} atom lines and a box line`, { file: path, line: lines.length });
  }
  const elements: string[] = new Array<string>(n);
  for (let i = 0; i < n; i++) {
    const l = lines[i + 2].replace(/\r$/, '');
    if (l.length < 44) throw new ParseError(`atom line too short (${l.length} columns); expected residue, atom name and number in columns 1–20, then x y z`, { file: path, line: i + 3 });
    const name = l.slice(10, 15).trim();
    const el = elementFromAtomName(name);
    if (el === null) throw new ParseError(`atom name "${name}" (columns 11–15) is not an element symbol; expected e.g. Li, LI1, S2`, { file: path, line: i + 3 });
    elements[i] = el;
  }
  const boxLine = lines[n + 2].replace(/\r$/, '');
  const toks = boxLine.trim().split(/\s+/);
  const v = toks.map(parseNumber);
  if ((toks.length !== 3 && toks.length !== 9) || v.some((x) => !Number.isFinite(x))) {
    throw new ParseError(`box line "${excerpt(boxLine.trim())}" is not 3 or 9 numbers (nm)`, { file: path, line: n + 3 });
  }
  return { path, title: lines[0].replace(/\r$/, '').trim(), nAtoms: n, elements, box: boxOf(v) };
}
