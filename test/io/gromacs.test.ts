import { mkdtempSync, readFileSync, symlinkSync, writeFileSync, copyFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readXtc } from '../../src/io/xtc.js';
import { readTrr } from '../../src/io/trr.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { ParseError, MetadataError } from '../../src/io/errors.js';
import { detectFormat } from '../../src/io/registry.js';
import { discoverInFolder, loadTrajectory } from '../../src/io/load.js';
import { fracToCart } from '../../src/trajectory/lattice.js';
import { latticeAt, type Trajectory } from '../../src/trajectory/types.js';
import { run as inspect } from '../../src/cli/inspect.js';
import { captureRun } from '../helpers/cli.js';
import { expectReadError } from '../helpers/errors.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';
import { writeGro, writeTrr, writeXtc, type GmxFrame } from '../helpers/gromacs-writer.js';
import { mulberry32 } from '../../src/analysis/random.js';

const fx = (name: string) => resolve(import.meta.dirname, '../fixtures/formats/gromacs', name);

/** Cartesian position (Å) of atom i in frame f. */
function cart(t: Trajectory, f: number, i: number): number[] {
  const o = new Float64Array(3);
  const p = (f * t.nAtoms + i) * 3;
  fracToCart(latticeAt(t, f), t.frac[p], t.frac[p + 1], t.frac[p + 2], o, 0);
  return Array.from(o);
}


/** Water-like triples (close atoms, so the encoder uses runs) plus isolated ions, in nm. */
function system(n: number, nFrames: number, seed: number, span = 2.5): GmxFrame[] {
  const r = mulberry32(seed);
  const x0: number[] = [];
  for (let i = 0; i < n; i++) {
    if (i % 4 !== 3 && i % 4 !== 0) for (let d = 0; d < 3; d++) x0.push(x0[x0.length - 3] + (r() - 0.5) * 0.2);
    else for (let d = 0; d < 3; d++) x0.push(r() * span);
  }
  const box = [span, 0, 0, 0.3, span, 0, -0.2, 0.1, span];
  return Array.from({ length: nFrames }, (_, k) => ({ box, time: 10 + 0.5 * k, x: Float32Array.from(x0, (v) => v + (r() - 0.5) * 0.05 * k) }));
}

function tmp(): string {
  return mkdtempSync(join(tmpdir(), 'ionsift-gmx-'));
}

/** A folder with `name`.xtc/.trr bytes and a .gro of `n` atoms (Li, then O). */
function folder(name: string, bytes: Buffer, n: number, frame: GmxFrame): string {
  const d = tmp();
  const names = Array.from({ length: n }, (_, i) => (i % 4 === 0 ? 'Li' : 'OW'));
  writeFileSync(join(d, 'topo.gro'), writeGro('t', names, frame.x.length === 3 * n ? frame.x : new Float32Array(3 * n), frame.box));
  writeFileSync(join(d, name), bytes);
  return join(d, name);
}

