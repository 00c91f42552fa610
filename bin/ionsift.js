#!/usr/bin/env node
// Thin launcher: the CLI lives in dist/cli/main.js (built by `npm run build`). A large plain
// trajectory is read in a child with huge pages (dist/cli/relaunch.js).
import { fileURLToPath } from 'node:url';
import { main } from '../dist/cli/main.js';
import { relaunchWithHugePages } from '../dist/cli/relaunch.js';

const argv = process.argv.slice(2);
relaunchWithHugePages(argv, fileURLToPath(import.meta.url)).then((code) => code ?? main(argv)).then(
  (code) => { process.exitCode = code; },
  (err) => { console.error(err instanceof Error ? err.message : String(err)); process.exitCode = 1; },
);
