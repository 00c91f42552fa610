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
import { MetadataError } from './errors.js';
import { scanLines } from './scan-lines.js';
import { checkFramesEnd, fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory, TrajectoryMetadata } from '../trajectory/types.js';
import { LammpsDumpParser } from './lammps-parser.js';
import { readLammpsParallel, type LammpsState } from './lammps-parallel.js';
import { defaultParseWorkers, parseThreadsStarted, PARALLEL_MIN_BYTES } from './parse-pool.js';
import type { CutLine } from './line-scanner.js';

export { lammpsBoxToLattice } from './lammps-box.js';

export interface LammpsDumpOptions {
  /** Element symbol of each LAMMPS atom type, used when the dump has no `element` column. */
  typeMap?: Record<number, string>;
  /** Alternative to `typeMap`: element of type 1, 2, … in order (`typeMap` wins where both name a type). */
  elements?: readonly string[];
  /** MD time step in fs (the `timestep` command, converted), to turn step numbers into time. */
  timestepFs?: number;
  /** Default true: the complete frames of a file whose last frame is cut off are kept (a warning); false makes it an error. */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
  /** Parse threads for a large plain dump (lammps-parallel.ts), as for XDATCAR (`XdatcarOptions.parallel`). */
  parallel?: { threads?: number; minBytes?: number };
}

/** Content detection from the first few KB of text. */
export function sniffLammpsDump(head: string): boolean {
  return /^\s*ITEM: (TIMESTEP|UNITS|TIME|NUMBER OF ATOMS)\b/.test(head) && head.includes('ITEM: NUMBER OF ATOMS');
}

/** fs per time unit of each LAMMPS `units` style (lj has no physical unit and is absent). */
const FS_PER_TIME_UNIT: Record<string, number> = { metal: 1000, real: 1, electron: 1, si: 1e15, cgs: 1e15, micro: 1e9, nano: 1e6 };

export async function readLammpsDump(path: string, opts: LammpsDumpOptions = {}): Promise<Trajectory> {
  const typeMap: Record<number, string> = {};
  (opts.elements ?? []).forEach((el, i) => { typeMap[i + 1] = el; });
  Object.assign(typeMap, opts.typeMap ?? {});
  const threads = opts.parallel?.threads ?? defaultParseWorkers();
  let hashed = false;
  if (threads > 0) {
    const min = opts.parallel?.minBytes ?? (parseThreadsStarted() >= threads ? PARALLEL_MIN_BYTES.warm : PARALLEL_MIN_BYTES.cold);
    const r = await readLammpsParallel(path, typeMap, opts.hash, threads, min);
    if ('state' in r) return lammpsTrajectory(path, r.state, r.contentHash, r.lines, null, opts);
    hashed = r.hashed;
  }
  const p = new LammpsDumpParser(path, typeMap);
  // After a parallel attempt the caller's hash already has every byte.
  const { contentHash, lines, cut } = await scanLines(path, (b, s, e, line) => p.onLine(b, s, e, line), hashed ? undefined : opts.hash, (size) => { p.size = size; });
  return lammpsTrajectory(path, p, contentHash, lines, cut, opts);
}

/** The Trajectory of a parsed dump: end-of-file checks, steps and times into metadata. */
function lammpsTrajectory(path: string, p: LammpsState, contentHash: string, lines: number, cut: CutLine | null, opts: LammpsDumpOptions): Trajectory {
  const { nFrames, nAtoms, warnings } = p;
  const partial = p.midFrame ? { frameLine: p.frameLine, what: p.partialWhat } : null;
  checkFramesEnd({ file: path, lines, nFrames, partial, allowTruncated: opts.allowTruncated, warnings, cut });
  // A box may have been read for the dropped frame only.
  p.lat.truncate(nFrames * 9);
  const md = fileMetadata('lammps-dump', path, contentHash);
  const stride = stepStride(p.steps, nFrames, md, warnings);
  if (opts.timestepFs !== undefined) {
    if (!(opts.timestepFs > 0)) throw new MetadataError(`timestepFs must be a positive number of fs, got ${opts.timestepFs}`, { file: path });
    md.timestepFs = opts.timestepFs;
    md.sources.timestepFs = 'caller (timestepFs)';
    if (stride !== null) {
      md.frameIntervalFs = stride * opts.timestepFs;
      md.sources.frameIntervalFs = 'timestepFs × LAMMPS dump TIMESTEP stride';
    }
  }
  if (md.frameIntervalFs === null && p.allTimes && p.times.length === nFrames && nFrames >= 2 && p.units !== null) {
    intervalFromTimes(p.times, p.units, stride, md);
  }
  // Without timestepFs the interval stays null, with the step stride in stepsPerFrame: a sidecar's
  // potim_fs then completes it (POTIM × stride) in the loader, which also reports what is still missing.
  md.title = `LAMMPS dump, steps ${p.steps[0]}–${p.steps[nFrames - 1]}`;
  const { species, counts, speciesOf, frac, lat } = p;
  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
}

/** Steps per frame when the TIMESTEP values are evenly spaced (recorded in `md`), else null (warned when ≥ 2 frames). */
function stepStride(steps: readonly number[], nFrames: number, md: TrajectoryMetadata, warnings: string[]): number | null {
  if (nFrames < 2) return null;
  const d = steps[1] - steps[0];
  let even = d > 0;
  for (let f = 2; f < nFrames && even; f++) if (steps[f] - steps[f - 1] !== d) even = false;
  if (!even) {
    warnings.push(`TIMESTEP values are not evenly spaced (${steps.slice(0, 4).join(', ')}…); steps per frame unknown`);
    return null;
  }
  md.stepsPerFrame = d;
  md.sources.stepsPerFrame = 'LAMMPS dump TIMESTEP stride';
  return d;
}

/** Frame interval (and time step) from evenly spaced ITEM: TIME values in a known `units` style. */
function intervalFromTimes(times: readonly number[], units: string, stride: number | null, md: TrajectoryMetadata): void {
  const f = FS_PER_TIME_UNIT[units];
  const dt = times[1] - times[0];
  let even = dt > 0;
  for (let k = 2; k < times.length && even; k++) if (Math.abs(times[k] - times[k - 1] - dt) > 1e-6 * dt) even = false;
  if (f === undefined || !even) return;
  md.frameIntervalFs = dt * f;
  md.sources.frameIntervalFs = `LAMMPS dump ITEM: TIME (units ${units})`;
  if (stride !== null && md.timestepFs === null) {
    md.timestepFs = md.frameIntervalFs / stride;
    md.sources.timestepFs = 'LAMMPS dump ITEM: TIME / TIMESTEP stride';
  }
}
