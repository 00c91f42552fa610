/** `ionsift diff A.duckdb B.duckdb`: are two databases equal row for row? */
import { compareDatabases } from '../store/compare.js';
import { errorMessage, parseCommandArgs, UsageError, withUsage } from './args.js';

export const help = `usage: ionsift diff A.duckdb B.duckdb

Compares every table of two ionsift databases row for row (as multisets, NULLs equal),
ignoring columns that differ between two runs of the same data (analysis_ms, indexed_at, the
failure time). Use it to check that a sharded run (index --shard + merge, e.g. under Slurm)
built the same database as a single-machine run.

Prints one line per table and, last, "databases equal" or "databases differ".
exit code: 0 equal, 1 different (or not comparable), 2 usage.`;

async function runCommand(argv: string[]): Promise<number> {
  const { positionals } = parseCommandArgs(argv, {});
  if (positionals.length !== 2) throw new UsageError('give two database files');
  const [a, b] = positionals as [string, string];
  try {
    const cmp = await compareDatabases(a, b);
    const width = Math.max(...cmp.tables.map((t) => t.table.length));
    for (const t of cmp.tables) {
      const name = t.table.padEnd(width);
      if (t.problem) console.log(`${name}  not comparable: ${t.problem}`);
      else if (t.onlyInA === 0 && t.onlyInB === 0) console.log(`${name}  equal (${t.rowsA} rows)`);
      else console.log(`${name}  differs: ${t.onlyInA} of ${t.rowsA} rows only in A, ${t.onlyInB} of ${t.rowsB} only in B`);
    }
    console.log(cmp.equal ? 'databases equal' : 'databases differ');
    return cmp.equal ? 0 : 1;
  } catch (err) {
    console.error(`ionsift diff: ${errorMessage(err)}`);
    return 1;
  }
}

export const run = withUsage('diff', help, runCommand);
