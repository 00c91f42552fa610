/** Messages between analyzeParallel (main thread) and its detection workers. */
import type { DetectorCall } from '../analysis/analyze.js';
import type { IonNoise } from '../analysis/hops-default.js';
import type { AtomCentres, RawHop } from '../analysis/types.js';

/** Given to each worker at start: it loads only this detector's module. */
export interface DetectWorkerData {
  method: DetectorCall['method'];
}

/** One contiguous block of an element's columns, positions copied into their own buffer. */
export interface BlockTask {
  id: number;
  nFrames: number;
  /** Frame-major [frame][column of the block][xyz], Å; its buffer is transferred. */
  positions: Float64Array;
  atoms: Int32Array;
  /** Detector and options, as `detectorCall` makes them (default: the element's noise models sliced to the block). */
  call: DetectorCall;
}

export type BlockReply =
  | { id: number; ok: true; hops: RawHop[]; atoms: AtomCentres[]; noise: IonNoise[] | null; warnings: string[]; detectMs: number }
  | { id: number; ok: false; message: string };

/** Posted once by a worker when its modules are loaded. */
export interface ReadyMessage {
  ready: true;
}
