/**
 * CP2K MD positions: `PROJECT-pos-1.xyz` with its cell from `PROJECT-1.cell` or the input's
 * `&CELL` (cp2k-cell.ts).
 *
 * Each frame: atom count; a comment `i = STEP, time = T_FS, E = …`; one line per atom
 * `Element x y z` (Å). The step number picks the frame's row in the .cell file (a variable cell);
 * a .cell whose rows are all equal, or an input cell, applies to every frame. The frame interval
 * is the spacing of the `time =` values (fs) when it is even. Atom names are read as elements
 * (`Li`, `O1` → O); every frame must list the same elements in the same order.
 */
import { createHash } from 'node:crypto';
import type { Trajectory } from '../trajectory/types.js';
import { inverse3 } from '../trajectory/lattice.js';
import { hashFile, type HashSink } from './byte-source.js';
import { ParseError } from './errors.js';
import { elementFromAtomName } from './elements.js';
import { checkFramesEnd, fileMetadata, GrowableF64, singleFileTrajectory } from './frames.js';
import { findCp2kCells, type Cp2kCells } from './cp2k-cell.js';
import { parseIntBytes, parseNumber, parseNumberBytes } from './number.js';
import { scanLines } from './scan-lines.js';
import { excerptBytes, isBlank, text, tokenize } from './tokens.js';

export interface Cp2kOptions {
  allowTruncated?: boolean;
  /** Fed with the cell file's bytes, then the trajectory's. */
  hash?: HashSink;
}

const COMMENT = /^\s*i\s*=\s*(-?\d+)\s*,\s*time\s*=\s*([-+0-9.eEdD]+)/;

/** CP2K positions by content: a count line, then the `i = …, time = …` comment. */
export function sniffCp2kPos(head: string): boolean {
  const l = head.split('\n', 3);
  return l.length >= 2 && /^\s*\d+\s*$/.test(l[0]) && COMMENT.test(l[1]);
}

const ST_COUNT = 0, ST_COMMENT = 1, ST_ATOMS = 2;

class Cp2kParser {
  nAtoms = -1;
  nFrames = 0;
  frameLine = 0;
  readonly frac = new GrowableF64(1 << 12);
  readonly lat = new GrowableF64(64 * 9);
  readonly times: number[] = [];
  readonly species: string[] = [];
  readonly counts: number[] = [];
  speciesOf = new Uint16Array(0);
  private names: string[] = [];
  private state = ST_COUNT;
  private atom = 0;
  private base = 0;
  private Linv: Float64Array = new Float64Array(9);
  private readonly tok = new Int32Array(16);
  private readonly fixed: Float64Array | null;

  constructor(private readonly file: string, private readonly cells: Cp2kCells) {
    const rows = [...cells.byStep.values()];
    this.fixed = cells.fixed ?? (rows.every((r) => r.every((x, k) => x === rows[0][k])) ? rows[0] : null);
  }

  get partialWhat(): string | null {
    if (this.state === ST_COUNT) return null;
    return this.state === ST_COMMENT ? 'after its count line' : `after ${this.atom} of ${this.nAtoms} atom lines`;
  }

