/**
 * The extxyz line handler: count line, comment line (lattice, columns, Time, Temperature, pbc),
 * then one line per atom, frame after frame, fed into frames.ts accumulators. `readExtxyz`
 * (extxyz.ts) drives it through `scanLines` and builds the Trajectory.
 */
import { cellProblem } from './plausibility.js';
import { checkAtomCount, initialValues, type SizeBound } from './budget.js';
import { ParseError } from './errors.js';
import { parseIntBytes, parseNumber, parseNumberBytes } from './number.js';
import { bytesEqual, excerptBytes as excerpt, isBlank, text, tokenize } from './tokens.js';
import { GrowableF64, countSpecies } from './frames.js';
import { inverse3, volume } from '../trajectory/lattice.js';
import { parseCommentLine, parseNumberList, parseProperties, type Columns } from './extxyz-comment.js';

const DEFAULT_PROPERTIES = 'species:S:1:pos:R:3';
/** What the next line is. */
const ST_COUNT = 0, ST_COMMENT = 1, ST_ATOMS = 2;

export class ExtxyzParser {
  readonly warnings: string[] = [];
  nAtoms = -1;
  nFrames = 0;
  /** Line of the count line of the current frame. */
  frameLine = 0;
  readonly lat = new GrowableF64(64 * 9);
  frac: GrowableF64 | null = null;
  readonly species: string[] = [];
  readonly counts: number[] = [];
  speciesOf = new Uint16Array(0);
  /** Time= of each frame while every frame had one. */
  readonly times: number[] = [];
  allTimes = true;
  tempSum = 0;
  /** Each frame's Temperature= (lets ranges parsed apart sum them in the serial order: extxyz-parallel.ts). */
  readonly temps: number[] = [];
  tempN = 0;
  tempMin = Infinity;
  tempMax = -Infinity;
  /** Comment line of frame 0. */
  title = '';

  private state = ST_COUNT;
  private atom = 0;
  private cols: Columns | null = null;
  private Linv: Float64Array = new Float64Array(9);
  private framePos = 0;
  private readonly tok = new Int32Array(2 * 64);
  private readonly speciesBytes: Buffer[] = [];
  private nonPeriodicWarned = false;

  /** Size of the file being read (set when it is opened), for the atom-count check. */
  size: SizeBound | null = null;
  constructor(private readonly file: string) {}

  private fail(msg: string, line: number, frame?: number): never {
    throw new ParseError(msg, frame === undefined ? { file: this.file, line } : { file: this.file, line, frame });
  }

  /** How far an unfinished last frame got, or null when the file ended between frames. */
  get partialWhat(): string | null {
    if (this.state === ST_COUNT) return null;
    return this.state === ST_COMMENT ? 'after its count line' : `after ${this.atom} of ${this.nAtoms} atom lines`;
  }

  onLine(b: Buffer, s: number, e: number, line: number): void {
    if (this.state === ST_ATOMS) {
      this.onAtom(b, s, e, line);
      if (this.atom === this.nAtoms) {
        this.nFrames++;
        this.state = ST_COUNT;
      }
    } else if (this.state === ST_COMMENT) {
      this.onComment(text(b, s, e), line);
      this.framePos = this.frac!.reserve(this.nAtoms * 3);
      this.atom = 0;
      this.state = ST_ATOMS;
    } else if (!isBlank(b, s, e)) { // blank lines between frames and at the end are tolerated
      this.onCount(b, s, e, line);
    }
  }

  private onCount(b: Buffer, s: number, e: number, line: number): void {
    let ts = s, te = e;
    while (ts < te && (b[ts] === 32 || b[ts] === 9)) ts++;
    while (te > ts && (b[te - 1] === 32 || b[te - 1] === 9)) te--;
    const n = parseIntBytes(b, ts, te);
    if (!Number.isInteger(n) || n <= 0) {
      const hint = this.nFrames > 0 ? ` (frame ${this.nFrames - 1} has more atom lines than its count ${this.nAtoms}?)` : '';
      this.fail(`expected the atom count of a frame, found ${excerpt(b, s, e)}${hint}`, line, this.nFrames);
    }
    if (this.nFrames === 0 && this.nAtoms < 0) {
      this.nAtoms = n;
      checkAtomCount(n, { file: this.file, line, frame: 0 }, this.size, 'atom count', 8);
      this.speciesOf = new Uint16Array(n);
      this.frac = new GrowableF64(initialValues(n * 3), this.file);
    } else if (n !== this.nAtoms) {
      this.fail(`frame has ${n} atoms, but frame 0 has ${this.nAtoms}; the atom count must stay the same`, line, this.nFrames);
    }
    this.frameLine = line;
    this.state = ST_COMMENT;
  }

