/** Messages between analyzeParallel (main thread) and its detection workers (detect-worker.ts). */
import type { DetectRun } from '../analysis/detectors/detector.js';
import type { DetectorName } from '../analysis/detectors/registry.js';
import type { AtomCentres, RawHop } from '../analysis/types.js';
import type { Positions } from '../trajectory/types.js';

/** Given to each worker at start: it loads only this detector's module. */
export interface DetectWorkerData {
  method: DetectorName;
}

/** One contiguous block [from, to) of an element's columns. */
export interface BlockTask {
  nFrames: number;
  /**
   * All of the element's columns, frame-major [frame][column][xyz], Å, on a SharedArrayBuffer:
   * every worker sees the one array (no copy per worker or per block is sent).
   */
  positions: Positions;
  /** Columns in `positions`. */
  nCols: number;
  from: number;
  to: number;
  /** File-order indices of the block's columns. */
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
