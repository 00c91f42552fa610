/**
 * Write src/store/schema.sql and the schema section of docs/DESIGN.md from the table
 * descriptions (src/store/tables/). Both are for readers (and schema.sql for the npm package); the
 * store creates its tables from the descriptions directly, and test/store/schema.test.ts fails
 * when either is out of date.
 *
 *   npx tsx scripts/schema-sql.ts
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { schemaFileText } from '../src/store/ddl.js';
import { withSchemaMarkdown } from '../src/store/schema-doc.js';

const file = join(import.meta.dirname, '..', 'src', 'store', 'schema.sql');
writeFileSync(file, schemaFileText());
console.log(`wrote ${file}`);
const design = join(import.meta.dirname, '..', 'docs', 'DESIGN.md');
writeFileSync(design, withSchemaMarkdown(readFileSync(design, 'utf8')));
console.log(`wrote the schema section of ${design}`);
// The notebook's row types follow the same descriptions.
await import('./notebook-row-types.js');
