/**
 * VASP OUTCAR positions reader, for archives that kept OUTCAR and lost XDATCAR.
 *
 * What it takes:
 *   - species and counts from the header: element names (POTCAR TITEL / VRHFIN / "POTCAR:" lines,
 *     via `readOutcar`) and `ions per type`;
 *   - the cell from each `direct lattice vectors` block (first three numbers of the next three
 *     lines; the latest one before a positions block is that frame's cell, so NPT works);
 *   - frames from each `POSITION  TOTAL-FORCE` block: a dashed line, then one line per atom whose
 *     first three numbers are Cartesian positions in Å (forces ignored), then a dashed line;
 *   - which ionic step each block belongs to from the `Iteration  N(  k)` lines before it.
 * Frame interval: POTIM × the spacing of those step numbers when it is even (VASP with NWRITE=0
 * prints only the first and last step: a spacing of NSW − 1). Machine-learned force-field runs
 * (ML_LMLFF = T or ML_MODE) print a block every ML_OUTBLOCK steps and no electronic iterations
 * for predicted steps: POTIM × ML_OUTBLOCK there (ML_OUTBLOCK defaults to 1). Otherwise the
 * interval is left unknown with a warning. Temperature: TEBEG when TEEND equals it.
 */
import type { Hash } from 'node:crypto';
import type { Trajectory } from '../trajectory/types.js';
import { inverse3 } from '../trajectory/lattice.js';
import { ParseError } from './errors.js';
import { fileMetadata, GrowableF64, singleFileTrajectory } from './frames.js';
import { readOutcar } from './incar.js';
import { parseNumber, parseNumberBytes } from './number.js';
import { scanLines } from './scan-lines.js';
import { excerptBytes, isBlank, text, tokenize } from './tokens.js';

export interface OutcarOptions {
  /** Keep the complete frames of a file whose last positions block is cut off. */
  allowTruncated?: boolean;
  hash?: Hash;
}

/** OUTCAR by content: VASP's version line, then its POTCAR echo. */
export function sniffOutcar(head: string): boolean {
  return /^\s*vasp\.\d/.test(head) && /POTCAR:|TITEL|INCAR:/.test(head);
}

const ST_TEXT = 0, ST_LATTICE = 1, ST_POS_DASH = 2, ST_POS = 3;

class OutcarParser {
  readonly frac: GrowableF64;
  readonly lat = new GrowableF64(64 * 9);
  nFrames = 0;
  /** Ionic step of each frame (null when no Iteration line preceded it). */
  readonly steps: (number | null)[] = [];
  mlff = false;
  mlOutblock: number | null = null;
  frameLine = 0;
  private step: number | null = null;
  private state = ST_TEXT;
  private row = 0;
  private atom = 0;
  private base = 0;
  private readonly L = new Float64Array(9);
  private haveL = false;
  private Linv: Float64Array = new Float64Array(9);
  private readonly tok = new Int32Array(16);

  constructor(private readonly file: string, readonly nAtoms: number) {
    this.frac = new GrowableF64(64 * nAtoms * 3);
  }

  /** How far an unfinished positions block got, or null. */
  get partialWhat(): string | null {
    if (this.state === ST_POS_DASH) return 'after its POSITION header';
    if (this.state === ST_POS) return `after ${this.atom} of ${this.nAtoms} atom lines`;
    return null;
  }

  private fail(msg: string, line: number, frame?: number): never {
    throw new ParseError(msg, frame === undefined ? { file: this.file, line } : { file: this.file, line, frame });
  }

