/**
 * The cell of a CP2K MD run, for its `*-pos-1.xyz` (which has none): the `PROJECT-1.cell` file
 * CP2K writes beside it (one row per printed step: `step time Ax Ay Az Bx By Bz Cx Cy Cz volume`,
 * Å), else the `&CELL` section of the input (`ABC` with optional `ALPHA_BETA_GAMMA`, or `A`,
 * `B`, `C` vectors; `[angstrom]` or `[bohr]`).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { MetadataError, ParseError } from './errors.js';
import { parseNumber } from './number.js';
import { excerpt } from './tokens.js';

/** Cells by MD step (rows a, b, c in Å). */
export interface Cp2kCells {
  path: string;
  /** Step → 9 numbers; an input-file cell is stored under step -1 and applies to every frame. */
  byStep: Map<number, Float64Array>;
  /** The one cell of an input file, else null. */
  fixed: Float64Array | null;
}

const BOHR_A = 0.529177210903;
/** Largest cell/input file read whole (a .cell row is ~200 bytes: ~5 million steps). */
const MAX_BYTES = 1 << 30;

/** PROJECT of `PROJECT-pos-1.xyz`. */
export function cp2kProject(posPath: string): string {
  return basename(posPath).replace(/-pos-\d+\.xyz(\.gz)?$/i, '');
}

async function readText(path: string): Promise<string> {
  const st = await stat(path);
  if (!st.isFile()) throw new ParseError('not a regular file', { file: path });
  if (st.size > MAX_BYTES) throw new ParseError(`${st.size} bytes: larger than the ${MAX_BYTES}-byte limit of a CP2K cell/input file`, { file: path });
  return readFile(path, 'latin1');
}

/** Parses a CP2K `.cell` file. */
export function parseCellFile(path: string, text: string): Cp2kCells {
  const byStep = new Map<number, Float64Array>();
  const lines = text.split('\n');
  lines.forEach((raw, k) => {
    const l = raw.trim();
    if (l === '' || l.startsWith('#')) return;
    const t = l.split(/\s+/);
    const v = t.map(parseNumber);
    if (t.length < 11 || v.slice(0, 11).some((x) => !Number.isFinite(x)) || !Number.isInteger(v[0])) {
      throw new ParseError(`cell row "${excerpt(l)}" is not step, time and nine numbers (Ax Ay Az Bx By Bz Cx Cy Cz, Å)`, { file: path, line: k + 1 });
    }
    byStep.set(v[0], Float64Array.from(v.slice(2, 11)));
  });
  if (byStep.size === 0) throw new ParseError('no cell rows; expected "step time Ax Ay Az Bx By Bz Cx Cy Cz volume" lines', { file: path, line: Math.max(1, lines.length) });
  return { path, byStep, fixed: null };
}

/** The first `&CELL` section of a CP2K input (not `&CELL_REF`), or null when there is none. */
export function parseInputCell(path: string, text: string): Float64Array | null {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s*&CELL\s*$/i.test(l.replace(/[!#].*$/, '')));
  if (start < 0) return null;
  const vec: Record<string, number[]> = {};
  let abc: number[] | null = null;
  let angles = [90, 90, 90];
  for (let k = start + 1; k < lines.length; k++) {
    const l = lines[k].replace(/[!#].*$/, '').trim();
    if (/^&END/i.test(l)) break;
    if (/^&/.test(l)) continue;
    const m = /^(A|B|C|ABC|ALPHA_BETA_GAMMA)\s+(?:\[(\w+)\]\s+)?(.*)$/i.exec(l);
    if (!m) continue;
    const key = m[1].toUpperCase();
    const unit = (m[2] ?? (key === 'ALPHA_BETA_GAMMA' ? 'deg' : 'angstrom')).toLowerCase();
    const v = m[3].trim().split(/\s+/).map(parseNumber);
    if (v.length !== 3 || v.some((x) => !Number.isFinite(x))) throw new ParseError(`${key} "${excerpt(m[3])}" is not three numbers`, { file: path, line: k + 1 });
    if (key === 'ALPHA_BETA_GAMMA') {
      if (unit !== 'deg') throw new ParseError(`ALPHA_BETA_GAMMA in [${unit}]; expected degrees`, { file: path, line: k + 1 });
      angles = v;
      continue;
    }
    const f = unit === 'angstrom' ? 1 : unit === 'bohr' ? BOHR_A : NaN;
    if (Number.isNaN(f)) throw new ParseError(`${key} in [${unit}]; expected [angstrom] or [bohr]`, { file: path, line: k + 1 });
    if (key === 'ABC') abc = v.map((x) => x * f);
    else vec[key] = v.map((x) => x * f);
  }
  if (vec.A && vec.B && vec.C) return Float64Array.from([...vec.A, ...vec.B, ...vec.C]);
  if (abc) {
    // CP2K's convention: a along x, b in the xy plane.
    const [a, b, c] = abc;
    const [al, be, ga] = angles.map((x) => (x * Math.PI) / 180);
    const cx = c * Math.cos(be);
    const cy = (c * (Math.cos(al) - Math.cos(be) * Math.cos(ga))) / Math.sin(ga);
    const cz = Math.sqrt(Math.max(0, c * c - cx * cx - cy * cy));
    const r = (x: number) => (Math.abs(x) < 1e-12 ? 0 : x);
    return Float64Array.from([a, 0, 0, r(b * Math.cos(ga)), r(b * Math.sin(ga)), 0, r(cx), r(cy), r(cz)]);
  }
  throw new ParseError('&CELL has neither ABC nor A, B and C', { file: path, line: start + 1 });
}

/**
 * The cell source of `posPath`: `PROJECT-1.cell` (else the only `.cell`) beside it, else the
 * input whose PROJECT matches (else the only `.inp`) with a `&CELL` section.
 */
export async function findCp2kCells(posPath: string): Promise<Cp2kCells> {
  const dir = dirname(posPath);
  const project = cp2kProject(posPath);
  const names = (await readdir(dir)).sort();
  const cells = names.filter((n) => /\.cell$/i.test(n));
  const cell = cells.find((n) => n.toLowerCase() === `${project}-1.cell`.toLowerCase()) ?? (cells.length === 1 ? cells[0] : undefined);
  if (cell) return parseCellFile(join(dir, cell), await readText(join(dir, cell)));
  const inps = names.filter((n) => /\.(inp|in)$/i.test(n));
  let chosen: string | undefined;
  const texts = new Map<string, string>();
  for (const n of inps) {
    const t = await readText(join(dir, n));
    texts.set(n, t);
    const m = /^\s*PROJECT(?:_NAME)?\s+(\S+)/im.exec(t);
    if (m && m[1] === project) chosen = n;
  }
  chosen ??= inps.length === 1 ? inps[0] : undefined;
  if (chosen) {
    const L = parseInputCell(join(dir, chosen), texts.get(chosen)!);
    if (L) return { path: join(dir, chosen), byStep: new Map(), fixed: L };
  }
  throw new MetadataError(
    `no cell for this CP2K trajectory: expected ${project}-1.cell beside it (MOTION/PRINT/CELL), or a CP2K input (.inp) with a &CELL section${cells.length > 1 ? `; found several .cell files (${cells.join(', ')})` : ''}`,
    { file: posPath },
  );
}
