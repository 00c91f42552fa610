/** `ionsift export --db FILE OUT`: every table as Parquet, Arrow IPC or CSV files. */
import { errorMessage, parseCommandArgs, UsageError, withUsage } from './args.js';
import { openForReading } from './open-store.js';
import { exportAll, type FileFormat } from '../store/export.js';

export const help = `usage: ionsift export --db FILE OUT [--format parquet|arrow|csv]

Writes every table (and the descriptors view) as OUT/<table>.parquet (default), .arrow (Arrow
IPC file) or .csv. The database is opened read-only.`;

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { db: { type: 'string' }, format: { type: 'string', short: 'f' } });
  const format = (values.format ?? 'parquet') as FileFormat;
  if (!values.db || positionals.length !== 1 || !['parquet', 'arrow', 'csv'].includes(format)) {
    throw new UsageError('give --db FILE, one OUT folder and --format parquet|arrow|csv');
  }
  const store = await openForReading('export', values.db);
  if (typeof store === 'number') return store;
  try {
    const files = await exportAll(store, positionals[0], format);
    console.log(`wrote ${files.length} files to ${positionals[0]} (${format})`);
    return 0;
  } catch (err) {
    console.error(`ionsift export: ${errorMessage(err)}`);
    return 1;
  } finally {
    store.close();
  }
}

export const run = withUsage('export', help, runCommand);
