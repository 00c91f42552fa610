import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readExtxyz } from '../../src/io/extxyz.js';
import { readVasprun } from '../../src/io/vasprun.js';
import { writeExtxyz } from '../../src/io/write-extxyz.js';
import { elementsOf, emptyMetadata, type Trajectory } from '../../src/trajectory/types.js';
import { hasRealData, realCase } from '../helpers/real.js';
import { fx } from './formats-helpers.js';

/** A small NPT trajectory: triclinic, changing cell, non-contiguous species, coordinates outside [0,1). */
function synthetic(): Trajectory {
  const nFrames = 5, nAtoms = 7;
  const frac = new Float64Array(nFrames * nAtoms * 3);
  let s = 12345;
  const rnd = () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648);
  for (let i = 0; i < frac.length; i++) frac[i] = rnd() * 1.4 - 0.2;
  frac[3] = -1e-17; // wraps to 1 - 1e-17 == 1.0 in doubles: must come out as 0
  const lattice = new Float64Array(nFrames * 9);
  for (let f = 0; f < nFrames; f++) lattice.set([10.123456789 + 0.01 * f, 0, 0, 1.1, 9.87654321, 0, -0.7, 0.3333333333333333, 8.5 - 0.02 * f], f * 9);
  const metadata = emptyMetadata('synthetic');
  metadata.frameIntervalFs = 2.5;
  metadata.temperatureK = 650;
  return {
    nFrames, nAtoms, species: ['Li', 'P', 'S'], counts: [3, 1, 3],
    speciesOf: Uint16Array.from([0, 2, 0, 1, 2, 2, 0]), frac, lattice, variableCell: true,
    segments: [{ file: 'mem', startFrame: 0, nFrames }], discontinuities: [], metadata, warnings: [],
  };
}

const wrap = (x: number) => {
  const w = x - Math.floor(x);
  return w >= 1 ? 0 : w;
};

/** Largest |Δ| between fractional coordinates, modulo 1 (wrapped output vs unwrapped input). */
function maxWrappedDiff(a: Float64Array, b: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    let d = Math.abs(wrap(a[i]) - b[i]);
    d = Math.min(d, 1 - d);
    m = Math.max(m, d);
  }
  return m;
}

describe('Trajectory → writeExtxyz → readExtxyz', () => {
  for (const name of ['rt.extxyz', 'rt.extxyz.gz']) {
    it(`is the identity within float precision (${name})`, async () => {
      const t = synthetic();
      const p = join(mkdtempSync(join(tmpdir(), 'ionsift-rt-')), name);
      await writeExtxyz(t, p);
      if (name.endsWith('.gz')) expect(readFileSync(p).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      const r = await readExtxyz(p);
      expect(r.nFrames).toBe(t.nFrames);
      expect(r.nAtoms).toBe(t.nAtoms);
      // extxyz has no species-order field: species are numbered by first appearance (Li, S, P here),
      // so the invariant is the element of every atom and the count per element.
      expect(elementsOf(r)).toEqual(elementsOf(t));
      expect(r.species).toEqual(['Li', 'S', 'P']);
      expect(r.counts).toEqual([3, 3, 1]);
      expect(r.variableCell).toBe(true);
      expect(Array.from(r.lattice)).toEqual(Array.from(t.lattice)); // shortest round-trip text: exact
      expect(maxWrappedDiff(t.frac, r.frac)).toBeLessThan(1e-14);
      for (let i = 0; i < r.frac.length; i++) {
        expect(r.frac[i]).toBeGreaterThan(-1e-14);
        expect(r.frac[i]).toBeLessThan(1 + 1e-14);
      }
      expect(r.metadata.frameIntervalFs).toBe(2.5);
      expect(r.metadata.temperatureK).toBe(650);
      expect(r.warnings).toEqual([]);
    });
  }

  it('wrap: false keeps unwrapped coordinates', async () => {
    const t = synthetic();
    const p = join(mkdtempSync(join(tmpdir(), 'ionsift-rt-')), 'raw.extxyz');
    await writeExtxyz(t, p, { wrap: false });
    const r = await readExtxyz(p);
    let m = 0;
    for (let i = 0; i < t.frac.length; i++) m = Math.max(m, Math.abs(t.frac[i] - r.frac[i]));
    expect(m).toBeLessThan(1e-14);
  });

  it('a vasprun.xml read, written as extxyz and read back keeps frames, cell and species', async () => {
    const src = hasRealData ? realCase('format_vasp_md_outputs_xdatbus/vasprun.xml') : fx('small_npt.vasprun.xml');
    const t = await readVasprun(src);
    const p = join(mkdtempSync(join(tmpdir(), 'ionsift-rt-')), 'from-vasprun.extxyz');
    await writeExtxyz(t, p);
    const r = await readExtxyz(p);
    expect(r.nFrames).toBe(t.nFrames);
    expect(r.species).toEqual(t.species);
    expect(r.counts).toEqual(t.counts);
    expect(Array.from(r.lattice)).toEqual(Array.from(t.lattice));
    expect(maxWrappedDiff(t.frac, r.frac)).toBeLessThan(1e-14);
    expect(r.metadata.frameIntervalFs).toBe(t.metadata.frameIntervalFs);
  });

  it('writing into a missing directory rejects', async () => {
    await expect(writeExtxyz(synthetic(), join(tmpdir(), 'no-such-dir-ionsift', 'x.extxyz'))).rejects.toThrow(/ENOENT/);
  });
});
