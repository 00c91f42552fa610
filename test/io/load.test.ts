import { afterAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { discoverInFolder, groupNumbered, loadTrajectories, loadTrajectory, naturalCompare } from '../../src/io/load.js';
import { detectFormat, formatByName } from '../../src/io/registry.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-load-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = 'walk\n1.0\n10 0 0\n0 10 0\n0 0 10\nLi S\n1 1\n';
/** An XDATCAR whose atom 0 walks +0.01 (frac) in x per frame from frame `f0`; `jump` shifts it. */
function xdat(f0: number, n: number, jump = 0): string {
  let s = HEADER;
  for (let f = f0; f < f0 + n; f++) s += `Direct configuration= ${f - f0 + 1}\n${((0.1 + 0.01 * f + jump) % 1).toFixed(8)} 0.5 0.5\n0.25 ${((0.2 + 0.01 * f) % 1).toFixed(8)} 0.75\n`;
  return s;
}

describe('natural order and numbered groups', () => {
  it('sorts run10 after run9', () => {
    expect(['run10', 'run9', 'run1', 'run2'].sort(naturalCompare)).toEqual(['run1', 'run2', 'run9', 'run10']);
  });
  it('groups names that differ in one number', () => {
    const g = groupNumbered(['run10_XDATCAR.gz', 'run2_XDATCAR.gz', 'run1_XDATCAR.gz', 'run1_inherent_XDATCAR.gz', 'Na11Ge2PS12_X.gz', 'Na11Sn2PS12_X.gz']);
    expect(g).toEqual([
      ['Na11Ge2PS12_X.gz', ['Na11Ge2PS12_X.gz']],
      ['Na11Sn2PS12_X.gz', ['Na11Sn2PS12_X.gz']],
      ['run1_inherent_XDATCAR.gz', ['run1_inherent_XDATCAR.gz']],
      ['run*_XDATCAR.gz', ['run1_XDATCAR.gz', 'run2_XDATCAR.gz', 'run10_XDATCAR.gz']],
    ]);
  });
});

describe('registry', () => {
  it('picks the reader by name, then by content', async () => {
    expect(formatByName('/a/run1_actual_XDATCAR.gz')?.name).toBe('xdatcar');
    expect(formatByName('/a/vasprun.xml')?.name).toBe('vasprun');
    expect(formatByName('/a/traj.extxyz.gz')?.name).toBe('extxyz');
    expect(formatByName('/a/md.lammpstrj')?.name).toBe('lammps-dump');
    const odd = join(root, 'trajectory.txt');
    writeFileSync(odd, xdat(0, 2));
    expect((await detectFormat(odd)).name).toBe('xdatcar');
  });
});

describe('numbered layouts and discovery', () => {
  it('reads run1/ … run10/ sub-folders as one run in numeric order, with an INCAR per run', async () => {
    const dir = join(root, 'subdirs');
    for (let r = 1; r <= 10; r++) {
      mkdirSync(join(dir, `run${r}`), { recursive: true });
      writeFileSync(join(dir, `run${r}`, 'XDATCAR'), xdat((r - 1) * 5, 5));
      writeFileSync(join(dir, `run${r}`, 'INCAR'), 'POTIM = 2\nNBLOCK = 5\nTEBEG = 600\n');
    }
    const found = await discoverInFolder(dir);
    expect(found.length).toBe(1);
    expect(found[0].files.map((f) => f.slice(dir.length + 1))).toEqual(Array.from({ length: 10 }, (_, i) => `run${i + 1}/XDATCAR`));
    const t = await loadTrajectory(dir);
    expect(t.nFrames).toBe(50);
    expect(t.segments.map((s) => s.startFrame)).toEqual([0, 5, 10, 15, 20, 25, 30, 35, 40, 45]);
    expect(t.discontinuities).toEqual([]);
    expect(t.metadata.frameIntervalFs).toBe(10);
    expect(t.metadata.temperatureK).toBe(600);
    // content hash = SHA-256 over the raw bytes of all files in order
    const h = createHash('sha256');
    for (const f of found[0].files) h.update(readFileSync(f));
    expect(t.metadata.contentHash).toBe(h.digest('hex'));
  });

  it('flags a boundary step much larger than ordinary steps as a discontinuity (> 2× median)', async () => {
    const dir = join(root, 'jump');
    mkdirSync(dir);
    writeFileSync(join(dir, 'run1_XDATCAR'), xdat(0, 10));
    writeFileSync(join(dir, 'run2_XDATCAR'), xdat(10, 10, 0.2));
    writeFileSync(join(dir, 'run3_XDATCAR'), xdat(20, 10, 0.2));
    const t = await loadTrajectory(dir, { frameIntervalFs: 1, temperatureK: 300 });
    expect(t.nFrames).toBe(30);
    expect(t.discontinuities.map((d) => d.frame)).toEqual([10]);
    expect(t.discontinuities[0].reason).toMatch(/run1_XDATCAR → .*run2_XDATCAR/);
    expect(t.warnings.some((w) => /discontinuity at frame 10/.test(w))).toBe(true);
  });

  it('skips a vasprun.xml beside an XDATCAR, and lists several trajectories of a folder', async () => {
    const dir = join(root, 'mixed');
    mkdirSync(dir);
    writeFileSync(join(dir, 'XDATCAR'), xdat(0, 3));
    writeFileSync(join(dir, 'vasprun.xml'), '<modeling/>');
    writeFileSync(join(dir, 'other_XDATCAR_b'), xdat(0, 4));
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const found = await discoverInFolder(dir);
    expect(found.map((f) => f.name)).toEqual(['XDATCAR', 'other_XDATCAR_b']);
    await expect(loadTrajectory(dir)).rejects.toThrow(/folder holds 2 trajectories/);
    const all = await loadTrajectories(dir);
    expect(all.map((t) => t.nFrames)).toEqual([3, 4]);
  });
});

describe('read-ahead of gzip run files', () => {
  it('gives the same trajectory and content hash as streaming each file', async () => {
    const { gzipSync } = await import('node:zlib');
    const { readXdatcar } = await import('../../src/io/xdatcar.js');
    const { concatTrajectories } = await import('../../src/io/run.js');
    const dir = join(root, 'gz-run');
    mkdirSync(dir);
    const files = [1, 2, 3].map((r) => join(dir, `run${r}_XDATCAR.gz`));
    files.forEach((f, r) => writeFileSync(f, gzipSync(xdat(r * 40, 40))));
    const t = await loadTrajectory(dir, { frameIntervalFs: 1, temperatureK: 300 });
    // Reference: each file streamed (no read-ahead), then concatenated as the loader does.
    const h = createHash('sha256');
    const parts = [];
    for (const f of files) parts.push(await readXdatcar(f, { hash: h, chunkSize: 64 }));
    const ref = concatTrajectories(parts);
    expect(t.nFrames).toBe(120);
    expect(Buffer.from(t.frac.buffer, t.frac.byteOffset, t.frac.byteLength).equals(Buffer.from(ref.frac.buffer, ref.frac.byteOffset, ref.frac.byteLength))).toBe(true);
    expect(t.metadata.contentHash).toBe(h.digest('hex'));
    expect(t.segments).toEqual(ref.segments);
  });

  it('a corrupt later file fails with the streaming error (file and line), not a read-ahead one', async () => {
    const { gzipSync } = await import('node:zlib');
    const { readXdatcar } = await import('../../src/io/xdatcar.js');
    const dir = join(root, 'gz-bad');
    mkdirSync(dir);
    writeFileSync(join(dir, 'run1_XDATCAR.gz'), gzipSync(xdat(0, 30)));
    const full = gzipSync(xdat(30, 3000));
    writeFileSync(join(dir, 'run2_XDATCAR.gz'), full.subarray(0, full.length >> 1)); // truncated
    const streamed = await readXdatcar(join(dir, 'run2_XDATCAR.gz')).then(() => null, (e: unknown) => e as Error);
    expect(streamed).toBeInstanceOf(Error);
    const loaded = await loadTrajectory(dir, { frameIntervalFs: 1, temperatureK: 300 }).then(() => null, (e: unknown) => e as Error);
    expect(loaded?.message).toBe(streamed?.message);
  });
});
