import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { loadTrajectory } from '../../src/io/load.js';
import { volume } from '../../src/trajectory/lattice.js';
import { latticeAt } from '../../src/trajectory/types.js';

const fx = (name: string) => resolve(import.meta.dirname, '../fixtures/xdatcar', name);

function expectClose(a: ArrayLike<number>, b: ArrayLike<number>, tol = 1e-9): void {
  expect(a.length).toBe(b.length);
  for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i]), `index ${i}`).toBeLessThan(tol);
}

describe('readXdatcar', () => {
  it('reads a VASP 5 Direct file with a scale factor', async () => {
    const t = await readXdatcar(fx('direct.XDATCAR'));
    expect(t.nFrames).toBe(3);
    expect(t.nAtoms).toBe(3);
    expect(t.species).toEqual(['Li', 'O']);
    expect(t.counts).toEqual([2, 1]);
    expect(Array.from(t.speciesOf)).toEqual([0, 0, 1]);
    expect(t.variableCell).toBe(false);
    expectClose(t.lattice, [6, 0, 0, 1.5, 7.5, 0, 0.75, 0.75, 9]);
    expect(t.frac[3 * 3 + 2]).toBeCloseTo(0.31, 12); // frame 1, atom 0, z
    expect(t.metadata.format).toBe('xdatcar');
    expect(t.metadata.title).toBe('direct fixture');
    expect(t.segments).toEqual([{ file: fx('direct.XDATCAR'), startFrame: 0, nFrames: 3 }]);
  });

  it('converts Cartesian frames (scaled, triclinic) to the same fractional coordinates', async () => {
    const d = await readXdatcar(fx('direct.XDATCAR'));
    const c = await readXdatcar(fx('cartesian.XDATCAR'));
    expectClose(c.frac, d.frac, 1e-9);
    expectClose(c.lattice, d.lattice);
  });

  it('treats a negative scale as the target volume', async () => {
    const t = await readXdatcar(fx('negative_scale.XDATCAR'));
    expect(volume(t.lattice)).toBeCloseTo(405, 9);
    const d = await readXdatcar(fx('direct.XDATCAR'));
    expectClose(t.lattice, d.lattice, 1e-9);
  });

  it('accepts CRLF, blank lines between frames and no final newline', async () => {
    const t = await readXdatcar(fx('crlf_blank_lines.XDATCAR'));
    const d = await readXdatcar(fx('direct.XDATCAR'));
    expect(t.nFrames).toBe(3);
    expect(t.frac).toEqual(d.frac);
  });

  it('reads a variable-cell (NPT) file with a header per frame', async () => {
    const t = await readXdatcar(fx('npt.XDATCAR'));
    expect(t.nFrames).toBe(3);
    expect(t.variableCell).toBe(true);
    expect(t.lattice.length).toBe(27);
    expect([0, 1, 2].map((f) => latticeAt(t, f)[0])).toEqual([5.0, 5.1, 5.2]);
    expect(t.segments.length).toBe(1);
    expect(t.discontinuities).toEqual([]);
  });

  it('continues across runs concatenated in one file and records them as segments', async () => {
    const t = await readXdatcar(fx('concatenated.XDATCAR'));
    expect(t.nFrames).toBe(7);
    expect(t.variableCell).toBe(false);
    expect(t.segments.map((s) => [s.startFrame, s.nFrames])).toEqual([[0, 4], [4, 3]]);
    expect(t.discontinuities).toEqual([]);
    expect(t.warnings.join('\n')).toMatch(/2 runs/);
  });

  it('reports a discontinuity where a concatenated run does not continue the previous one', async () => {
    const t = await readXdatcar(fx('concatenated_jump.XDATCAR'));
    expect(t.discontinuities.map((d) => d.frame)).toEqual([4]);
    expect(t.discontinuities[0].rmsStepA).toBeGreaterThan(2 * t.discontinuities[0].typicalStepA);
    expect(t.warnings.join('\n')).toMatch(/discontinuity at frame 4/);
  });

  it('takes element names for a VASP 4 header from the caller', async () => {
    const t = await readXdatcar(fx('vasp4/XDATCAR'), { elements: ['Li', 'O'] });
    expect(t.species).toEqual(['Li', 'O']);
  });

  it('finds element names for a VASP 4 header in the POTCAR beside it', async () => {
    const t = await loadTrajectory(fx('vasp4'));
    expect(t.species).toEqual(['Li', 'O']);
    expect(t.counts).toEqual([2, 1]);
  });

  it('parses identically with tiny read chunks (lines split across chunks)', async () => {
    const a = await readXdatcar(fx('npt.XDATCAR'));
    const b = await readXdatcar(fx('npt.XDATCAR'), { chunkSize: 3 });
    expect(b.frac).toEqual(a.frac);
    expect(b.lattice).toEqual(a.lattice);
  });
});
