/**
 * Write src/store/schema.sql from the table descriptions (src/store/tables/). The file is for
 * readers and the npm package; the store creates its tables from the descriptions directly, and
 * test/store/schema.test.ts fails when the file is out of date.
 *
 *   npx tsx scripts/schema-sql.ts
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFileText } from '../src/store/ddl.js';

const file = join(import.meta.dirname, '..', 'src', 'store', 'schema.sql');
writeFileSync(file, schemaFileText());
console.log(`wrote ${file}`);