  private onComment(str: string, line: number): void {
    const f = this.nFrames;
    if (f === 0) this.title = str.trim();
    const kv = parseCommentLine(str);
    const latStr = kv.get('lattice');
    if (latStr === undefined) {
      this.fail('comment line has no Lattice="ax ay az bx by bz cx cy cz": a periodic cell is needed for ion transport (plain XYZ is not enough)', line, f);
    }
    const L = parseNumberList(latStr);
    if (L.length !== 9 || !L.every(Number.isFinite)) this.fail(`Lattice="${latStr}" must hold 9 finite numbers`, line, f);
    const bad = cellProblem(L);
    if (bad !== null) this.fail(`Lattice="${latStr}": ${bad}`, line, f);
    const o = this.lat.reserve(9);
    for (let k = 0; k < 9; k++) this.lat.data[o + k] = L[k];
    this.Linv = inverse3(L);

    const propStr = kv.get('properties') ?? DEFAULT_PROPERTIES;
    if (this.cols === null || this.cols.text !== propStr) {
      const c = parseProperties(propStr);
      if (typeof c === 'string') this.fail(c, line, f);
      this.cols = c;
      if (c.total * 2 > this.tok.length) this.fail(`Properties declares ${c.total} columns; at most ${this.tok.length / 2} are supported`, line, f);
    }
    this.onFrameValues(kv, line);
  }

  /** Time=, Temperature= and pbc= of one frame's comment line. */
  private onFrameValues(kv: Map<string, string>, line: number): void {
    const t = kv.get('time');
    const tv = t === undefined ? NaN : parseNumber(t);
    if (Number.isFinite(tv)) this.times.push(tv);
    else this.allTimes = false;
    const temp = kv.get('temperature');
    if (temp !== undefined) {
      const x = parseNumber(temp);
      if (!Number.isFinite(x)) this.fail(`Temperature=${temp} is not a number`, line, this.nFrames);
      this.tempSum += x;
      this.temps.push(x);
      this.tempN++;
      if (x < this.tempMin) this.tempMin = x;
      if (x > this.tempMax) this.tempMax = x;
    }
    const pbc = kv.get('pbc');
    if (pbc !== undefined && !this.nonPeriodicWarned) {
      const flags = pbc.split(/[\s,]+/).filter((x) => x !== '');
      if (flags.some((fl) => /^(f|false|0)$/i.test(fl))) {
        this.nonPeriodicWarned = true;
        this.warnings.push(`pbc="${pbc}": some directions are not periodic; they are treated as periodic with the given Lattice`);
      }
    }
  }

  private onAtom(b: Buffer, s: number, e: number, line: number): void {
    const c = this.cols!, tok = this.tok, atom = this.atom, f = this.nFrames;
    const nt = tokenize(b, s, e, tok);
    if (nt !== c.total) {
      this.fail(
        `atom ${atom + 1} of ${this.nAtoms}: line has ${nt} columns, expected ${c.total} (Properties=${c.text})` +
          (nt <= 1 ? ' — fewer atom lines than the count line says?' : ''),
        line, f,
      );
    }
    const ss = tok[2 * c.species], se = tok[2 * c.species + 1];
    if (f === 0) {
      this.speciesOf[atom] = countSpecies(text(b, ss, se), this.species, this.speciesBytes, this.counts);
    } else if (!bytesEqual(b, ss, se, this.speciesBytes[this.speciesOf[atom]])) {
      this.fail(`atom ${atom + 1} is ${text(b, ss, se)} here but ${this.species[this.speciesOf[atom]]} in frame 0: atoms must keep their order`, line, f);
    }
    const p = 2 * c.pos;
    const x = parseNumberBytes(b, tok[p], tok[p + 1]);
    const y = parseNumberBytes(b, tok[p + 2], tok[p + 3]);
    const z = parseNumberBytes(b, tok[p + 4], tok[p + 5]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      const bad = !Number.isFinite(x) ? 0 : !Number.isFinite(y) ? 1 : 2;
      this.fail(`atom ${atom + 1}: position ${excerpt(b, tok[p + 2 * bad], tok[p + 2 * bad + 1])} is not a finite number`, line, f);
    }
    const d = this.frac!.data, Li = this.Linv;
    const o = this.framePos + 3 * atom;
    d[o] = x * Li[0] + y * Li[3] + z * Li[6];
    d[o + 1] = x * Li[1] + y * Li[4] + z * Li[7];
    d[o + 2] = x * Li[2] + y * Li[5] + z * Li[8];
    this.atom++;
  }
}
