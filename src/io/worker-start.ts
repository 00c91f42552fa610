/**
 * Starting worker threads whose entry is a module of this package, both from compiled dist/*.js
 * and from source (.ts under vitest/tsx). Used by ThreadPool (parallel/pool.ts) and the parse pool (parse-pool.ts).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker, type WorkerOptions } from 'node:worker_threads';

/**
 * URL of the module `name` beside the module at `from` (pass `import.meta.url`), with the
 * extension that module runs under: .ts from source, .js from dist/.
 */
export function siblingUrl(name: string, from: string): URL {
  const ext = from.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${ext}`, from);
}

/** Worker source that registers tsx, then imports the .ts entry (resolved from this package). */
function tsxBootstrap(entry: URL): string {
  const req = createRequire(import.meta.url);
  const api = pathToFileURL(join(dirname(req.resolve('tsx/package.json')), 'dist/esm/api/index.mjs')).href;
  return `import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(entry.href)}); })`;
}

/** The parent's Node flags minus those a worker refuses (--input-type, from `node -e`). */
export function workerExecArgv(): string[] {
  return process.execArgv.filter((a) => !a.startsWith('--input-type'));
}

/** A worker running `entry` (a .js or .ts module URL); `execArgv` defaults to `workerExecArgv()`. */
export function startWorker(entry: URL, opts: Omit<WorkerOptions, 'eval'> = {}): Worker {
  const options: WorkerOptions = { ...opts, execArgv: opts.execArgv ?? workerExecArgv() };
  // From source the worker's .ts entry needs tsx's loader registered inside the worker first;
  // `execArgv: ['--import', 'tsx']` does not reach a worker's entry module in Node 20.
  return entry.pathname.endsWith('.ts')
    ? new Worker(tsxBootstrap(entry), { ...options, eval: true })
    : new Worker(entry, options);
}
