/**
 * Worker thread entry: receives WorkTasks, runs the processor module (load + analyze by
 * default) and posts the result back, transferring typed-array buffers instead of copying them.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { ProcessTask, WorkOutput, WorkTask } from './types.js';

interface WorkerInit {
  processorUrl: string;
}

const port = parentPort;
if (!port) throw new Error('indexer worker started outside a worker thread');
const init = workerData as WorkerInit;
const mod = (await import(init.processorUrl)) as { processTask: ProcessTask };

function transferables(out: WorkOutput): ArrayBuffer[] {
  if (!out.ok) return [];
  const seen = new Set<ArrayBuffer>();
  for (const d of out.result.diffusion) {
    for (const a of [d.msdTimesPs, d.msdA2]) {
      if (a && a.buffer instanceof ArrayBuffer && a.buffer.byteLength > 0) seen.add(a.buffer);
    }
  }
  return [...seen];
}

port.on('message', (task: WorkTask) => {
  void (async () => {
    let out: WorkOutput;
    try {
      out = await mod.processTask(task);
    } catch (err) {
      out = { ok: false, stage: 'analyze', message: err instanceof Error ? err.message : String(err) };
    }
    if (out.ok && !out.meta.contentHash) {
      // The main thread does not hash new trajectories (see run.ts); a processor that does not
      // return the content hash (loadDiscovered computes it while reading) gets it here.
      const file = task.trajectory.files[0] ?? task.trajectory.dir;
      try {
        const { contentHash } = await import('./hash.js');
        out.meta.contentHash = await contentHash(task.trajectory.files);
      } catch (err) {
        const msg = err instanceof Error ? err.message : String(err);
        out = { ok: false, stage: 'hash', message: msg.includes(file) ? msg : `${file}: ${msg}` };
      }
    }
    try {
      port.postMessage({ taskId: task.taskId, out }, transferables(out));
    } catch (err) {
      // A result that cannot be cloned is a bug in the analysis output; report it, don't hang.
      port.postMessage({ taskId: task.taskId, out: { ok: false, stage: 'analyze', message: `result could not be sent from the worker: ${err instanceof Error ? err.message : String(err)}` } });
    }
  })();
});
port.postMessage({ ready: true });
