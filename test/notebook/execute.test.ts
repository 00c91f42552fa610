/** The kernel's cell runner in-process: errors become Jupyter errors; queued cells after an error. */
import { describe, expect, it } from 'vitest';
import { CellRunner, cellError } from '../../src/notebook/execute.js';

function runner(fail: Set<string>) {
  const ran: string[] = [];
  let r: CellRunner;
  const cells = new CellRunner(async (code) => {
    await new Promise((res) => setTimeout(res, 5));
    ran.push(code);
    if (fail.has(code)) {
      r.capture([new Error(`failed: ${code}`)]);
      return false;
    }
    return true;
  });
  r = cells;
  const streams: string[] = [];
  const io = { stream: (_n: 'stdout' | 'stderr', t: string) => streams.push(t), begin: () => {} };
  return { cells, ran, streams, io };
}

describe('CellRunner', () => {
  it('stop_on_error (the default): cells queued behind a failure are skipped and say so', async () => {
    const { cells, ran, streams, io } = runner(new Set(['b']));
    const replies = await Promise.all(['a', 'b', 'c', 'd'].map((code) => cells.run({ code }, io)));
    expect(replies.map((r) => r.status)).toEqual(['ok', 'error', 'aborted', 'aborted']);
    expect(ran).toEqual(['a', 'b']);
    expect(replies[1]).toMatchObject({ ename: 'Error', evalue: 'failed: b', execution_count: 2 });
    expect(streams).toEqual(['not run: cell [2] failed before it (the client asked to stop on errors)\n', 'not run: cell [2] failed before it (the client asked to stop on errors)\n']);
  });

  it('stop_on_error false (nbconvert --allow-errors): every cell runs', async () => {
    const { cells, ran, io } = runner(new Set(['b']));
    const replies = await Promise.all(['a', 'b', 'c'].map((code) => cells.run({ code, stop_on_error: false }, io)));
    expect(replies.map((r) => r.status)).toEqual(['ok', 'error', 'ok']);
    expect(ran).toEqual(['a', 'b', 'c']);
  });
});

describe('cellError', () => {
  it('turns tslab diagnostics into a TypeScript error naming the cell line', () => {
    const e = cellError([['%s%d:%d - %s', '', 2, 7, "Cannot find name 'y'."]]);
    expect(e).toEqual({ ename: 'TypeScript', evalue: "cell line 2, column 7: Cannot find name 'y'.", traceback: ["TypeScript: cell line 2, column 7: Cannot find name 'y'."] });
  });
  it('gives an SQL mistake as DuckDB says it, without a stack', () => {
    const err = new Error('Binder Error: Referenced column "nope" not found in FROM clause!');
    expect(cellError([[err]])).toEqual({ ename: 'Error', evalue: err.message, traceback: [`Error: ${err.message}`] });
  });
  it('gives a user mistake as one line', () => {
    const err = Object.assign(new Error('msd: no MSD curves match material = "X"'), { userError: true, name: 'PlotInputError' });
    expect(cellError([[err]]).traceback).toEqual(['PlotInputError: msd: no MSD curves match material = "X"']);
  });
});
