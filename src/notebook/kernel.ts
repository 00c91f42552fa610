/**
 * The ionsift Jupyter kernel: tslab's kernel with the library already loaded and typed.
 * Jupyter runs `node dist/notebook/kernel.js --config-path <connection file>`.
 *
 * We rebuild tslab 1.0.22's startKernel (converter + executor + ZMQ server, all internal
 * modules of that pinned version) so that, before the server accepts the first cell, we can
 * run a prelude cell through tslab's own executor. The prelude's declarations then carry
 * over to every cell exactly like a user's earlier cell, so `open`, `sql`, `plot`, `display`
 * are in scope and type-checked with no boilerplate.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { format } from 'node:util';
import { CellRunner, type ExecuteRequest } from './execute.js';
import { SHOWN } from './display.js';

const require = createRequire(import.meta.url);
/** The notebook entry; the kernel imports it directly (it is ESM like us). */
const ENTRY = join(dirname(fileURLToPath(import.meta.url)), 'index.js');

interface Closable {
  close(): void;
}
interface TslabConverterModule {
  createConverter(o: { isJS: boolean; isBrowser: boolean }): Closable;
}
interface TslabExecutor {
  execute(src: string): Promise<boolean>;
  interrupt(): void;
}
interface TslabConsole {
  log(...args: unknown[]): void;
  error(...args: unknown[]): void;
}
interface TslabExecutorModule {
  createExecutor(rootDir: string, convs: { node: Closable; browser: Closable; close(): void }, c: TslabConsole): TslabExecutor;
}
/** tslab's Jupyter message (jupyter.js ZmqMessage), as far as we use it. */
interface ZmqReply {
  header: { msg_type: string };
  content: unknown;
  signAndSend(key: string, sock: unknown): void;
}
interface ZmqMessage {
  content: ExecuteRequest;
  createReply(): ZmqReply;
}
interface ZmqServerBase {
  connInfo: { key: string };
  iopub: unknown;
  init(): Promise<void>;
}
interface TslabJupyterModule {
  JupyterHandlerImpl: new (executor: TslabExecutor, isJs: boolean) => object;
  ZmqServer: new (handler: object, configPath: string) => ZmqServerBase;
  lastWriteDisplayData: unknown;
}

/** Names the prelude brings into scope (keep in sync with src/notebook/index.ts exports). */
export const GLOBALS = ['open', 'sql', 'plot', 'display', 'charts', 'render', 'Chart', 'currentDatabase', 'PLOT_KINDS', 'num', 'str'] as const;

/** The prelude cell: types from the built .d.ts, values from the already-imported module. */
export function prelude(entry: string): string {
  const spec = JSON.stringify(entry);
  return [
    `import type * as ionsift from ${spec};`,
    // No leading "__" in names: tslab mangles them when carrying declarations across cells.
    `const ionsiftLib = (globalThis as unknown as { __ionsift__: typeof ionsift }).__ionsift__;`,
    `const { ${GLOBALS.join(', ')} } = ionsiftLib;`,
  ].join('\n');
}

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

