import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { readVasprun, sniffVasprun } from '../../src/io/vasprun.js';
import { latticeAt } from '../../src/trajectory/types.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';
import { expectReadError, fx } from './formats-helpers.js';

describe('readVasprun: small hand-written NPT file', () => {
  it('reads species, per-step lattice and fractional positions, skipping initial/final structures', async () => {
    const t = await readVasprun(fx('small_npt.vasprun.xml'));
    expect(t.nFrames).toBe(2);
    expect(t.nAtoms).toBe(3);
    expect(t.species).toEqual(['Li', 'Cl']);
    expect(t.counts).toEqual([2, 1]);
    expect(Array.from(t.speciesOf)).toEqual([0, 0, 1]);
    expect(t.variableCell).toBe(true);
    expect(Array.from(latticeAt(t, 0))).toEqual([10, 0, 0, 1, 10, 0, 0, 0, 10]);
    expect(Array.from(latticeAt(t, 1))).toEqual([10.1, 0, 0, 1, 10.1, 0, 0, 0, 10.1]);
    expect(Array.from(t.frac.subarray(0, 3))).toEqual([0.1, 0.2, 0.3]);
    expect(Array.from(t.frac.subarray(9 + 6, 18))).toEqual([0.76, 0.24, 0.99]);
    expect(t.segments).toEqual([{ file: fx('small_npt.vasprun.xml'), startFrame: 0, nFrames: 2 }]);
    expect(t.metadata.format).toBe('vasprun');
    expect(t.metadata.sourcePaths).toEqual([fx('small_npt.vasprun.xml')]);
    expect(t.metadata.title).toBe('tiny LiCl NPT test');
  });

  it('takes POTIM from <parameters> over <incar>, and frame interval = POTIM (NBLOCK does not thin vasprun.xml)', async () => {
    const t = await readVasprun(fx('small_npt.vasprun.xml'));
    expect(t.metadata.timestepFs).toBe(2);
    expect(t.metadata.stepsPerFrame).toBe(1);
    expect(t.metadata.frameIntervalFs).toBe(2);
    expect(t.metadata.temperatureK).toBe(600);
    expect(t.metadata.sources.frameIntervalFs).toMatch(/vasprun\.xml/);
    expect(t.metadata.sources.NBLOCK).toMatch(/NBLOCK=5/);
    expect(t.warnings).toEqual([]);
  });

  it('content hash is SHA-256 of the raw bytes', async () => {
    const t = await readVasprun(fx('small_npt.vasprun.xml'));
    const h = createHash('sha256').update(readFileSync(fx('small_npt.vasprun.xml'))).digest('hex');
    expect(t.metadata.contentHash).toBe(h);
  });

  it('reads a gzipped copy (detected by magic bytes, not the name) to the same frames', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-vasprun-'));
    const p = join(dir, 'vasprun.xml'); // no .gz suffix on purpose
    const gz = gzipSync(readFileSync(fx('small_npt.vasprun.xml')));
    writeFileSync(p, gz);
    const a = await readVasprun(fx('small_npt.vasprun.xml'));
    const b = await readVasprun(p);
    expect(Array.from(b.frac)).toEqual(Array.from(a.frac));
    expect(Array.from(b.lattice)).toEqual(Array.from(a.lattice));
    expect(b.metadata.contentHash).toBe(createHash('sha256').update(gz).digest('hex'));
  });

  it('a file that stops between steps keeps its complete frames with a warning', async () => {
    const t = await readVasprun(fx('stopped_early.vasprun.xml'));
    expect(t.nFrames).toBe(1);
    expect(t.variableCell).toBe(false);
    expect(t.warnings.join('\n')).toMatch(/without <\/modeling>/);
  });

  it('sniffs vasprun.xml content', () => {
    expect(sniffVasprun(readFileSync(fx('small_npt.vasprun.xml'), 'latin1').slice(0, 4096))).toBe(true);
    expect(sniffVasprun('4\nLattice="1 0 0 0 1 0 0 0 1"\n')).toBe(false);
  });
});

describe('readVasprun: malformed input', () => {
  it('truncated inside a step structure, strict (allowTruncated: false) → ParseError naming last line and frame', async () => {
    const f = fx('bad_truncated.vasprun.xml');
    await expectReadError(readVasprun(f, { allowTruncated: false }), ParseError, { file: f, line: 104, frame: 1 }, /ends inside the <structure> of frame 1/);
  });

  it('truncated, by default → the complete frames and a warning', async () => {
    const t = await readVasprun(fx('bad_truncated.vasprun.xml'));
    expect(t.nFrames).toBe(1);
    expect(t.warnings.join('\n')).toMatch(/incomplete frame was dropped/);
  });

  it('NaN in positions → ParseError at that line', async () => {
    const f = fx('bad_nan.vasprun.xml');
    await expectReadError(readVasprun(f), ParseError, { file: f, line: 104, frame: 1 }, /"NaN", expected a finite number/);
  });

  it('fewer position rows than atoms → ParseError at </structure>', async () => {
    const f = fx('bad_count.vasprun.xml');
    await expectReadError(readVasprun(f), ParseError, { file: f, line: 82, frame: 0 }, /2 position rows, expected 3/);
  });

  it('an XDATCAR is not a vasprun.xml', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-vasprun-'));
    const p = join(dir, 'x.xml');
    writeFileSync(p, 'Li\n1.0\n 1 0 0\n 0 1 0\n 0 0 1\nLi\n1\nDirect configuration=     1\n 0 0 0\n');
    await expectReadError(readVasprun(p), ParseError, { file: p }, /no <atominfo>/);
  });

  it('empty file → ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-vasprun-'));
    const p = join(dir, 'empty.xml');
    writeFileSync(p, '');
    await expectReadError(readVasprun(p), ParseError, { file: p, line: 1 }, /empty/);
  });
});

describe.skipIf(!hasRealData)(`readVasprun: real VASP 6.3.2 MD output (${hasRealData ? 'present' : realDataSkipReason})`, () => {
  const path = realCase('format_vasp_md_outputs_xdatbus/vasprun.xml');

  it('matches PROVENANCE.md: 145 atoms (Si30 H41 C3 N1 O70), 10 frames, POTIM 1 fs, 300 K', async () => {
    const t = await readVasprun(path);
    expect(t.nAtoms).toBe(145);
    expect(t.nFrames).toBe(10);
    expect(t.species).toEqual(['Si', 'H', 'C', 'N', 'O']);
    expect(t.counts).toEqual([30, 41, 3, 1, 70]);
    expect(t.variableCell).toBe(false);
    expect(Array.from(t.lattice)).toEqual([23, 0, 0, 0, 23, 0, 0, 0, 23]);
    expect(t.metadata.timestepFs).toBe(1);
    expect(t.metadata.stepsPerFrame).toBe(1);
    expect(t.metadata.frameIntervalFs).toBe(1);
    expect(t.metadata.temperatureK).toBe(300);
    expect(t.frac.length).toBe(10 * 145 * 3);
    // First atom of the first step and last atom of the last step, as printed in the file.
    expect(Array.from(t.frac.subarray(0, 3))).toEqual([0.40130367, 0.61023612, 0.55112398]);
    expect(Array.from(t.frac.subarray(t.frac.length - 3))).toEqual([0.57716188, 0.56442968, 0.52344021]);
    expect(t.metadata.contentHash).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
    expect(t.warnings).toEqual([]);
  });
});
