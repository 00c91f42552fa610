// Seeded mutations of the binary formats (XTC, TRR, ASE .traj) and the OUTCAR/CP2K text fixtures:
// every read either succeeds with finite numbers or fails with a typed error naming the file.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { IonsiftError } from '../../src/io/errors.js';
import { readXtc } from '../../src/io/xtc.js';
import { readTrr } from '../../src/io/trr.js';
import { readAseTraj } from '../../src/io/ase-traj.js';
import { readOutcarPositions } from '../../src/io/outcar.js';
import { readCp2kPos } from '../../src/io/cp2k.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { mulberry32 } from '../../src/analysis/random.js';

const fixtures = resolve(import.meta.dirname, '../fixtures/formats');


/** One mutation: flip bytes, overwrite a 4-byte word with an extreme value, cut, or duplicate a slice. */
function mutate(b: Buffer, r: () => number): Buffer {
  const out = Buffer.from(b);
  const at = Math.floor(r() * out.length);
  switch (Math.floor(r() * 4)) {
    case 0:
      for (let k = 0; k < 1 + Math.floor(r() * 4); k++) out[Math.floor(r() * out.length)] ^= 1 << Math.floor(r() * 8);
      return out;
    case 1: {
      const v = [0, 1, -1, 0x7fffffff, 0x80000000, 0xffffffff, 1995, 1993][Math.floor(r() * 8)];
      if (at + 4 <= out.length) out.writeUInt32BE(v >>> 0, at - (at % 4));
      return out;
    }
    case 2:
      return out.subarray(0, at);
    default:
      return Buffer.concat([out.subarray(0, at), out.subarray(Math.floor(r() * out.length))]);
  }
}

const CASES: { name: string; dir: string; file: string; companions: string[]; read: (p: string) => Promise<Trajectory> }[] = [
  { name: 'xtc', dir: 'gromacs', file: 'small.xtc', companions: ['small.gro'], read: (p) => readXtc(p) },
  { name: 'trr', dir: 'gromacs', file: 'small.trr', companions: ['small.gro'], read: (p) => readTrr(p) },
  { name: 'ase-traj', dir: 'ase', file: 'small.traj', companions: [], read: (p) => readAseTraj(p) },
  { name: 'outcar', dir: 'outcar', file: 'OUTCAR', companions: [], read: (p) => readOutcarPositions(p) },
  { name: 'cp2k-pos', dir: 'cp2k', file: 'LiO-pos-1.xyz', companions: ['LiO-1.cell'], read: (p) => readCp2kPos(p) },
];

describe('seeded mutations of the new formats: no crash, a located error or finite numbers', () => {
  for (const c of CASES) {
    it(`${c.name}: 120 mutations`, async () => {
      const d = mkdtempSync(join(tmpdir(), `ionsift-fuzz-${c.name}-`));
      for (const f of c.companions) copyFileSync(join(fixtures, c.dir, f), join(d, f));
      const good = readFileSync(join(fixtures, c.dir, c.file));
      const p = join(d, c.file);
      const r = mulberry32(17);
      let failed = 0;
      const t0 = Date.now();
      for (let k = 0; k < 120; k++) {
        writeFileSync(p, mutate(good, r));
        try {
          const t = await c.read(p);
          expect(t.nFrames).toBeGreaterThan(0);
          expect(t.frac.every(Number.isFinite), `mutation ${k}: non-finite coordinates accepted`).toBe(true);
          expect(t.lattice.every(Number.isFinite)).toBe(true);
        } catch (err) {
          failed++;
          expect(err, `mutation ${k}: ${String(err)}`).toBeInstanceOf(IonsiftError);
          expect((err as IonsiftError).message).toContain(d);
        }
      }
      expect(failed).toBeGreaterThan(12);
      expect(Date.now() - t0).toBeLessThan(20_000);
    }, 30_000);
  }
});
