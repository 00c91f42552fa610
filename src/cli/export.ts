/** `ionsift export --db FILE OUT`: every table as Parquet, Arrow IPC or CSV files. */
import { parseArgs } from 'node:util';
import { Store, StoreLockedError } from '../store/db.js';
import { exportAll, type FileFormat } from '../store/export.js';

export const help = `usage: ionsift export --db FILE OUT [--format parquet|arrow|csv]

Writes every table (and the descriptors view) as OUT/<table>.parquet (default), .arrow (Arrow
IPC file) or .csv. The database is opened read-only.`;

export async function run(argv: string[]): Promise<number> {
  let values: { db?: string; format?: string };
  let positionals: string[];
  try {
    ({ values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { db: { type: 'string' }, format: { type: 'string', short: 'f' } },
    }));
  } catch (err) {
    console.error(`ionsift export: ${err instanceof Error ? err.message : String(err)}\n\n${help}`);
    return 2;
  }
  const format = (values.format ?? 'parquet') as FileFormat;
  if (!values.db || positionals.length !== 1 || !['parquet', 'arrow', 'csv'].includes(format)) {
    console.error(`ionsift export: give --db FILE, one OUT folder and --format parquet|arrow|csv\n\n${help}`);
    return 2;
  }
  let store: Store;
  try {
    store = await Store.open(values.db, { readOnly: true });
  } catch (err) {
    console.error(`ionsift export: ${err instanceof Error ? err.message : String(err)}`);
    return err instanceof StoreLockedError ? 3 : 1;
  }
  try {
    const files = await exportAll(store, positionals[0], format);
    console.log(`wrote ${files.length} files to ${positionals[0]} (${format})`);
    return 0;
  } catch (err) {
    console.error(`ionsift export: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  } finally {
    store.close();
  }
}