async function main(): Promise<void> {
  const configPath = arg('--config-path');
  if (!configPath) {
    console.error('usage: node kernel.js --config-path <connection file>  (Jupyter starts this; see `ionsift kernel install`)');
    process.exit(2);
  }
  const tslabRoot = dirname(require.resolve('tslab/package.json'));
  const tsl = (f: string): unknown => require(join(tslabRoot, 'dist', f));
  const { createConverter } = tsl('converter.js') as TslabConverterModule;
  const { createExecutor } = tsl('executor.js') as TslabExecutorModule;
  const { JupyterHandlerImpl, ZmqServer } = tsl('jupyter.js') as TslabJupyterModule;

  let node: Closable | null = null;
  let browser: Closable | null = null;
  const convs = {
    get node() {
      return (node ??= createConverter({ isJS: false, isBrowser: false }));
    },
    get browser() {
      return (browser ??= createConverter({ isJS: false, isBrowser: true }));
    },
    close() {
      node?.close();
      browser?.close();
    },
  };
  // Diagnostics of the prelude are collected so a broken install tells the user why in the
  // first cell instead of only in the Jupyter server log.
  let capture: string[] | null = null;
  let runner: CellRunner | null = null;
  const out: TslabConsole = {
    // tslab echoes a cell's last value through this log: not for a value already displayed
    // (a chart, a table) nor for a promise (display() without await), which only add noise.
    log: (...a) => {
      const v = a[0];
      if (a.length === 1 && (v instanceof Promise || v === undefined || (typeof v === 'object' && v !== null && SHOWN in v))) return;
      console.log(...a);
    },
    // Errors of a cell become the cell's Jupyter error (./execute.ts), not stray stderr text.
    error: (...a) => {
      if (capture) capture.push(format(...a));
      else if (!runner?.capture(a)) console.error(...a);
    },
  };
  const executor = createExecutor(process.cwd(), convs, out);

  let failure: string | null = null;
  try {
    (globalThis as Record<string, unknown>).__ionsift__ = await import(pathToFileURL(ENTRY).href);
    capture = [];
    const ok = await executor.execute(prelude(ENTRY));
    if (!ok) failure = `the ionsift prelude failed:\n${capture.join('\n')}`;
  } catch (err) {
    failure = `could not load ${ENTRY} (run \`npm run build\` in the ionsift checkout): ${err instanceof Error ? err.stack ?? err.message : String(err)}`;
  } finally {
    capture = null;
  }
  if (failure) {
    console.error(`ionsift kernel: ${failure}`);
    const execute = executor.execute.bind(executor);
    let reported = false;
    // Report once, in the first cell's output, then behave like plain tslab.
    executor.execute = async (src: string) => {
      if (!reported) {
        reported = true;
        console.error(`ionsift kernel: ${failure}`);
        return false;
      }
      return execute(src);
    };
  }

  const cells = new CellRunner((code) => executor.execute(code));
  runner = cells;
  const jupyter = tsl('jupyter.js') as TslabJupyterModule;
  /** tslab's server with our execute: the error's name, message and traceback reach the client. */
  class Server extends ZmqServer {
    async handleExecute(sock: unknown, msg: ZmqMessage): Promise<void> {
      const send = (type: string, content: unknown, to: unknown = this.iopub): void => {
        const r = msg.createReply();
        r.header.msg_type = type;
        r.content = content;
        r.signAndSend(this.connInfo.key, to);
      };
      const stream = (name: 'stdout' | 'stderr', text: string): void => send('stream', { name, text });
      const display = (data: unknown, update: boolean): void => send(update ? 'update_display_data' : 'display_data', data);
      const reply = await cells.run(msg.content, {
        stream,
        begin() {
          // What tslab's handler does before a cell: route output and display() to this request.
          const iopubWrite = (name: 'stdout' | 'stderr') => (chunk: string | Uint8Array): boolean => {
            stream(name, typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
            return true;
          };
          process.stdout.write = iopubWrite('stdout') as typeof process.stdout.write;
          process.stderr.write = iopubWrite('stderr') as typeof process.stderr.write;
          jupyter.lastWriteDisplayData = display;
        },
      });
      if (reply.status === 'error') {
        send('error', { ename: reply.ename, evalue: reply.evalue, traceback: reply.traceback });
      }
      send('execute_reply', reply, sock);
    }
  }
  const server = new Server(new JupyterHandlerImpl(executor, false), configPath);
  process.on('SIGINT', () => executor.interrupt());
  process.on('uncaughtException', (err) => console.error('UncaughtException:', err));
  process.on('unhandledRejection', (reason) => console.error('UnhandledPromiseRejection:', reason));
  await server.init();
}

if (process.argv[1] && pathToFileURL(process.argv[1]).href === import.meta.url) {
  main().catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
}
