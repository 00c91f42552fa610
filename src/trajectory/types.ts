/**
 * The in-memory trajectory: typed arrays only, no per-atom objects.
 *
 * Positions are stored frame-major as FRACTIONAL coordinates `[frame][atom][xyz]`
 * (what XDATCAR holds; Cartesian inputs are converted on read). Unwrapped Cartesian
 * positions are derived on demand by `unwrap()` in `trajectory/unwrap.ts`.
 */
import type { ReducedFrames } from './mobile-frames.js';

/**
 * Positions in a typed array: float64, or float32 where the precision budget allows (long runs:
 * see `trajectory/mobile-frames.ts` and BENCHMARKS.md, "Analysis pipeline"). Hot loops read either; a
 * value read from a Float32Array is exact in float64, so arithmetic stays in float64.
 */
export type Positions = Float32Array | Float64Array;

/** Where the frames of one source file sit in the trajectory. */
export interface Segment {
  /** Source file path. */
  file: string;
  /** First frame (0-based, inclusive) of this file in the trajectory. */
  startFrame: number;
  /** Number of frames read from this file. */
  nFrames: number;
}

/**
 * A step between consecutive frames that is much larger than an ordinary step
 * (e.g. two restarts that do not continue each other). `frame` is the first frame after the jump.
 */
export interface Discontinuity {
  frame: number;
  /** RMS displacement (Å, minimum image) over all atoms across the jump. */
  rmsStepA: number;
  /** Median RMS displacement (Å) of ordinary steps, for comparison. */
  typicalStepA: number;
  /** Why it was flagged, in words. */
  reason: string;
}

export interface TrajectoryMetadata {
  /** Time between written frames in fs (POTIM × NBLOCK), or null when unknown. */
  frameIntervalFs: number | null;
  /** MD time step in fs (POTIM), when known. */
  timestepFs: number | null;
  /** MD steps between written frames (NBLOCK), when known. */
  stepsPerFrame: number | null;
  /** Temperature in K, or null when unknown. */
  temperatureK: number | null;
  /** Where each metadata value came from (e.g. `{frameIntervalFs: "INCAR"}`), for reports. */
  sources: Record<string, string>;
  /** Material name (sidecar, folder name) and reduced formula. */
  material: string | null;
  formula: string | null;
  /** Mobile species requested by the user / sidecar, if any. */
  mobile: string[] | null;
  /** Formal charges of ions, for conductivity. */
  charges: Record<string, number>;
  /** Source file paths in order. */
  sourcePaths: string[];
  /** Format name of the reader (`xdatcar`, `vasprun`, `extxyz`, `lammps-dump`). */
  format: string;
  /** Hex SHA-256 over the raw bytes of all source files in order. */
  contentHash: string;
  /** Free-text title/comment line of the file. */
  title: string;
}

export interface Trajectory {
  nFrames: number;
  nAtoms: number;
  /** Element symbols in file order, one per species block. */
  species: string[];
  /** Atom count per species, parallel to `species`. */
  counts: number[];
  /** Species index of every atom (index into `species`). */
  speciesOf: Uint16Array;
  /** Fractional coordinates, frame-major, length nFrames·nAtoms·3 (empty when `reduced`). */
  frac: Float64Array;
  /**
   * Set when the reader kept only what the analysis uses (mobile-frames.ts: the mobile species
   * unwrapped as float32, the framework's drift and time average); `frac` is then empty.
   */
  reduced?: ReducedFrames;
  /**
   * Lattice vectors as ROWS (a, b, c), Å: length 9 for a fixed cell,
   * or nFrames·9 for a variable cell (`variableCell` true).
   */
  lattice: Float64Array;
  variableCell: boolean;
  segments: Segment[];
  discontinuities: Discontinuity[];
  metadata: TrajectoryMetadata;
  /** Non-fatal problems found while reading (missing metadata, discontinuities…). */
  warnings: string[];
}

export function emptyMetadata(format: string): TrajectoryMetadata {
  return {
    frameIntervalFs: null,
    timestepFs: null,
    stepsPerFrame: null,
    temperatureK: null,
    sources: {},
    material: null,
    formula: null,
    mobile: null,
    charges: {},
    sourcePaths: [],
    format,
    contentHash: '',
    title: '',
  };
}

/** Lattice (9 numbers, rows) of frame f. */
export function latticeAt(t: Trajectory, f: number): Float64Array {
  return t.variableCell ? t.lattice.subarray(f * 9, f * 9 + 9) : t.lattice;
}

/** Element symbol of every atom, as a plain array (for reports; not for hot loops). */
export function elementsOf(t: Trajectory): string[] {
  return Array.from(t.speciesOf, (s) => t.species[s]);
}

/** Indices of atoms whose element is one of `elements`. */
export function atomsOf(t: Trajectory, elements: readonly string[]): Int32Array {
  const want = new Set(elements);
  const out: number[] = [];
  for (let i = 0; i < t.nAtoms; i++) if (want.has(t.species[t.speciesOf[i]])) out.push(i);
  return Int32Array.from(out);
}
