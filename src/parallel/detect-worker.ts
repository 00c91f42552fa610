/**
 * Worker thread entry of analyzeParallel: hop detection on blocks of columns with the detector
 * named in workerData. Answers with the hops and per-atom centres, transferring the label and
 * centre buffers back.
 */
import { workerData } from 'node:worker_threads';
import { loadDetector } from '../analysis/detectors/load.js';
import type { BlockResult, BlockTask, DetectWorkerData } from './protocol.js';
import { serve } from './serve.js';

// Only the one detector module is loaded (not analyze.ts and all it imports): iondiff's k-means
// dependency alone takes ~0.25 s to load from dist/, which the default method need not pay.
const detector = await loadDetector((workerData as DetectWorkerData).method);

/** A view's own buffer, copied first when the view covers only part of a larger buffer (cloning that would copy all of it). */
function own<A extends Int16Array | Float64Array>(a: A): A {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as A;
}

serve((task: BlockTask) => {
  const t0 = performance.now();
  const det = detector.detect(task.positions, task.nFrames, task.atoms, task.run);
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
