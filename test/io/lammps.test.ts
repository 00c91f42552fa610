import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MetadataError, ParseError } from '../../src/io/errors.js';
import { lammpsBoxToLattice, readLammpsDump, sniffLammpsDump } from '../../src/io/lammps.js';
import { fracToCart, volume } from '../../src/trajectory/lattice.js';
import { expectReadError, fx } from './formats-helpers.js';

const close = (a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-12) => {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}: ${a[i]} vs ${b[i]}`).toBeLessThan(tol);
};

// Cell used by the triclinic fixtures: a = (10,0,0), b = (2,9,0), c = (-1,1.5,8), origin (0.5,-1,2);
// the dump holds its bounding box: x -0.5..12.5, y -1..9.5, z 2..10, tilts xy=2 xz=-1 yz=1.5.
const TRI_LATTICE = [10, 0, 0, 2, 9, 0, -1, 1.5, 8];

describe('lammpsBoxToLattice', () => {
  it('converts a triclinic bounding box to lattice rows and origin (LAMMPS how-to formulas)', () => {
    const { lattice, origin } = lammpsBoxToLattice('tri', [-0.5, 12.5, 2, -1, 9.5, -1, 2, 10, 1.5]);
    close(lattice, TRI_LATTICE);
    close(origin, [0.5, -1, 2]);
    expect(volume(lattice)).toBeCloseTo(720, 12);
    // The known point frac (0.25, 0.5, 0.75) sits at origin + 0.25a + 0.5b + 0.75c = (3.25, 4.625, 8).
    const out = new Float64Array(3);
    fracToCart(lattice, 0.25, 0.5, 0.75, out, 0);
    close([out[0] + origin[0], out[1] + origin[1], out[2] + origin[2]], [3.25, 4.625, 8]);
  });

  it('orthogonal and general (abc origin) boxes', () => {
    const o = lammpsBoxToLattice('ortho', [1, 11, 0, -2, 8, 0, 0, 5, 0]);
    close(o.lattice, [10, 0, 0, 0, 10, 0, 0, 0, 5]);
    close(o.origin, [1, -2, 0]);
    const g = lammpsBoxToLattice('general', [5, 1, 0, 0.5, 0, 6, 0, 0.25, 0, 1, 7, 0]);
    close(g.lattice, [5, 1, 0, 0, 6, 0, 0, 1, 7]);
    close(g.origin, [0.5, 0.25, 0]);
  });
});

describe('readLammpsDump', () => {
  it('triclinic box + type column + typeMap: right lattice, volume and fractional positions; atoms sorted by id', async () => {
    const t = await readLammpsDump(fx('tri_types.lammpstrj'), { typeMap: { 1: 'Li', 2: 'S' } });
    expect(t.nFrames).toBe(2);
    expect(t.nAtoms).toBe(3);
    close(t.lattice, TRI_LATTICE);
    expect(volume(t.lattice)).toBeCloseTo(720, 10);
    expect(t.variableCell).toBe(false);
    expect(t.species).toEqual(['Li', 'S']);
    expect(t.counts).toEqual([2, 1]);
    expect(Array.from(t.speciesOf)).toEqual([0, 1, 0]); // ids 1, 2, 3
    // id 1 at (3.25, 4.625, 8) = known point (0.25, 0.5, 0.75); id 2 at the origin; id 3 = origin + 0.5a.
    close(t.frac.subarray(0, 9), [0.25, 0.5, 0.75, 0, 0, 0, 0.5, 0, 0]);
    close(t.frac.subarray(9, 18), [0.26, 0.5, 0.75, 0, 0, 0, 0.51, 0, 0]);
    expect(t.metadata.format).toBe('lammps-dump');
    expect(t.metadata.stepsPerFrame).toBe(200);
    expect(t.metadata.frameIntervalFs).toBeNull();
    expect(t.metadata.timestepFs).toBeNull();
    expect(t.segments).toEqual([{ file: fx('tri_types.lammpstrj'), startFrame: 0, nFrames: 2 }]);
    expect(t.metadata.contentHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('elements (type order) works like typeMap, and hash receives the raw bytes', async () => {
    const h = createHash('sha256');
    const t = await readLammpsDump(fx('tri_types.lammpstrj'), { elements: ['Li', 'S'], hash: h });
    expect(t.species).toEqual(['Li', 'S']);
    const want = createHash('sha256').update(readFileSync(fx('tri_types.lammpstrj'))).digest('hex');
    expect(h.digest('hex')).toBe(want);
    expect(t.metadata.contentHash).toBe(want);
  });

  it('timestepFs × step stride gives the frame interval', async () => {
    const t = await readLammpsDump(fx('tri_types.lammpstrj'), { typeMap: { 1: 'Li', 2: 'S' }, timestepFs: 2 });
    expect(t.metadata.timestepFs).toBe(2);
    expect(t.metadata.frameIntervalFs).toBe(400);
  });

  it('scaled coordinates with image flags, triclinic', async () => {
    const t = await readLammpsDump(fx('tri_scaled_images.lammpstrj'), { typeMap: { 1: 'Na', 2: 'Cl' }, timestepFs: 1 });
    close(t.frac.subarray(0, 6), [0.25, 0.5, 0.75, 0.9, 0.1, 0.5]);
    close(t.frac.subarray(6, 12), [0.25, 0.5, 0.75, 1.05, 0.1, -0.5]);
    expect(t.metadata.stepsPerFrame).toBe(10);
    expect(t.metadata.frameIntervalFs).toBe(10);
  });

  it('element column + unwrapped xu yu zu; element wins over typeMap; ITEM: TIME + UNITS metal give the interval', async () => {
    const t = await readLammpsDump(fx('ortho_element.lammpstrj'), { typeMap: { 1: 'Na' } });
    expect(t.species).toEqual(['Li', 'O']);
    expect(Array.from(t.speciesOf)).toEqual([0, 1, 0]);
    // Unwrapped positions stay outside [0, 1): id 1 crosses x = 10.
    close(t.frac.subarray(0, 3), [0.99, 0.5, 0.5]);
    close(t.frac.subarray(9, 12), [1.01, 0.5, 0.5]);
    close(t.frac.subarray(18 + 6, 18 + 9), [0.2, 0.2, -0.07]);
    expect(t.metadata.frameIntervalFs).toBeCloseTo(100, 9); // 0.1 ps
    expect(t.metadata.timestepFs).toBeCloseTo(1, 9);
    expect(t.warnings.join('\n')).toMatch(/element column wins/);
  });

  it('sniffs LAMMPS dumps only', () => {
    expect(sniffLammpsDump(readFileSync(fx('tri_types.lammpstrj'), 'latin1'))).toBe(true);
    expect(sniffLammpsDump(readFileSync(fx('ortho_element.lammpstrj'), 'latin1'))).toBe(true);
    expect(sniffLammpsDump(readFileSync(fx('good.extxyz'), 'latin1'))).toBe(false);
  });
});

describe('readLammpsDump: malformed input', () => {
  it('unknown atom type without a type→element map → MetadataError saying to pass one', async () => {
    const f = fx('tri_types.lammpstrj');
    await expectReadError(readLammpsDump(f), MetadataError, { file: f, frame: 0 }, /atom types 1, 2 have no element.*pass one.*typeMap/i);
    await expectReadError(readLammpsDump(f, { typeMap: { 1: 'Li' } }), MetadataError, { file: f, line: 1, frame: 0 }, /atom type 2 has no element/);
  });

  it('truncated last frame → the complete frames (and a warning); strict → ParseError', async () => {
    const f = fx('bad_truncated.lammpstrj');
    const map = { typeMap: { 1: 'Li', 2: 'S' } };
    await expectReadError(readLammpsDump(f, { ...map, allowTruncated: false }), ParseError, { file: f, line: 22, frame: 1 }, /ends inside frame 1.*after 1 of 3 atom lines/);
    const t = await readLammpsDump(f, map);
    expect(t.warnings.join('\n')).toMatch(/bad_truncated\.lammpstrj: file ends inside frame 1 .*incomplete frame was dropped/);
    expect(t.nFrames).toBe(1);
    expect(t.lattice.length).toBe(9);
  });

  it('NaN position → ParseError', async () => {
    const f = fx('bad_nan.lammpstrj');
    await expectReadError(readLammpsDump(f, { typeMap: { 1: 'Li', 2: 'S' } }), ParseError, { file: f, line: 23, frame: 1 }, /"NaN" is not a finite number/);
  });

  it('fewer atom lines than NUMBER OF ATOMS → ParseError at the next ITEM line', async () => {
    const f = fx('bad_count.lammpstrj');
    await expectReadError(readLammpsDump(f, { typeMap: { 1: 'Li' } }), ParseError, { file: f, line: 12, frame: 0 }, /atom line 3 of 3 has 2 columns.*fewer atom lines/);
  });

  it('an atom id absent from frame 0 → ParseError', async () => {
    const f = fx('bad_id_missing.lammpstrj');
    await expectReadError(readLammpsDump(f, { typeMap: { 1: 'Li' } }), ParseError, { file: f, frame: 1 }, /atom id 7 is not among the ids of frame 0/);
  });
});
