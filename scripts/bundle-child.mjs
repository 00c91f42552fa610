// Part of `npm run build` (after tsc): bundles what an indexer worker process runs — the default
// processor (dist/indexer/process.js) and the task wrapper (work.js) with everything they import —
// into one CommonJS function body, dist/indexer/child-bundle.cjs. A child process compiles it as
// one script (src/indexer/child-code.ts) instead of the ESM loader walking ~130 modules
// (BENCHMARKS.md, "Indexing").
//
// Every `import.meta.url` becomes `__ionsiftUrl("<path inside dist>")`, which the loader turns into
// that module's real file URL, so code that finds files beside itself (parse threads) still does.
import { build } from 'esbuild';
import { realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

// The compiled tree: dist/ (the build), or the folder given (tests bundle a transpiled copy).
// Its real path: esbuild reports files by theirs (node_modules may be a link).
const dist = realpathSync(process.argv[2] ? resolve(process.argv[2]) : join(dirname(fileURLToPath(import.meta.url)), '..', 'dist'));

const importMetaUrl = {
  name: 'import-meta-url',
  setup(b) {
    b.onLoad({ filter: /\.js$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      if (!text.includes('import.meta')) return undefined;
      if (!args.path.startsWith(dist + sep)) throw new Error(`${args.path}: import.meta outside dist/ cannot be bundled`);
      const rel = relative(dist, args.path).split(sep).join('/');
      const contents = text.replaceAll('import.meta.url', `__ionsiftUrl(${JSON.stringify(rel)})`);
      if (contents.includes('import.meta')) throw new Error(`${args.path}: import.meta other than import.meta.url cannot be bundled`);
      return { contents, loader: 'js' };
    });
  },
};

const r = await build({
  stdin: {
    contents: "export { processTask } from './process.js';\nexport { work } from './work.js';\n",
    resolveDir: join(dist, 'indexer'),
    sourcefile: 'child-bundle-entry.js',
  },
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Packages are bundled too (ml-kmeans is ESM-only: a CommonJS require of it would not do).
  outfile: join(dist, 'indexer/child-bundle.cjs'),
  plugins: [importMetaUrl],
  logLevel: 'warning',
  metafile: true,
});
if (r.warnings.length) throw new Error('bundle-child: esbuild warnings (see above)');
const inputs = Object.keys(r.metafile.inputs).length;
const bytes = Object.values(r.metafile.outputs).reduce((a, o) => a + o.bytes, 0);
console.log(`${relative(process.cwd(), join(dist, 'indexer/child-bundle.cjs'))}: ${inputs} modules, ${(bytes / 1024).toFixed(0)} kB`);