describe('GROMACS XTC / TRR with a .gro topology', () => {
  it('reads the hand-made fixture: species from the .gro, Å from nm, triclinic box, 2 fs from the times', async () => {
    const t = await readXtc(fx('small.xtc'));
    expect(t.metadata.format).toBe('xtc');
    expect([t.nFrames, t.nAtoms]).toEqual([3, 12]);
    expect(t.species).toEqual(['Li', 'S']);
    expect(t.counts).toEqual([8, 4]);
    expect(Array.from(t.lattice)).toEqual([10, 0, 0, Math.fround(0.1) * 10, Math.fround(1.1) * 10, 0, 0, 0, Math.fround(1.2) * 10]);
    expect(t.metadata.frameIntervalFs).toBe(2);
    // Atom 0 moves 0.25 nm in x per frame (written in small.gro / the generator in README.md).
    for (const [f, want] of [[0, [0.5, 1.0, 2.0]], [1, [3.0, 1.01, 2.01]], [2, [5.5, 1.02, 2.02]]] as const) {
      const c = cart(t, f, 0);
      for (let d = 0; d < 3; d++) expect(Math.abs(c[d] - want[d])).toBeLessThan(1e-5);
    }
    // Only 12 atoms: > 9, so the compressed path. The TRR of the same frames agrees to float32.
    const r = await readTrr(fx('small.trr'));
    expect(r.metadata.format).toBe('trr');
    let max = 0;
    for (let i = 0; i < t.frac.length; i++) max = Math.max(max, Math.abs(t.frac[i] - r.frac[i]));
    expect(max).toBeLessThan(1e-6);
    expect(r.metadata.frameIntervalFs).toBe(2);
  });

  it('the registry picks xtc/trr by name and by content', async () => {
    expect((await detectFormat(fx('small.xtc'))).name).toBe('xtc');
    expect((await detectFormat(fx('small.trr'))).name).toBe('trr');
    const d = tmp();
    copyFileSync(fx('small.xtc'), join(d, 'traj.bin'));
    copyFileSync(fx('small.trr'), join(d, 'full.bin'));
    expect((await detectFormat(join(d, 'traj.bin'))).name).toBe('xtc');
    expect((await detectFormat(join(d, 'full.bin'))).name).toBe('trr');
  });

  it('decodes what the xdr3dfcoord encoder wrote: runs, width changes, large boxes, ≤ 9 atoms', async () => {
    const cases: { n: number; precision: number; span: number }[] = [
      { n: 301, precision: 1000, span: 2.5 },
      { n: 64, precision: 1e6, span: 30 }, // sizes > 2^24: three separate bit fields
      { n: 7, precision: 1000, span: 2 }, // ≤ 9 atoms: plain floats
      { n: 10, precision: 100, span: 5 },
    ];
    for (const [k, c] of cases.entries()) {
      const frames = system(c.n, 5, 11 + k, c.span);
      const p = folder('run.xtc', writeXtc(frames, c.precision), c.n, frames[0]);
      const t = await readXtc(p);
      expect(t.nFrames).toBe(5);
      expect(t.metadata.frameIntervalFs).toBe(500);
      for (let f = 0; f < 5; f++) {
        for (let i = 0; i < c.n; i++) {
          const got = cart(t, f, i);
          for (let d = 0; d < 3; d++) {
            const v = frames[f].x[3 * i + d];
            // Stored value: round(v·precision)/precision (plain floats for ≤ 9 atoms), in Å.
            const want = c.n <= 9 ? v * 10 : (Math.round(Math.fround(v * c.precision)) / c.precision) * 10;
            expect(Math.abs(got[d] - want), `case ${k} frame ${f} atom ${i} dim ${d}`).toBeLessThan(2e-5 * Math.max(1, Math.abs(want)) + 1e-4 / c.precision * 10);
          }
        }
      }
    }
  });

  it('magic 2023 (64-bit block sizes) reads like 1995', async () => {
    const frames = system(50, 3, 9);
    const a = await readXtc(folder('old.xtc', writeXtc(frames, 1000, 1995), 50, frames[0]));
    const b = await readXtc(folder('new.xtc', writeXtc(frames, 1000, 2023), 50, frames[0]));
    expect(b.nFrames).toBe(3);
    expect(Array.from(b.frac)).toEqual(Array.from(a.frac));
  });

  it('TRR frames with velocities only are skipped with a warning', async () => {
    const frames = system(20, 4, 6);
    const t = await readTrr(folder('v.trr', writeTrr(frames, 4, [1, 2]), 20, frames[0]));
    expect(t.nFrames).toBe(2);
    expect(t.warnings.join()).toMatch(/2 frame\(s\) without positions/);
    expect(cart(t, 1, 3)[0]).toBeCloseTo(Math.fround(frames[3].x[9]) * 10, 5);
  });

  it('TRR in single and double precision keeps the written values', async () => {
    for (const real of [4, 8] as const) {
      const frames = system(20, 3, 5);
      const t = await readTrr(folder('run.trr', writeTrr(frames, real), 20, frames[0]));
      for (let i = 0; i < 20; i++) {
        const c = cart(t, 2, i);
        for (let d = 0; d < 3; d++) expect(c[d]).toBeCloseTo(frames[2].x[3 * i + d] * 10, 9);
      }
    }
  });

  it('a folder with an .xtc and its .gro is one trajectory; a sidecar may list the .xtc alone', async () => {
    const d = tmp();
    for (const f of ['small.xtc', 'small.gro']) copyFileSync(fx(f), join(d, f));
    const found = await discoverInFolder(d);
    expect(found.map((t) => t.name)).toEqual(['small.xtc']);
    const t = await loadTrajectory(d);
    expect([t.metadata.format, t.nFrames]).toEqual(['xtc', 3]);
    // The content hash covers the .gro too: renaming an atom changes it.
    writeFileSync(join(d, 'ionsift.json'), JSON.stringify({ temperature_k: 700, trajectories: [{ name: 'run', files: ['small.xtc'] }] }));
    const s = await loadTrajectory(d);
    expect([s.metadata.temperatureK, s.metadata.contentHash]).toEqual([700, t.metadata.contentHash]);
    writeFileSync(join(d, 'small.gro'), readFileSync(join(d, 'small.gro'), 'latin1').replace('Li    1', 'Na    1'));
    const renamed = await loadTrajectory(d);
    expect(renamed.species).toEqual(['Na', 'Li', 'S']);
    expect(renamed.metadata.contentHash).not.toBe(t.metadata.contentHash);
  });

  it('`ionsift inspect` reads an .xtc through the CLI', async () => {
    const r = await captureRun(inspect, [fx('small.xtc'), '--json', '--temperature-k', '600']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ format: 'xtc', n_frames: 3, n_atoms: 12, species: { Li: 8, S: 4 }, frame_interval_fs: 2, temperature_k: 600 });
    expect(j.volume_a3).toBeCloseTo(10 * Math.fround(1.1) * 10 * Math.fround(1.2) * 10, 6);
  });
});

