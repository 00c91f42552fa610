/**
 * The vasprun.xml line handler, SAX-style: tags are tokenised line by line (VASP writes one
 * element per line; several tags on one line are fine, an element whose text spans lines is
 * not), with a small stack for context. It gathers `<parameters>`/`<incar>` values, the
 * `<atominfo>` tables, and one frame per `<structure>` directly inside a `<calculation>`,
 * fed into frames.ts accumulators. No DOM is built.
 */
import { cellProblem } from './plausibility.js';
import { checkAtomCount, initialValues, type SizeBound } from './budget.js';
import { ParseError } from './errors.js';
import { parseIntBytes, parseNumber, parseNumberBytes } from './number.js';
import { excerptBytes as excerpt, text } from './tokens.js';
import { GrowableF64 } from './frames.js';
import { volume } from '../trajectory/lattice.js';
import {
  nameAttr, R_ATOMS, R_ATOMTYPES, R_BASIS, R_NONE, R_POSITIONS, R_STEP, tagCode, trimRange, trimText,
  T_ARRAY, T_ATOMINFO, T_ATOMS, T_C, T_CALCULATION, T_CRYSTAL, T_GENERATOR, T_I, T_INCAR, T_MODELING, T_OTHER,
  T_PARAMETERS, T_RC, T_SET, T_STRUCTURE, T_V, T_VARRAY,
} from './vasprun-tags.js';

/** `<atominfo>` as read: element and type of every atom, and the per-type table. */
export interface AtomInfo {
  nAtoms: number;
  atomElements: string[];
  atomTypes: number[];
  typeCounts: number[];
  typeElements: string[];
}

export class VasprunParser {
  readonly incar = new Map<string, string>();
  readonly params = new Map<string, string>();
  generatorVersion: string | null = null;
  readonly atominfo: AtomInfo = { nAtoms: -1, atomElements: [], atomTypes: [], typeCounts: [], typeElements: [] };
  frac: GrowableF64 | null = null;
  readonly lat = new GrowableF64(64 * 9);
  nFrames = 0;
  /** Stack depth of the <structure> inside a <calculation>, -1 when outside. */
  stepDepth = -1;
  frameStartLine = 0;
  sawEnd = false;
  lastLine = 0;

  private readonly stack = new Int32Array(256);
  private readonly roles = new Int32Array(256);
  private depth = 0;
  private inIncar = 0;
  private inParams = 0;
  private inAtominfo = 0;
  private inGenerator = 0;
  private pendingIName: string | null = null;
  private rcCol = 0;
  private rcA: string | null = null;
  private rcB: string | null = null;
  private basisRows = 0;
  private posRows = 0;
  private frameLatOff = 0;
  private framePosOff = 0;

  /** Size of the file being read (set when it is opened), for the atom-count check. */
  size: SizeBound | null = null;
  constructor(private readonly file: string) {}

  private fail(msg: string, line: number, frame?: number): never {
    throw new ParseError(msg, frame === undefined ? { file: this.file, line } : { file: this.file, line, frame });
  }

  /** The frame a message is about: the current one while inside an MD step structure. */
  private get frameHere(): number | undefined {
    return this.stepDepth >= 0 ? this.nFrames : undefined;
  }

  onLine(b: Buffer, s: number, e: number, line: number): void {
    this.lastLine = line;
    let p = s;
    // Start of the text after the last opening tag on this line (-1: none on this line).
    let textFrom = -1;
    while (p < e) {
      let lt = p;
      while (lt < e && b[lt] !== 60) lt++;
      if (lt >= e) break;
      let gt = lt + 1;
      while (gt < e && b[gt] !== 62) gt++;
      if (gt >= e) this.fail(`tag starting ${excerpt(b, lt, e)} is not closed on its line`, line, this.frameHere);
      const c1 = b[lt + 1];
      if (c1 === 47) {
        this.closeTag(b, lt, gt, textFrom, line);
        textFrom = -1;
      } else if (c1 !== 63 && c1 !== 33) { // <?xml …?> and <!-- … --> carry nothing we need
        textFrom = this.openTag(b, lt, gt, line);
      }
      p = gt + 1;
    }
  }

  /** `</name>` at `b[lt, gt]`; the element's text is `b[textFrom, lt)` when it began on this line. */
  private closeTag(b: Buffer, lt: number, gt: number, textFrom: number, line: number): void {
    let ne = lt + 2;
    while (ne < gt && b[ne] !== 32 && b[ne] !== 9) ne++;
    const code = tagCode(b, lt + 2, ne);
    if (this.depth === 0) this.fail(`closing tag </${text(b, lt + 2, ne)}> without an opening tag`, line);
    this.depth--;
    if (this.stack[this.depth] !== code) {
      this.fail(`closing tag </${text(b, lt + 2, ne)}> does not match the open element`, line, this.frameHere);
    }
    const hasText = textFrom >= 0;
    this.onClose(code, this.roles[this.depth], b, hasText ? textFrom : lt, lt, hasText, line);
  }

