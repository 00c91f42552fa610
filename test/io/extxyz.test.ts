import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { parseCommentLine, readExtxyz, sniffExtxyz } from '../../src/io/extxyz.js';
import { latticeAt } from '../../src/trajectory/types.js';
import { expectReadError, fx } from './formats-helpers.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
};

describe('readExtxyz', () => {
  it('reads columns in any order, converts Cartesian to fractional, keeps file order of atoms', async () => {
    const t = await readExtxyz(fx('good.extxyz'));
    expect(t.nFrames).toBe(3);
    expect(t.nAtoms).toBe(4);
    // Species in order of first appearance; Li atoms are not contiguous.
    expect(t.species).toEqual(['Li', 'S', 'P']);
    expect(t.counts).toEqual([2, 1, 1]);
    expect(Array.from(t.speciesOf)).toEqual([0, 1, 0, 2]);
    expect(t.variableCell).toBe(false);
    expect(Array.from(t.lattice)).toEqual([10, 0, 0, 2, 9, 0, -1, 1.5, 8]);
    // (2.75, 5.625, 6) = 0.25 a + 0.5 b + 0.75 c in this triclinic cell.
    close(t.frac.subarray(0, 3), [0.25, 0.5, 0.75]);
    close(t.frac.subarray(9, 12), [0, 0.5, 0]); // (1, 4.5, 0) = 0.5 b
    close(t.frac.subarray(2 * 12 + 6, 2 * 12 + 9), [0.52, 0, 0]); // 5.2e0 parsed
    expect(t.metadata.format).toBe('extxyz');
    expect(t.metadata.frameIntervalFs).toBe(2);
    expect(t.metadata.temperatureK).toBe(600);
    expect(t.metadata.sources.frameIntervalFs).toMatch(/Time=/);
    expect(t.segments).toEqual([{ file: fx('good.extxyz'), startFrame: 0, nFrames: 3 }]);
    expect(t.metadata.contentHash).toBe(createHash('sha256').update(readFileSync(fx('good.extxyz'))).digest('hex'));
    expect(t.warnings).toEqual([]);
  });

  it('defaults Properties to species:S:1:pos:R:3, stores a changing lattice per frame, reports missing Time/Temperature', async () => {
    const t = await readExtxyz(fx('default_props.xyz'));
    expect(t.nFrames).toBe(2);
    expect(t.species).toEqual(['Na', 'Cl']);
    expect(t.variableCell).toBe(true);
    expect(Array.from(latticeAt(t, 1))).toEqual([5.5, 0, 0, 0, 5, 0, 0, 0, 5]);
    close(t.frac.subarray(6, 9), [0.2, 0.4, 0.5]);
    expect(t.metadata.frameIntervalFs).toBeNull();
    expect(t.metadata.temperatureK).toBeNull();
    // Missing values stay null; the loader reports them after sidecar/flags had their say.
    expect(t.warnings).toEqual([]);
  });

  it('reads gzip by magic bytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-extxyz-'));
    const p = join(dir, 'traj.extxyz');
    writeFileSync(p, gzipSync(readFileSync(fx('good.extxyz'))));
    const a = await readExtxyz(fx('good.extxyz'));
    const b = await readExtxyz(p);
    expect(Array.from(b.frac)).toEqual(Array.from(a.frac));
  });

  it('parses comment lines: quotes, braces, bare flags, spaces around =', () => {
    const kv = parseCommentLine('Lattice="1 0 0 0 1 0 0 0 1" Properties=species:S:1:pos:R:3 Time = 5 flag pbc={T T F} name="a \\"q\\""');
    expect(kv.get('lattice')).toBe('1 0 0 0 1 0 0 0 1');
    expect(kv.get('properties')).toBe('species:S:1:pos:R:3');
    expect(kv.get('time')).toBe('5');
    expect(kv.get('flag')).toBe('T');
    expect(kv.get('pbc')).toBe('T T F');
    expect(kv.get('name')).toBe('a "q"');
  });

  it('sniffs extxyz but not XDATCAR or LAMMPS', () => {
    expect(sniffExtxyz(readFileSync(fx('good.extxyz'), 'latin1'))).toBe(true);
    expect(sniffExtxyz('2\nsome comment\nNa 0 0 0\nCl 1 1 1\n')).toBe(true);
    expect(sniffExtxyz('Li10GeP2S12\n   1.00000000000000\n     8.7 0 0\n')).toBe(false);
    expect(sniffExtxyz('ITEM: TIMESTEP\n0\n')).toBe(false);
  });
});

describe('readExtxyz: malformed input', () => {
  it('no Lattice → ParseError (periodic cell needed)', async () => {
    const f = fx('bad_no_lattice.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 2, frame: 0 }, /no Lattice=.*periodic cell/);
  });

  it('fewer atom lines than the count → ParseError at the first wrong line', async () => {
    const f = fx('bad_count_mismatch.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 5, frame: 0 }, /atom 3 of 3: line has 1 columns, expected 4.*fewer atom lines/);
  });

  it('truncated last frame → the complete frames and a warning; strict → ParseError', async () => {
    const f = fx('bad_truncated.extxyz');
    await expectReadError(readExtxyz(f, { allowTruncated: false }), ParseError, { file: f, line: 7, frame: 1 }, /ends inside frame 1.*after 1 of 2 atom lines/);
    const t = await readExtxyz(f);
    expect(t.nFrames).toBe(1);
    expect(t.warnings.join('\n')).toMatch(/incomplete frame was dropped/);
  });

  it('NaN position → ParseError naming the token', async () => {
    const f = fx('bad_nan.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 4, frame: 0 }, /position "nan" is not a finite number/);
  });

  it('atom count changing between frames → ParseError', async () => {
    const f = fx('bad_natoms_change.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 5, frame: 1 }, /frame has 1 atoms, but frame 0 has 2/);
  });

  it('atoms reordered between frames → ParseError', async () => {
    const f = fx('bad_species_swap.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 7, frame: 1 }, /atom 1 is Cl here but Na in frame 0/);
  });

  it('zero-volume Lattice → ParseError', async () => {
    const f = fx('bad_zero_volume.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 2, frame: 0 }, /zero volume/);
  });

  it('Properties without pos → ParseError', async () => {
    const f = fx('bad_no_pos.extxyz');
    await expectReadError(readExtxyz(f), ParseError, { file: f, line: 2, frame: 0 }, /lacks pos:R:3/);
  });

  it('binary garbage → ParseError on line 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-extxyz-'));
    const p = join(dir, 'garbage.xyz');
    writeFileSync(p, Buffer.from([0x00, 0xff, 0x13, 0x37, 0x0a, 0x01, 0x02]));
    await expectReadError(readExtxyz(p), ParseError, { file: p, line: 1, frame: 0 }, /expected the atom count/);
  });

  it('empty file → ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-extxyz-'));
    const p = join(dir, 'empty.xyz');
    writeFileSync(p, '');
    await expectReadError(readExtxyz(p), ParseError, { file: p, line: 1 }, /no frames/);
  });
});
