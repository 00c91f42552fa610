/**
 * Extended XYZ (extxyz) reader.
 *
 * What the format holds: a sequence of frames, each
 *   line 1: atom count N;
 *   line 2: `key=value` pairs (values bare, "double-quoted", {braced} or [bracketed]), e.g.
 *           Lattice="ax ay az bx by bz cx cy cz" Properties=species:S:1:pos:R:3 Time=10.0
 *           Temperature=600 pbc="T T T"; a key alone means true;
 *   N lines: one atom each, columns as declared by `Properties=name:type:ncols:…`
 *           (default species:S:1:pos:R:3), in any order.
 *
 * What this reader takes: `Lattice` (required: ion transport needs periodic cells; rows a,
 * b, c in Å), `Properties` (the `species` S:1 and `pos` R:3 columns, anywhere in the line),
 * `Time` (fs, assumed — there is no unit field; evenly spaced values give the frame interval),
 * `Temperature` (K; mean over frames), `pbc` (a non-periodic direction gives a warning).
 * Cartesian `pos` is converted to fractional with each frame's lattice; the lattice is stored
 * per frame only when it changes.
 *
 * Species order is the order of first appearance; atoms keep file order (speciesOf per atom),
 * so atoms of one element need not be contiguous. Every frame must list the same elements
 * in the same order and the same number of atoms.
 *
 * Deliberately ignored: every other per-atom column (forces, velocities, masses, charges,
 * tags…), every other comment key (energy, stress, virial, config_type…), and the Fortran-
 * style or ASE-specific quirks beyond the keys above (e.g. `Z` without `species`).
 */
import type { Hash } from 'node:crypto';
import { ParseError } from './errors.js';
import { parseIntBytes, parseNumber, parseNumberBytes } from './number.js';
import { scanLines } from './scan-lines.js';
import { bytesEqual, excerptBytes as excerpt, isBlank, text, tokenize } from './tokens.js';
import { GrowableF64, checkFramesEnd, countSpecies, fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory } from '../trajectory/types.js';
import { inverse3, volume } from '../trajectory/lattice.js';

export interface ExtxyzOptions {
  /** Keep the complete frames of a file whose last frame is cut off (warning instead of error). */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
}

/** Content detection from the first few KB of text. */
export function sniffExtxyz(head: string): boolean {
  const lines = head.split('\n', 4);
  if (lines.length < 2) return false;
  if (!/^\s*\d+\s*$/.test(lines[0]) || Number(lines[0]) <= 0) return false;
  if (/(^|\s)(lattice|properties)\s*=/i.test(lines[1])) return true;
  // Plain XYZ (no Lattice): still ours, so that the user gets "needs Lattice" rather than "unknown format".
  return lines.length >= 3 && /^\s*[A-Z][a-z]?\s+[-+.\d]/.test(lines[2]);
}

/** Splits an extxyz comment line into keys (lower-cased) and raw values (quotes removed). */
export function parseCommentLine(line: string): Map<string, string> {
  const out = new Map<string, string>();
  const n = line.length;
  let i = 0;
  const ws = (c: string) => c === ' ' || c === '\t' || c === '\r';
  while (i < n) {
    while (i < n && ws(line[i])) i++;
    if (i >= n) break;
    const k0 = i;
    while (i < n && !ws(line[i]) && line[i] !== '=') i++;
    const key = line.slice(k0, i).toLowerCase();
    let j = i;
    while (j < n && ws(line[j])) j++;
    if (j < n && line[j] === '=') {
      j++;
      while (j < n && ws(line[j])) j++;
      let value = '';
      const q = line[j];
      if (q === '"' || q === "'") {
        let k = j + 1;
        let v = '';
        while (k < n && line[k] !== q) {
          if (line[k] === '\\' && k + 1 < n) k++;
          v += line[k++];
        }
        value = v;
        i = k + 1;
      } else if (q === '{' || q === '[') {
        const close = q === '{' ? '}' : ']';
        const k = line.indexOf(close, j + 1);
        const end = k < 0 ? n : k;
        value = line.slice(j + 1, end);
        i = end + 1;
      } else {
        let k = j;
        while (k < n && !ws(line[k])) k++;
        value = line.slice(j, k);
        i = k;
      }
      out.set(key, value);
    } else {
      // A bare key is a boolean flag (extxyz convention).
      if (key !== '') out.set(key, 'T');
      else i++;
    }
  }
  return out;
}

interface Columns {
  total: number;
  species: number;
  pos: number;
  text: string;
}

