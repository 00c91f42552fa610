/**
 * VASP XDATCAR reader (plain or gzip), streaming and byte-level.
 *
 * Layouts handled:
 * - VASP 5 header (title, scale, 3 lattice rows, element line, counts) and VASP 4 (no element
 *   line: names must come from the caller, see `XdatcarOptions.elements`/`resolveElements`);
 * - scale: one positive factor, three per-axis factors, or a negative number = target volume (Å³);
 * - Direct or Cartesian frames, with or without "Direct configuration= N" numbering;
 * - variable cell (NPT): a header before every frame, lattice stored per frame;
 * - several runs concatenated in one file: a repeated header whose configuration numbering
 *   restarts starts a new segment, and the step across it is checked like a file boundary;
 * - blank lines between frames, CRLF line ends, gzip (by magic bytes).
 */
import type { Hash } from 'node:crypto';
import { emptyMetadata, type Trajectory } from '../trajectory/types.js';
import { det3, inverse3 } from '../trajectory/lattice.js';
import { ConsistencyError, MetadataError, ParseError } from './errors.js';
import type { Prefetch } from './byte-source.js';
import { LineScanner } from './line-scanner.js';
import { isNonFiniteSpelling, isWellFormed } from './number.js';
import { excerpt, looksBinary, tokens } from './tokens.js';
import { checkBoundaries } from './run.js';

export interface XdatcarOptions {
  /** Element names for a VASP 4 file (no element line); ignored when the file names them. */
  elements?: readonly string[];
  /** Called for a VASP 4 file when `elements` is absent (e.g. reads POTCAR/OUTCAR beside it). */
  resolveElements?: () => Promise<string[] | null>;
  /** Receives the raw bytes of the file (for the content hash of a multi-file run). */
  hash?: Hash;
  /** Read size in bytes (tests only). */
  chunkSize?: number;
  /** The file read ahead in the background (see `prefetchGzip`). */
  prefetch?: Prefetch;
}

interface Header {
  title: string;
  /** Scaled lattice, rows. */
  lattice: Float64Array;
  /** Factor applied to Cartesian coordinates (the scale, or the one implied by a target volume). */
  cartScale: Float64Array;
  species: string[];
  counts: number[];
  /** First line of the header (1-based). */
  line: number;
}

interface ConfigLine {
  cartesian: boolean;
  /** The N of "configuration= N", or null when absent. */
  number: number | null;
}

const LATTICE_NAMES = ['a', 'b', 'c'];

