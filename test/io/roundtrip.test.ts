// write XDATCAR (src/io/write-xdatcar.ts) → read back: identical within the written precision.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeXdatcar } from '../../src/io/write-xdatcar.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-rt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasRealData)(`XDATCAR round trip (${realDataSkipReason})`, () => {
  it.each(['plain', 'gz'])('writes and reads back a real trajectory (%s)', async (kind) => {
    const t = await readXdatcar(realCase('argyrodite_li6ps5cl_50p_500k/run1_actual_XDATCAR.gz'));
    const out = join(dir, kind === 'gz' ? 'XDATCAR.gz' : 'XDATCAR');
    await writeXdatcar(t, out);
    const r = await readXdatcar(out);
    expect([r.nFrames, r.nAtoms, r.species, r.counts]).toEqual([t.nFrames, t.nAtoms, t.species, t.counts]);
    let worst = 0;
    for (let i = 0; i < t.frac.length; i++) {
      const d = r.frac[i] - t.frac[i];
      worst = Math.max(worst, Math.abs(d - Math.round(d))); // 0.999999999 may be written as 0.00000000
    }
    expect(worst).toBeLessThan(1e-8);
    for (let i = 0; i < 9; i++) expect(r.lattice[i]).toBeCloseTo(t.lattice[i], 6);
  });
});
