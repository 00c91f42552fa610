// `inspect`/`analyze` of a large plain file relaunch in a child with glibc's huge-page tunable
// (cli/relaunch.ts) where the kernel gives huge pages on request; everything else runs here.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HUGE_PAGES_TUNABLE, RELAUNCH_ENV, RELAUNCH_MIN_BYTES, relaunchWithHugePages } from '../../src/cli/relaunch.js';
import { PARALLEL_MIN_BYTES } from '../../src/io/parse-pool.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-relaunch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const onRequest = existsSync('/sys/kernel/mm/transparent_hugepage/enabled')
  && readFileSync('/sys/kernel/mm/transparent_hugepage/enabled', 'utf8').includes('[madvise]')
  && process.platform === 'linux' && process.env.GLIBC_TUNABLES === undefined;

// The child: writes the tunable it was started with to its last argument and exits with 3.
const script = join(dir, 'child.mjs');
writeFileSync(script, "import { writeFileSync } from 'node:fs'; writeFileSync(process.argv.at(-1), String(process.env.GLIBC_TUNABLES)); process.exit(3);\n");
const big = join(dir, 'XDATCAR_big');
writeFileSync(big, 'title\n');
truncateSync(big, RELAUNCH_MIN_BYTES);
// Large enough for parse threads, too small to pay for a relaunch.
const medium = join(dir, 'XDATCAR_medium');
writeFileSync(medium, 'title\n');
truncateSync(medium, Math.max(PARALLEL_MIN_BYTES.cold, RELAUNCH_MIN_BYTES - 1));
const small = join(dir, 'XDATCAR_small');
writeFileSync(small, 'title\n');
const gz = join(dir, 'XDATCAR.gz');
writeFileSync(gz, gzipSync(Buffer.alloc(1000)));
truncateSync(gz, PARALLEL_MIN_BYTES.cold);

describe('relaunchWithHugePages', () => {
  it.runIf(onRequest)('runs inspect and analyze of a large plain file in a child with the tunable, and returns its exit code', async () => {
    for (const cmd of ['inspect', 'analyze']) {
      const out = join(dir, `${cmd}.out`);
      expect(await relaunchWithHugePages([cmd, big, '--json', out], script)).toBe(3);
      expect(readFileSync(out, 'utf8')).toBe(HUGE_PAGES_TUNABLE);
    }
    const out = join(dir, 'max-memory.out');
    expect(await relaunchWithHugePages(['--max-memory', '4G', 'inspect', big, out], script)).toBe(3);
    expect(readFileSync(out, 'utf8')).toBe(HUGE_PAGES_TUNABLE);
  });

  it('runs everything else in this process', async () => {
    const out = join(dir, 'none.out');
    expect(await relaunchWithHugePages(['inspect', small, out], script)).toBeNull();
    expect(await relaunchWithHugePages(['inspect', medium, out], script)).toBeNull();
    expect(await relaunchWithHugePages(['inspect', gz, out], script)).toBeNull();
    expect(await relaunchWithHugePages(['index', big, out], script)).toBeNull();
    expect(await relaunchWithHugePages(['inspect', big, '--help', out], script)).toBeNull();
    expect(await relaunchWithHugePages(['inspect', dir, out], script)).toBeNull();
    process.env[RELAUNCH_ENV] = '0';
    try {
      expect(await relaunchWithHugePages(['inspect', big, out], script)).toBeNull();
    } finally {
      delete process.env[RELAUNCH_ENV];
    }
    expect(existsSync(out)).toBe(false);
  });
});
