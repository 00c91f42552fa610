import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Store } from '../../src/store/db.js';

export const repo = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const stubUrl = pathToFileURL(join(repo, 'test/indexer/stub-processor.ts')).href;

/** A folder of tiny stub "trajectories" (names the discovery recognises as extxyz). */
export function makeStubTree(dir: string, n: number, bad: number[] = []): string[] {
  mkdirSync(dir, { recursive: true });
  const files: string[] = [];
  for (let i = 0; i < n; i++) {
    const sub = join(dir, `mat-${String.fromCharCode(97 + i)}`);
    mkdirSync(sub, { recursive: true });
    const f = join(sub, 'traj.extxyz');
    const T = 500 + 100 * (i % 3);
    writeFileSync(f, `T=${T}\n${'x'.repeat(i)}\n${bad.includes(i) ? 'BAD\n' : ''}`);
    files.push(f);
  }
  return files;
}

/** Run the CLI from source in a child process (`group`: in its own process group, as a shell runs a command). */
export function cli(args: string[], env: Record<string, string> = {}, group = false): { done: Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>; pid: number | undefined; kill: (s: NodeJS.Signals) => void; stderr: () => string } {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', `import(${JSON.stringify(pathToFileURL(join(repo, 'src/cli/main.ts')).href)}).then(m => m.main(process.argv.slice(1))).then(c => { process.exitCode = c; })`, ...args],
    { cwd: repo, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: group },
  );
  let stdout = '', stderr = '';
  child.stdout.on('data', (b) => (stdout += b));
  child.stderr.on('data', (b) => (stderr += b));
  const done = new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((res) =>
    child.on('close', (code, signal) => res({ code, signal, stdout, stderr })),
  );
  // In its own group, a signal goes to the group (the CLI and its worker processes), as Ctrl-C does.
  const kill = (s: NodeJS.Signals): void => void (group && child.pid ? process.kill(-child.pid, s) : child.kill(s));
  return { done, pid: child.pid, kill, stderr: () => stderr };
}

/**
 * A slow CLI index run (the stub analysis takes `delayMs` per trajectory) of `data` into `db`,
 * sent `signal` once `indexed` trajectories are committed (plain progress prints one line per write);
 * `group`: the signal goes to the whole process group (the CLI and its worker processes), as from a terminal.
 */
export async function interruptedIndex(
  data: string, db: string, indexed: number, signal: NodeJS.Signals, delayMs = 250, extra: string[] = [], group = false,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  const p = cli(['index', data, '--db', db, '--jobs', '2', '--progress', 'plain', ...extra], { IONSIFT_INDEX_PROCESSOR: stubUrl, STUB_DELAY_MS: String(delayMs) }, group);
  const t0 = Date.now();
  while ((p.stderr().match(/indexed /g) ?? []).length < indexed && Date.now() - t0 < 30_000) await new Promise((r) => setTimeout(r, 50));
  p.kill(signal);
  return p.done;
}

/** The rows of one query on `db`, opened read-only. */
export async function readRows<T extends object>(db: string, sql: string): Promise<T[]> {
  const s = await Store.open(db, { readOnly: true });
  try {
    return await s.query<T>(sql);
  } finally {
    s.close();
  }
}

/** Every table's rows minus volatile columns, sorted, as JSON: for comparing two databases. */
export async function snapshot(db: string): Promise<Record<string, string>> {
  const s = await Store.open(db, { readOnly: true });
  const out: Record<string, string> = {};
  const volatile = new Set(['indexed_at', 'at', 'analysis_ms', 'files_signature']);
  try {
    for (const t of ['trajectories', 'species', 'events', 'atoms', 'concerted_groups', 'correlations', 'correlation_fits', 'diffusion', 'element_descriptors', 'sites', 'site_jumps', 'arrhenius', 'failures']) {
      const rows = await s.query(`SELECT * FROM ${t}`);
      const clean = rows.map((r) => JSON.stringify(Object.fromEntries(Object.entries(r).filter(([k]) => !volatile.has(k)))));
      out[t] = JSON.stringify(clean.sort());
    }
  } finally {
    s.close();
  }
  return out;
}
