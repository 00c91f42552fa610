/** What one `ionsift index` run did, and its one-paragraph form for the terminal. */
import { LIST_FAILURES_SQL } from '../store/index-ops.js';
import type { ChildUsage } from './process-pool.js';

/** One failure of the run, as the summary lists it. */
export interface FailureNote {
  path: string;
  stage: string;
  message: string;
}

export interface IndexSummary {
  discovered: number;
  selected: number;
  indexed: number;
  skipped: number;
  failed: number;
  /** Trajectories (and their failures rows) under the indexed paths no longer discovered, deleted. */
  removed: number;
  interrupted: boolean;
  bytesRead: number;
  elapsedMs: number;
  db: string;
  failures: FailureNote[];
  /** CPU seconds and summed peak RSS (MB) of the worker processes; null with worker threads (their CPU is this process's). */
  children?: ChildUsage | null;
}

/** One-paragraph summary for the terminal. */
export function formatSummary(s: IndexSummary): string {
  const secs = (s.elapsedMs / 1000).toFixed(1);
  const rate = s.indexed && s.elapsedMs ? ` (${((s.indexed * 1000) / s.elapsedMs).toFixed(2)} trajectories/s)` : '';
  const lines = [
    `${s.interrupted ? 'interrupted: ' : ''}indexed ${s.indexed}, skipped ${s.skipped} unchanged, failed ${s.failed}, removed ${s.removed} — ${s.selected} of ${s.discovered} trajectories in ${secs} s${rate}`,
    `database: ${s.db}`,
  ];
  for (const f of s.failures.slice(0, 20)) lines.push(`  failed [${f.stage}] ${f.message.split('\n')[0]}`);
  if (s.failures.length > 20) lines.push(`  … ${s.failures.length - 20} more (${LIST_FAILURES_SQL})`);
  return lines.join('\n');
}