  /** `<name …>` or `<name …/>` at `b[lt, gt]`; returns where its text starts (-1: self-closing). */
  private openTag(b: Buffer, lt: number, gt: number, line: number): number {
    let ne = lt + 1;
    while (ne < gt && b[ne] !== 32 && b[ne] !== 9 && b[ne] !== 47) ne++;
    const code = tagCode(b, lt + 1, ne);
    const selfClosing = b[gt - 1] === 47;
    const role = this.onOpen(code, b, ne, selfClosing ? gt - 1 : gt, line);
    if (selfClosing) {
      if (code === T_I) this.pendingIName = null;
      return -1;
    }
    if (this.depth >= this.stack.length) this.fail('elements nested too deeply', line);
    this.stack[this.depth] = code;
    this.roles[this.depth] = role;
    if (role === R_STEP) this.stepDepth = this.depth;
    this.depth++;
    return gt + 1;
  }

  /** Role of the element just opened (attributes in `b[as, ae)`). */
  private onOpen(code: number, b: Buffer, as: number, ae: number, line: number): number {
    const depth = this.depth;
    const parent = depth > 0 ? this.stack[depth - 1] : T_OTHER;
    const parentRole = depth > 0 ? this.roles[depth - 1] : R_NONE;
    switch (code) {
      case T_STRUCTURE:
        if (parent !== T_CALCULATION) return R_NONE;
        this.startFrame(line);
        return R_STEP;
      case T_VARRAY: {
        if (this.stepDepth < 0) return R_NONE;
        const nm = nameAttr(b, as, ae);
        if (nm === 'basis' && parent === T_CRYSTAL && depth - 2 === this.stepDepth) return R_BASIS;
        if (nm === 'positions' && depth - 1 === this.stepDepth) return R_POSITIONS;
        return R_NONE;
      }
      case T_ARRAY: {
        if (!this.inAtominfo) return R_NONE;
        const nm = nameAttr(b, as, ae);
        return nm === 'atoms' ? R_ATOMS : nm === 'atomtypes' ? R_ATOMTYPES : R_NONE;
      }
      case T_RC:
        this.rcCol = 0;
        this.rcA = this.rcB = null;
        return parentRole === R_ATOMS || parentRole === R_ATOMTYPES ? parentRole : R_NONE;
      case T_SET:
        // Rows of the atominfo arrays sit in <set>; pass the array's role down.
        return parentRole === R_ATOMS || parentRole === R_ATOMTYPES ? parentRole : R_NONE;
      case T_I:
        this.pendingIName = this.inIncar || this.inParams || this.inGenerator ? nameAttr(b, as, ae) : null;
        return R_NONE;
      case T_INCAR: this.inIncar++; return R_NONE;
      case T_PARAMETERS: this.inParams++; return R_NONE;
      case T_ATOMINFO: this.inAtominfo++; return R_NONE;
      case T_GENERATOR: this.inGenerator++; return R_NONE;
      default:
        return R_NONE;
    }
  }

  /** The element `code` (role `role`) closes; its text is `b[ts, te)` when `hasText`. */
  private onClose(code: number, role: number, b: Buffer, ts: number, te: number, hasText: boolean, line: number): void {
    const parentRole = this.depth > 0 ? this.roles[this.depth - 1] : R_NONE;
    switch (code) {
      case T_V:
        if (this.stepDepth >= 0 && (parentRole === R_BASIS || parentRole === R_POSITIONS)) this.onRow(parentRole, b, ts, te, hasText, line);
        break;
      case T_I:
        if (this.pendingIName !== null && hasText) this.onValue(this.pendingIName, trimText(b, ts, te));
        this.pendingIName = null;
        break;
      case T_ATOMS:
        if (this.inAtominfo && hasText) {
          const n = parseIntBytes(b, ...trimRange(b, ts, te));
          if (!(n > 0)) this.fail(`<atoms> holds ${excerpt(b, ts, te)}, expected a positive atom count`, line);
          // A position row is at least "<v>0 0 0</v>" (12 bytes).
          checkAtomCount(n, { file: this.file, line }, this.size, '<atoms> count', 12);
          this.atominfo.nAtoms = n;
        }
        break;
      case T_C:
        if (parentRole === R_ATOMS || parentRole === R_ATOMTYPES) {
          if (this.rcCol === 0) this.rcA = hasText ? trimText(b, ts, te) : '';
          else if (this.rcCol === 1) this.rcB = hasText ? trimText(b, ts, te) : '';
          this.rcCol++;
        }
        break;
      case T_RC: this.onAtominfoRow(role, line); break;
      case T_STRUCTURE:
        if (role === R_STEP) {
          this.endFrame(line);
          this.stepDepth = -1;
        }
        break;
      case T_INCAR: this.inIncar--; break;
      case T_PARAMETERS: this.inParams--; break;
      case T_ATOMINFO: this.inAtominfo--; break;
      case T_GENERATOR: this.inGenerator--; break;
      case T_MODELING: this.sawEnd = true; break;
    }
  }

