// Regenerates the embedded datasets/ (byte-identical for the same code): npx tsx scripts/generate-datasets.ts [outDir]
import { resolve } from 'node:path';
import { generateDatasets } from '../src/generate/datasets.js';

const out = resolve(process.argv[2] ?? 'datasets');
const manifest = await generateDatasets(out, { log: (l) => console.log(l) });
console.log(`wrote ${manifest.runs.length} runs + manifest.json to ${out}`);
