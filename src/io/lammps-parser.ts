/**
 * The LAMMPS dump line handler: a small state machine over `ITEM:` sections (header values,
 * box, atoms) that feeds complete frames into frames.ts accumulators. `readLammpsDump`
 * (lammps.ts) drives it through `scanLines` and turns what it gathered into a Trajectory.
 */
import { cellProblem } from './plausibility.js';
import { checkAtomCount, initialValues, type SizeBound } from './budget.js';
import { MetadataError, ParseError } from './errors.js';
import { parseIntBytes, parseNumberBytes } from './number.js';
import { bytesEqual, excerptBytes as excerpt, isBlank, text, tokenize } from './tokens.js';
import { GrowableF64, countSpecies } from './frames.js';
import { inverse3, volume } from '../trajectory/lattice.js';
import { atomColumns, Coord, type AtomColumns } from './lammps-columns.js';
import { lammpsBoxToLattice, type BoxKind } from './lammps-box.js';
import { AtomOrder } from './lammps-order.js';

/** The sections this reader knows (an unknown one is another dump style: an error of its own). */
const KNOWN_ITEMS = /^(TIMESTEP|UNITS|TIME|NUMBER OF ATOMS)$|^BOX BOUNDS|^ATOMS/;

/** What the next non-ITEM line(s) belong to. */
const S_NONE = 0, S_TIMESTEP = 1, S_NATOMS = 2, S_BOX = 3, S_ATOMS = 4, S_UNITS = 5, S_TIME = 6;

export class LammpsDumpParser {
  readonly warnings: string[] = [];
  nAtoms = -1;
  nFrames = 0;
  /** Line of the TIMESTEP item of the current frame. */
  frameLine = 0;
  units: string | null = null;
  /** ITEM: TIME of each frame while every frame had one. */
  readonly times: number[] = [];
  allTimes = true;
  readonly steps: number[] = [];
  readonly lat = new GrowableF64(64 * 9);
  frac: GrowableF64 | null = null;
  readonly species: string[] = [];
  readonly counts: number[] = [];
  speciesOf = new Uint16Array(0);

  private state = S_NONE;
  private frameAtoms = -1;
  private row = 0; // line within the current section
  private sawTimestep = false;
  private sawBox = false;
  private timeValue: number | null = null;
  private currentStep = 0;
  private boxKind: BoxKind = 'ortho';
  private readonly boxVals = new Float64Array(12);
  private Linv: Float64Array = new Float64Array(9);
  private origin: Float64Array = new Float64Array(3);
  private periodicWarned = false;
  private cols: AtomColumns | null = null;
  private tok = new Int32Array(2 * 32);
  // Per-frame scratch, in file order.
  private rawId = new Float64Array(0);
  private rawPos = new Float64Array(0);
  private rawType = new Int32Array(0);
  private readonly rawElem: string[] = [];
  private atoms: AtomOrder | null = null;
  private seen = new Int32Array(0);
  private atomType = new Int32Array(0); // per sorted atom
  private readonly speciesBytes: Buffer[] = [];
  private typeElemConflictWarned = false;

  /** Size of the file being read (set when it is opened), for the atom-count check. */
  size: SizeBound | null = null;
  constructor(private readonly file: string, private readonly typeMap: Record<number, string>) {}

  private fail(msg: string, line: number, frame?: number): never {
    throw new ParseError(msg, frame === undefined ? { file: this.file, line } : { file: this.file, line, frame });
  }

  /** True when the file ended inside a frame. */
  get midFrame(): boolean {
    return this.state !== S_NONE || this.sawTimestep;
  }

  /** How far the unfinished frame got (for the end-of-file message). */
  get partialWhat(): string {
    return this.state === S_ATOMS ? `after ${this.row} of ${this.nAtoms} atom lines` : 'before its ITEM: ATOMS section is complete';
  }

