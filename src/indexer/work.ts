/**
 * What an indexer worker does with one task, whichever kind of worker runs it (a thread,
 * worker.ts, or a child process, child.ts): the processor module (load + analyze by default) on
 * the task, its throw turned into a failed output, and the content hash added when the processor
 * did not compute it.
 */
import type { ProcessTask, WorkOutput, WorkTask } from './types.js';

/** The processor module at `url` (exports `processTask`). */
export async function loadProcessor(url: string): Promise<ProcessTask> {
  return ((await import(url)) as { processTask: ProcessTask }).processTask;
}

/** The processor's output, with the content hash added when the processor did not compute it. */
export async function work(processTask: ProcessTask, task: WorkTask): Promise<WorkOutput> {
  let out: WorkOutput;
  try {
    out = await processTask(task);
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
