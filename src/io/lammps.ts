/**
 * LAMMPS text dump reader (`dump atom` / `dump custom`).
 *
 * What the format holds: repeated snapshots, each a set of `ITEM:` sections —
 *   ITEM: UNITS (optional, once: `dump_modify units yes`), ITEM: TIME (optional, simulation
 *   time in the time unit of those units: `dump_modify time yes`), ITEM: TIMESTEP (the MD
 *   step number), ITEM: NUMBER OF ATOMS, ITEM: BOX BOUNDS with boundary flags, in one of
 *   three forms — orthogonal `pp pp pp` (lo hi per axis), restricted triclinic
 *   `xy xz yz pp pp pp` (lo_bound hi_bound tilt per axis), general triclinic
 *   `abc origin pp pp pp` (ax ay az ox / bx by bz oy / cx cy cz oz) —
 *   and ITEM: ATOMS followed by the column names and one line per atom, in any order.
 *
 * What this reader takes: atoms sorted by `id` every frame; element from the `element`
 * column, else from the caller's type→element map (`typeMap`); positions from, in order of
 * preference, `xu yu zu` (unwrapped Cartesian), `xsu ysu zsu` (unwrapped scaled), `x y z`
 * or `xs ys zs` (wrapped; `ix iy iz` image flags are added when present). Cartesian
 * positions are made fractional relative to the box origin (x - xlo) with the lattice of
 * their frame. Box bounds become lattice rows a = (xhi-xlo, 0, 0), b = (xy, yhi-ylo, 0),
 * c = (xz, yz, zhi-zlo), with lo/hi recovered from the bounding box as in the LAMMPS
 * "Triclinic (non-orthogonal) simulation boxes" how-to.
 *
 * The dump holds step numbers, not times: the frame interval needs the MD time step, which
 * is in the LAMMPS input, not the dump. It is computed from `opts.timestepFs` × step stride,
 * or from ITEM: TIME + ITEM: UNITS when both are present; otherwise it stays null and the
 * step stride is kept in stepsPerFrame (a sidecar potim_fs then completes it in the loader).
 *
 * Deliberately ignored: velocities, forces, charges, any other per-atom column, the
 * boundary type of non-periodic axes (warned about, treated as periodic), and other
 * `ITEM:` sections (an unknown ITEM is an error, since it means another dump style).
 */
import type { Hash } from 'node:crypto';
import { MetadataError, ParseError } from './errors.js';
import { parseIntBytes, parseNumberBytes } from './number.js';
import { scanLines } from './scan-lines.js';
import { bytesEqual, excerptBytes as excerpt, isBlank, text, tokenize } from './tokens.js';
import { GrowableF64, checkFramesEnd, countSpecies, fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory } from '../trajectory/types.js';
import { inverse3, volume } from '../trajectory/lattice.js';

export interface LammpsDumpOptions {
  /** Element symbol of each LAMMPS atom type, used when the dump has no `element` column. */
  typeMap?: Record<number, string>;
  /** Alternative to `typeMap`: element of type 1, 2, … in order (`typeMap` wins where both name a type). */
  elements?: readonly string[];
  /** MD time step in fs (the `timestep` command, converted), to turn step numbers into time. */
  timestepFs?: number;
  /** Keep the complete frames of a file whose last frame is cut off (warning instead of error). */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
}

/** Content detection from the first few KB of text. */
export function sniffLammpsDump(head: string): boolean {
  return /^\s*ITEM: (TIMESTEP|UNITS|TIME|NUMBER OF ATOMS)\b/.test(head) && head.includes('ITEM: NUMBER OF ATOMS');
}

/** fs per time unit of each LAMMPS `units` style (lj has no physical unit and is absent). */
const FS_PER_TIME_UNIT: Record<string, number> = { metal: 1000, real: 1, electron: 1, si: 1e15, cgs: 1e15, micro: 1e9, nano: 1e6 };

