/**
 * Worker thread entry of analyzeParallel: hop detection on blocks of columns. Replies with the
 * hops and per-atom centres, transferring the label and centre buffers back.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { DetectorCall } from '../analysis/analyze.js';
import type { IonNoise } from '../analysis/hops-default.js';
import type { HopDetection } from '../analysis/types.js';
import type { BlockReply, BlockTask, DetectWorkerData, ReadyMessage } from './protocol.js';

const port = parentPort;
if (!port) throw new Error('detect-worker started outside a worker thread');
const { method } = workerData as DetectWorkerData;

// Only the one detector module is loaded (not analyze.ts and all it imports): iondiff's k-means
// dependency alone takes ~0.25 s to load from dist/, which the default method need not pay.
/** The detector; `noise` only from the default one (its per-column models). */
type Detect = (positions: Float64Array, nFrames: number, atoms: Int32Array, call: DetectorCall) => HopDetection & { noise?: IonNoise[] };
const detect: Detect = method === 'iondiff'
  ? await import('../analysis/hops-iondiff.js').then((m): Detect => (pos, T, atoms, call) => {
    if (call.method !== 'iondiff') throw new Error(`an iondiff worker got a ${call.method} task`);
    return m.detectHopsIondiff(pos, T, atoms, call.options);
  })
  : await import('../analysis/hops-default.js').then((m): Detect => (pos, T, atoms, call) => {
    if (call.method !== 'default') throw new Error(`a default worker got a ${call.method} task`);
    return m.detectHopsDefault(pos, T, atoms, call.options);
  });

/** A view's own buffer, copied first when the view covers only part of a larger buffer (cloning that would copy all of it). */
function own<A extends Int16Array | Float64Array>(a: A): A {
  return (a.byteOffset === 0 && a.byteLength === a.buffer.byteLength ? a : a.slice()) as A;
}

port.on('message', (task: BlockTask) => {
  let reply: BlockReply;
  const transfer: ArrayBuffer[] = [];
  try {
    const t0 = performance.now();
    const det = detect(task.positions, task.nFrames, task.atoms, task.call);
    const detectMs = performance.now() - t0;
    const seen = new Set<ArrayBuffer>();
    for (const a of det.atoms) {
      a.labels = own(a.labels);
      a.centres = own(a.centres);
      for (const b of [a.labels.buffer, a.centres.buffer]) {
        if (b instanceof ArrayBuffer && !seen.has(b)) { seen.add(b); transfer.push(b); }
      }
    }
    // models the main thread gave stay there (with a per-frame field, 24·T bytes each block)
    const given = task.call.method === 'default' && task.call.options.noise !== undefined;
    reply = { id: task.id, ok: true, hops: det.hops, atoms: det.atoms, noise: given ? null : det.noise ?? null, warnings: det.warnings ?? [], detectMs };
  } catch (err) {
    reply = { id: task.id, ok: false, message: err instanceof Error ? err.message : String(err) };
    transfer.length = 0;
  }
  port.postMessage(reply, transfer);
});
port.postMessage({ ready: true } satisfies ReadyMessage);
