// The detect worker loads only the chosen detector's module: its static (value) imports, followed
// transitively, reach no detector, so iondiff's k-means (and ml-kmeans) never load for default.
import { readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/real.js';

const SRC = join(repoRoot, 'src');

/** Relative modules a file imports for their values (`import type` and type-only exports erased). */
function valueImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const re = /^\s*(?:import|export)\s+(?!type\b)[^'";]*?from\s+['"](\.{1,2}\/[^'"]+)['"]|^\s*import\s+['"](\.{1,2}\/[^'"]+)['"]/gm;
  return [...text.matchAll(re)].map((m) => resolve(dirname(file), (m[1] ?? m[2]).replace(/\.js$/, '.ts')));
}

function closure(entry: string): Set<string> {
  const seen = new Set<string>();
  const visit = (f: string): void => {
    if (seen.has(f)) return;
    seen.add(f);
    for (const d of valueImports(f)) visit(d);
  };
  visit(entry);
  return seen;
}

describe('detect worker', () => {
  it('statically loads no detector, registry or k-means: the detector comes from loadDetector alone', () => {
    const loaded = [...closure(join(SRC, 'parallel/detect-worker.ts'))].map((f) => relative(SRC, f));
    expect(loaded).toContain('analysis/detectors/load.ts');
    for (const heavy of ['analysis/detectors/registry.ts', 'analysis/detectors/default.ts', 'analysis/detectors/iondiff.ts', 'analysis/hops-iondiff.ts', 'analysis/kmeans.ts', 'analysis/hops-default.ts', 'analysis/analyze.ts']) {
      expect(loaded).not.toContain(heavy);
    }
  });

  it('the registry itself does load every detector (so the check above can fail)', () => {
    const loaded = [...closure(join(SRC, 'analysis/detectors/registry.ts'))].map((f) => relative(SRC, f));
    expect(loaded).toEqual(expect.arrayContaining(['analysis/detectors/iondiff.ts', 'analysis/kmeans.ts', 'analysis/hops-default.ts']));
  });
});