/**
 * Lattice rows and origin of a LAMMPS box.
 * `b` holds the 3 bounds lines: [lo, hi, tilt] per axis (restricted triclinic; tilt 0 when
 * orthogonal), or [vx, vy, vz, origin] per vector (general triclinic, `abc origin`).
 */
export function lammpsBoxToLattice(kind: 'ortho' | 'tri' | 'general', b: ArrayLike<number>): { lattice: Float64Array; origin: Float64Array } {
  const L = new Float64Array(9);
  const O = new Float64Array(3);
  if (kind === 'general') {
    for (let r = 0; r < 3; r++) {
      L[3 * r] = b[4 * r];
      L[3 * r + 1] = b[4 * r + 1];
      L[3 * r + 2] = b[4 * r + 2];
      O[r] = b[4 * r + 3];
    }
    return { lattice: L, origin: O };
  }
  const xlob = b[0], xhib = b[1], ylob = b[3], yhib = b[4], zlo = b[6], zhi = b[7];
  const xy = kind === 'tri' ? b[2] : 0, xz = kind === 'tri' ? b[5] : 0, yz = kind === 'tri' ? b[8] : 0;
  // The dump writes the bounding box of the tilted cell; undo that to get the cell edges.
  const xlo = xlob - Math.min(0, xy, xz, xy + xz);
  const xhi = xhib - Math.max(0, xy, xz, xy + xz);
  const ylo = ylob - Math.min(0, yz);
  const yhi = yhib - Math.max(0, yz);
  L[0] = xhi - xlo;
  L[3] = xy;
  L[4] = yhi - ylo;
  L[6] = xz;
  L[7] = yz;
  L[8] = zhi - zlo;
  O[0] = xlo;
  O[1] = ylo;
  O[2] = zlo;
  return { lattice: L, origin: O };
}

/** Kind of position columns: Cartesian (Å) or scaled (fractional). */
const Coord = { Cart: 0, Scaled: 1 } as const;

