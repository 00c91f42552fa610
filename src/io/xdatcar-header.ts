/**
 * XDATCAR headers (title, scale, lattice, element names, counts; VASP 4 and 5) and the
 * configuration lines before each frame, read from a `LineScanner`.
 */
import { cellProblem } from './plausibility.js';
import { det3 } from '../trajectory/lattice.js';
import { MetadataError, ParseError } from './errors.js';
import type { LineScanner } from './line-scanner.js';
import { excerpt, looksBinary, tokens } from './tokens.js';

/** Where element names of a VASP 4 file (no element line) come from. */
export interface ElementNames {
  /** Element names for a VASP 4 file (no element line); ignored when the file names them. */
  elements?: readonly string[];
  /** Called for a VASP 4 file when `elements` is absent (e.g. reads POTCAR/OUTCAR beside it). */
  resolveElements?: () => Promise<string[] | null>;
}

/** One XDATCAR header, as read. */
export interface Header {
  title: string;
  /** Scaled lattice, rows. */
  lattice: Float64Array;
  /** Factor applied to Cartesian coordinates (the scale, or the one implied by a target volume). */
  cartScale: Float64Array;
  species: string[];
  counts: number[];
  /** First line of the header (1-based). */
  line: number;
  /** Line of the atom counts. */
  countsLine: number;
}

/** A "Direct configuration= N" (or Cartesian / Konfig) line. */
export interface ConfigLine {
  cartesian: boolean;
  /** The N of "configuration= N", or null when absent. */
  number: number | null;
}

const LATTICE_NAMES = ['a', 'b', 'c'];

/** Recognises "Direct configuration= N", "Cartesian configuration= N", "Direct", "Konfig= N"… */
export function parseConfigLine(s: string): ConfigLine | null {
  const t = s.trimStart();
  const c = t.charCodeAt(0) | 0x20; // lower-case first letter
  if (c !== 100 && c !== 99 && c !== 107) return null; // d, c, k
  const word = /^[A-Za-z]+/.exec(t)?.[0].toLowerCase() ?? '';
  // VASP 4 wrote "Konfig=" for direct frames; in POSCARs a bare "K…"/"C…" means Cartesian.
  const direct = word.startsWith('d') || word === 'konfig';
  const cartesian = !direct && (word.startsWith('c') || word.startsWith('k'));
  if (!direct && !cartesian) return null;
  const rest = t.slice(word.length);
  if (rest.trim() !== '' && !/^\s*(configuration)?\s*=?\s*\d*\s*$/i.test(rest) && !/^\s*configuration/i.test(rest)) return null;
  const m = /=\s*(\d+)/.exec(rest);
  return { cartesian, number: m ? Number(m[1]) : null };
}

/** VASP 6 writes POTCAR labels like "Li_sv/a1b2c3" or "Li_sv": keep the element symbol. */
function elementSymbol(tok: string): string {
  return tok.split('/')[0].split('_')[0];
}

function isInteger(tok: string): boolean {
  return /^[+-]?\d+$/.test(tok);
}

/** Reads the headers and configuration lines of one XDATCAR from its `LineScanner`. */
export class XdatcarHeaderReader {
  private readonly sc: LineScanner;
  readonly file: string;
  private readonly opts: ElementNames;
  private readonly num = new Float64Array(8);
  private resolved: readonly string[] | null = null;

  constructor(sc: LineScanner, opts: ElementNames) {
    this.sc = sc;
    this.file = sc.file;
    this.opts = opts;
  }

  private err(msg: string, line = this.sc.line, frame?: number): ParseError {
    return new ParseError(msg, { file: this.file, line, frame });
  }

  /** Numbers of one header line (1…max of them), with an error saying what was expected. */
  private async headerNumbers(what: string, allowed: readonly number[]): Promise<Float64Array> {
    const line = this.sc.line;
    if (!(await this.sc.fill())) throw this.err(`file ends inside the header; expected ${what}`, line);
    const text = (await this.sc.peekLine()) ?? '';
    const n = this.sc.numbersOnLine(this.num, 0, Math.max(...allowed));
    if (n < 0 || !allowed.includes(n)) {
      const nan = /\b(nan|inf(inity)?)\b/i.test(text) ? ' (NaN/Inf are not valid numbers)' : '';
      throw this.err(`expected ${what}, found "${excerpt(text)}"${nan}`, line);
    }
    return this.num.subarray(0, n);
  }

