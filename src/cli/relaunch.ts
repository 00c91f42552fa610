/**
 * `ionsift inspect`/`analyze` of a large plain trajectory file run in a child process whose
 * glibc malloc asks the kernel for transparent huge pages (GLIBC_TUNABLES=glibc.malloc.hugetlb=1)
 * when the machine gives them only on request (`madvise` mode, Debian's default). The frames
 * (8 bytes per coordinate: 160 MB for a 220 MB XDATCAR) are one large allocation; on 4 KiB pages
 * writing them costs one page fault per 4 KiB, which on a VM is a large part of the parse
 * (BENCHMARKS.md "XDATCAR parse"); on 2 MiB pages, one per 2 MiB. glibc reads its
 * tunables only at start-up, hence the child. It costs one Node start-up, so it is done only
 * for large files (RELAUNCH_MIN_BYTES).
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { constants } from 'node:os';
import { largePlainFile } from '../io/parse-pool.js';

/** The tunable: glibc ≥ 2.35 madvises its mmap'd blocks MADV_HUGEPAGE (ignored by older glibc and by musl). */
export const HUGE_PAGES_TUNABLE = 'glibc.malloc.hugetlb=1';
/**
 * Smallest file relaunched: where one Node start-up (the parent) costs less than the page
 * faults saved on the frames, by the figures in BENCHMARKS.md "XDATCAR parse".
 */
export const RELAUNCH_MIN_BYTES = 100e6;
/** Set to 0 to never relaunch. */
export const RELAUNCH_ENV = 'IONSIFT_HUGE_PAGES';

async function hugePagesOnRequest(): Promise<boolean> {
  const mode = await readFile('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').catch(() => '');
  return mode.includes('[madvise]');
}

/**
 * Runs `script argv` again in a child with huge pages when that pays (see above) and returns its
 * exit code; null when this process should run the command itself. Only for `inspect` and
 * `analyze` (read one trajectory), on Linux, not under a debugger, when GLIBC_TUNABLES is not
 * already set (this is also what keeps the child from relaunching).
 */
export async function relaunchWithHugePages(argv: readonly string[], script: string): Promise<number | null> {
  if (process.platform !== 'linux' || process.env.GLIBC_TUNABLES !== undefined || process.env[RELAUNCH_ENV] === '0') return null;
  // Under a debugger the command runs in the process being debugged.
  if (process.execArgv.some((a) => a.startsWith('--inspect') || a.startsWith('--debug'))) return null;
  // The words of the command line (`--max-memory SIZE`, the one option taken before the command, skipped).
  const words = argv.filter((a, i) => !a.startsWith('-') && argv[i - 1] !== '--max-memory');
  const name = words[0];
  if (name !== 'inspect' && name !== 'analyze') return null;
  if (argv.includes('--help') || argv.includes('-h')) return null;
  const paths = words.slice(1);
  if (!(await hugePagesOnRequest()) || (await largePlainFile(paths, RELAUNCH_MIN_BYTES)) === null) return null;
  const child = spawn(process.execPath, [...process.execArgv, script, ...argv], {
    stdio: 'inherit',
    env: { ...process.env, GLIBC_TUNABLES: HUGE_PAGES_TUNABLE },
  });
  // Ctrl-C reaches the child from the terminal too; a signal sent to this process alone is passed on.
  const forward = (sig: NodeJS.Signals) => () => { child.kill(sig); };
  const handlers = (['SIGINT', 'SIGTERM', 'SIGHUP'] as const).map((sig) => [sig, forward(sig)] as const);
  for (const [sig, h] of handlers) process.on(sig, h);
  try {
    // A child that cannot be started (error) leaves the command to this process.
    return await new Promise<number | null>((resolve) => {
      // 'error' also comes when a kill() fails while the child runs: only a child that never
      // started leaves the command to this process (else it would run twice).
      let started = false;
      child.on('spawn', () => { started = true; });
      child.on('error', () => { if (!started) resolve(null); });
      child.on('close', (code, signal) => resolve(code ?? 128 + (signal ? constants.signals[signal] : 1)));
    });
  } finally {
    for (const [sig, h] of handlers) process.off(sig, h);
  }
}
