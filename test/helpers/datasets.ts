// The embedded XDATCARs of datasets/ (generated Li-sc and Na-hex, and the real runs), one per run folder.
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { repoRoot } from './real.js';

export function embeddedXdatcars(): string[] {
  const files: string[] = [];
  for (const top of ['Li-sc', 'Na-hex', 'real']) {
    const base = resolve(repoRoot, 'datasets', top);
    for (const d of readdirSync(base, { withFileTypes: true })) {
      if (!d.isDirectory()) continue;
      const x = readdirSync(join(base, d.name)).find((n) => /XDATCAR/.test(n));
      if (x) files.push(join(base, d.name, x));
    }
  }
  return files;
}
