/**
 * Worker thread entry of the indexer's thread pool: runs the processor module (load + analyze by
 * default) on each WorkTask and answers with the result, transferring typed-array buffers
 * instead of copying them. The child-process pool's entry is child.ts.
 */
import { workerData } from 'node:worker_threads';
import { serve } from '../parallel/serve.js';
import type { WorkOutput, WorkTask } from './types.js';
import { loadProcessor, work } from './work.js';

export interface IndexWorkerData {
  processorUrl: string;
}

const processTask = await loadProcessor((workerData as IndexWorkerData).processorUrl);

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

serve(async (task: WorkTask) => {
  const out = await work(processTask, task);
  return { result: out, transfer: transferables(out) };
});