/** Recognises "Direct configuration= N", "Cartesian configuration= N", "Direct", "Konfig= N"… */
function parseConfigLine(s: string): ConfigLine | null {
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

class XdatcarParser {
  private readonly sc: LineScanner;
  private readonly file: string;
  private readonly opts: XdatcarOptions;
  private readonly num = new Float64Array(8);
  private resolved: readonly string[] | null = null;

  constructor(sc: LineScanner, opts: XdatcarOptions) {
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
    return { title, lattice: L, cartScale, species, counts, line: startLine };
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

/** Growable frame-major Float64Array. */
class FrameBuffer {
  data: Float64Array;
  constructor(private readonly stride: number, frames: number) {
    this.data = new Float64Array(stride * Math.max(1, frames));
  }
  ensure(frames: number): void {
    if (frames * this.stride <= this.data.length) return;
    const cap = Math.max(frames, Math.ceil((this.data.length / this.stride) * 1.5) + 1);
    const nd = new Float64Array(cap * this.stride);
    nd.set(this.data);
    this.data = nd;
  }
  /**
   * Exactly `frames` frames. A small surplus (≤ 1/16, the usual case after pre-sizing) is kept
   * as a view rather than copied: copying 100s of MB costs more than the few % of slack.
   */
  take(frames: number): Float64Array {
    const n = frames * this.stride;
    if (n === this.data.length) return this.data;
    return this.data.length - n <= this.data.length / 16 ? this.data.subarray(0, n) : this.data.slice(0, n);
  }
}

function sameLattice(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let scale = 0;
  for (let i = 0; i < 9; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < 9; i++) if (Math.abs(a[i] - b[i]) > 1e-6 * scale) return false;
  return true;
}

/** Reads one XDATCAR (plain or gzipped) into a Trajectory. */
export async function readXdatcar(path: string, opts: XdatcarOptions = {}): Promise<Trajectory> {
  const sc = await LineScanner.open(path, { hash: opts.hash, chunkSize: opts.chunkSize, prefetch: opts.prefetch });
  try {
    return await parse(sc, opts);
  } finally {
    sc.close();
  }
}

async function parse(sc: LineScanner, opts: XdatcarOptions): Promise<Trajectory> {
  const file = sc.file;
  const p = new XdatcarParser(sc, opts);
  const h0 = await p.header(true);
  const { species, counts } = h0;
  const nAtoms = counts.reduce((a, b) => a + b, 0);
  const speciesOf = new Uint16Array(nAtoms);
  for (let s = 0, i = 0; s < counts.length; s++) for (let k = 0; k < counts[s]; k++) speciesOf[i++] = s;
  const countsText = species.map((s, i) => `${s} ${counts[i]}`).join(', ');

  let header = h0;
  let Linv: Float64Array | null = null;
  let cfg = await p.config(0);
  const headerStart = sc.bytePos;
  // Pre-sized after the first frame from the text size; grows 1.5× if that was too small.
  const frac = new FrameBuffer(nAtoms * 3, 2);
  let lat: FrameBuffer | null = null; // per-frame lattices once the cell varies
  const runStarts: number[] = [];
  const runLines: number[] = [];
  let lastConfig = cfg.number;
  let f = 0;
  for (;;) {
    frac.ensure(f + 1);
    const out = frac.data;
    const off = f * nAtoms * 3;
    let k = 0;
    while (k < nAtoms) {
      if (sc.pos >= sc.end && !(await sc.fill())) {
        throw new ParseError(
          `file ends in the middle of frame ${f} after ${k} of ${nAtoms} coordinate lines; expected ${nAtoms} lines (${countsText}) — truncated file?`,
          { file, line: sc.line, frame: f },
        );
      }
      k = sc.triples(nAtoms, k, out, off);
      if (k < nAtoms && sc.pos < sc.end) throw await coordError(sc, f, k, nAtoms, countsText);
    }
    if (cfg.cartesian) {
      Linv ??= inverse3(header.lattice);
      const [s0, s1, s2] = header.cartScale;
      for (let i = off, e = off + nAtoms * 3; i < e; i += 3) {
        const x = out[i] * s0, y = out[i + 1] * s1, z = out[i + 2] * s2;
        out[i] = x * Linv[0] + y * Linv[3] + z * Linv[6];
        out[i + 1] = x * Linv[1] + y * Linv[4] + z * Linv[7];
        out[i + 2] = x * Linv[2] + y * Linv[5] + z * Linv[8];
      }
    }
    if (lat) { lat.ensure(f + 1); lat.data.set(header.lattice, f * 9); }
    f++;
    if (f === 1) {
      // Now that one frame's size is known, size the buffer for the whole file (+2%).
      const perFrame = Math.max(1, sc.bytePos - headerStart);
      frac.ensure(Math.ceil(((sc.textSizeHint - headerStart) / perFrame) * 1.02) + 1);
    }

    if (!(await sc.skipBlankLines())) break;
    const text = (await sc.peekLine()) ?? '';
    const c = parseConfigLine(text);
    if (c) {
      sc.skipLine();
      if (c.number !== null && lastConfig !== null && c.number <= lastConfig && !lat) {
        // Numbering restarts without a header: a concatenated run with its header stripped.
        runStarts.push(f); runLines.push(sc.line - 1);
      }
      lastConfig = c.number;
      cfg = c;
      continue;
    }
    if (isCoordinateLike(text)) {
      throw new ParseError(
        `frame ${f - 1} has more coordinate lines than the counts line says (${nAtoms}: ${countsText}); expected "Direct configuration= ${f + 1}" or a new header, found "${excerpt(text)}"`,
        { file, line: sc.line, frame: f - 1 },
      );
    }
    // A repeated header: variable cell (NPT), or another run appended to this file.
    const h = await p.header(false);
    if (h.species.join(' ') !== species.join(' ') || h.counts.join(' ') !== counts.join(' ')) {
      throw new ConsistencyError(
        `header repeated with different species/counts (${h.species.map((s, i) => `${s} ${h.counts[i]}`).join(', ')}); expected the same as the first header (${countsText})`,
        { file, line: h.line, frame: f },
      );
    }
    const cellChanged = !sameLattice(h.lattice, header.lattice);
    const next = await p.config(f);
    const restart = next.number === null || lastConfig === null || next.number <= lastConfig;
    if (cellChanged && !lat) {
      lat = new FrameBuffer(9, frac.data.length / (nAtoms * 3));
      for (let g = 0; g < f; g++) lat.data.set(header.lattice, g * 9);
    }
    if (!cellChanged && restart) { runStarts.push(f); runLines.push(h.line); }
    else if (cellChanged && next.number !== null && lastConfig !== null && next.number <= lastConfig) { runStarts.push(f); runLines.push(h.line); }
    if (cellChanged) Linv = null;
    header = h;
    lastConfig = next.number;
    cfg = next;
  }

  const nFrames = f;
  const meta = emptyMetadata('xdatcar');
  meta.sourcePaths = [file];
  meta.title = h0.title.trim();
  const traj: Trajectory = {
    nFrames,
    nAtoms,
    species: [...species],
    counts: [...counts],
    speciesOf,
    frac: frac.take(nFrames),
    lattice: lat ? lat.take(nFrames) : Float64Array.from(h0.lattice),
    variableCell: lat !== null,
    segments: [],
    discontinuities: [],
    metadata: meta,
    warnings: [],
  };
  const starts = [0, ...runStarts];
  for (let i = 0; i < starts.length; i++) {
    const end = i + 1 < starts.length ? starts[i + 1] : nFrames;
    traj.segments.push({ file, startFrame: starts[i], nFrames: end - starts[i] });
  }
  if (runStarts.length > 0) {
    traj.warnings.push(
      `${file} holds ${runStarts.length + 1} runs one after another (header or numbering restarts at line${runLines.length > 1 ? 's' : ''} ${runLines.join(', ')}); read as one trajectory`,
    );
    checkBoundaries(traj, runStarts, (b) => `run restarting at line ${runLines[runStarts.indexOf(b)]} of ${file}`);
  }
  return traj;
}

/** Three number-like tokens (well formed, or a NaN/Inf spelling): an extra coordinate line. */
function isCoordinateLike(text: string): boolean {
  const t = tokens(text);
  return t.length === 3 && t.every((x) => isWellFormed(x) || isNonFiniteSpelling(x));
}

/** Explains why line k+1 of a frame is not a coordinate line. */
async function coordError(sc: LineScanner, f: number, k: number, n: number, countsText: string): Promise<ParseError> {
  const text = (await sc.peekLine()) ?? '';
  const loc = { file: sc.file, line: sc.line, frame: f };
  const toks = tokens(text);
  if (parseConfigLine(text) || (toks.length > 0 && toks.every((t) => /^[A-Za-z]/.test(t)) && toks.length !== 3)) {
    return new ParseError(`frame ${f} has only ${k} coordinate lines but the counts line says ${n} (${countsText}); expected ${n} lines, found "${excerpt(text)}"`, loc);
  }
  if (toks.length === 0) return new ParseError(`blank line inside frame ${f} after ${k} of ${n} coordinate lines; expected ${n} lines of three numbers (${countsText})`, loc);
  const badTok = toks.find((t) => !isWellFormed(t));
  if (badTok !== undefined) {
    const why = isNonFiniteSpelling(badTok) ? ' (NaN/Inf are not valid coordinates)' : /^\*+$/.test(badTok) ? ' (Fortran overflow)' : '';
    return new ParseError(`expected three numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found "${excerpt(badTok, 30)}"${why}`, loc);
  }
  if (toks.length !== 3) {
    return new ParseError(`expected three numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found ${toks.length}: "${excerpt(text)}"`, loc);
  }
  return new ParseError(`expected three finite numbers on coordinate line ${k + 1} of ${n} in frame ${f}, found "${excerpt(text)}" (out of range)`, loc);
}
