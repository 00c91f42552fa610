/**
 * Physical plausibility of what a reader parsed: values that are finite but impossible (a cell
 * of 1e102 Å, a box with xlo > xhi, a coordinate of 1e308) are errors naming file and frame,
 * never numbers passed on to the analysis. The bounds are far outside any real MD run, so that
 * no real file is refused (RELIABILITY.md lists them).
 */
import { basename } from 'node:path';
import { det3 } from '../trajectory/lattice.js';
import type { Trajectory } from '../trajectory/types.js';
import { MetadataError, ParseError } from './errors.js';

/** Longest plausible cell vector (Å): 1 mm. */
export const MAX_CELL_LENGTH_A = 1e7;
/** Smallest plausible cell volume (Å³). */
export const MIN_CELL_VOLUME_A3 = 1e-8;
/** Largest plausible |fractional coordinate|: an ion unwrapped through a million cells. */
export const MAX_ABS_FRACTIONAL = 1e6;

/** What is wrong with a cell (rows a, b, c in Å), or null when it is usable. */
export function cellProblem(L: ArrayLike<number>): string | null {
  for (let k = 0; k < 9; k++) if (!Number.isFinite(L[k])) return `lattice holds ${L[k]}; expected finite numbers`;
  for (let r = 0; r < 3; r++) {
    const len = Math.hypot(L[3 * r], L[3 * r + 1], L[3 * r + 2]);
    if (len > MAX_CELL_LENGTH_A) return `cell vector ${'abc'[r]} is ${len.toExponential(3)} Å long; expected at most ${MAX_CELL_LENGTH_A} Å (wrong scale or units?)`;
  }
  const v = Math.abs(det3(L));
  if (!(v > MIN_CELL_VOLUME_A3)) return `cell has zero volume (${v}); expected three linearly independent vectors`;
  return null;
}

/** Index of the first value in `frac[start, end)` beyond ±MAX_ABS_FRACTIONAL or not finite, or -1. */
export function firstOutOfBounds(frac: Float64Array | Float32Array, start: number, end: number): number {
  for (let i = start; i < end; i++) {
    const v = frac[i];
    if (!(v <= MAX_ABS_FRACTIONAL && v >= -MAX_ABS_FRACTIONAL)) return i;
  }
  return -1;
}

/**
 * Refuses coordinates no trajectory can hold (|fractional| beyond MAX_ABS_FRACTIONAL, or not
 * finite), naming the file, frame and atom. One pass over the array (cheap next to parsing).
 * `firstFrame`: the frame `frac` starts with (a reader checking frames it does not keep).
 */
export function checkCoordinates(file: string, frac: Float64Array, nAtoms: number, nFrames: number, firstFrame = 0): void {
  const i = firstOutOfBounds(frac, 0, Math.min(frac.length, nAtoms * nFrames * 3));
  if (i < 0) return;
  const v = frac[i];
  const frame = firstFrame + Math.floor(i / (nAtoms * 3));
  const atom = Math.floor((i % (nAtoms * 3)) / 3);
  throw new ParseError(
    `atom ${atom} has fractional coordinate ${'xyz'[i % 3]} = ${v}; expected a finite position within ${MAX_ABS_FRACTIONAL} cells (corrupt number?)`,
    { file, frame },
  );
}

/**
 * `checkCoordinates` for a reader that does not keep its frames (a reduced read,
 * trajectory/mobile-frames.ts): the first frame holding an impossible coordinate is kept and
 * reported (`report`) once the file is read, as `checkLoaded` would have.
 */
export class CoordinateGuard {
  private bad: Float64Array | null = null;
  private frame = 0;
  constructor(private readonly file: string, private readonly stride: number) {}
  check(data: Float64Array, off: number, f: number): void {
    if (this.bad || firstOutOfBounds(data, off, off + this.stride) < 0) return;
    this.bad = data.slice(off, off + this.stride);
    this.frame = f;
  }
  report(): void {
    if (this.bad) checkCoordinates(this.file, this.bad, this.stride / 3, 1, this.frame);
  }
}

/** Highest temperature accepted (K): far above any solid (an error beyond, a warning above UNUSUAL_TEMPERATURE_K). */
export const MAX_TEMPERATURE_K = 1e5;
const UNUSUAL_TEMPERATURE_K = 5000;
/** Longest frame interval accepted (fs): 1 µs between frames (a warning above 1 ns). */
export const MAX_FRAME_INTERVAL_FS = 1e9;
const UNUSUAL_FRAME_INTERVAL_FS = 1e6;

/** Where a metadata value came from, as a file to name in an error. */
export interface MetadataFiles {
  /** The trajectory's first file. */
  file: string;
  /** The sidecar, when there is one. */
  sidecarPath: string | null;
}

/**
 * Checks a loaded trajectory (metadata resolved): coordinates within bounds, frame interval,
 * time step and temperature positive, finite and physical. Impossible values are a ParseError
 * (coordinates) or MetadataError naming where the value came from; unusual ones a warning.
 * `coordinatesChecked`: the coordinates were already found within bounds (io/bounds-parallel.ts).
 */
export function checkLoaded(t: Trajectory, where: MetadataFiles, coordinatesChecked = false): void {
  if (!coordinatesChecked) checkCoordinates(where.file, t.frac, t.nAtoms, t.nFrames);
  const m = t.metadata;
  const fileOf = (source: string | undefined): string =>
    where.sidecarPath !== null && source !== undefined && source.includes(basename(where.sidecarPath)) ? where.sidecarPath : where.file;
  const check = (name: string, v: number | null, source: string | undefined, max: number, unusual: number, unit: string): void => {
    if (v === null) return;
    if (!(v > 0) || !(v <= max)) {
      throw new MetadataError(`${name} ${v} ${unit} (from ${source ?? '?'}) is impossible; expected a positive value up to ${max} ${unit}`, { file: fileOf(source) });
    }
    if (v > unusual) t.warnings.push(`${name} ${v} ${unit} (from ${source ?? '?'}) is unusually large; check the units`);
  };
  check('temperature', m.temperatureK, m.sources.temperatureK, MAX_TEMPERATURE_K, UNUSUAL_TEMPERATURE_K, 'K');
  check('frame interval', m.frameIntervalFs, m.sources.frameIntervalFs, MAX_FRAME_INTERVAL_FS, UNUSUAL_FRAME_INTERVAL_FS, 'fs');
  check('time step (POTIM)', m.timestepFs, m.sources.timestepFs, MAX_FRAME_INTERVAL_FS, 100, 'fs');
}