export async function readLammpsDump(path: string, opts: LammpsDumpOptions = {}): Promise<Trajectory> {
  const file = path;
  const warnings: string[] = [];
  const typeMap: Record<number, string> = {};
  (opts.elements ?? []).forEach((el, i) => { typeMap[i + 1] = el; });
  Object.assign(typeMap, opts.typeMap ?? {});

  // What the next non-ITEM line(s) belong to.
  const S_NONE = 0, S_TIMESTEP = 1, S_NATOMS = 2, S_BOX = 3, S_ATOMS = 4, S_UNITS = 5, S_TIME = 6;
  let state = S_NONE;
  let nAtoms = -1;
  let frameAtoms = -1;
  let nFrames = 0;
  let row = 0; // line within the current section
  let frameLine = 0;
  let sawTimestep = false;
  let sawBox = false;
  let units: string | null = null;
  let timeValue: number | null = null;
  const times: number[] = [];
  let allTimes = true;
  const steps: number[] = [];

  let boxKind: 'ortho' | 'tri' | 'general' = 'ortho';
  const boxVals = new Float64Array(12);
  let Linv: Float64Array = new Float64Array(9);
  let origin: Float64Array = new Float64Array(3);
  const lat = new GrowableF64(64 * 9);
  let periodicWarned = false;

  // Column layout of ITEM: ATOMS.
  let nCols = 0;
  let cId = -1, cType = -1, cElem = -1, cX = -1, cY = -1, cZ = -1, cIx = -1, cIy = -1, cIz = -1;
  let coordKind: number = Coord.Cart;
  let colsText = '';
  let tok = new Int32Array(2 * 32);

  // Per-frame scratch (file order) and the id → sorted-rank map built on frame 0.
  let rawId = new Float64Array(0);
  let rawPos = new Float64Array(0);
  let rawType = new Int32Array(0);
  const rawElem: string[] = [];
  let rankOf: Int32Array | null = null;
  let rankMap: Map<number, number> | null = null;
  let seen = new Int32Array(0);
  let atomType = new Int32Array(0); // per sorted atom
  let frac: GrowableF64 | null = null;

  const species: string[] = [];
  const speciesBytes: Buffer[] = [];
  const counts: number[] = [];
  let speciesOf = new Uint16Array(0);
  let typeElemConflictWarned = false;

  const fail = (msg: string, line: number, frame?: number): never => {
    throw new ParseError(msg, frame === undefined ? { file, line } : { file, line, frame });
  };

  const setColumns = (names: string[], line: number) => {
    const ix = (n: string) => names.indexOf(n);
    nCols = names.length;
    colsText = names.join(' ');
    cId = ix('id');
    cType = ix('type');
    cElem = ix('element');
    const sets: [string, string, string, number, boolean][] = [
      ['xu', 'yu', 'zu', Coord.Cart, false],
      ['xsu', 'ysu', 'zsu', Coord.Scaled, false],
      ['x', 'y', 'z', Coord.Cart, true],
      ['xs', 'ys', 'zs', Coord.Scaled, true],
    ];
    cX = -1;
    for (const [a, b, c, kind, wrapped] of sets) {
      if (ix(a) >= 0 && ix(b) >= 0 && ix(c) >= 0) {
        cX = ix(a); cY = ix(b); cZ = ix(c);
        coordKind = kind;
        const withImages = wrapped && ix('ix') >= 0 && ix('iy') >= 0 && ix('iz') >= 0;
        cIx = withImages ? ix('ix') : -1;
        cIy = withImages ? ix('iy') : -1;
        cIz = withImages ? ix('iz') : -1;
        break;
      }
    }
    if (cX < 0) fail(`ITEM: ATOMS ${colsText} has no position columns: need x y z, xs ys zs, xu yu zu or xsu ysu zsu`, line, nFrames);
    if (cType < 0 && cElem < 0) fail(`ITEM: ATOMS ${colsText} has neither a type nor an element column`, line, nFrames);
    if (cId < 0 && nFrames === 0) warnings.push('dump has no id column: atoms are taken in file order, which LAMMPS only keeps with dump_modify sort id');
    if (tok.length < 2 * nCols) tok = new Int32Array(2 * nCols);
  };

  const finishBox = (line: number) => {
    const { lattice: L, origin: O } = lammpsBoxToLattice(boxKind, boxVals);
    if (!(volume(L) > 1e-8)) fail('box has zero volume', line, nFrames);
    const o = lat.reserve(9);
    lat.data.set(L, o);
    Linv = inverse3(L);
    origin = O;
  };

  const finishFrame = (line: number) => {
    const n = nAtoms;
    if (nFrames === 0) {
      // Sorted order of ids defines atom indices for the whole trajectory.
      const order = new Int32Array(n);
      for (let i = 0; i < n; i++) order[i] = i;
      if (cId >= 0) {
        let sorted = true;
        for (let i = 1; i < n && sorted; i++) if (rawId[i] <= rawId[i - 1]) sorted = false;
        if (!sorted) order.sort((a, b) => rawId[a] - rawId[b]);
        for (let i = 1; i < n; i++) {
          if (rawId[order[i]] === rawId[order[i - 1]]) fail(`atom id ${rawId[order[i]]} appears twice`, line, 0);
        }
        const maxId = rawId[order[n - 1]];
        const minId = rawId[order[0]];
        if (minId >= 0 && maxId < 4 * n + 1024) {
          rankOf = new Int32Array(maxId + 1).fill(-1);
          for (let r = 0; r < n; r++) rankOf[rawId[order[r]]] = r;
        } else {
          rankMap = new Map();
          for (let r = 0; r < n; r++) rankMap.set(rawId[order[r]], r);
        }
      }
      // Species: element column wins; else the type map.
      atomType = new Int32Array(n);
      speciesOf = new Uint16Array(n);
      const missing = new Set<number>();
      for (let r = 0; r < n; r++) {
        const i = order[r];
        const t = cType >= 0 ? rawType[i] : 0;
        atomType[r] = t;
        let name: string | undefined = cElem >= 0 ? rawElem[i] : undefined;
        if (name === undefined) name = typeMap[t];
        else if (cType >= 0 && typeMap[t] !== undefined && typeMap[t] !== name && !typeElemConflictWarned) {
          typeElemConflictWarned = true;
          warnings.push(`typeMap says type ${t} is ${typeMap[t]}, the element column says ${name}: the element column wins`);
        }
        if (name === undefined) {
          missing.add(t);
          continue;
        }
        speciesOf[r] = countSpecies(name, species, speciesBytes, counts);
      }
      if (missing.size > 0) {
        const ts = [...missing].sort((a, b) => a - b);
        throw new MetadataError(
          `atom type${ts.length > 1 ? 's' : ''} ${ts.join(', ')} ha${ts.length > 1 ? 've' : 's'} no element: the dump has no 'element' column` +
            ` and no type→element map was given. Pass one, e.g. typeMap { ${ts.map((t, j) => `${t}: 'El${j + 1}'`).join(', ')} }` +
            ' (or dump with `element` and `dump_modify element …`)',
          { file, line: frameLine, frame: 0 },
        );
      }
      frac = new GrowableF64(64 * n * 3);
      seen = new Int32Array(n).fill(-1);
    }
    const base = frac!.reserve(n * 3);
    const d = frac!.data;
    for (let i = 0; i < n; i++) {
      let r = i;
      if (cId >= 0) {
        const id = rawId[i];
        const rr = rankOf !== null ? (id >= 0 && id < rankOf.length ? rankOf[id] : -1) : rankMap!.get(id) ?? -1;
        if (rr < 0) fail(`atom id ${id} is not among the ids of frame 0`, line, nFrames);
        r = rr;
        if (seen[r] === nFrames) fail(`atom id ${id} appears twice`, line, nFrames);
        seen[r] = nFrames;
      }
      if (nFrames > 0) {
        if (cElem >= 0) {
          if (rawElem[i] !== species[speciesOf[r]]) fail(`atom id ${cId >= 0 ? rawId[i] : i + 1} is ${rawElem[i]} here but ${species[speciesOf[r]]} in frame 0`, line, nFrames);
        } else if (cType >= 0 && rawType[i] !== atomType[r]) {
          fail(`atom id ${cId >= 0 ? rawId[i] : i + 1} has type ${rawType[i]} here but ${atomType[r]} in frame 0`, line, nFrames);
        }
      }
      d[base + 3 * r] = rawPos[3 * i];
      d[base + 3 * r + 1] = rawPos[3 * i + 1];
      d[base + 3 * r + 2] = rawPos[3 * i + 2];
    }
    steps.push(currentStep);
    if (timeValue !== null) times.push(timeValue);
    else allTimes = false;
    timeValue = null;
    nFrames++;
    sawTimestep = false;
    sawBox = false;
    state = S_NONE;
  };
  let currentStep = 0;

  const onAtomLine = (b: Buffer, s: number, e: number, line: number) => {
    const nt = tokenize(b, s, e, tok);
    if (nt !== nCols) {
      fail(`atom line ${row + 1} of ${nAtoms} has ${nt} columns, expected ${nCols} (${colsText})` + (nt >= 1 && b[s] === 73 ? ' — fewer atom lines than NUMBER OF ATOMS?' : ''), line, nFrames);
    }
    const i = row;
    if (cId >= 0) {
      const id = parseIntBytes(b, tok[2 * cId], tok[2 * cId + 1]);
      if (!Number.isInteger(id)) fail(`atom id ${excerpt(b, tok[2 * cId], tok[2 * cId + 1])} is not an integer`, line, nFrames);
      rawId[i] = id;
    }
    if (cType >= 0) {
      const t = parseIntBytes(b, tok[2 * cType], tok[2 * cType + 1]);
      if (!Number.isInteger(t)) fail(`atom type ${excerpt(b, tok[2 * cType], tok[2 * cType + 1])} is not an integer`, line, nFrames);
      rawType[i] = t;
    }
    if (cElem >= 0) {
      // Frame 0 names the species; later frames compare bytes against a cached name to avoid a string per atom.
      const es = tok[2 * cElem], ee = tok[2 * cElem + 1];
      if (nFrames === 0) rawElem[i] = text(b, es, ee);
      else {
        let k = -1;
        for (let j = 0; j < speciesBytes.length; j++) if (bytesEqual(b, es, ee, speciesBytes[j])) { k = j; break; }
        rawElem[i] = k >= 0 ? species[k] : text(b, es, ee);
      }
    }
    let x = parseNumberBytes(b, tok[2 * cX], tok[2 * cX + 1]);
    let y = parseNumberBytes(b, tok[2 * cY], tok[2 * cY + 1]);
    let z = parseNumberBytes(b, tok[2 * cZ], tok[2 * cZ + 1]);
    if (!Number.isFinite(x) || !Number.isFinite(y) || !Number.isFinite(z)) {
      const bad = !Number.isFinite(x) ? cX : !Number.isFinite(y) ? cY : cZ;
      fail(`atom line ${row + 1}: position ${excerpt(b, tok[2 * bad], tok[2 * bad + 1])} is not a finite number`, line, nFrames);
    }
    let fx: number, fy: number, fz: number;
    if (coordKind === Coord.Cart) {
      x -= origin[0];
      y -= origin[1];
      z -= origin[2];
      fx = x * Linv[0] + y * Linv[3] + z * Linv[6];
      fy = x * Linv[1] + y * Linv[4] + z * Linv[7];
      fz = x * Linv[2] + y * Linv[5] + z * Linv[8];
    } else {
      fx = x;
      fy = y;
      fz = z;
    }
    if (cIx >= 0) {
      const ix = parseIntBytes(b, tok[2 * cIx], tok[2 * cIx + 1]);
      const iy = parseIntBytes(b, tok[2 * cIy], tok[2 * cIy + 1]);
      const iz = parseIntBytes(b, tok[2 * cIz], tok[2 * cIz + 1]);
      if (!Number.isInteger(ix) || !Number.isInteger(iy) || !Number.isInteger(iz)) fail(`atom line ${row + 1}: image flags are not integers`, line, nFrames);
      fx += ix;
      fy += iy;
      fz += iz;
    }
    rawPos[3 * i] = fx;
    rawPos[3 * i + 1] = fy;
    rawPos[3 * i + 2] = fz;
  };

  const onItem = (b: Buffer, s: number, e: number, line: number) => {
    const item = text(b, s + 6, e).trim();
    const expectNone = () => {
      if (state !== S_NONE) fail(`ITEM: ${item} comes before the previous section is complete`, line, nFrames);
    };
    if (item === 'TIMESTEP') {
      expectNone();
      if (sawTimestep) fail('two ITEM: TIMESTEP without ITEM: ATOMS between them', line, nFrames);
      sawTimestep = true;
      frameLine = line;
      state = S_TIMESTEP;
    } else if (item === 'UNITS') {
      expectNone();
      state = S_UNITS;
    } else if (item === 'TIME') {
      expectNone();
      state = S_TIME;
    } else if (item === 'NUMBER OF ATOMS') {
      expectNone();
      state = S_NATOMS;
    } else if (item.startsWith('BOX BOUNDS')) {
      expectNone();
      const words = item.slice(10).trim().split(/\s+/).filter((w) => w !== '');
      let flags = words;
      if (words[0] === 'xy' && words[1] === 'xz' && words[2] === 'yz') {
        boxKind = 'tri';
        flags = words.slice(3);
      } else if (words[0] === 'abc' && words[1] === 'origin') {
        boxKind = 'general';
        flags = words.slice(2);
      } else {
        boxKind = 'ortho';
      }
      if (!periodicWarned && flags.some((f) => f !== 'pp')) {
        periodicWarned = true;
        warnings.push(`box boundary flags "${flags.join(' ')}" are not all periodic (pp); treated as periodic`);
      }
      row = 0;
      state = S_BOX;
    } else if (item.startsWith('ATOMS')) {
      expectNone();
      if (!sawTimestep) fail('ITEM: ATOMS without a preceding ITEM: TIMESTEP', line, nFrames);
      if (frameAtoms < 0) fail('ITEM: ATOMS without a preceding ITEM: NUMBER OF ATOMS', line, nFrames);
      if (!sawBox) fail('ITEM: ATOMS without a preceding ITEM: BOX BOUNDS', line, nFrames);
      const names = item.slice(5).trim().split(/\s+/).filter((w) => w !== '');
      if (nFrames === 0 || names.join(' ') !== colsText) setColumns(names, line);
      row = 0;
      state = S_ATOMS;
    } else {
      fail(`unsupported section "ITEM: ${item}" (this reader handles atom dumps: TIMESTEP, NUMBER OF ATOMS, BOX BOUNDS, ATOMS, UNITS, TIME)`, line, nFrames);
    }
  };

  const onLine = (b: Buffer, s: number, e: number, line: number) => {
    if (state === S_ATOMS) {
      onAtomLine(b, s, e, line);
      if (++row === nAtoms) finishFrame(line);
      return;
    }
    // "ITEM: " starts a section.
    if (e - s >= 6 && b[s] === 73 && b[s + 1] === 84 && b[s + 2] === 69 && b[s + 3] === 77 && b[s + 4] === 58) {
      onItem(b, s, e, line);
      return;
    }
    if (isBlank(b, s, e)) {
      if (state === S_NONE) return;
      fail('blank line inside a section', line, nFrames);
    }
    const nt = tokenize(b, s, e, tok);
    switch (state) {
      case S_TIMESTEP: {
        const v = nt === 1 ? parseIntBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isInteger(v)) fail(`ITEM: TIMESTEP value ${excerpt(b, s, e)} is not an integer`, line, nFrames);
        currentStep = v;
        state = S_NONE;
        break;
      }
      case S_UNITS:
        units = text(b, s, e).trim();
        state = S_NONE;
        break;
      case S_TIME: {
        const v = nt === 1 ? parseNumberBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isFinite(v)) fail(`ITEM: TIME value ${excerpt(b, s, e)} is not a number`, line, nFrames);
        timeValue = v;
        state = S_NONE;
        break;
      }
      case S_NATOMS: {
        const v = nt === 1 ? parseIntBytes(b, tok[0], tok[1]) : NaN;
        if (!Number.isInteger(v) || v < 0) fail(`ITEM: NUMBER OF ATOMS value ${excerpt(b, s, e)} is not a non-negative integer`, line, nFrames);
        if (nAtoms < 0) {
          if (v === 0) fail('NUMBER OF ATOMS is 0', line, nFrames);
          nAtoms = v;
          rawId = new Float64Array(v);
          rawPos = new Float64Array(3 * v);
          rawType = new Int32Array(v);
          rawElem.length = v;
        } else if (v !== nAtoms) {
          fail(`NUMBER OF ATOMS is ${v} here but ${nAtoms} in frame 0; the atom count must stay the same`, line, nFrames);
        }
        frameAtoms = v;
        state = S_NONE;
        break;
      }
      case S_BOX: {
        const want = boxKind === 'general' ? 4 : boxKind === 'tri' ? 3 : 2;
        if (nt !== want && !(boxKind === 'ortho' && nt === 3)) {
          fail(`BOX BOUNDS line ${row + 1} has ${nt} numbers, expected ${want}`, line, nFrames);
        }
        const stride = boxKind === 'general' ? 4 : 3;
        for (let k = 0; k < want; k++) {
          const v = parseNumberBytes(b, tok[2 * k], tok[2 * k + 1]);
          if (!Number.isFinite(v)) fail(`BOX BOUNDS value ${excerpt(b, tok[2 * k], tok[2 * k + 1])} is not a finite number`, line, nFrames);
          boxVals[stride * row + k] = v;
        }
        if (boxKind === 'ortho') boxVals[stride * row + 2] = 0;
        if (++row === 3) {
          finishBox(line);
          sawBox = true;
          state = S_NONE;
        }
        break;
      }
      default:
        fail(`unexpected line ${excerpt(b, s, e)} outside any ITEM section${nFrames > 0 ? ` (more atom lines than NUMBER OF ATOMS ${nAtoms}?)` : ''}`, line, nFrames);
    }
  };

  const { contentHash, lines } = await scanLines(path, onLine, opts.hash);

  const midFrame = state !== S_NONE || sawTimestep;
  const partial = !midFrame ? null
    : { frameLine, what: state === S_ATOMS ? `after ${row} of ${nAtoms} atom lines` : 'before its ITEM: ATOMS section is complete' };
  checkFramesEnd({ file, lines, nFrames, partial, allowTruncated: opts.allowTruncated, warnings });
  // A box may have been read for the dropped frame only.
  lat.truncate(nFrames * 9);

  const md = fileMetadata('lammps-dump', path, contentHash);
  let stride: number | null = null;
  if (nFrames >= 2) {
    const d = steps[1] - steps[0];
    let even = d > 0;
    for (let f = 2; f < nFrames && even; f++) if (steps[f] - steps[f - 1] !== d) even = false;
    if (even) {
      stride = d;
      md.stepsPerFrame = d;
      md.sources.stepsPerFrame = 'LAMMPS dump TIMESTEP stride';
    } else {
      warnings.push(`TIMESTEP values are not evenly spaced (${steps.slice(0, 4).join(', ')}…); steps per frame unknown`);
    }
  }
  if (opts.timestepFs !== undefined) {
    if (!(opts.timestepFs > 0)) throw new MetadataError(`timestepFs must be a positive number of fs, got ${opts.timestepFs}`, { file });
    md.timestepFs = opts.timestepFs;
    md.sources.timestepFs = 'caller (timestepFs)';
    if (stride !== null) {
      md.frameIntervalFs = stride * opts.timestepFs;
      md.sources.frameIntervalFs = 'timestepFs × LAMMPS dump TIMESTEP stride';
    }
  }
  if (md.frameIntervalFs === null && allTimes && times.length === nFrames && nFrames >= 2 && units !== null) {
    const f = FS_PER_TIME_UNIT[units];
    const dt = times[1] - times[0];
    let even = dt > 0;
    for (let k = 2; k < nFrames && even; k++) if (Math.abs(times[k] - times[k - 1] - dt) > 1e-6 * dt) even = false;
    if (f !== undefined && even) {
      md.frameIntervalFs = dt * f;
      md.sources.frameIntervalFs = `LAMMPS dump ITEM: TIME (units ${units})`;
      if (stride !== null && md.timestepFs === null) {
        md.timestepFs = md.frameIntervalFs / stride;
        md.sources.timestepFs = 'LAMMPS dump ITEM: TIME / TIMESTEP stride';
      }
    }
  }
  // Without timestepFs the interval stays null, with the step stride in stepsPerFrame: a sidecar's
  // potim_fs then completes it (POTIM × stride) in the loader, which also reports what is still missing.
  md.title = `LAMMPS dump, steps ${steps[0]}–${steps[nFrames - 1]}`;

  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
}
