/**
 * The indexer's workers: the package's ThreadPool (../parallel/pool.ts) running worker.ts, each
 * task one trajectory (load + analyze). A crashed worker is replaced (a few times) and its task
 * rejected with WorkerCrashError, which the run records as that file's failure.
 */
import { siblingUrl } from '../parallel/worker-start.js';
import { ThreadPool } from '../parallel/pool.js';
import type { WorkOutput, WorkTask } from './types.js';
import type { IndexWorkerData } from './worker.js';

export { CancelledError } from '../parallel/pool.js';

export interface PoolOptions {
  size: number;
  /** Module exporting `processTask` (default: ./process). Tests inject stubs here. */
  processorUrl?: string;
  /** Workers started in place of crashed ones, over the pool's life (default: max(2, size)). */
  maxRestarts?: number;
}

export class WorkerPool extends ThreadPool<WorkTask, WorkOutput> {
  constructor(opts: PoolOptions) {
    const size = Math.max(1, opts.size);
    const workerData: IndexWorkerData = { processorUrl: opts.processorUrl ?? siblingUrl('process', import.meta.url).href };
    super({ name: 'indexer', entry: siblingUrl('worker', import.meta.url), size, workerData, maxRestarts: opts.maxRestarts ?? Math.max(2, size) });
  }
}