function parseProperties(p: string): Columns | string {
  const parts = p.split(':');
  if (parts.length % 3 !== 0) return `Properties=${p} is not a list of name:type:ncols triples`;
  let col = 0;
  let species = -1;
  let pos = -1;
  for (let k = 0; k < parts.length; k += 3) {
    const name = parts[k].toLowerCase();
    const type = parts[k + 1].toUpperCase();
    const nc = parseNumber(parts[k + 2]);
    if (!Number.isInteger(nc) || nc < 1) return `Properties=${p}: column count ${JSON.stringify(parts[k + 2])} of ${parts[k]} is not a positive integer`;
    if (!'SRIL'.includes(type) || type.length !== 1) return `Properties=${p}: type ${JSON.stringify(parts[k + 1])} of ${parts[k]} is not S, R, I or L`;
    if (name === 'species' && species < 0) {
      if (type !== 'S' || nc !== 1) return `Properties=${p}: species must be S:1`;
      species = col;
    } else if (name === 'pos' && pos < 0) {
      if (type !== 'R' || nc !== 3) return `Properties=${p}: pos must be R:3`;
      pos = col;
    }
    col += nc;
  }
  if (species < 0 || pos < 0) return `Properties=${p} lacks ${species < 0 ? 'species:S:1' : 'pos:R:3'} (both are needed)`;
  return { total: col, species, pos, text: p };
}

function parseNumberList(s: string): number[] {
  return s.split(/[\s,]+/).filter((x) => x !== '').map(parseNumber);
}

const DEFAULT_PROPERTIES = 'species:S:1:pos:R:3';

