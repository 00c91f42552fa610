/**
 * State the stages of one index run share: the store and its single writer, the progress
 * display, the failures so far, the file reads for hashing, and whether the run was interrupted.
 */
import type { LimitFunction } from 'p-limit';
import type { Store } from '../store/db.js';
import { recordFailure } from '../store/ingest.js';
import type { Progress } from './progress.js';
import type { FailureNote } from './summary.js';
import type { Stage } from './types.js';

export class RunContext {
  readonly failures: FailureNote[] = [];
  /** Bytes the skip checks read to decide (the workers' reads are not counted). */
  bytesRead = 0;
  /** Set on abort: nothing new starts, the current write finishes. */
  interrupted = false;
  private writes: Promise<void> = Promise.resolve();

  constructor(
    readonly store: Store,
    readonly progress: Progress,
    /** Concurrent file reads for hashing. */
    readonly ioLimit: LimitFunction,
  ) {}

  /**
   * The single writer: every database write goes through this chain, so writes never
   * interleave (DuckDB transactions on one connection must not overlap).
   */
  write(fn: () => Promise<void>): Promise<void> {
    const p = this.writes.then(fn);
    this.writes = p.catch(() => undefined);
    return p;
  }

  /** Resolves when every write queued so far is done. */
  idle(): Promise<void> {
    return this.writes;
  }

  /** Note a failure and record it (replacing the trajectory's old rows, if it has an id). */
  async fail(trajectoryId: string | null, path: string, stage: Stage, message: string): Promise<void> {
    this.failures.push({ path, stage, message });
    await this.write(() => recordFailure(this.store, { trajectoryId, path, stage, message }));
  }
}

/** The message of anything thrown. */
export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** `message` with `path` in front, unless it names the path already. */
export function aboutPath(message: string, path: string): string {
  return message.includes(path) ? message : `${path}: ${message}`;
}
