/**
 * Progress display: a one-line bar on a terminal (done/total, rate, ETA, current file), plain
 * log lines otherwise (CI logs, Slurm output files).
 */
export type ProgressMode = 'tty' | 'plain' | 'none';

export interface ProgressCounts {
  indexed: number;
  skipped: number;
  failed: number;
}

function fmtDuration(s: number): string {
  if (!Number.isFinite(s)) return '--:--';
  s = Math.max(0, Math.round(s));
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), sec = s % 60;
  return h ? `${h}:${String(m).padStart(2, '0')}:${String(sec).padStart(2, '0')}` : `${m}:${String(sec).padStart(2, '0')}`;
}

export class Progress {
  private done = 0;
  private total = 0;
  private readonly t0 = Date.now();
  private current = '';
  private lastDraw = 0;
  readonly counts: ProgressCounts = { indexed: 0, skipped: 0, failed: 0 };

  constructor(
    private readonly mode: ProgressMode,
    private readonly stream: NodeJS.WriteStream = process.stderr,
  ) {}

  static auto(stream: NodeJS.WriteStream = process.stderr): Progress {
    return new Progress(stream.isTTY ? 'tty' : 'plain', stream);
  }

  start(total: number): void {
    this.total = total;
    if (this.mode === 'plain') this.stream.write(`indexing ${total} trajectories\n`);
    this.draw(true);
  }

  /** A trajectory started (its file is shown as current). */
  begin(label: string): void {
    this.current = label;
    this.draw(false);
  }

  /** A trajectory finished. */
  end(label: string, status: 'indexed' | 'skipped' | 'failed', detail = ''): void {
    this.done++;
    this.counts[status]++;
    if (this.mode === 'plain' && status !== 'skipped') {
      this.stream.write(`[${this.done}/${this.total}] ${status} ${label}${detail ? ` ${detail}` : ''}\n`);
    }
    if (this.mode === 'tty' && status === 'failed') {
      this.clear();
      this.stream.write(`failed ${label}${detail ? ` ${detail}` : ''}\n`);
    }
    this.draw(this.done === this.total);
  }

  private clear(): void {
    if (this.mode === 'tty') this.stream.write('\r\x1b[2K');
  }

  private draw(force: boolean): void {
    if (this.mode !== 'tty') return;
    const now = Date.now();
    if (!force && now - this.lastDraw < 100) return;
    this.lastDraw = now;
    const el = (now - this.t0) / 1000;
    const rate = el > 0 ? this.done / el : 0;
    const eta = rate > 0 ? (this.total - this.done) / rate : NaN;
    const width = 24;
    const frac = this.total ? this.done / this.total : 1;
    const bar = '█'.repeat(Math.round(frac * width)).padEnd(width, '░');
    const cols = this.stream.columns || 100;
    let line = `${bar} ${this.done}/${this.total} ${rate.toFixed(2)}/s ETA ${fmtDuration(eta)} ${this.current}`;
    if (line.length > cols - 1) line = line.slice(0, cols - 2) + '…';
    this.stream.write(`\r\x1b[2K${line}`);
  }

  finish(): void {
    if (this.mode === 'tty') this.stream.write('\n');
  }

  elapsedMs(): number {
    return Date.now() - this.t0;
  }
}
