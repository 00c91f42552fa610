/**
 * How an indexer worker process gets its code: the default processor as one bundle
 * (dist/indexer/child-bundle.cjs, made by `npm run build`, scripts/bundle-child.mjs) compiled as
 * one classic script. Loading the ES modules one by one cost every child more CPU before its
 * first task, paid again by every extra worker (figures: BENCHMARKS.md, "Indexing").
 *
 * V8's code cache for the bundle (vm.Script cachedData written after a few tasks) was measured
 * too and saved nothing outside the spread: the warm-up left is running the analysis before V8
 * has optimised it, not compiling it to bytecode.
 */
import { readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { ProcessTask, WorkOutput, WorkTask } from './types.js';

/** What the bundle exports (its entry is written in scripts/bundle-child.mjs). */
export interface ChildCode {
  processTask: ProcessTask;
  work: (processTask: ProcessTask, task: WorkTask) => Promise<WorkOutput>;
}

/** How a child loaded its code: the ES modules, or the bundle. */
export type CodeSource = 'modules' | 'bundle';

/** The bundle beside the compiled indexer (null when running from src/, or not built, or older than what it bundles). */
export function childBundlePath(indexerModuleUrl: string): string | null {
  if (!indexerModuleUrl.endsWith('.js')) return null;
  const dir = dirname(fileURLToPath(indexerModuleUrl));
  const bundle = join(dir, 'child-bundle.cjs');
  try {
    // A stale bundle (tsc run without the bundling step) would analyse with older code.
    const built = statSync(bundle).mtimeMs;
    if (['process.js', 'work.js'].some((m) => statSync(join(dir, m)).mtimeMs > built)) return null;
    return bundle;
  } catch {
    return null;
  }
}

/** Runs the bundle at `file` (dist/indexer/child-bundle.cjs) and returns its exports. */
export function loadChildBundle(file: string): ChildCode {
  // A CommonJS function body: Node's module wrapper plus the import.meta.url stand-in, which gives
  // each bundled module its own file URL inside dist/ (parse threads start from beside it).
  const source = `(function (exports, require, module, __filename, __dirname, __ionsiftUrl) {${readFileSync(file, 'utf8')}\n})`;
  const script = new vm.Script(source, { filename: file, importModuleDynamically: vm.constants.USE_MAIN_CONTEXT_DEFAULT_LOADER });
  const dist = dirname(dirname(file));
  const module = { exports: {} as ChildCode };
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, createRequire(file), module, file, dirname(file), (rel: string) => pathToFileURL(join(dist, rel)).href);
  return module.exports;
}