  onLine(b: Buffer, s: number, e: number, line: number): void {
    if (this.state === S_ATOMS) {
      this.onAtomLine(b, s, e, line);
      if (++this.row === this.nAtoms) this.finishFrame(line);
      return;
    }
    // "ITEM: " starts a section.
    if (e - s >= 6 && b[s] === 73 && b[s + 1] === 84 && b[s + 2] === 69 && b[s + 3] === 77 && b[s + 4] === 58) {
      this.onItem(text(b, s + 6, e).trim(), line);
      return;
    }
    if (isBlank(b, s, e)) {
      if (this.state === S_NONE) return;
      this.fail('blank line inside a section', line, this.nFrames);
    }
    const nt = tokenize(b, s, e, this.tok);
    if (this.state === S_BOX) this.onBoxRow(b, nt, line);
    else this.onValue(b, s, e, nt, line);
  }

  private onItem(item: string, line: number): void {
    const known = KNOWN_ITEMS.test(item);
    if (known && this.state !== S_NONE) this.fail(`ITEM: ${item} comes before the previous section is complete`, line, this.nFrames);
    if (item === 'TIMESTEP') {
      if (this.sawTimestep) this.fail('two ITEM: TIMESTEP without ITEM: ATOMS between them', line, this.nFrames);
      this.sawTimestep = true;
      this.frameLine = line;
      this.state = S_TIMESTEP;
    } else if (item === 'UNITS') this.state = S_UNITS;
    else if (item === 'TIME') this.state = S_TIME;
    else if (item === 'NUMBER OF ATOMS') this.state = S_NATOMS;
    else if (item.startsWith('BOX BOUNDS')) this.onBoxItem(item);
    else if (item.startsWith('ATOMS')) this.onAtomsItem(item, line);
    else {
      this.fail(`unsupported section "ITEM: ${item}" (this reader handles atom dumps: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS, ATOMS, UNITS, TIME)`, line, this.nFrames);
    }
  }

  private onBoxItem(item: string): void {
    const words = item.slice(10).trim().split(/\s+/).filter((w) => w !== '');
    let flags = words;
    if (words[0] === 'xy' && words[1] === 'xz' && words[2] === 'yz') {
      this.boxKind = 'tri';
      flags = words.slice(3);
    } else if (words[0] === 'abc' && words[1] === 'origin') {
      this.boxKind = 'general';
      flags = words.slice(2);
    } else {
      this.boxKind = 'ortho';
    }
    if (!this.periodicWarned && flags.some((f) => f !== 'pp')) {
      this.periodicWarned = true;
      this.warnings.push(`box boundary flags "${flags.join(' ')}" are not all periodic (pp); treated as periodic`);
    }
    this.row = 0;
    this.state = S_BOX;
  }

  private onAtomsItem(item: string, line: number): void {
    if (!this.sawTimestep) this.fail('ITEM: ATOMS without a preceding ITEM: TIMESTEP', line, this.nFrames);
    if (this.frameAtoms < 0) this.fail('ITEM: ATOMS without a preceding ITEM: NUMBER OF ATOMS', line, this.nFrames);
    if (!this.sawBox) this.fail('ITEM: ATOMS without a preceding ITEM: BOX BOUNDS', line, this.nFrames);
    const names = item.slice(5).trim().split(/\s+/).filter((w) => w !== '');
    if (this.nFrames === 0 || this.cols === null || names.join(' ') !== this.cols.text) {
      const c = atomColumns(names);
      if (typeof c === 'string') this.fail(c, line, this.nFrames);
      if (c.id < 0 && this.nFrames === 0) this.warnings.push('dump has no id column: atoms are taken in file order, which LAMMPS only keeps with dump_modify sort id');
      if (this.tok.length < 2 * c.count) this.tok = new Int32Array(2 * c.count);
      this.cols = c;
    }
    this.row = 0;
    this.state = S_ATOMS;
  }

