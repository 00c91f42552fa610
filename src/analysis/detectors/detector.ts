/**
 * What a hop detector is to the rest of ionsift: its detection function, the models it pools over
 * all columns of a species (if any), its cost for the parallel planner and its options schema.
 * One file per detector exports a `Detector`; src/analysis/detectors/registry.ts lists them.
 */
import type { HopDetection } from '../types.js';
import type { Positions } from '../../trajectory/types.js';

/** Type of one detector option: a number, an integer, a flag, or one of the listed words. */
export type OptionType = 'number' | 'integer' | 'boolean' | readonly string[];

export type OptionValue = number | boolean | string;

export interface OptionSpec {
  type: OptionType;
  /** The value the detector uses when the option is not given. */
  default: OptionValue;
  description: string;
}

/** Option name → spec; the names are those of the detector's options object. */
export type OptionsSchema = Readonly<Record<string, OptionSpec>>;

/** Option values checked against a schema (see options.ts). */
export type OptionValues = Readonly<Record<string, OptionValue>>;

/** What one detection call gets beyond the positions. */
export interface DetectRun<Shared> {
  /** Seed for the detector's random choices (the analysis seed). */
  seed: number;
  /** Options given by the user (checked against the schema); absent ones take their defaults. */
  options?: OptionValues;
  /**
   * One model per column of this call: its slice of `sharedModels` of the whole species, so a
   * subset of the columns gets exactly its share of the whole call's hops. Absent: the detector
   * estimates what it needs from the columns it is given.
   */
  shared?: readonly Shared[];
}

/**
 * A hop detector. `Shared` is the type of the per-column models pooled over a whole species
 * (`never` when the detector has none: its ions are independent).
 */
export interface Detector<Shared = unknown> {
  /** One line for the CLI help. */
  description: string;
  /** Single-thread detection time per ion and frame (µs): the parallel planner's estimate. */
  costUsPerIonFrame: number;
  options: OptionsSchema;
  /**
   * Hops of the columns `atoms` (file-order indices) of `positions` (unwrapped, frame-major
   * [frame][column][xyz], Å). Pure and deterministic.
   */
  detect(positions: Positions, nFrames: number, atoms: Int32Array, run: DetectRun<Shared>): HopDetection;
  /**
   * The models a whole-species call pools over its `nCols` columns, one per column, computed once
   * (on the main thread) and handed to each subset as its slice; undefined when this call pools
   * nothing (subsets then need nothing shared). Absent for detectors whose ions are independent.
   */
  sharedModels?(positions: Positions, nFrames: number, nCols: number, options?: OptionValues): Shared[] | undefined;
}
