// Locates ../shared/data/real (real AIMD runs, read in place, never copied into the repo).
import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const realDataDir = resolve(repoRoot, '../shared/data/real');
export const hasRealData = existsSync(realDataDir);
/** Message for `it.skipIf(!hasRealData)` / describe.skipIf titles. */
export const realDataSkipReason = `real data folder ${realDataDir} is absent`;
if (!hasRealData) console.warn(`skipping real-data tests: ${realDataSkipReason}`);

export function realCase(name: string): string {
  return resolve(realDataDir, name);
}
