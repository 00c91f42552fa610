// The number grammar through every text reader: tricky spellings give Number()'s doubles bit for
// bit, the Fortran D exponent is read everywhere, NaN/Inf/overflow are ParseErrors naming the line.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { readExtxyz } from '../../src/io/extxyz.js';
import { readLammpsDump } from '../../src/io/lammps.js';
import { readVasprun } from '../../src/io/vasprun.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { inverse3 } from '../../src/trajectory/lattice.js';
import { trickyNumbers } from './number-cases.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-numbers-'));
const put = (name: string, text: string) => {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
};
const reference = (s: string) => Number(s.replace(/[dD]/, 'e'));
const bits = (a: Float64Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** Finite spellings (as Number() reads them), three per atom; some with the D exponent. */
const values = trickyNumbers(3000, 99).filter((s) => Number.isFinite(reference(s))).slice(0, 2400)
  .map((s, i) => (i % 7 === 0 ? s.replace(/e/, 'D') : s));
const nAtoms = values.length / 3;
const rows = Array.from({ length: nAtoms }, (_, i) => values.slice(3 * i, 3 * i + 3).join(' '));
const expected = Float64Array.from(values, reference);

/** Each reader's file with the coordinates `rows` (fractional, or Cartesian in a unit cube for extxyz). */
const WRITERS: Record<string, (rows: string[]) => string> = {
  xdatcar: (r) => `tricky\n1.0\n1 0 0\n0 1 0\n0 0 1\nLi\n${r.length}\nDirect configuration=     1\n${r.join('\n')}\n`,
  extxyz: (r) => `${r.length}\nLattice="1 0 0 0 1 0 0 0 1" Properties=species:S:1:pos:R:3\n${r.map((x) => `Li ${x}`).join('\n')}\n`,
  lammps: (r) => 'ITEM: TIMESTEP\n0\nITEM: NUMBER OF ATOMS\n' + `${r.length}\nITEM: BOX BOUNDS pp pp pp\n0 1\n0 1\n0 1\nITEM: ATOMS id element xs ys zs\n` +
    `${r.map((x, i) => `${i + 1} Li ${x}`).join('\n')}\n`,
  vasprun: (r) => '<?xml version="1.0"?>\n<modeling>\n <atominfo>\n  <atoms>' + ` ${r.length} </atoms>\n  <array name="atoms">\n   <set>\n` +
    `${r.map(() => '    <rc><c>Li</c><c>1</c></rc>').join('\n')}\n   </set>\n  </array>\n </atominfo>\n <calculation>\n  <structure>\n` +
    '   <crystal>\n    <varray name="basis">\n     <v> 1 0 0 </v>\n     <v> 0 1 0 </v>\n     <v> 0 0 1 </v>\n    </varray>\n   </crystal>\n' +
    `   <varray name="positions">\n${r.map((x) => `    <v> ${x} </v>`).join('\n')}\n   </varray>\n  </structure>\n </calculation>\n</modeling>\n`,
};
const READERS: Record<string, (p: string) => Promise<Trajectory>> = {
  xdatcar: (p) => readXdatcar(p),
  extxyz: (p) => readExtxyz(p),
  lammps: (p) => readLammpsDump(p),
  vasprun: (p) => readVasprun(p),
};
/** Where the first coordinate row is, 1-based, in each writer's file. */
const FIRST_ROW_LINE: Record<string, number> = { xdatcar: 9, extxyz: 3, lammps: 10, vasprun: 0 };

describe.each(Object.keys(WRITERS))('%s reader and the number grammar', (fmt) => {
  it('reads every tricky spelling to the double Number() gives (bit for bit), D exponents included', async () => {
    const t = await READERS[fmt](put(`tricky.${fmt}`, WRITERS[fmt](rows)));
    let want = expected;
    if (fmt === 'extxyz') {
      // Cartesian in a unit cell: the reader multiplies by the inverse lattice, as here.
      const Li = inverse3(Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1));
      want = expected.map((_, k) => {
        const o = k - (k % 3), j = k % 3;
        return expected[o] * Li[j] + expected[o + 1] * Li[3 + j] + expected[o + 2] * Li[6 + j];
      });
    }
    expect(t.nAtoms).toBe(nAtoms);
    expect(bits(t.frac).equals(bits(want))).toBe(true);
  });

  it.each(['nan', '-Infinity', 'inf', '1e400', '0x10', '1.5.2'])('refuses %s with a ParseError naming the file and line', async (bad) => {
    const r = rows.slice(0, 4);
    r[2] = `0.5 ${bad} 0.25`;
    const p = put(`bad.${fmt}`, WRITERS[fmt](r));
    const err = await READERS[fmt](p).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    const pe = err as ParseError;
    expect(pe.file).toBe(p);
    if (fmt !== 'vasprun') expect(pe.line).toBe(FIRST_ROW_LINE[fmt] + 2);
    else expect(pe.message).toContain(bad);
  });
});