  onLine(b: Buffer, s: number, e: number, line: number): void {
    if (this.state === ST_POS) return this.onAtom(b, s, e, line);
    if (this.state === ST_LATTICE) return this.onLatticeRow(b, s, e, line);
    if (this.state === ST_POS_DASH) {
      if (!/^\s*-+\s*$/.test(text(b, s, e))) this.fail(`expected the dashed line under POSITION, found "${excerptBytes(b, s, e)}"`, line, this.nFrames);
      this.state = ST_POS;
      this.atom = 0;
      this.base = this.frac.reserve(this.nAtoms * 3);
      return;
    }
    if (e - s < 8) return;
    const l = text(b, s, e);
    if (l.includes('direct lattice vectors')) {
      this.state = ST_LATTICE;
      this.row = 0;
    } else if (/^\s*POSITION\s+TOTAL-FORCE/.test(l)) {
      if (!this.haveL) this.fail('POSITION block before any "direct lattice vectors"; expected the cell first', line, this.nFrames);
      this.frameLine = line;
      this.state = ST_POS_DASH;
    } else if (l.includes('Iteration')) {
      const m = /-\s*Iteration\s+(\d+)\s*\(/.exec(l);
      if (m) this.step = Number(m[1]);
    } else if (l.includes('ML_')) {
      let m: RegExpExecArray | null;
      if ((m = /\bML_OUTBLOCK\s*=\s*(\S+)/.exec(l))) this.mlOutblock = parseNumber(m[1]);
      if (/\bML_LMLFF\s*=\s*\.?T/i.test(l) || /\bML_MODE\s*=\s*\w/i.test(l)) this.mlff = true;
    }
  }

  private onLatticeRow(b: Buffer, s: number, e: number, line: number): void {
    const n = tokenize(b, s, e, this.tok);
    const v = [0, 1, 2].map((k) => (k < n ? parseNumberBytes(b, this.tok[2 * k], this.tok[2 * k + 1]) : NaN));
    if (v.some((x) => !Number.isFinite(x))) this.fail(`lattice row "${excerptBytes(b, s, e)}" is not three numbers (Å)`, line);
    this.L.set(v, this.row * 3);
    if (++this.row === 3) {
      this.state = ST_TEXT;
      try {
        this.Linv = inverse3(this.L);
      } catch {
        this.fail(`singular lattice [${Array.from(this.L).join(' ')}]; expected three independent vectors`, line);
      }
      this.haveL = true;
    }
  }

  private onAtom(b: Buffer, s: number, e: number, line: number): void {
    const n = tokenize(b, s, e, this.tok);
    if (this.atom === this.nAtoms) {
      // The closing dashed line: the frame is complete.
      if (n !== 1 || !/^-+$/.test(text(b, s, e).trim())) this.fail(`more than ${this.nAtoms} atom lines (ions per type) in the positions block; found "${excerptBytes(b, s, e)}"`, line, this.nFrames);
      const o = this.lat.reserve(9);
      this.lat.data.set(this.L, o);
      this.steps.push(this.step);
      this.nFrames++;
      this.state = ST_TEXT;
      return;
    }
    if (isBlank(b, s, e) || (n === 1 && /^-+$/.test(text(b, s, e).trim()))) {
      this.fail(`positions block ends after ${this.atom} atom lines; expected ${this.nAtoms} (ions per type)`, line, this.nFrames);
    }
    let x: number, y: number, z: number;
    if (n >= 6) {
      const t = this.tok;
      x = parseNumberBytes(b, t[0], t[1]);
      y = parseNumberBytes(b, t[2], t[3]);
      z = parseNumberBytes(b, t[4], t[5]);
    } else {
      // Fortran 3F13.5 with no blank left between large values.
      x = parseNumberBytes(b, s, Math.min(e, s + 13));
      y = parseNumberBytes(b, s + 13, Math.min(e, s + 26));
      z = parseNumberBytes(b, s + 26, Math.min(e, s + 39));
      if (e - s < 39) x = NaN;
    }
    if (!Number.isFinite(x + y + z)) this.fail(`atom line "${excerptBytes(b, s, e)}" does not start with three numbers (x y z, Å)`, line, this.nFrames);
    const I = this.Linv, p = this.base + this.atom * 3, d = this.frac.data;
    d[p] = x * I[0] + y * I[3] + z * I[6];
    d[p + 1] = x * I[1] + y * I[4] + z * I[7];
    d[p + 2] = x * I[2] + y * I[5] + z * I[8];
    this.atom++;
  }
}

export async function readOutcarPositions(path: string, opts: OutcarOptions = {}): Promise<Trajectory> {
  const head = await readOutcar(path);
  const counts = head.ionsPerType;
  if (!counts || counts.length === 0 || counts.some((c) => !Number.isSafeInteger(c) || c <= 0)) {
    throw new ParseError('no valid "ions per type" line in the header; expected e.g. "ions per type = 20 2 4 24"', { file: path });
  }
  const species = head.elements;
  if (!species || species.length !== counts.length) {
    throw new ParseError(`element names (POTCAR TITEL/VRHFIN lines: ${species?.join(' ') ?? 'none'}) do not match the ${counts.length} ion types; expected one name per type`, { file: path });
  }
  const nAtoms = counts.reduce((a, b) => a + b, 0);
  const p = new OutcarParser(path, nAtoms);
  const { contentHash, lines } = await scanLines(path, (b, s, e, line) => p.onLine(b, s, e, line), opts.hash);
  const warnings: string[] = [];
  const what = p.partialWhat;
  if (what !== null) {
    const msg = `file ends inside frame ${p.nFrames} (POSITION block begun on line ${p.frameLine}), ${what}: truncated`;
    if (!opts.allowTruncated || p.nFrames === 0) throw new ParseError(p.nFrames > 0 ? `${msg}. Pass allowTruncated to keep the ${p.nFrames} complete frames` : msg, { file: path, line: lines, frame: p.nFrames });
    warnings.push(`${msg}; the incomplete frame was dropped`);
  }
  const { nFrames } = p;
  if (nFrames === 0) throw new ParseError('no POSITION/TOTAL-FORCE blocks found; expected an MD (IBRION = 0) OUTCAR', { file: path, line: Math.max(1, lines) });

  const md = fileMetadata('outcar', path, contentHash);
  const potim = head.potimFs;
  if (potim !== null && potim > 0) {
    md.timestepFs = potim;
    md.sources.timestepFs = 'OUTCAR POTIM';
  }
  let every: number | null = null;
  let how = '';
  if (p.mlff) {
    every = p.mlOutblock ?? 1;
    how = `ML_OUTBLOCK${p.mlOutblock === null ? ' (default 1)' : ''}`;
  } else if (p.steps.every((x) => x !== null)) {
    const st = p.steps as number[];
    const d = nFrames >= 2 ? st[1] - st[0] : 1;
    if (d > 0 && st.every((x, i) => i === 0 || x - st[i - 1] === d)) {
      every = d;
      how = nFrames >= 2 ? `ionic steps ${st[0]}, ${st[1]}, … of the POSITION blocks` : 'one frame';
    } else {
      warnings.push(`the POSITION blocks belong to unevenly spaced ionic steps (${st.slice(0, 6).join(', ')}${nFrames > 6 ? ', …' : ''}); frame interval unknown — give frame_interval_fs in ionsift.json or on the command line`);
    }
  } else {
    warnings.push('no "Iteration" lines tell which ionic step each POSITION block belongs to; frame interval unknown — give frame_interval_fs in ionsift.json or on the command line');
  }
  if (every !== null) {
    md.stepsPerFrame = every;
    md.sources.stepsPerFrame = `OUTCAR ${how}`;
    if (md.timestepFs !== null) {
      md.frameIntervalFs = md.timestepFs * every;
      md.sources.frameIntervalFs = `OUTCAR POTIM × ${how}`;
    }
  }
  if (head.tebegK !== null && (head.teendK === null || head.teendK === head.tebegK)) {
    md.temperatureK = head.tebegK;
    md.sources.temperatureK = 'OUTCAR TEBEG';
  }
  const speciesOf = new Uint16Array(nAtoms);
  let a = 0;
  counts.forEach((c, k) => { speciesOf.fill(k, a, a + c); a += c; });
  return singleFileTrajectory(path, { nFrames, nAtoms, species: [...species], counts: [...counts], speciesOf, frac: p.frac, lat: p.lat, metadata: md, warnings });
}
