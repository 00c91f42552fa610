/**
 * The indexer's writes of analysed trajectories, batched: results wait (at most `maxBatch` of
 * them, at most `maxWaitMs`, and never once no analysis is running) and then go to the store in
 * one transaction with one Appender per table. Per trajectory, a transaction and a dozen
 * Appenders cost the single writer (main thread, DuckDB) a fixed few ms, which on small
 * trajectories was as much CPU as a worker's analysis and took the core a second worker needs.
 * A batch that fails is retried one trajectory at a time, so one bad result fails only itself.
 */
import { ingestTrajectories, ingestTrajectory, type IngestItem } from '../store/ingest.js';
import { errorText, type RunContext } from './context.js';

export interface BatchEntry {
  item: IngestItem;
  /** First file, for the failure row. */
  path: string;
  /** Called once the trajectory is written (not on failure or interrupt). */
  written: () => void;
  /** Called with the message when it could not be written (a failure row is recorded first). */
  failed: (message: string) => void;
}

interface Pending extends BatchEntry {
  done: () => void;
}

export class BatchWriter {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly ctx: RunContext,
    private readonly maxBatch: number,
    private readonly maxWaitMs: number,
    /** Whether more results are on their way soon (an analysis is running). */
    private readonly moreComing: () => boolean,
  ) {}

  /** Queue one trajectory; resolves once it is written, recorded as failed, or dropped by an interrupt. */
  add(entry: BatchEntry): Promise<void> {
    return new Promise<void>((done) => {
      this.pending.push({ ...entry, done });
      if (this.pending.length >= this.maxBatch || !this.moreComing()) this.flush();
      else this.timer ??= setTimeout(() => this.flush(), this.maxWaitMs);
    });
  }

  /** Write what waits now (called again by the runner whenever an analysis ends with nothing running). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    void this.write(batch);
  }

  private async write(batch: Pending[]): Promise<void> {
    const { ctx } = this;
    let wrote = false;
    try {
      await ctx.write(async () => {
        // Checked inside the writer: after an interrupt nothing new starts, the current write finishes.
        if (ctx.interrupted) return;
        await ingestTrajectories(ctx.store, batch.map((b) => b.item));
        wrote = true;
      });
    } catch {
      // Retry alone below: the error belongs to one of them, the others must not fail with it.
      for (const b of batch) await this.writeOne(b);
      return;
    }
    for (const b of batch) {
      if (wrote) b.written();
      b.done();
    }
  }

  private async writeOne(b: Pending): Promise<void> {
    const { ctx } = this;
    let wrote = false;
    try {
      await ctx.write(async () => {
        if (ctx.interrupted) return;
        await ingestTrajectory(ctx.store, b.item.rec, b.item.result, b.item.indexedAt, { replace: b.item.replace });
        wrote = true;
      });
      if (wrote) b.written();
    } catch (err) {
      const msg = errorText(err);
      await ctx.fail(b.item.rec.trajectoryId, b.path, 'write', `${b.path}: could not write results: ${msg}`);
      b.failed(msg);
    }
    b.done();
  }
}
