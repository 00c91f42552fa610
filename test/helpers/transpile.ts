// src/ as compiled JavaScript (what tsc emits minus types), for tests of worker threads started
// from .js files (no tsx): transpiled file by file with esbuild, in well under a second instead
// of tsc's ~20 s, into a folder under node_modules/.cache.
import { cpSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { repoRoot } from './real.js';

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.d.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Transpiles src/ into `out` (emptied first), with the files the build copies beside the code. */
export async function transpileSrc(out: string): Promise<void> {
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  rmSync(out, { recursive: true, force: true });
  const src = join(repoRoot, 'src');
  await esbuild.build({ entryPoints: tsFiles(src), outdir: out, outbase: src, format: 'esm', platform: 'node', target: 'node20', bundle: false, logLevel: 'silent' });
  cpSync(join(src, 'store/schema.sql'), join(out, 'store/schema.sql'));
}