describe('GROMACS bad input: errors name the file and the frame', () => {
  const frames = system(40, 3, 3);
  const good = writeXtc(frames);
  // Frame offsets: each frame's header says where the next begins (92 bytes + padded block).
  const starts: number[] = [0];
  while (starts[starts.length - 1] < good.length) {
    const o = starts[starts.length - 1];
    starts.push(o + 92 + Math.ceil(good.readUInt32BE(o + 88) / 4) * 4);
  }

  it('truncated last frame: a warning and the complete frames, or an error with allowTruncated: false', async () => {
    const p = folder('cut.xtc', good.subarray(0, starts[2] + 100), 40, frames[0]);
    await expectReadError(readXtc(p, { allowTruncated: false }), ParseError, { file: p, frame: 2 }, /ends inside frame 2.*truncated/);
    const t = await readXtc(p);
    expect(t.nFrames).toBe(2);
    expect(t.warnings.join()).toMatch(/incomplete frame was dropped/);
  });

  it('bad magic number', async () => {
    const b = Buffer.from(good);
    b.writeInt32BE(1234, starts[1]);
    const p = folder('magic.xtc', b, 40, frames[0]);
    await expectReadError(readXtc(p), ParseError, { file: p, frame: 1 }, /bad magic number 1234/);
  });

  it('corrupt compressed block: bad width index, and a block too short for its atoms', async () => {
    const b = Buffer.from(good);
    b.writeInt32BE(200, starts[1] + 84);
    const p = folder('idx.xtc', b, 40, frames[0]);
    await expectReadError(readXtc(p), ParseError, { file: p, frame: 1 }, /corrupt compressed coordinates: small-difference index 200/);
    // Frame 1 with its block cut to 8 bytes (and the byte count saying so): out of bits.
    const f1 = Buffer.from(good.subarray(starts[1], starts[1] + 100));
    f1.writeUInt32BE(8, 88);
    const short = Buffer.concat([good.subarray(0, starts[1]), f1, good.subarray(starts[2])]);
    const q = folder('short.xtc', short, 40, frames[0]);
    await expectReadError(readXtc(q), ParseError, { file: q, frame: 1 }, /corrupt compressed coordinates: compressed block ends inside a field/);
  });

  it('atom count differing from the .gro, and counts the file cannot hold, before any allocation', async () => {
    const p = folder('mismatch.xtc', good, 39, system(39, 1, 1)[0]);
    await expectReadError(readXtc(p), ParseError, { file: p, frame: 0 }, /40 atoms in the trajectory but 39 in its topology/);
    const huge = Buffer.from(good);
    huge.writeInt32BE(0x7fffffff, 4);
    const q = folder('huge.xtc', huge, 40, frames[0]);
    await expectReadError(readXtc(q), ParseError, { file: q, frame: 0 }, /atom count 2147483647 is larger than the file/);
    const block = Buffer.from(good);
    block.writeUInt32BE(0xfffffff0, starts[1] + 88);
    const r = folder('block.xtc', block, 40, frames[0]);
    await expectReadError(readXtc(r, { allowTruncated: false }), ParseError, { file: r, frame: 1 }, /compressed block of 4294967280 bytes but \d+ left/);
    const before = process.memoryUsage().rss;
    await readXtc(r).catch(() => null);
    expect(process.memoryUsage().rss - before).toBeLessThan(64 << 20);
  });

  it('no .gro, a device file, a TRR with a bad version string', async () => {
    const d = tmp();
    writeFileSync(join(d, 'lonely.xtc'), good);
    await expectReadError(readXtc(join(d, 'lonely.xtc')), MetadataError, { file: join(d, 'lonely.xtc') }, /no \.gro topology/);
    const p = folder('x.xtc', good, 40, frames[0]);
    symlinkSync('/dev/zero', join(resolve(p, '..'), 'dev.xtc'));
    await expectReadError(readXtc(join(resolve(p, '..'), 'dev.xtc')), ParseError, { file: join(resolve(p, '..'), 'dev.xtc') }, /not a regular file/);
    const trr = writeTrr(frames);
    trr.write('GMX_xxx_file', 12, 'latin1');
    const q = folder('bad.trr', trr, 40, frames[0]);
    await expectReadError(readTrr(q), ParseError, { file: q, frame: 0 }, /version string "GMX_xxx_file"/);
  });

  it('a .gro whose atom count exceeds what the file can hold names the .gro and its line', async () => {
    const d = tmp();
    writeFileSync(join(d, 'a.xtc'), good);
    writeFileSync(join(d, 'a.gro'), 'title\n999999999\n    1Li      Li    1   0.050   0.100   0.200\n   1.0 1.0 1.0\n');
    await expectReadError(readXtc(join(d, 'a.xtc')), ParseError, { file: join(d, 'a.gro'), line: 2 }, /atom count 999999999 needs at least/);
  });
});

