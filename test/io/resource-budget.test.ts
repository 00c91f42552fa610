/**
 * Issue 17 item 1: a header cannot make a reader allocate gigabytes. Huge counts in every text
 * format are a located ResourceError before any allocation (never "Invalid typed array length"),
 * RSS stays flat, and the memory budget (IONSIFT_MAX_MEMORY / --max-memory) bounds growth.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ResourceError } from '../../src/io/errors.js';
import { MAX_MEMORY_ENV, parseByteSize } from '../../src/io/budget.js';
import { readTrajectoryFile } from '../../src/io/registry.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { fx } from './formats-helpers.js';
import { expectReadError } from '../helpers/errors.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-budget-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => { delete process.env[MAX_MEMORY_ENV]; });

const xdatcar = readFileSync(join(__dirname, '../fixtures/xdatcar/direct.XDATCAR'), 'latin1');

function write(name: string, text: string, gzip = false): string {
  const p = join(dir, name);
  writeFileSync(p, gzip ? gzipSync(Buffer.from(text, 'latin1')) : text);
  return p;
}

/** Runs `fn` and returns how much the RSS peaked above its start (sampled). */
async function rssGrowth(fn: () => Promise<unknown>): Promise<number> {
  const start = process.memoryUsage.rss();
  let peak = start;
  const t = setInterval(() => { peak = Math.max(peak, process.memoryUsage.rss()); }, 5);
  try {
    await fn().catch(() => {});
  } finally {
    clearInterval(t);
  }
  return Math.max(peak, process.memoryUsage.rss()) - start;
}

describe('header counts against the file size and the memory budget', () => {
  for (const count of ['999999999', '2147483648', '99999999999999999999']) {
    for (const gz of [false, true]) {
      it(`XDATCAR counts "2 ${count}"${gz ? ' (gzip)' : ''} → ResourceError naming file and counts line`, async () => {
        const f = write(`huge_${count}${gz ? '.gz' : ''}.XDATCAR`, xdatcar.replace('  2 1\n', `  2 ${count}\n`), gz);
        const grew = await rssGrowth(() => readXdatcar(f));
        await expectReadError(readXdatcar(f), ResourceError, { file: f, line: 7 }, /total atom count .* cannot be right|not a usable/);
        expect(grew).toBeLessThan(200 << 20);
      });
    }
  }

  it('extxyz atom count line', async () => {
    const text = readFileSync(fx('good.extxyz'), 'latin1').replace(/^\d+\n/, '999999999\n');
    const f = write('huge.extxyz', text);
    await expectReadError(readTrajectoryFile(f), ResourceError, { file: f, line: 1, frame: 0 }, /atom count 999999999 cannot be right/);
  });

  it('LAMMPS NUMBER OF ATOMS', async () => {
    const text = readFileSync(fx('ortho_element.lammpstrj'), 'latin1').replace('NUMBER OF ATOMS\n3\n', 'NUMBER OF ATOMS\n2147483648\n');
    const f = write('huge.lammpstrj', text);
    await expectReadError(readTrajectoryFile(f), ResourceError, { file: f, line: 8 }, /NUMBER OF ATOMS 2147483648 cannot be right/);
  });

  it('vasprun <atoms>', async () => {
    const text = readFileSync(fx('small_npt.vasprun.xml'), 'latin1').replace('<atoms>       3 </atoms>', '<atoms> 999999999 </atoms>');
    const f = write('vasprun_huge.xml', text);
    await expectReadError(readTrajectoryFile(f), ResourceError, { file: f, line: 26 }, /<atoms> count 999999999 cannot be right/);
  });

  it('a count the file can hold but the budget cannot is refused by the budget, naming it', async () => {
    // 200 000 atoms of "0 0 0" lines: 1.2 MB of text, 4.8 MB per frame as doubles.
    const n = 200_000;
    const text = `big\n1\n10 0 0\n0 10 0\n0 0 10\nLi\n${n}\nDirect configuration= 1\n${'0 0 0\n'.repeat(n)}`;
    const f = write('budget.XDATCAR', text);
    process.env[MAX_MEMORY_ENV] = '2M';
    await expectReadError(readXdatcar(f), ResourceError, { file: f, line: 7 }, /memory budget of 2\.0 MiB \(raise it with --max-memory/);
    process.env[MAX_MEMORY_ENV] = '64M';
    expect((await readXdatcar(f)).nAtoms).toBe(n);
  });

  it('frames beyond the budget stop growth with a ResourceError, not an allocation failure', async () => {
    const frame = (k: number) => `Direct configuration= ${k}\n${'0.1 0.2 0.3\n'.repeat(1000)}`;
    const text = `t\n1\n10 0 0\n0 10 0\n0 0 10\nLi\n1000\n${Array.from({ length: 200 }, (_, k) => frame(k + 1)).join('')}`;
    const f = write('many.XDATCAR', text);
    process.env[MAX_MEMORY_ENV] = '1M'; // 200 frames × 24 kB = 4.8 MB
    const e = await expectReadError(readXdatcar(f), ResourceError, { file: f }, /memory budget of 1\.0 MiB/);
    expect(e.message).not.toMatch(/Invalid typed array length/);
  });

  it('parses sizes', () => {
    expect(parseByteSize('4G')).toBe(4 * 1024 ** 3);
    expect(parseByteSize('512MiB')).toBe(512 * 1024 ** 2);
    expect(parseByteSize('1000')).toBe(1000);
    expect(parseByteSize('-1G')).toBeNaN();
    expect(parseByteSize('lots')).toBeNaN();
  });
});

describe('gzip bombs', () => {
  it('20 MiB of zeros in 20 kB of gzip: refused by every reader with a located error, RSS bounded', async () => {
    const bomb = gzipSync(Buffer.alloc(20 << 20), { level: 9 });
    for (const name of ['bomb_XDATCAR.gz', 'bomb.extxyz.gz', 'bomb.lammpstrj.gz', 'vasprun_bomb.xml.gz']) {
      const f = join(dir, name);
      writeFileSync(f, bomb);
      let err: unknown;
      const grew = await rssGrowth(() => readTrajectoryFile(f).catch((e: unknown) => { err = e; }));
      expect(err, name).toBeInstanceOf(Error);
      expect(String(err), name).toMatch(new RegExp(`${name}.*line 1: .*(longer than|binary data)`));
      expect(grew, name).toBeLessThan(150 << 20);
    }
  });
});