  /** `<i name="…">value</i>` of <parameters>, <incar> or <generator>. */
  private onValue(name: string, v: string): void {
    if (this.inParams) this.params.set(name, v);
    else if (this.inIncar) this.incar.set(name, v);
    else if (this.inGenerator && name === 'version') this.generatorVersion = v;
  }

  /** A `<rc>` row of the atominfo `atoms` (element, type) or `atomtypes` (count, element) array. */
  private onAtominfoRow(role: number, line: number): void {
    const { rcA, rcB } = this, ai = this.atominfo;
    if (role === R_ATOMS) {
      const t = rcB === null ? NaN : parseNumber(rcB);
      if (rcA === null || !Number.isInteger(t) || t < 1) this.fail(`<atominfo> atom row is not (element, type): ${JSON.stringify([rcA, rcB])}`, line);
      ai.atomElements.push(rcA);
      ai.atomTypes.push(t);
    } else if (role === R_ATOMTYPES) {
      const n = rcA === null ? NaN : parseNumber(rcA);
      if (!Number.isInteger(n) || n < 0 || rcB === null) this.fail(`<atominfo> type row is not (count, element): ${JSON.stringify([rcA, rcB])}`, line);
      ai.typeCounts.push(n);
      ai.typeElements.push(rcB);
    }
  }

  /** A `<v>` row of the basis or the positions of the current MD step. */
  private onRow(role: number, b: Buffer, ts: number, te: number, hasText: boolean, line: number): void {
    const f = this.nFrames;
    if (!hasText) this.fail('<v> row spans several lines; expected one row per line as VASP writes it', line, f);
    if (role === R_BASIS) {
      if (this.basisRows >= 3) this.fail('basis has more than 3 rows', line, f);
      this.readRow(b, ts, te, this.lat.data, this.frameLatOff + 3 * this.basisRows++, line, 'basis');
    } else {
      const n = this.atominfo.nAtoms;
      if (this.posRows >= n) this.fail(`positions have more than ${n} rows (the number of atoms)`, line, f);
      this.readRow(b, ts, te, this.frac!.data, this.framePosOff + 3 * this.posRows++, line, 'positions');
    }
  }

  /** Parses a `<v>` row of 3 numbers into `dst[o..o+2]`. */
  private readRow(b: Buffer, s: number, e: number, dst: Float64Array, o: number, line: number, what: string): void {
    let n = 0;
    let i = s;
    while (i < e) {
      while (i < e && (b[i] === 32 || b[i] === 9)) i++;
      if (i >= e) break;
      const t = i;
      while (i < e && b[i] !== 32 && b[i] !== 9) i++;
      const v = parseNumberBytes(b, t, i);
      if (n >= 3) this.fail(`${what} row has more than 3 numbers`, line, this.nFrames);
      if (!Number.isFinite(v)) this.fail(`${what} row holds ${excerpt(b, t, i)}, expected a finite number`, line, this.nFrames);
      dst[o + n++] = v;
    }
    if (n !== 3) this.fail(`${what} row has ${n} numbers, expected 3`, line, this.nFrames);
  }

  private startFrame(line: number): void {
    const nAtoms = this.atominfo.nAtoms;
    if (nAtoms <= 0) this.fail('found an MD step <structure> before <atominfo> gave the number of atoms', line);
    if (this.frac === null) {
      const nsw = parseNumber(this.params.get('NSW') ?? this.incar.get('NSW') ?? '');
      const guess = Number.isFinite(nsw) && nsw > 0 ? Math.min(nsw + 1, 100000) : 64;
      this.frac = new GrowableF64(initialValues(nAtoms * 3, guess), this.file);
    }
    this.basisRows = 0;
    this.posRows = 0;
    this.frameLatOff = this.lat.reserve(9);
    this.framePosOff = this.frac.reserve(nAtoms * 3);
    this.frameStartLine = line;
  }

  private endFrame(line: number): void {
    const f = this.nFrames, n = this.atominfo.nAtoms;
    if (this.basisRows !== 3) this.fail(`<structure> of this step has ${this.basisRows} basis rows, expected 3`, line, f);
    if (this.posRows !== n) this.fail(`<structure> of this step has ${this.posRows} position rows, expected ${n} (one per atom)`, line, f);
    const L = this.lat.data.subarray(this.frameLatOff, this.frameLatOff + 9);
    const bad = cellProblem(L);
    if (bad !== null) this.fail(`lattice (basis): ${bad}`, line, f);
    this.nFrames++;
  }
}
