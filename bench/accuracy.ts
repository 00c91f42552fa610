// Hop-detection accuracy on the embedded generated datasets (datasets/manifest.json):
// precision / recall / F1 per material and temperature for the default and the iondiff method.
// Run: npx tsx bench/accuracy.ts [--no-iondiff]
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { accuracyTable, formatTable } from '../src/validate/accuracy-table.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const rows = await accuracyTable(join(root, 'datasets'), !process.argv.includes('--no-iondiff'));
console.log(formatTable(rows));
