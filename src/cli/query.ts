/** `ionsift query --db FILE "SQL"`: run SQL against a database opened read-only. */
import { dirname, resolve } from 'node:path';
import { ReadOnlyError, SandboxError } from '../store/db.js';
import { errorMessage, parseCommandArgs, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { openShards } from '../store/shards.js';
import type { Sandbox, Store } from '../store/db.js';
import { csvText, jsonText, textTable, writeQuery, type FileFormat } from '../store/export.js';

export const help = `usage: ionsift query (--db FILE | --parquet OUT) "SQL" [--format table|csv|json|parquet|arrow] [--out F] [--allow-files]

Runs one SQL statement against FILE opened READ-ONLY: a statement that would modify the
database fails. The SQL cannot reach any other file or the network (DuckDB external access
off, configuration locked, no extensions): COPY, EXPORT, ATTACH, read_csv, glob… are refused.
Tables: trajectories, species, events, atoms, concerted_groups, correlations,
correlation_fits, diffusion, element_descriptors, sites, site_jumps, arrhenius, failures;
views: descriptors, diffusion_pooled (replicates pooled).

--parquet OUT answers the same SQL straight from the Parquet shards of
\`ionsift index --shard i/n --out OUT\` (the newest complete series), without a merge: the
per-trajectory tables are views over OUT's files, arrhenius is computed from them in memory.
DESCRIBE <table> or SELECT * FROM duckdb_columns() shows every column with its unit/comment.

  --format table|csv|json    print to stdout (default table); counts come back as plain numbers
  --format parquet|arrow     write a file (needs --out F); csv/json also accept --out
  --allow-files              let the SQL read and write files in the database's folder
                             (e.g. read_parquet('runs/*.parquet') beside FILE)`;

const FORMATS = ['table', 'csv', 'json', 'parquet', 'arrow'] as const;
type Format = (typeof FORMATS)[number];

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    db: { type: 'string' }, format: { type: 'string', short: 'f' }, out: { type: 'string', short: 'o' },
    'allow-files': { type: 'boolean' }, parquet: { type: 'string' },
  });
  const format = (values.format ?? 'table') as Format;
  if (!values.db === !values.parquet || positionals.length !== 1 || !FORMATS.includes(format)) {
    throw new UsageError(`give --db FILE or --parquet OUT, and one SQL string${FORMATS.includes(format) ? '' : `; unknown --format ${format}`}`);
  }
  if ((format === 'parquet' || format === 'arrow') && !values.out) throw new UsageError(`--format ${format} writes a file; give --out F`);
  const sandbox = {
    allowPaths: values.out ? [resolve(values.out)] : [],
    allowDirectories: values['allow-files'] ? [dirname(resolve(values.db ?? values.parquet ?? '.'))] : [],
  };
  const store = values.parquet ? await shardsForReading(values.parquet, sandbox) : await openForReading('query', values.db ?? '', sandbox);
  if (typeof store === 'number') return store;
  const sql = positionals[0].trim().replace(/;\s*$/, '');
  try {
    // Before any format's path (arrow reads through the connection directly).
    await store.checkSingle(sql);
    if (values.out && (format === 'parquet' || format === 'arrow' || format === 'csv')) {
      await writeQuery(store, sql, format as FileFormat, values.out);
      console.error(`wrote ${values.out}`);
      return 0;
    }
    const { columns, rows } = await store.queryWithColumns(sql);
    const text = format === 'json' ? jsonText(rows) : format === 'csv' ? csvText(columns, rows) : textTable(columns, rows);
    if (values.out) {
      const { writeFileSync } = await import('node:fs');
      writeFileSync(values.out, text + '\n');
    } else {
      console.log(text);
      if (format === 'table') console.log(`(${rows.length} row${rows.length === 1 ? '' : 's'})`);
    }
    return 0;
  } catch (err) {
    const msg = errorMessage(err);
    console.error(`ionsift query: ${msg}`);
    return err instanceof ReadOnlyError ? 4 : err instanceof SandboxError ? 2 : 1;
  } finally {
    store.close();
  }
}

/** The shards of OUT as a database (exit 1 with the reason when OUT is not a complete series). */
async function shardsForReading(out: string, sandbox: Sandbox): Promise<Store | number> {
  try {
    return await openShards(out, sandbox);
  } catch (err) {
    console.error(`ionsift query: ${errorMessage(err)}`);
    return 1;
  }
}

export const run = withUsage('query', help, runCommand);
