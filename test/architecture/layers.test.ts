// The import graph of src/: no cycle between files, and no layer importing one above it.
// Layers, lowest first (DESIGN.md): stats → trajectory → io → analysis, generate → parallel,
// store → indexer, screen, plots → notebook → cli; validate is a leaf that only tests, bench
// and the public API (src/index.ts) import.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/real.js';

const SRC = join(repoRoot, 'src');

/** Rank of each top-level folder of src/: an import must go to an equal or lower rank. */
export const LAYERS: Record<string, number> = {
  stats: 0,
  trajectory: 1,
  io: 2,
  analysis: 3,
  generate: 3,
  parallel: 4,
  store: 4,
  validate: 4,
  indexer: 5,
  screen: 5,
  plots: 5,
  notebook: 6,
  report: 6,
  cli: 7,
  '.': 8,
};
/** Same-rank folders that may import each other's modules (none: siblings stay independent). */
const SIBLING_OK = new Set<string>();

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports of a file: static `from '…'`, `import '…'`, dynamic `import('…')`, siblingUrl('…'). */
export function importsOf(file: string, text: string): string[] {
  const out: string[] = [];
  const re = /(?:from\s+|import\s*\(\s*|import\s+)['"](\.{1,2}\/[^'"]+)['"]/g;
  for (const m of text.matchAll(re)) out.push(resolve(dirname(file), m[1].replace(/\.js$/, '.ts')));
  // Worker entry points: siblingUrl('name', import.meta.url) is the module ./name beside this one.
  for (const m of text.matchAll(/siblingUrl\(\s*['"]([\w-]+)['"]/g)) out.push(resolve(dirname(file), `${m[1]}.ts`));
  return out;
}

function layerOf(file: string): string {
  const rel = relative(SRC, file);
  return rel.includes('/') ? rel.split('/')[0] : '.';
}

const graph = new Map<string, string[]>();
for (const f of files(SRC)) graph.set(f, importsOf(f, readFileSync(f, 'utf8')));

describe('import graph of src/', () => {
  it('sees every module and every kind of import (so the checks below can fail)', () => {
    expect(graph.size).toBeGreaterThan(80);
    const f = join(SRC, 'io', 'x.ts');
    expect(importsOf(f, `import { a } from '../store/db.js';\nimport type { B } from './b.js';\nawait import('../cli/main.js');\nimport '../plots/x.js';\nsiblingUrl('worker', import.meta.url);`))
      .toEqual([join(SRC, 'store/db.ts'), join(SRC, 'io/b.ts'), join(SRC, 'cli/main.ts'), join(SRC, 'plots/x.ts'), join(SRC, 'io/worker.ts')]);
    expect(LAYERS[layerOf(join(SRC, 'store', 'db.ts'))]).toBeGreaterThan(LAYERS[layerOf(f)]);
  });

  it('every folder of src/ has a layer', () => {
    const unknown = [...new Set([...graph.keys()].map(layerOf))].filter((l) => !(l in LAYERS));
    expect(unknown, 'add new folders to LAYERS in test/architecture/layers.test.ts and DESIGN.md').toEqual([]);
  });

  it('no module imports a higher layer (validate only from tests, bench and src/index.ts)', () => {
    const bad: string[] = [];
    for (const [f, deps] of graph) {
      const from = layerOf(f);
      for (const d of deps) {
        const to = layerOf(d);
        const ok = to === from
          || (to === 'validate' ? from === '.' : LAYERS[to] < LAYERS[from] || (LAYERS[to] === LAYERS[from] && SIBLING_OK.has(`${from}>${to}`)));
        if (!ok) bad.push(`${relative(SRC, f)} (${from}) imports ${relative(SRC, d)} (${to})`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('no import cycle between files', () => {
    const state = new Map<string, 1 | 2>();
    const cycles: string[] = [];
    const stack: string[] = [];
    const visit = (f: string): void => {
      state.set(f, 1);
      stack.push(f);
      for (const d of graph.get(f) ?? []) {
        if (!graph.has(d)) continue;
        if (state.get(d) === 1) cycles.push([...stack.slice(stack.indexOf(d)), d].map((x) => relative(SRC, x)).join(' → '));
        else if (!state.has(d)) visit(d);
      }
      stack.pop();
      state.set(f, 2);
    };
    for (const f of graph.keys()) if (!state.has(f)) visit(f);
    expect(cycles).toEqual([]);
  });

  it('every relative import resolves to a file', () => {
    const missing = [...graph].flatMap(([f, deps]) => deps.filter((d) => !graph.has(d) && !d.endsWith('.sql') && !d.endsWith('.json')).map((d) => `${relative(SRC, f)} → ${relative(SRC, d)}`));
    expect(missing).toEqual([]);
  });
});