const lgps = 'lgps_li10gep2s12_650k_crysf';
describe.skipIf(!hasRealData)(`real XTC ${lgps} (${hasRealData ? 'present' : realDataSkipReason})`, () => {
  it('Li positions agree with the derived XDATCAR well within the XTC precision (0.01 Å)', async () => {
    const dir = realCase(lgps);
    const t = await loadTrajectory(join(dir, 'trajectory.xtc'));
    const r = await readXdatcar(join(dir, 'XDATCAR_Li_only_derived.gz'));
    expect([t.nFrames, t.nAtoms, t.species, t.counts]).toEqual([13979, 20, ['Li'], [20]]);
    // The sidecar's top level applies to the file: 15 fs between frames (the XTC times are all 0).
    expect(t.metadata.frameIntervalFs).toBe(15);
    expect(t.metadata.temperatureK).toBe(650);
    let max = 0;
    for (let i = 0; i < r.frac.length; i++) {
      let d = t.frac[i] - r.frac[i];
      d -= Math.round(d); // the XDATCAR is wrapped into [0, 1)
      max = Math.max(max, Math.abs(d) * r.lattice[(i % 3) * 4]);
    }
    // Measured 8.8e-7 Å: both decode the same integers; the rest is the XDATCAR's printed digits.
    expect(max).toBeLessThan(5e-6);
    for (let k = 0; k < 9; k++) expect(Math.abs(t.lattice[k] - r.lattice[k])).toBeLessThan(1e-5);
  });
});
