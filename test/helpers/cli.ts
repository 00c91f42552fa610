// Runs a CLI command's `run(argv)` in-process and captures what it prints.
import { vi } from 'vitest';

export interface Captured { code: number; out: string; err: string }

export async function captureRun(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<Captured> {
  const out: string[] = [], err: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => { out.push(a.join(' ')); });
  const error = vi.spyOn(console, 'error').mockImplementation((...a: unknown[]) => { err.push(a.join(' ')); });
  try {
    const code = await run(argv);
    return { code, out: out.join('\n'), err: err.join('\n') };
  } finally {
    log.mockRestore();
    error.mockRestore();
  }
}
