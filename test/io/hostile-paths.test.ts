/**
 * Issue 17 items 2, 6, 8, 9: only regular files are read (devices, FIFOs refused by the path,
 * quickly), sidecar paths stay inside the sidecar's folder, symlink loops in discovery are
 * reported and never duplicate a trajectory, hostile sidecar JSON gives located errors.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetadataError, ParseError, ResourceError } from '../../src/io/errors.js';
import { hashFile, prefetchGzip, readRegularFile } from '../../src/io/byte-source.js';
import { discoverInFolder, loadTrajectory } from '../../src/io/load.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { readTrajectoryFile } from '../../src/io/registry.js';
import { parseSidecar, readSidecar } from '../../src/io/sidecar.js';
import { discover } from '../../src/indexer/discover.js';
import { expectReadError } from '../helpers/errors.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-hostile-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const XDAT = 'h\n1.0\n10 0 0\n0 10 0\n0 0 10\nLi S\n1 1\nDirect configuration= 1\n0.1 0.5 0.5\n0.25 0.2 0.75\nDirect configuration= 2\n0.11 0.5 0.5\n0.25 0.2 0.75\n';
function put(rel: string, text = XDAT): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}
function link(target: string, rel: string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  symlinkSync(target, p);
  return p;
}

/** Resolves within `ms` or fails the test (a FIFO read would hang forever). */
async function within<T>(ms: number, p: Promise<T>): Promise<T> {
  let t: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, rej) => { t = setTimeout(() => rej(new Error(`no answer within ${ms} ms`)), ms); });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(t);
  }
}

describe('only regular files are read', () => {
  it('a symlink to /dev/zero named XDATCAR.gz, /dev/urandom named XDATCAR: refused by path, at once', async () => {
    for (const [dev, name] of [['/dev/zero', 'dev/XDATCAR.gz'], ['/dev/urandom', 'dev/XDATCAR'], ['/dev/null', 'dev/null_XDATCAR']] as const) {
      const p = link(dev, name);
      await expectReadError(within(2000, readXdatcar(p)), ResourceError, { file: p }, /character device \(after following symlinks\); only regular files/);
      await expect(within(2000, loadTrajectory(p))).rejects.toThrow(ResourceError);
      expect(await within(2000, prefetchGzip(p).result)).toBeNull();
      await expect(within(2000, hashFile(p, { update: () => 0 }))).rejects.toThrow(ResourceError);
    }
  });

  it('a FIFO is refused without blocking (reader, format sniffing, hashing)', async () => {
    const fifo = join(root, 'fifo', 'run.extxyz');
    mkdirSync(dirname(fifo), { recursive: true });
    execFileSync('mkfifo', [fifo]);
    await expectReadError(within(2000, readTrajectoryFile(fifo)), ResourceError, { file: fifo }, /FIFO/);
    const other = join(root, 'fifo', 'unnamed.dat');
    execFileSync('mkfifo', [other]);
    await expect(within(2000, readTrajectoryFile(other))).rejects.toThrow(/unrecognised|FIFO/);
    await expect(within(2000, hashFile(fifo, { update: () => 0 }))).rejects.toThrow(/FIFO/);
  });

  it('a directory named like a trajectory, and a sidecar that is too large', async () => {
    mkdirSync(join(root, 'dirx', 'XDATCAR'), { recursive: true });
    await expectReadError(readXdatcar(join(root, 'dirx', 'XDATCAR')), ResourceError, { file: join(root, 'dirx', 'XDATCAR') }, /is a directory/);
    const big = put('big/ionsift.json', `{"material": "${'x'.repeat(5 << 20)}"}`);
    await expectReadError(readSidecar(big), ResourceError, { file: big }, /sidecar is \d+ bytes, more than/);
    await expect(readRegularFile(big, 10)).rejects.toThrow(ResourceError);
  });
});

