/**
 * VASP vasprun.xml reader.
 *
 * What the format holds: one XML document `<modeling>` with `<generator>` (VASP version),
 * `<incar>` (tags the user set), `<parameters>` (every effective tag, defaults included),
 * `<atominfo>` (element and type of every atom, atoms per type), the initial/final
 * structures, and one `<calculation>` per ionic step holding electronic steps, energies,
 * a `<structure>` (`<crystal><varray name="basis">` = lattice rows in Å, and
 * `<varray name="positions">` = FRACTIONAL coordinates), forces and stress.
 *
 * What this reader takes: species/counts/per-atom type from `<atominfo>`; one frame per
 * `<structure>` directly inside a `<calculation>` (basis + positions); POTIM, NBLOCK,
 * TEBEG/TEEND, IBRION, NSW, ML_OUTBLOCK, SYSTEM from `<parameters>` (effective values),
 * falling back to `<incar>`; the VASP version from `<generator>`.
 *
 * What it deliberately ignores: energies, forces, stress, velocities, DOS/eigenvalues,
 * k-points, `rec_basis` and `volume` (derived), the `initialpos`/`finalpos`/
 * `primitive_cell` structures (they are not MD steps), `selective` flags.
 *
 * Frame interval: NBLOCK does NOT thin vasprun.xml — VASP writes a `<calculation>` for every
 * ionic step (VASP wiki, "Output interval options": NBLOCK controls XDATCAR/PCDAT only).
 * So frames are POTIM apart. The one exception is ML_OUTBLOCK (ML force-field runs,
 * VASP ≥ 6.4.3), which does thin vasprun.xml structures; it is applied when present.
 *
 * Parsing is SAX-style on a byte stream: tags are tokenised line by line (VASP writes one
 * element per line; several tags on one line are fine, an element whose text spans lines
 * is not), with a small stack for context. No DOM is built.
 */
import type { Hash } from 'node:crypto';
import { ParseError } from './errors.js';
import { parseIntBytes, parseNumber, parseNumberBytes } from './number.js';
import { scanLines } from './scan-lines.js';
import { excerptBytes as excerpt, text } from './tokens.js';
import { GrowableF64, fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory } from '../trajectory/types.js';
import { volume } from '../trajectory/lattice.js';

export interface VasprunOptions {
  /**
   * Keep the complete frames of a file that ends inside a `<structure>` (a killed run),
   * with a warning, instead of raising a ParseError.
   */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
}

/** Content detection from the first few KB of text. */
export function sniffVasprun(head: string): boolean {
  return head.includes('<modeling') && (head.includes('<generator') || head.includes('vasp'));
}

// Tag codes: only the tags whose context matters get one.
const T_OTHER = 0, T_V = 1, T_I = 2, T_C = 3, T_RC = 4, T_VARRAY = 5, T_STRUCTURE = 6, T_CALCULATION = 7,
  T_CRYSTAL = 8, T_INCAR = 9, T_PARAMETERS = 10, T_ATOMINFO = 11, T_ARRAY = 12, T_SET = 13, T_ATOMS = 14,
  T_MODELING = 15, T_GENERATOR = 16;

const TAGS: [string, number][] = [
  ['v', T_V], ['i', T_I], ['c', T_C], ['rc', T_RC], ['varray', T_VARRAY], ['structure', T_STRUCTURE],
  ['calculation', T_CALCULATION], ['crystal', T_CRYSTAL], ['incar', T_INCAR], ['parameters', T_PARAMETERS],
  ['atominfo', T_ATOMINFO], ['array', T_ARRAY], ['set', T_SET], ['atoms', T_ATOMS], ['modeling', T_MODELING],
  ['generator', T_GENERATOR],
];
const TAG_BYTES = TAGS.map(([n, c]) => [Buffer.from(n, 'latin1'), c] as const);

function tagCode(b: Uint8Array, s: number, e: number): number {
  const len = e - s;
  outer: for (const [name, code] of TAG_BYTES) {
    if (name.length !== len) continue;
    for (let k = 0; k < len; k++) if (b[s + k] !== name[k]) continue outer;
    return code;
  }
  return T_OTHER;
}

// Roles of varray / array / structure elements on the stack.
const R_NONE = 0, R_BASIS = 1, R_POSITIONS = 2, R_ATOMS = 3, R_ATOMTYPES = 4, R_STEP = 5;

