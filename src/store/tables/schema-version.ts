/** `schema_version`: one row per schema version applied, written by Store.migrate. */
import type { Table } from './column.js';

export interface SchemaVersionRow {
  version: number;
  appliedAt: Date;
}

export const schemaVersion: Table<SchemaVersionRow, void, 'schema_version'> = {
  name: 'schema_version',
  comment: 'Schema version of this database (migrations in src/store/db.ts)',
  columns: [
    { name: 'version', type: 'INTEGER', notNull: true, comment: 'Schema version number', get: (v) => v.version },
    { name: 'applied_at', type: 'TIMESTAMP', notNull: true, default: 'current_timestamp', comment: 'When this version was applied', volatile: true, get: (v) => v.appliedAt },
  ],
};
