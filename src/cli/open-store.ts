/** Opening a database for a read-only command, with the exit codes every command shares. */
import { Store, StoreLockedError, type Sandbox } from '../store/db.js';
import { errorMessage } from './args.js';

/** The store opened read-only, or the exit code after saying why not (3 when locked, else 1). */
export async function openForReading(command: string, path: string, sandbox?: Sandbox): Promise<Store | number> {
  try {
    return await Store.open(path, { readOnly: true, sandbox });
  } catch (err) {
    console.error(`ionsift ${command}: ${errorMessage(err)}`);
    return err instanceof StoreLockedError ? 3 : 1;
  }
}
