/** `--max-memory` on any command sets the readers' budget (io/budget.ts); a file that needs more fails clearly. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { MAX_MEMORY_ENV } from '../../src/io/budget.js';
import { captureRun } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-maxmem-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => { delete process.env[MAX_MEMORY_ENV]; });

const n = 100_000;
const file = join(dir, 'XDATCAR');
writeFileSync(file, `big\n1\n30 0 0\n0 30 0\n0 0 30\nLi\n${n}\nDirect configuration= 1\n${'0.1 0.2 0.3\n'.repeat(n)}`);

describe('--max-memory', () => {
  it('a file needing more than the budget fails naming the file, the counts line and the flag', async () => {
    const r = await captureRun(main, ['inspect', file, '--max-memory', '1M']);
    expect(r.code).not.toBe(0);
    expect(r.err).toContain(`${file}, line 7: one frame of ${n} atoms would need`);
    expect(r.err).toMatch(/more than the memory budget of 1\.0 MiB \(raise it with --max-memory/);
  });

  it('the same file within a larger budget is read', async () => {
    const r = await captureRun(main, ['inspect', file, '--max-memory=256M']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/100000/);
  });

  it('a malformed size is a usage error', async () => {
    const r = await captureRun(main, ['inspect', file, '--max-memory', 'lots']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/--max-memory expects a size such as 4G/);
  });
});