  async header(first: boolean): Promise<Header> {
    const sc = this.sc;
    const startLine = sc.line;
    const title = await sc.nextLine();
    if (title === null) {
      throw first
        ? this.err('file is empty; expected an XDATCAR header (title, scale, three lattice rows, element names, atom counts)', 1)
        : this.err('file ends inside a repeated header', startLine);
    }
    if (first && title.trim() === '' && !(await sc.skipBlankLines())) {
      throw this.err('file holds only blank lines; expected an XDATCAR header (title, scale, three lattice rows, element names, atom counts)', 1);
    }
    if (looksBinary(title)) throw this.err('binary data, not text; expected an XDATCAR title line', startLine);

    const { lattice: L, cartScale } = await this.lattice();

    // Element line (VASP 5) or counts directly (VASP 4).
    let line = sc.line;
    let text = await sc.nextLine();
    if (text === null) throw this.err('file ends inside the header; expected the element names or atom counts', line);
    let toks = tokens(text);
    let species: string[] | null = null;
    if (toks.length > 0 && !isInteger(toks[0])) {
      if (!toks.every((t) => /^[A-Za-z]/.test(t))) {
        throw this.err(`expected element names (e.g. "Li P S") or atom counts, found "${excerpt(text)}"`, line);
      }
      species = toks.map(elementSymbol);
      line = sc.line;
      text = await sc.nextLine();
      if (text === null) throw this.err('file ends inside the header; expected the atom counts line', line);
      toks = tokens(text);
    }
    if (toks.length === 0 || !toks.every(isInteger)) {
      throw this.err(`expected atom counts (positive integers, one per element), found "${excerpt(text)}"`, line);
    }
    const counts = toks.map(Number);
    const bad = counts.find((c) => c <= 0);
    if (bad !== undefined) throw this.err(`expected positive atom counts, found ${bad}`, line);
    if (species && species.length !== counts.length) {
      throw this.err(`the element line names ${species.length} elements (${species.join(' ')}) but the counts line has ${counts.length} numbers; expected one count per element`, line);
    }
    if (!species) species = await this.vasp4Elements(counts, line);
    return { title, lattice: L, cartScale, species, counts, line: startLine, countsLine: line };
  }

  /** Scale line and three lattice rows: the scaled lattice and the factor for Cartesian coordinates. */
  private async lattice(): Promise<{ lattice: Float64Array; cartScale: Float64Array }> {
    const sc = this.sc;
    const scaleLine = sc.line;
    const sc3 = Float64Array.from(await this.headerNumbers('the scale factor (one number, or three)', [1, 3]));
    const L = new Float64Array(9);
    for (let r = 0; r < 3; r++) {
      const row = await this.headerNumbers(`lattice vector ${LATTICE_NAMES[r]} (three numbers; a header has 3 lattice rows)`, [3]);
      L.set(row, r * 3);
    }
    const latLine = scaleLine + 1;
    const cartScale = new Float64Array(3);
    if (sc3.length === 3) {
      if (!(sc3[0] > 0 && sc3[1] > 0 && sc3[2] > 0)) throw this.err(`expected three positive scale factors, found ${Array.from(sc3).join(' ')}`, scaleLine);
      for (let r = 0; r < 3; r++) for (let k = 0; k < 3; k++) L[r * 3 + k] *= sc3[k];
      cartScale.set(sc3);
    } else {
      let s = sc3[0];
      if (s === 0) throw this.err('scale factor is 0; expected a positive factor or a negative target volume (Å³)', scaleLine);
      if (s < 0) s = Math.cbrt(-s / Math.abs(det3(L))); // negative scale = target cell volume
      for (let i = 0; i < 9; i++) L[i] *= s;
      cartScale.fill(s);
    }
    const det = det3(L);
    const norm = Math.hypot(L[0], L[1], L[2]) * Math.hypot(L[3], L[4], L[5]) * Math.hypot(L[6], L[7], L[8]);
    if (!Number.isFinite(det) || Math.abs(det) <= 1e-8 * norm || norm === 0) {
      throw this.err(`lattice vectors (lines ${latLine}–${latLine + 2}) span zero volume (determinant ${det}); expected three linearly independent vectors`, latLine);
    }
    // Finite and independent but physically absurd (a scale of -1e308 or -1e-300): refused too.
    const implausible = cellProblem(L);
    if (implausible !== null) throw this.err(`lattice (lines ${latLine}–${latLine + 2}, scale applied): ${implausible}`, latLine);
    return { lattice: L, cartScale };
  }

  private async vasp4Elements(counts: number[], line: number): Promise<string[]> {
    // Resolved once: a variable-cell VASP 4 file repeats its header every frame.
    this.resolved ??= this.opts.elements ?? (this.opts.resolveElements ? await this.opts.resolveElements() : null);
    const given = this.resolved;
    if (!given || given.length === 0) {
      throw new MetadataError(
        `no element line (VASP 4 style header) and no element names known; expected ${counts.length} element names — ` +
          'put a POTCAR or OUTCAR beside the file, add "elements": [...] to ionsift.json, or pass --elements',
        { file: this.file, line },
      );
    }
    if (given.length !== counts.length) {
      throw new MetadataError(`the counts line has ${counts.length} numbers but ${given.length} element names were given (${given.join(' ')}); expected one name per count`, { file: this.file, line });
    }
    return [...given];
  }

  async config(frame: number): Promise<ConfigLine> {
    const sc = this.sc;
    await sc.skipBlankLines();
    const line = sc.line;
    let text = await sc.nextLine();
    if (text !== null && /^\s*s/i.test(text) && !parseConfigLine(text)) text = await sc.nextLine(); // "Selective dynamics"
    if (text === null) throw this.err(`file ends after the header; expected "Direct configuration= ${frame + 1}" and ${''}the coordinates of frame ${frame}`, line, frame);
    const c = parseConfigLine(text);
    if (!c) throw this.err(`expected "Direct configuration= N" or "Cartesian" before the coordinates, found "${excerpt(text)}"`, sc.line - 1, frame);
    return c;
  }
}
