/**
 * The indexer's workers, each task one trajectory (load + analyze): child processes
 * (process-pool.ts, the default) or worker threads (the package's ThreadPool, ../parallel/pool.ts,
 * running worker.ts). Either way a crashed worker is replaced (a few times) and its task rejected
 * with WorkerCrashError, which the run records as that file's failure, and results are identical.
 */
import { siblingUrl } from '../parallel/worker-start.js';
import { ThreadPool } from '../parallel/pool.js';
import { childBundlePath, type CodeSource } from './child-code.js';
import { ProcessPool, type ChildUsage } from './process-pool.js';
import type { WorkOutput, WorkTask } from './types.js';
import type { IndexWorkerData } from './worker.js';

export { CancelledError } from '../parallel/pool.js';

/** `process`: forked Node processes with their own V8 flags; `thread`: worker threads in this process. */
export type PoolKind = 'process' | 'thread';
export const POOL_KINDS: readonly PoolKind[] = ['process', 'thread'];
export const DEFAULT_POOL: PoolKind = 'process';
/**
 * V8 flags of the child processes: TurboFan and GC on the child's own thread, so two children
 * use two cores, not two cores plus background threads (chosen by measurement: BENCHMARKS.md,
 * "Indexing", 2026-12-03 — process pool).
 */
export const CHILD_NODE_FLAGS: readonly string[] = ['--single-threaded'];

export interface PoolOptions {
  size: number;
  kind?: PoolKind;
  /** Module exporting `processTask` (default: ./process). Tests inject stubs here. */
  processorUrl?: string;
  /** Workers started in place of crashed ones, over the pool's life (default: max(2, size)). */
  maxRestarts?: number;
  /** Heap limit of each worker (MB): a worker exceeding it dies, and only its trajectory fails. */
  maxHeapMb?: number;
  /** Node flags of the child processes (default CHILD_NODE_FLAGS); ignored by the thread pool. */
  nodeFlags?: readonly string[];
  /**
   * How child processes load the default processor (default `bundle`; benchmarks compare): the
   * bundle made by the build (child-code.ts), or the ES modules. Without a built bundle (running
   * from src/) or with `processorUrl` set, always the modules.
   */
  childCode?: CodeSource;
}

/** What the run needs of a pool, whichever kind. */
export interface IndexPool {
  readonly kind: PoolKind;
  run(task: WorkTask): Promise<WorkOutput>;
  close(): Promise<void>;
  /** CPU and summed peak RSS of the child processes (null for threads: they are this process's). */
  childUsage(): ChildUsage | null;
  /** Fewer workers than started (child processes only: they are started before discovery). */
  shrink?(size: number): void;
}

class ThreadIndexPool extends ThreadPool<WorkTask, WorkOutput> implements IndexPool {
  readonly kind = 'thread' as const;
  childUsage(): null {
    return null;
  }
}

class ProcessIndexPool extends ProcessPool implements IndexPool {
  readonly kind = 'process' as const;
  childUsage(): ChildUsage {
    return this.usage();
  }
}

export function createPool(opts: PoolOptions): IndexPool {
  const size = Math.max(1, opts.size);
  const processorUrl = opts.processorUrl ?? siblingUrl('process', import.meta.url).href;
  const maxRestarts = opts.maxRestarts ?? Math.max(2, size);
  if ((opts.kind ?? DEFAULT_POOL) === 'process') {
    const heap = opts.maxHeapMb ? [`--max-old-space-size=${opts.maxHeapMb}`] : [];
    const bundle = !opts.processorUrl && opts.childCode !== 'modules' ? childBundlePath(import.meta.url) : null;
    return new ProcessIndexPool({ size, processorUrl, maxRestarts, nodeFlags: [...(opts.nodeFlags ?? CHILD_NODE_FLAGS), ...heap], bundle });
  }
  const workerData: IndexWorkerData = { processorUrl };
  return new ThreadIndexPool({
    name: 'indexer', entry: siblingUrl('worker', import.meta.url), size, workerData, maxRestarts,
    resourceLimits: opts.maxHeapMb ? { maxOldGenerationSizeMb: opts.maxHeapMb } : undefined,
  });
}