  /** The one value line of TIMESTEP, UNITS, TIME or NUMBER OF ATOMS (or a stray line). */
  private onValue(b: Buffer, s: number, e: number, nt: number, line: number): void {
    const tok = this.tok, f = this.nFrames;
    switch (this.state) {
      case S_TIMESTEP: {
        const v = nt === 1 ? parseIntBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isInteger(v)) this.fail(`ITEM: TIMESTEP value ${excerpt(b, s, e)} is not an integer`, line, f);
        this.currentStep = v;
        break;
      }
      case S_UNITS:
        this.units = text(b, s, e).trim();
        break;
      case S_TIME: {
        const v = nt === 1 ? parseNumberBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isFinite(v)) this.fail(`ITEM: TIME value ${excerpt(b, s, e)} is not a number`, line, f);
        this.timeValue = v;
        break;
      }
      case S_NATOMS: {
        const v = nt === 1 ? parseIntBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isInteger(v) || v < 0) this.fail(`ITEM: NUMBER OF ATOMS value ${excerpt(b, s, e)} is not a non-negative integer`, line, f);
        this.setAtomCount(v, line);
        break;
      }
      default:
        this.fail(`unexpected line ${excerpt(b, s, e)} outside any ITEM section${f > 0 ? ` (more atom lines than NUMBER OF ATOMS ${this.nAtoms}?)` : ''}`, line, f);
    }
    this.state = S_NONE;
  }

  private setAtomCount(v: number, line: number): void {
    if (this.nAtoms < 0) {
      if (v === 0) this.fail('NUMBER OF ATOMS is 0', line, this.nFrames);
      // Per atom: positions, id, type and the order arrays besides the three doubles of a frame.
      checkAtomCount(v, { file: this.file, line, frame: this.nFrames }, this.size, 'NUMBER OF ATOMS', 6, 64);
      this.nAtoms = v;
      this.rawId = new Float64Array(v);
      this.rawPos = new Float64Array(3 * v);
      this.rawType = new Int32Array(v);
      this.rawElem.length = v;
    } else if (v !== this.nAtoms) {
      this.fail(`NUMBER OF ATOMS is ${v} here but ${this.nAtoms} in frame 0; the atom count must stay the same`, line, this.nFrames);
    }
    this.frameAtoms = v;
  }

  private onBoxRow(b: Buffer, nt: number, line: number): void {
    const kind = this.boxKind, tok = this.tok, row = this.row;
    const want = kind === 'general' ? 4 : kind === 'tri' ? 3 : 2;
    if (nt !== want && !(kind === 'ortho' && nt === 3)) this.fail(`BOX BOUNDS line ${row + 1} has ${nt} numbers, expected ${want}`, line, this.nFrames);
    const stride = kind === 'general' ? 4 : 3;
    for (let k = 0; k < want; k++) {
      const v = parseNumberBytes(b, tok[2 * k], tok[2 * k + 1]);
      if (!Number.isFinite(v)) this.fail(`BOX BOUNDS value ${excerpt(b, tok[2 * k], tok[2 * k + 1])} is not a finite number`, line, this.nFrames);
      this.boxVals[stride * row + k] = v;
    }
    if (kind === 'ortho') this.boxVals[stride * row + 2] = 0;
    if (++this.row === 3) {
      const { lattice: L, origin: O } = lammpsBoxToLattice(kind, this.boxVals);
      if (kind !== 'general' && !(L[0] > 0 && L[4] > 0 && L[8] > 0)) {
        this.fail(`box bounds give edges ${L[0]}, ${L[4]}, ${L[8]} Å; expected lo < hi on every axis`, line, this.nFrames);
      }
      const bad = cellProblem(L);
      if (bad !== null) this.fail(`box: ${bad}`, line, this.nFrames);
      const o = this.lat.reserve(9); // may reallocate `lat.data`: take the offset first
      this.lat.data.set(L, o);
      this.Linv = inverse3(L);
      this.origin = O;
      this.sawBox = true;
      this.state = S_NONE;
    }
  }

  /** One atom line: id, type, element and the fractional position (image flags added), in file order. */
  private onAtomLine(b: Buffer, s: number, e: number, line: number): void {
    const c = this.cols!, tok = this.tok, i = this.row, f = this.nFrames;
    const nt = tokenize(b, s, e, tok);
    if (nt !== c.count) {
      this.fail(`atom line ${i + 1} of ${this.nAtoms} has ${nt} columns, expected ${c.count} (${c.text})` + (nt >= 1 && b[s] === 73 ? ' — fewer atom lines than NUMBER OF ATOMS?' : ''), line, f);
    }
    if (c.id >= 0) this.rawId[i] = this.intColumn(b, c.id, 'atom id', line);
    if (c.type >= 0) this.rawType[i] = this.intColumn(b, c.type, 'atom type', line);
    if (c.element >= 0) this.rawElem[i] = this.elementName(b, tok[2 * c.element], tok[2 * c.element + 1]);
    let x = parseNumberBytes(b, tok[2 * c.x], tok[2 * c.x + 1]);
    let y = parseNumberBytes(b, tok[2 * c.y], tok[2 * c.y + 1]);
    let z = parseNumberBytes(b, tok[2 * c.z], tok[2 * c.z + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      const bad = !Number.isFinite(x) ? c.x : !Number.isFinite(y) ? c.y : c.z;
      this.fail(`atom line ${i + 1}: position ${excerpt(b, tok[2 * bad], tok[2 * bad + 1])} is not a finite number`, line, f);
    }
    if (c.coord === Coord.Cart) {
      const Li = this.Linv, o = this.origin;
      x -= o[0];
      y -= o[1];
      z -= o[2];
      const fx = x * Li[0] + y * Li[3] + z * Li[6];
      const fy = x * Li[1] + y * Li[4] + z * Li[7];
      z = x * Li[2] + y * Li[5] + z * Li[8];
      x = fx;
      y = fy;
    }
    if (c.ix >= 0) {
      const ix = parseIntBytes(b, tok[2 * c.ix], tok[2 * c.ix + 1]);
      const iy = parseIntBytes(b, tok[2 * c.iy], tok[2 * c.iy + 1]);
      const iz = parseIntBytes(b, tok[2 * c.iz], tok[2 * c.iz + 1]);
      if (!Number.isInteger(ix) || !Number.isInteger(iy) || !Number.isInteger(iz)) this.fail(`atom line ${i + 1}: image flags are not integers`, line, f);
      x += ix;
      y += iy;
      z += iz;
    }
    this.rawPos[3 * i] = x;
    this.rawPos[3 * i + 1] = y;
    this.rawPos[3 * i + 2] = z;
  }

  private intColumn(b: Buffer, col: number, what: string, line: number): number {
    const v = parseIntBytes(b, this.tok[2 * col], this.tok[2 * col + 1]);
    if (!Number.isInteger(v)) this.fail(`${what} ${excerpt(b, this.tok[2 * col], this.tok[2 * col + 1])} is not an integer`, line, this.nFrames);
    return v;
  }

  /** Frame 0 names the species; later frames compare bytes against the known names (no string per atom). */
  private elementName(b: Buffer, es: number, ee: number): string {
    if (this.nFrames > 0) {
      for (let j = 0; j < this.speciesBytes.length; j++) if (bytesEqual(b, es, ee, this.speciesBytes[j])) return this.species[j];
    }
    return text(b, es, ee);
  }

  private finishFrame(line: number): void {
    if (this.nFrames === 0) this.firstFrame(line);
    this.storeFrame(line);
    this.steps.push(this.currentStep);
    if (this.timeValue !== null) this.times.push(this.timeValue);
    else this.allTimes = false;
    this.timeValue = null;
    this.nFrames++;
    this.sawTimestep = false;
    this.sawBox = false;
    this.state = S_NONE;
  }

  /** Frame 0 fixes the atom order (sorted ids) and the species of every atom. */
  private firstFrame(line: number): void {
    const n = this.nAtoms, c = this.cols!;
    this.atoms = new AtomOrder(c.id >= 0 ? this.rawId : null, n, (id) => this.fail(`atom id ${id} appears twice`, line, 0));
    const order = this.atoms.order;
    this.atomType = new Int32Array(n);
    this.speciesOf = new Uint16Array(n);
    const missing = new Set<number>();
    for (let r = 0; r < n; r++) {
      const i = order[r];
      const t = c.type >= 0 ? this.rawType[i] : 0;
      this.atomType[r] = t;
      const name = this.elementOf(c.element >= 0 ? this.rawElem[i] : undefined, t, c.type >= 0);
      if (name === undefined) missing.add(t);
      else this.speciesOf[r] = countSpecies(name, this.species, this.speciesBytes, this.counts);
    }
    if (missing.size > 0) {
      const ts = [...missing].sort((a, b) => a - b);
      throw new MetadataError(
        `atom type${ts.length > 1 ? 's' : ''} ${ts.join(', ')} ha${ts.length > 1 ? 've' : 's'} no element: the dump has no 'element' column` +
          ` and no type→element map was given. Pass one, e.g. typeMap { ${ts.map((t, j) => `${t}: 'El${j + 1}'`).join(', ')} }` +
          ' (or dump with `element` and `dump_modify element …`)',
        { file: this.file, line: this.frameLine, frame: 0 },
      );
    }
    this.frac = new GrowableF64(initialValues(n * 3), this.file);
    this.seen = new Int32Array(n).fill(-1);
  }

  /** Element of an atom of type `t`: the element column wins over the type map (warned once when they disagree). */
  private elementOf(column: string | undefined, t: number, hasType: boolean): string | undefined {
    const mapped = this.typeMap[t];
    if (column === undefined) return mapped;
    if (hasType && mapped !== undefined && mapped !== column && !this.typeElemConflictWarned) {
      this.typeElemConflictWarned = true;
      this.warnings.push(`typeMap says type ${t} is ${mapped}, the element column says ${column}: the element column wins`);
    }
    return column;
  }

  /** Copies the frame's positions into atom order, checking ids, elements and types against frame 0. */
  private storeFrame(line: number): void {
    const n = this.nAtoms, c = this.cols!, f = this.nFrames, atoms = this.atoms!;
    const base = this.frac!.reserve(n * 3);
    const d = this.frac!.data, raw = this.rawPos;
    for (let i = 0; i < n; i++) {
      let r = i;
      if (c.id >= 0) {
        const id = this.rawId[i];
        r = atoms.rank(id);
        if (r < 0) this.fail(`atom id ${id} is not among the ids of frame 0`, line, f);
        if (this.seen[r] === f) this.fail(`atom id ${id} appears twice`, line, f);
        this.seen[r] = f;
      }
      if (f > 0) this.checkSameAtom(i, r, line);
      d[base + 3 * r] = raw[3 * i];
      d[base + 3 * r + 1] = raw[3 * i + 1];
      d[base + 3 * r + 2] = raw[3 * i + 2];
    }
  }

  private checkSameAtom(i: number, r: number, line: number): void {
    const c = this.cols!;
    const who = `atom id ${c.id >= 0 ? this.rawId[i] : i + 1}`;
    if (c.element >= 0) {
      const was = this.species[this.speciesOf[r]];
      if (this.rawElem[i] !== was) this.fail(`${who} is ${this.rawElem[i]} here but ${was} in frame 0`, line, this.nFrames);
    } else if (c.type >= 0 && this.rawType[i] !== this.atomType[r]) {
      this.fail(`${who} has type ${this.rawType[i]} here but ${this.atomType[r]} in frame 0`, line, this.nFrames);
    }
  }
}