describe('sidecar paths stay inside the sidecar folder', () => {
  const sidecar = (files: string[]) => JSON.stringify({ temperature_k: 600, trajectories: [{ name: 'run', files }] }, null, 1);

  it('"../…" and absolute paths are refused by the parser, naming the sidecar line', () => {
    for (const f of ['../other/XDATCAR', 'a/../../XDATCAR', '/etc/passwd', '/proc/self/environ', '']) {
      const text = sidecar([f]);
      let err: unknown;
      try { parseSidecar(text, '/x/ionsift.json'); } catch (e) { err = e; }
      expect(err, f).toBeInstanceOf(ParseError);
      expect((err as ParseError).message).toMatch(/^\/x\/ionsift\.json, line \d+: trajectories\[0\]: file ".*" is outside the sidecar's folder/);
    }
  });

  it('a symlink inside the folder that resolves outside is refused; one inside is followed', async () => {
    const outside = put('outside/XDATCAR');
    put('proj/data/XDATCAR');
    link(outside, 'proj/escape_XDATCAR');
    link(join(root, 'proj/data/XDATCAR'), 'proj/inside_XDATCAR');
    const sc = put('proj/ionsift.json', sidecar(['escape_XDATCAR']));
    const err = await discoverInFolder(join(root, 'proj')).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MetadataError);
    expect((err as MetadataError).file).toBe(sc);
    expect((err as Error).message).toMatch(/resolves to .*outside\/XDATCAR, outside the sidecar's folder/);
    writeFileSync(sc, sidecar(['inside_XDATCAR']));
    expect((await discoverInFolder(join(root, 'proj'))).map((t) => t.files.length)).toEqual([1]);
  });

  it('duplicate entries, "__proto__" keys, deep nesting, empty mobile: located errors; a BOM is accepted', () => {
    const err = (text: string): string => {
      try { parseSidecar(text, '/x/ionsift.json'); } catch (e) { expect(e).toBeInstanceOf(ParseError); return (e as Error).message; }
      return 'no error';
    };
    expect(err(JSON.stringify({ trajectories: [{ name: 'a', files: ['X1'] }, { name: 'b', files: ['./X1'] }] }))).toMatch(/"\.\/X1" is already listed in trajectories\[0\]/);
    expect(err('{"__proto__": {"x": 1}}')).toMatch(/unknown key "__proto__"/);
    expect(err('{"constructor": 1}')).toMatch(/unknown key "constructor"/);
    expect(err(`{"charges": ${'['.repeat(100000)}${']'.repeat(100000)}}`)).toMatch(/line 1: JSON nested deeper than 32/);
    expect(err('{"mobile": []}')).toMatch(/"mobile" .* must be a non-empty list/);
    expect(parseSidecar('\ufeff{"temperature_k": 600}', '/x/ionsift.json').meta.temperature_k).toBe(600);
  });
});

describe('symlink loops in discovery', () => {
  it('run1 -> .., run2 -> ., self -> . give one trajectory and a reported loop each', async () => {
    const dir = join(root, 'loops', 'mat');
    put('loops/mat/XDATCAR');
    link('..', 'loops/mat/run1');
    link('.', 'loops/mat/run2');
    link('.', 'loops/mat/self');
    const { trajectories, failures } = await discover([join(root, 'loops')]);
    expect(trajectories.map((t) => t.files)).toEqual([[join(dir, 'XDATCAR')]]);
    expect(failures.map((f) => f.path).sort()).toEqual(['run1', 'run2', 'self'].map((n) => join(dir, n)));
    expect(failures[0].message).toMatch(/symlink loop .*not followed/);
    expect((await discoverInFolder(dir)).map((t) => t.files)).toEqual([[join(dir, 'XDATCAR')]]);
  });

  it('one file reached by two paths (a symlinked copy, overlapping arguments) is indexed once', async () => {
    const f = put('twice/a/XDATCAR');
    link(f, 'twice/b/XDATCAR');
    const { trajectories } = await discover([join(root, 'twice'), join(root, 'twice', 'a')]);
    expect(trajectories).toHaveLength(1);
  });
});