  private fail(msg: string, line: number, frame = this.nFrames): never {
    throw new ParseError(msg, { file: this.file, line, frame });
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
      this.base = this.frac.reserve(this.nAtoms * 3);
      this.atom = 0;
      this.state = ST_ATOMS;
    } else if (!isBlank(b, s, e)) {
      const n = tokenize(b, s, e, this.tok);
      const v = n === 1 ? parseIntBytes(b, this.tok[0], this.tok[1]) : NaN;
      if (!(v > 0)) this.fail(`expected the atom count of a frame, found "${excerptBytes(b, s, e)}"`, line);
      if (this.nAtoms < 0) {
        this.nAtoms = v;
        this.speciesOf = new Uint16Array(v);
      } else if (v !== this.nAtoms) this.fail(`atom count ${v} differs from the first frame's ${this.nAtoms}`, line);
      this.frameLine = line;
      this.state = ST_COMMENT;
    }
  }

  private onComment(c: string, line: number): void {
    const m = COMMENT.exec(c);
    if (!m) this.fail(`comment "${c.trim().slice(0, 60)}" is not CP2K's "i = STEP, time = FS, E = …"`, line);
    const step = Number(m[1]);
    const time = parseNumber(m[2]);
    if (!Number.isFinite(time)) this.fail(`time "${m[2]}" is not a number`, line);
    this.times.push(time);
    const L = this.fixed ?? this.cells.byStep.get(step);
    if (!L) this.fail(`no row for step ${step} in ${this.cells.path}, whose cell changes; expected the cell printed at every position step`, line);
    try {
      this.Linv = inverse3(L);
    } catch {
      this.fail(`the cell of step ${step} (${this.cells.path}) is singular`, line);
    }
    const o = this.lat.reserve(9);
    this.lat.data.set(L, o);
  }

  private onAtom(b: Buffer, s: number, e: number, line: number): void {
    const t = this.tok;
    const n = tokenize(b, s, e, t);
    if (n < 4) this.fail(`atom line "${excerptBytes(b, s, e)}" is not "Element x y z"`, line);
    const x = parseNumberBytes(b, t[2], t[3]), y = parseNumberBytes(b, t[4], t[5]), z = parseNumberBytes(b, t[6], t[7]);
    if (!Number.isFinite(x + y + z)) this.fail(`atom line "${excerptBytes(b, s, e)}": x y z are not three numbers (Å)`, line);
    const name = text(b, t[0], t[1]);
    const i = this.atom;
    if (this.nFrames === 0) {
      const el = elementFromAtomName(name);
      if (el === null) this.fail(`atom name "${name}" is not an element symbol`, line);
      let k = this.species.indexOf(el);
      if (k < 0) {
        k = this.species.length;
        this.species.push(el);
        this.counts.push(0);
      }
      this.counts[k]++;
      this.speciesOf[i] = k;
      this.names.push(name);
    } else if (name !== this.names[i]) {
      this.fail(`atom ${i} is "${name}" but "${this.names[i]}" in frame 0; expected the same atoms in the same order`, line);
    }
    const I = this.Linv, p = this.base + i * 3, d = this.frac.data;
    d[p] = x * I[0] + y * I[3] + z * I[6];
    d[p + 1] = x * I[1] + y * I[4] + z * I[7];
    d[p + 2] = x * I[2] + y * I[5] + z * I[8];
    this.atom++;
  }
}

export async function readCp2kPos(path: string, opts: Cp2kOptions = {}): Promise<Trajectory> {
  const cells = await findCp2kCells(path);
  const own = createHash('sha256');
  const extra = opts.hash;
  const hash: HashSink = { update(c: Buffer) { own.update(c); extra?.update(c); } };
  await hashFile(cells.path, hash);
  const p = new Cp2kParser(path, cells);
  const { lines } = await scanLines(path, (b, s, e, line) => p.onLine(b, s, e, line), hash);
  const { nFrames, nAtoms, times, lat } = p;
  const warnings: string[] = [];
  const what = p.partialWhat;
  const partial = what === null ? null : { frameLine: p.frameLine, what };
  checkFramesEnd({ file: path, lines, nFrames, partial, allowTruncated: opts.allowTruncated, warnings });
  if (partial !== null) {
    lat.truncate(nFrames * 9);
    times.length = nFrames;
  }
  const md = fileMetadata('cp2k-pos', path, own.digest('hex'));
  md.sources.cell = cells.path;
  if (nFrames >= 2) {
    const dt = (times[nFrames - 1] - times[0]) / (nFrames - 1);
    // CP2K prints time with 3 decimals (fs).
    const even = dt > 0 && times.every((t, f) => f === 0 || Math.abs(t - times[f - 1] - dt) <= 1e-3 * dt + 2e-3);
    if (even) {
      md.frameIntervalFs = Number(dt.toPrecision(9));
      md.sources.frameIntervalFs = 'CP2K time = (fs)';
    } else {
      warnings.push('time = values of the frames are not evenly spaced; frame interval unknown — give frame_interval_fs in ionsift.json or on the command line');
    }
  }
  return singleFileTrajectory(path, { nFrames, nAtoms, species: p.species, counts: p.counts, speciesOf: p.speciesOf, frac: p.frac, lat, metadata: md, warnings });
}
