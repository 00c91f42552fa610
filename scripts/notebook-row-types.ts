/** Write src/notebook/table-rows.ts (row types of every table and view). Also run by scripts/schema-sql.ts. */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rowTypesSource } from '../src/notebook/row-types-source.js';

const file = join(import.meta.dirname, '..', 'src', 'notebook', 'table-rows.ts');
writeFileSync(file, rowTypesSource());
console.log(`wrote ${file}`);
