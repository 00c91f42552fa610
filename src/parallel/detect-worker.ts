/**
 * Worker thread entry of analyzeParallel: hop detection on blocks of columns with the detector
 * named in workerData. Answers with the hops and per-atom centres, transferring the label and
 * centre buffers back.
 */
import { workerData } from 'node:worker_threads';
import { loadDetector } from '../analysis/detectors/load.js';
import type { Positions } from '../trajectory/types.js';
import type { BlockResult, BlockTask, DetectWorkerData } from './protocol.js';
import { serve } from './serve.js';

// Only the one detector module is loaded (not analyze.ts and all it imports): iondiff's k-means
// dependency alone takes ~0.25 s to load from dist/, which the default method need not pay.
const detector = await loadDetector((workerData as DetectWorkerData).method);

/** A view's own buffer, copied first when the view covers only part of a larger buffer (cloning that would copy all of it). */
function own<A extends Int16Array | Float64Array>(a: A): A {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as A;
}

/**
 * Columns [from, to) of the frame-major T × n × 3 shared array, as their own T × (to − from) × 3
 * array of the same type: the detectors take whole arrays; a block is 1/8 of a species or less.
 */
function columns(pos: Positions, T: number, n: number, from: number, to: number): Positions {
  const w = (to - from) * 3;
  const out = pos instanceof Float32Array ? new Float32Array(T * w) : new Float64Array(T * w);
  for (let f = 0; f < T; f++) out.set(pos.subarray((f * n + from) * 3, (f * n + to) * 3), f * w);
  return out;
}

serve((task: BlockTask) => {
  const t0 = performance.now();
  const positions = columns(task.positions, task.nFrames, task.nCols, task.from, task.to);
  const det = detector.detect(positions, task.nFrames, task.atoms, task.run);
  const detectMs = performance.now() - t0;
  const transfer: ArrayBuffer[] = [];
  const seen = new Set<ArrayBuffer>();
  for (const a of det.atoms) {
    a.labels = own(a.labels);
    a.centres = own(a.centres);
    for (const b of [a.labels.buffer, a.centres.buffer]) {
      if (b instanceof ArrayBuffer && !seen.has(b)) { seen.add(b); transfer.push(b); }
    }
  }
  // Only what the merge needs: a detector's extras (e.g. default's per-column noise models, with
  // a per-frame field of 24·T bytes each) stay here.
  const result: BlockResult = { hops: det.hops, atoms: det.atoms, warnings: det.warnings ?? [], detectMs };
  return { result, transfer };
});
