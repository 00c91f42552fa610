/**
 * Running cells so that an error is never hidden. tslab 1.0.22 answers a failed cell with a
 * bare `status: "error"` (nbconvert then prints `<Error>: ` and the real text is only on
 * stderr) and aborts every request that arrives in the next 200 ms, even when the client
 * asked to go on (`stop_on_error: false`, as nbconvert --allow-errors does). Here the error
 * the executor printed becomes the Jupyter error (ename, evalue, traceback), and later cells
 * are skipped only when the client asked for that, each saying so.
 */
import { format } from 'node:util';

export interface CellError {
  ename: string;
  evalue: string;
  traceback: string[];
}

/** Marks an error that is the user's mistake: its message says everything, no stack needed. */
interface UserFacing {
  userError?: unknown;
}

/** DuckDB's errors about the SQL itself: the message names the problem and the position. */
const DUCKDB_USER_ERROR = /^(Binder|Parser|Catalog|Conversion|Constraint|Invalid Input|Out of Range) Error: /;

/**
 * The traceback of a run-time error: where in the cell (V8 decorates the stack of an error
 * thrown in vm code with the offending source line; we find that line in the cell, since the
 * compiled line numbers are not the cell's) and the frames of the user's own functions, without
 * tslab's, the kernel's or Node's.
 */
function traceback(err: Error, code: string): string[] {
  const lines = (err.stack ?? '').split('\n');
  const out = [`${err.name || 'Error'}: ${err.message}`];
  let i = 1;
  if (lines.length > 3 && /^\s*\^+\s*$/.test(lines[2] ?? '') && !/^\s+at /.test(lines[1])) {
    const src = lines[1].trim();
    const n = code.split('\n').findIndex((l) => l.trim() === src);
    out.push(n >= 0 ? `at cell line ${n + 1}: ${src}` : `at: ${src}`);
    // Skip the decoration: source line, caret, blank line, repeated "Name: message".
    i = lines.findIndex((l, k) => k > 2 && /^\s+at /.test(l));
    if (i < 0) i = lines.length;
  }
  for (const l of lines.slice(i)) {
    if (!/^\s+at /.test(l)) continue;
    if (/node_modules[\\/]tslab[\\/]|node:internal|\(node:|[\\/]notebook[\\/](kernel|execute)\.(js|ts)/.test(l)) continue;
    if (/^\s+at evalmachine\.<anonymous>:\d+:\d+$/.test(l)) continue;
    out.push(l.replace(/\(evalmachine\.<anonymous>:\d+:\d+\)/, '(this cell)'));
  }
  return out;
}

/**
 * The error of a failed cell from what the executor printed through console.error: an Error
 * object (run-time) or tslab's "%s%d:%d - %s" diagnostics (type errors, with the cell line).
 */
export function cellError(printed: readonly unknown[][], code = ''): CellError {
  for (const args of printed) {
    const err = args.find((a): a is Error => a instanceof Error);
    if (!err) continue;
    const name = err.name || 'Error';
    const message = err.message || String(err);
    if ((err as UserFacing).userError === true || DUCKDB_USER_ERROR.test(message)) {
      return { ename: name, evalue: message, traceback: [`${name}: ${message}`] };
    }
    return { ename: name, evalue: message, traceback: traceback(err, code) };
  }
  const lines = printed.map((args) => format(...args)).filter((l) => l.trim() !== '');
  if (lines.length === 0) return { ename: 'Error', evalue: 'the cell failed without a message', traceback: ['Error: the cell failed without a message'] };
  // Diagnostics read "LINE:COL - message"; say that the line is the cell's.
  const described = lines.map((l) => l.replace(/^(\d+):(\d+) - /, 'cell line $1, column $2: '));
  return { ename: 'TypeScript', evalue: described.join('\n'), traceback: described.map((l) => `TypeScript: ${l}`) };
}

export type ReplyContent =
  | { status: 'ok'; execution_count: number; user_expressions: Record<string, never>; payload: [] }
  | ({ status: 'error'; execution_count: number } & CellError)
  | { status: 'aborted'; execution_count: null };

export interface ExecuteRequest {
  code: string;
  silent?: boolean;
  stop_on_error?: boolean;
}

/** Where a cell's output goes (the ZMQ server provides these per request). */
export interface CellIo {
  stream(name: 'stdout' | 'stderr', text: string): void;
  /** Called before the cell runs, so display() in the cell reaches this request's output. */
  begin(): void;
}

/** How long after a failure (with stop_on_error) requests already on their way are skipped. */
export const ABORT_WINDOW_MS = 200;

/**
 * One queue of cells over the executor: run in order; an error captured as CellError; after a
 * failure with stop_on_error (the default), requests arriving within ABORT_WINDOW_MS (those
 * sent together with the failed one, e.g. "run all") are skipped and say so.
 */
export class CellRunner {
  private count = 0;
  private chain: Promise<unknown> = Promise.resolve();
  private abortUntil = 0;
  private failedCell = 0;
  private printed: unknown[][] | null = null;

  constructor(private readonly execute: (code: string) => Promise<boolean>) {}

  /** The executor's console.error, while a cell runs (returns false outside a cell). */
  capture(args: unknown[]): boolean {
    if (!this.printed) return false;
    this.printed.push(args);
    return true;
  }

  run(req: ExecuteRequest, io: CellIo): Promise<ReplyContent> {
    const arrived = Date.now();
    const next = this.chain.then(() => this.runOne(req, io, arrived));
    this.chain = next.catch(() => undefined);
    return next;
  }

  private async runOne(req: ExecuteRequest, io: CellIo, arrived: number): Promise<ReplyContent> {
    if (arrived < this.abortUntil) {
      io.stream('stderr', `not run: cell [${this.failedCell}] failed before it (the client asked to stop on errors)\n`);
      return { status: 'aborted', execution_count: null };
    }
    io.begin();
    const n = ++this.count;
    this.printed = [];
    let ok = false;
    try {
      ok = await this.execute(req.code);
    } catch (err) {
      this.printed.push([err]);
    }
    const printed = this.printed;
    this.printed = null;
    if (ok) return { status: 'ok', execution_count: n, user_expressions: {}, payload: [] };
    if (req.stop_on_error !== false) {
      this.abortUntil = Date.now() + ABORT_WINDOW_MS;
      this.failedCell = n;
    }
    return { status: 'error', execution_count: n, ...cellError(printed, req.code) };
  }
}
