/** Messages between analyzeParallel (main thread) and its detection workers (detect-worker.ts). */
import type { DetectRun } from '../analysis/detectors/detector.js';
import type { DetectorName } from '../analysis/detectors/registry.js';
import type { AtomCentres, RawHop } from '../analysis/types.js';

/** Given to each worker at start: it loads only this detector's module. */
export interface DetectWorkerData {
  method: DetectorName;
}

/** One contiguous block of an element's columns, positions copied into their own buffer. */
export interface BlockTask {
  nFrames: number;
  /** Frame-major [frame][column of the block][xyz], Å; its buffer is transferred. */
  positions: Float64Array;
  atoms: Int32Array;
  /** Seed, detector options, and the element's shared models sliced to the block. */
  run: DetectRun<unknown>;
}

export interface BlockResult {
  hops: RawHop[];
  atoms: AtomCentres[];
  warnings: string[];
  /** Wall time of the detection in the worker (ms). */
  detectMs: number;
}