export async function readExtxyz(path: string, opts: ExtxyzOptions = {}): Promise<Trajectory> {
  const file = path;
  const warnings: string[] = [];
  const ST_COUNT = 0, ST_COMMENT = 1, ST_ATOMS = 2;
  let state = ST_COUNT;
  let nAtoms = -1;
  let nFrames = 0;
  let atom = 0;
  let frameLine = 0; // line of the count line of the current frame
  let cols: Columns | null = null;
  let Linv: Float64Array = new Float64Array(9);
  const lat = new GrowableF64(64 * 9);
  let frac: GrowableF64 | null = null;
  let framePos = 0;
  const tok = new Int32Array(2 * 64);

  const species: string[] = [];
  const speciesBytes: Buffer[] = [];
  const counts: number[] = [];
  let speciesOf = new Uint16Array(0);

  const times: number[] = [];
  let allTimes = true;
  let tempSum = 0;
  let tempN = 0;
  let tempMin = Infinity;
  let tempMax = -Infinity;
  let nonPeriodicWarned = false;
  let title = '';

  const fail = (msg: string, line: number, frame?: number): never => {
    throw new ParseError(msg, frame === undefined ? { file, line } : { file, line, frame });
  };

  const onComment = (b: Buffer, s: number, e: number, line: number) => {
    const str = text(b, s, e);
    if (nFrames === 0) title = str.trim();
    const kv = parseCommentLine(str);
    const latStr = kv.get('lattice');
    if (latStr === undefined) {
      fail('comment line has no Lattice="ax ay az bx by bz cx cy cz": a periodic cell is needed for ion transport (plain XYZ is not enough)', line, nFrames);
    }
    const L = parseNumberList(latStr!);
    if (L.length !== 9 || !L.every(Number.isFinite)) fail(`Lattice="${latStr}" must hold 9 finite numbers`, line, nFrames);
    if (!(volume(L) > 1e-8)) fail(`Lattice="${latStr}" has zero volume`, line, nFrames);
    const o = lat.reserve(9);
    for (let k = 0; k < 9; k++) lat.data[o + k] = L[k];
    Linv = inverse3(L);

    const propStr = kv.get('properties') ?? DEFAULT_PROPERTIES;
    if (cols === null || cols.text !== propStr) {
      const c = parseProperties(propStr);
      if (typeof c === 'string') fail(c, line, nFrames);
      cols = c as Columns;
      if (cols.total * 2 > tok.length) fail(`Properties declares ${cols.total} columns; at most ${tok.length / 2} are supported`, line, nFrames);
    }

    const t = kv.get('time');
    const tv = t === undefined ? NaN : parseNumber(t);
    if (Number.isFinite(tv)) times.push(tv);
    else allTimes = false;
    const temp = kv.get('temperature');
    if (temp !== undefined) {
      const x = parseNumber(temp);
      if (!Number.isFinite(x)) fail(`Temperature=${temp} is not a number`, line, nFrames);
      tempSum += x;
      tempN++;
      if (x < tempMin) tempMin = x;
      if (x > tempMax) tempMax = x;
    }
    const pbc = kv.get('pbc');
    if (pbc !== undefined && !nonPeriodicWarned) {
      const flags = pbc.split(/[\s,]+/).filter((x) => x !== '');
      if (flags.some((f) => /^(f|false|0)$/i.test(f))) {
        nonPeriodicWarned = true;
        warnings.push(`pbc="${pbc}": some directions are not periodic; they are treated as periodic with the given Lattice`);
      }
    }
  };

  const onAtom = (b: Buffer, s: number, e: number, line: number) => {
    const c = cols!;
    const nt = tokenize(b, s, e, tok);
    if (nt !== c.total) {
      fail(
        `atom ${atom + 1} of ${nAtoms}: line has ${nt} columns, expected ${c.total} (Properties=${c.text})` +
          (nt <= 1 ? ' — fewer atom lines than the count line says?' : ''),
        line, nFrames,
      );
    }
    const ss = tok[2 * c.species], se = tok[2 * c.species + 1];
    if (nFrames === 0) {
      speciesOf[atom] = countSpecies(text(b, ss, se), species, speciesBytes, counts);
    } else if (!bytesEqual(b, ss, se, speciesBytes[speciesOf[atom]])) {
      fail(`atom ${atom + 1} is ${text(b, ss, se)} here but ${species[speciesOf[atom]]} in frame 0: atoms must keep their order`, line, nFrames);
    }
    const p = 2 * c.pos;
    const x = parseNumberBytes(b, tok[p], tok[p + 1]);
    const y = parseNumberBytes(b, tok[p + 2], tok[p + 3]);
    const z = parseNumberBytes(b, tok[p + 4], tok[p + 5]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      const bad = !Number.isFinite(x) ? 0 : !Number.isFinite(y) ? 1 : 2;
      fail(`atom ${atom + 1}: position ${excerpt(b, tok[p + 2 * bad], tok[p + 2 * bad + 1])} is not a finite number`, line, nFrames);
    }
    const d = frac!.data;
    const o = framePos + 3 * atom;
    d[o] = x * Linv[0] + y * Linv[3] + z * Linv[6];
    d[o + 1] = x * Linv[1] + y * Linv[4] + z * Linv[7];
    d[o + 2] = x * Linv[2] + y * Linv[5] + z * Linv[8];
    atom++;
  };

  const onLine = (b: Buffer, s: number, e: number, line: number) => {
    if (state === ST_ATOMS) {
      onAtom(b, s, e, line);
      if (atom === nAtoms) {
        nFrames++;
        state = ST_COUNT;
      }
      return;
    }
    if (state === ST_COMMENT) {
      onComment(b, s, e, line);
      framePos = frac!.reserve(nAtoms * 3);
      atom = 0;
      state = ST_ATOMS;
      return;
    }
    // ST_COUNT: blank lines between frames and at the end are tolerated.
    if (isBlank(b, s, e)) return;
    let ts = s, te = e;
    while (ts < te && (b[ts] === 32 || b[ts] === 9)) ts++;
    while (te > ts && (b[te - 1] === 32 || b[te - 1] === 9)) te--;
    const n = parseIntBytes(b, ts, te);
    if (!Number.isInteger(n) || n <= 0) {
      const hint = nFrames > 0 ? ` (frame ${nFrames - 1} has more atom lines than its count ${nAtoms}?)` : '';
      fail(`expected the atom count of a frame, found ${excerpt(b, s, e)}${hint}`, line, nFrames);
    }
    if (nFrames === 0 && nAtoms < 0) {
      nAtoms = n;
      if (n > 65535 * 64) fail(`atom count ${n} is implausibly large`, line, 0);
      speciesOf = new Uint16Array(n);
      frac = new GrowableF64(64 * n * 3);
    } else if (n !== nAtoms) {
      fail(`frame has ${n} atoms, but frame 0 has ${nAtoms}; the atom count must stay the same`, line, nFrames);
    }
    frameLine = line;
    state = ST_COMMENT;
  };

  const { contentHash, lines } = await scanLines(path, onLine, opts.hash);

  const partial = state === ST_COUNT ? null
    : { frameLine, what: state === ST_COMMENT ? 'after its count line' : `after ${atom} of ${nAtoms} atom lines` };
  checkFramesEnd({ file, lines, nFrames, partial, allowTruncated: opts.allowTruncated, warnings });
  if (partial !== null) {
    lat.truncate(nFrames * 9);
    if (times.length > nFrames) times.length = nFrames;
  }

  const md = fileMetadata('extxyz', path, contentHash);
  md.title = title;
  if (allTimes && times.length === nFrames && nFrames >= 2) {
    const dt = times[1] - times[0];
    let even = dt > 0;
    for (let f = 2; f < nFrames && even; f++) {
      if (Math.abs(times[f] - times[f - 1] - dt) > 1e-6 * Math.abs(dt) + 1e-9) even = false;
    }
    if (even) {
      md.frameIntervalFs = dt;
      md.sources.frameIntervalFs = 'extxyz Time= (fs assumed)';
    } else {
      warnings.push('Time= values are not evenly spaced; frame interval unknown — give frame_interval_fs in ionsift.json or on the command line');
    }
  }
  // Missing Time=/Temperature= stay null: the loader reports what is still missing after sidecar and flags.
  if (tempN > 0) {
    md.temperatureK = tempSum / tempN;
    md.sources.temperatureK = tempMax - tempMin > 1e-9 ? `extxyz Temperature= (mean of ${tempN} per-frame values)` : 'extxyz Temperature=';
  }

  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
}