/** Value of attribute `name="…"` inside the tag bytes `[s, e)`, or null. */
function nameAttr(b: Uint8Array, s: number, e: number): string | null {
  // Looks for `name` followed by `=` and a quote; attribute order varies between VASP versions.
  for (let i = s; i + 5 < e; i++) {
    if (b[i] === 110 && b[i + 1] === 97 && b[i + 2] === 109 && b[i + 3] === 101 && (i === s || b[i - 1] === 32 || b[i - 1] === 9)) {
      let j = i + 4;
      while (j < e && b[j] === 32) j++;
      if (b[j] !== 61) continue;
      j++;
      while (j < e && b[j] === 32) j++;
      const q = b[j];
      if (q !== 34 && q !== 39) continue;
      const start = j + 1;
      let k = start;
      while (k < e && b[k] !== q) k++;
      return text(b, start, k);
    }
  }
  return null;
}

function trimText(b: Uint8Array, s: number, e: number): string {
  return text(b, s, e).trim();
}

export async function readVasprun(path: string, opts: VasprunOptions = {}): Promise<Trajectory> {
  const file = path;
  const warnings: string[] = [];

  const stack = new Int32Array(256);
  const roles = new Int32Array(256);
  let depth = 0;
  let inIncar = 0, inParams = 0, inAtominfo = 0, inGenerator = 0;
  let stepDepth = -1; // stack depth of the <structure> inside a <calculation>, -1 when outside

  const incar = new Map<string, string>();
  const params = new Map<string, string>();
  let generatorVersion: string | null = null;
  let pendingIName: string | null = null;

  let nAtoms = -1;
  const atomElements: string[] = [];
  const atomTypes: number[] = [];
  const typeCounts: number[] = [];
  const typeElements: string[] = [];
  let rcCol = 0;
  let rcA: string | null = null;
  let rcB: string | null = null;

  let frac: GrowableF64 | null = null;
  const lat = new GrowableF64(64 * 9);
  let nFrames = 0;
  let basisRows = 0;
  let posRows = 0;
  let frameLatOff = 0;
  let framePosOff = 0;
  let frameStartLine = 0;
  let sawEnd = false;
  let lastLine = 0;

  const fail = (msg: string, line: number, frame?: number): never => {
    throw new ParseError(msg, frame === undefined ? { file, line } : { file, line, frame });
  };

  const startFrame = (line: number) => {
    if (nAtoms <= 0) fail('found an MD step <structure> before <atominfo> gave the number of atoms', line);
    if (frac === null) {
      const nsw = parseNumber(params.get('NSW') ?? incar.get('NSW') ?? '');
      const guess = Number.isFinite(nsw) && nsw > 0 ? Math.min(nsw + 1, 100000) : 64;
      frac = new GrowableF64(guess * nAtoms * 3);
    }
    basisRows = 0;
    posRows = 0;
    frameLatOff = lat.reserve(9);
    framePosOff = frac.reserve(nAtoms * 3);
    frameStartLine = line;
  };

  const endFrame = (line: number) => {
    if (basisRows !== 3) fail(`<structure> of this step has ${basisRows} basis rows, expected 3`, line, nFrames);
    if (posRows !== nAtoms) fail(`<structure> of this step has ${posRows} position rows, expected ${nAtoms} (one per atom)`, line, nFrames);
    const L = lat.data.subarray(frameLatOff, frameLatOff + 9);
    if (!(volume(L) > 1e-8)) fail(`lattice (basis) has zero volume`, line, nFrames);
    nFrames++;
  };

  /** Parses a `<v>` row of 3 numbers into `dst[o..o+2]`. */
  const readRow = (b: Buffer, s: number, e: number, dst: Float64Array, o: number, line: number, what: string) => {
    let n = 0;
    let i = s;
    while (i < e) {
      while (i < e && (b[i] === 32 || b[i] === 9)) i++;
      if (i >= e) break;
      const t = i;
      while (i < e && b[i] !== 32 && b[i] !== 9) i++;
      const v = parseNumberBytes(b, t, i);
      if (n >= 3) fail(`${what} row has more than 3 numbers`, line, nFrames);
      if (!Number.isFinite(v)) fail(`${what} row holds ${excerpt(b, t, i)}, expected a finite number`, line, nFrames);
      dst[o + n++] = v;
    }
    if (n !== 3) fail(`${what} row has ${n} numbers, expected 3`, line, nFrames);
  };

  const onClose = (code: number, role: number, b: Buffer, ts: number, te: number, hasText: boolean, line: number) => {
    const parentRole = depth > 0 ? roles[depth - 1] : R_NONE;
    switch (code) {
      case T_V:
        if (stepDepth >= 0 && (parentRole === R_BASIS || parentRole === R_POSITIONS)) {
          if (!hasText) fail('<v> row spans several lines; expected one row per line as VASP writes it', line, nFrames);
          if (parentRole === R_BASIS) {
            if (basisRows >= 3) fail('basis has more than 3 rows', line, nFrames);
            readRow(b, ts, te, lat.data, frameLatOff + 3 * basisRows++, line, 'basis');
          } else {
            if (posRows >= nAtoms) fail(`positions have more than ${nAtoms} rows (the number of atoms)`, line, nFrames);
            readRow(b, ts, te, frac!.data, framePosOff + 3 * posRows++, line, 'positions');
          }
        }
        break;
      case T_I:
        if (pendingIName !== null && hasText) {
          const v = trimText(b, ts, te);
          if (inParams) params.set(pendingIName, v);
          else if (inIncar) incar.set(pendingIName, v);
          else if (inGenerator && pendingIName === 'version') generatorVersion = v;
        }
        pendingIName = null;
        break;
      case T_ATOMS:
        if (inAtominfo && hasText) {
          const n = parseIntBytes(b, ...trimRange(b, ts, te));
          if (!(n > 0)) fail(`<atoms> holds ${excerpt(b, ts, te)}, expected a positive atom count`, line);
          nAtoms = n;
        }
        break;
      case T_C:
        if (parentRole === R_ATOMS || parentRole === R_ATOMTYPES) {
          if (rcCol === 0) rcA = hasText ? trimText(b, ts, te) : '';
          else if (rcCol === 1) rcB = hasText ? trimText(b, ts, te) : '';
          rcCol++;
        }
        break;
      case T_RC:
        if (role === R_ATOMS) {
          const t = rcB === null ? NaN : parseNumber(rcB);
          if (rcA === null || !Number.isInteger(t) || t < 1) fail(`<atominfo> atom row is not (element, type): ${JSON.stringify([rcA, rcB])}`, line);
          atomElements.push(rcA!);
          atomTypes.push(t);
        } else if (role === R_ATOMTYPES) {
          const n = rcA === null ? NaN : parseNumber(rcA);
          if (!Number.isInteger(n) || n < 0 || rcB === null) fail(`<atominfo> type row is not (count, element): ${JSON.stringify([rcA, rcB])}`, line);
          typeCounts.push(n);
          typeElements.push(rcB!);
        }
        break;
      case T_STRUCTURE:
        if (role === R_STEP) {
          endFrame(line);
          stepDepth = -1;
        }
        break;
      case T_INCAR: inIncar--; break;
      case T_PARAMETERS: inParams--; break;
      case T_ATOMINFO: inAtominfo--; break;
      case T_GENERATOR: inGenerator--; break;
      case T_MODELING: sawEnd = true; break;
    }
  };

  const onOpen = (code: number, b: Buffer, as: number, ae: number, line: number): number => {
    const parent = depth > 0 ? stack[depth - 1] : T_OTHER;
    const parentRole = depth > 0 ? roles[depth - 1] : R_NONE;
    switch (code) {
      case T_STRUCTURE:
        if (parent === T_CALCULATION) {
          startFrame(line);
          return R_STEP;
        }
        return R_NONE;
      case T_VARRAY: {
        if (stepDepth < 0) return R_NONE;
        const nm = nameAttr(b, as, ae);
        if (nm === 'basis' && parent === T_CRYSTAL && depth - 2 === stepDepth) return R_BASIS;
        if (nm === 'positions' && depth - 1 === stepDepth) return R_POSITIONS;
        return R_NONE;
      }
      case T_ARRAY: {
        if (!inAtominfo) return R_NONE;
        const nm = nameAttr(b, as, ae);
        return nm === 'atoms' ? R_ATOMS : nm === 'atomtypes' ? R_ATOMTYPES : R_NONE;
      }
      case T_SET:
        // Rows of the atominfo arrays sit in <set>; pass the array's role down.
        return parentRole === R_ATOMS || parentRole === R_ATOMTYPES ? parentRole : R_NONE;
      case T_RC:
        rcCol = 0;
        rcA = rcB = null;
        return parentRole === R_ATOMS || parentRole === R_ATOMTYPES ? parentRole : R_NONE;
      case T_C:
        return R_NONE;
      case T_I:
        pendingIName = inIncar || inParams || inGenerator ? nameAttr(b, as, ae) : null;
        return R_NONE;
      case T_INCAR: inIncar++; return R_NONE;
      case T_PARAMETERS: inParams++; return R_NONE;
      case T_ATOMINFO: inAtominfo++; return R_NONE;
      case T_GENERATOR: inGenerator++; return R_NONE;
      default:
        return R_NONE;
    }
  };

  const onLine = (b: Buffer, s: number, e: number, line: number) => {
    lastLine = line;
    let p = s;
    // Start of the text after the last opening tag on this line (-1: none on this line).
    let textFrom = -1;
    while (p < e) {
      let lt = p;
      while (lt < e && b[lt] !== 60) lt++;
      if (lt >= e) break;
      let gt = lt + 1;
      while (gt < e && b[gt] !== 62) gt++;
      if (gt >= e) fail(`tag starting ${excerpt(b, lt, e)} is not closed on its line`, line, stepDepth >= 0 ? nFrames : undefined);
      const c1 = b[lt + 1];
      if (c1 === 63 || c1 === 33) {
        // <?xml …?> and <!-- … --> carry nothing we need.
        p = gt + 1;
        continue;
      }
      if (c1 === 47) {
        let ne = lt + 2;
        while (ne < gt && b[ne] !== 32 && b[ne] !== 9) ne++;
        const code = tagCode(b, lt + 2, ne);
        if (depth === 0) fail(`closing tag </${text(b, lt + 2, ne)}> without an opening tag`, line);
        depth--;
        if (stack[depth] !== code) {
          fail(`closing tag </${text(b, lt + 2, ne)}> does not match the open element`, line, stepDepth >= 0 ? nFrames : undefined);
        }
        const role = roles[depth];
        const hasText = textFrom >= 0;
        onClose(code, role, b, hasText ? textFrom : lt, lt, hasText, line);
        textFrom = -1;
        p = gt + 1;
        continue;
      }
      let ne = lt + 1;
      while (ne < gt && b[ne] !== 32 && b[ne] !== 9 && b[ne] !== 47) ne++;
      const code = tagCode(b, lt + 1, ne);
      const selfClosing = b[gt - 1] === 47;
      const role = onOpen(code, b, ne, selfClosing ? gt - 1 : gt, line);
      if (selfClosing) {
        if (code === T_I) pendingIName = null;
        textFrom = -1;
      } else {
        if (depth >= stack.length) fail('elements nested too deeply', line);
        stack[depth] = code;
        roles[depth] = role;
        if (role === R_STEP) stepDepth = depth;
        depth++;
        textFrom = gt + 1;
      }
      p = gt + 1;
    }
  };

  const { contentHash } = await scanLines(path, onLine, opts.hash);

  // ---- end of file: truncation
  if (stepDepth >= 0) {
    const msg = `file ends inside the <structure> of frame ${nFrames} (begun on line ${frameStartLine}); the run was probably killed`;
    if (!opts.allowTruncated) {
      throw new ParseError(`${msg}. Pass allowTruncated to keep the ${nFrames} complete frames`, { file, line: lastLine, frame: nFrames });
    }
    warnings.push(`${msg}; the incomplete frame was dropped`);
  } else if (!sawEnd) {
    if (lastLine === 0) throw new ParseError('file is empty', { file, line: 1 });
    warnings.push(`file ends without </modeling> (run stopped early?); ${nFrames} complete frames read`);
  }
  if (nAtoms <= 0) throw new ParseError('no <atominfo><atoms> count found: not a vasprun.xml, or truncated before <atominfo>', { file, line: lastLine });
  if (nFrames === 0) throw new ParseError('no MD step structures (<calculation><structure>) found', { file, line: lastLine });

  // ---- species
  if (atomElements.length !== nAtoms) {
    throw new ParseError(`<atominfo> lists ${atomElements.length} atoms, but <atoms> says ${nAtoms}`, { file });
  }
  let species: string[];
  let counts: number[];
  const speciesOf = new Uint16Array(nAtoms);
  if (typeElements.length > 0) {
    species = typeElements.slice();
    counts = typeCounts.slice();
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum !== nAtoms) throw new ParseError(`<atominfo> atoms per type add up to ${sum}, expected ${nAtoms}`, { file });
    for (let i = 0; i < nAtoms; i++) {
      const t = atomTypes[i] - 1;
      if (t < 0 || t >= species.length) throw new ParseError(`atom ${i + 1} has type ${t + 1}, but there are ${species.length} types`, { file });
      speciesOf[i] = t;
    }
  } else {
    species = [];
    counts = [];
    for (let i = 0; i < nAtoms; i++) {
      let k = species.indexOf(atomElements[i]);
      if (k < 0) {
        k = species.length;
        species.push(atomElements[i]);
        counts.push(0);
      }
      counts[k]++;
      speciesOf[i] = k;
    }
  }

  // ---- metadata (parameters = effective values; incar = what the user wrote)
  const md = fileMetadata('vasprun', path, contentHash);
  const get = (k: string): string | undefined => params.get(k) ?? incar.get(k);
  const num = (k: string): number | null => {
    const v = get(k);
    if (v === undefined) return null;
    const x = parseNumber(v);
    return Number.isFinite(x) ? x : null;
  };
  md.title = get('SYSTEM') ?? '';
  const ibrion = num('IBRION');
  const potim = num('POTIM');
  const nblock = num('NBLOCK');
  const mlOutblock = num('ML_OUTBLOCK');
  const isMd = ibrion === null || ibrion === 0;
  if (!isMd) {
    warnings.push(`IBRION=${ibrion}: not a molecular-dynamics run (IBRION=0); frames are relaxation/other steps, no time step set`);
  } else if (potim !== null && potim > 0) {
    let stride = 1;
    let strideNote = 'vasprun.xml (a <calculation> is written for every ionic step';
    if (nblock !== null) strideNote += `; NBLOCK=${nblock} thins XDATCAR only`;
    if (mlOutblock !== null && mlOutblock > 1) {
      if (versionAtLeast(generatorVersion, [6, 4, 3])) {
        stride = mlOutblock;
        strideNote = `vasprun.xml ML_OUTBLOCK=${mlOutblock} (VASP ${generatorVersion} writes every ML_OUTBLOCK-th step`;
        warnings.push(`ML_OUTBLOCK=${mlOutblock}: assuming vasprun.xml holds every ${mlOutblock}-th MD step (VASP ≥ 6.4.3 machine-learned force-field run)`);
      } else {
        warnings.push(`ML_OUTBLOCK=${mlOutblock} ignored: VASP ${generatorVersion ?? '(unknown version)'} < 6.4.3 still writes every step to vasprun.xml`);
      }
    }
    md.timestepFs = potim;
    md.stepsPerFrame = stride;
    md.frameIntervalFs = potim * stride;
    md.sources.timestepFs = 'vasprun.xml POTIM';
    md.sources.stepsPerFrame = `${strideNote})`;
    md.sources.frameIntervalFs = stride === 1 ? 'vasprun.xml POTIM (one frame per ionic step)' : 'vasprun.xml POTIM × ML_OUTBLOCK';
    if (nblock !== null) md.sources.NBLOCK = `vasprun.xml NBLOCK=${nblock} (XDATCAR stride; not used for vasprun frames)`;
  }
  // Missing POTIM/TEBEG stay null: the loader reports what is still missing after sidecar and flags.
  const tebeg = num('TEBEG');
  const teend = num('TEEND');
  if (tebeg !== null && tebeg > 0) {
    md.temperatureK = tebeg;
    md.sources.temperatureK = 'vasprun.xml TEBEG';
    if (teend !== null && teend > 0 && Math.abs(teend - tebeg) > 1e-6) {
      warnings.push(`TEEND=${teend} differs from TEBEG=${tebeg}: a temperature ramp; temperature set to TEBEG`);
    }
  }

  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac: frac as GrowableF64 | null, lat, metadata: md, warnings });
}

function trimRange(b: Uint8Array, s: number, e: number): [number, number] {
  while (s < e && (b[s] === 32 || b[s] === 9)) s++;
  while (e > s && (b[e - 1] === 32 || b[e - 1] === 9)) e--;
  return [s, e];
}

/** True when a VASP version string like "6.4.3" or "6.3.2  " is at least `min`. */
function versionAtLeast(v: string | null, min: number[]): boolean {
  if (v === null) return false;
  const parts = v.trim().split(/[^0-9]+/).filter((x) => x !== '').map(Number);
  for (let i = 0; i < min.length; i++) {
    const p = parts[i] ?? 0;
    if (p !== min[i]) return p > min[i];
  }
  return true;
}
