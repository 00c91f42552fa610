/**
 * Worker thread entry of the indexer's pool: runs the processor module (load + analyze by
 * default) on each WorkTask and answers with the result, transferring typed-array buffers
 * instead of copying them.
 */
import { workerData } from 'node:worker_threads';
import { serve } from '../parallel/serve.js';
import type { ProcessTask, WorkOutput, WorkTask } from './types.js';

export interface IndexWorkerData {
  processorUrl: string;
}

const init = workerData as IndexWorkerData;
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

/** The processor's output, with the content hash added when the processor did not compute it. */
async function work(task: WorkTask): Promise<WorkOutput> {
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
  return out;
}

serve(async (task: WorkTask) => {
  const out = await work(task);
  return { result: out, transfer: transferables(out) };
});
