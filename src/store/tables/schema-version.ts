/** `schema_version`: one row per schema version applied (written by Store.migrate with SQL, not the Appender). */
import { defineTable } from './column.js';

export interface SchemaVersionRow {
  version: number;
  appliedAt: Date;
}

export const schemaVersion = defineTable<'schema_version', SchemaVersionRow, void>({
  name: 'schema_version',
  comment: 'Schema version of this database (migrations in src/store/db.ts)',
  columns: [
    { name: 'version', type: 'INTEGER', notNull: true, comment: 'Schema version number', get: (v) => v.version },
    { name: 'applied_at', type: 'TIMESTAMP', notNull: true, default: 'current_timestamp', comment: 'When this version was applied', get: (v) => v.appliedAt },
  ],
});
