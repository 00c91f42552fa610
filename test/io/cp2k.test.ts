import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCp2kPos } from '../../src/io/cp2k.js';
import { parseInputCell } from '../../src/io/cp2k-cell.js';
import { MetadataError, ParseError } from '../../src/io/errors.js';
import { detectFormat } from '../../src/io/registry.js';
import { discoverInFolder } from '../../src/io/load.js';
import { run as inspect } from '../../src/cli/inspect.js';
import { captureRun } from '../helpers/cli.js';
import { expectReadError } from '../helpers/errors.js';

const fx = (n: string) => resolve(import.meta.dirname, '../fixtures/formats/cp2k', n);
const pos = readFileSync(fx('LiO-pos-1.xyz'), 'latin1');

/** A folder holding LiO-pos-1.xyz (`body`) and the given extra files. */
function folder(body: string, extra: Record<string, string>): string {
  const d = mkdtempSync(join(tmpdir(), 'ionsift-cp2k-'));
  writeFileSync(join(d, 'LiO-pos-1.xyz'), body);
  for (const [n, t] of Object.entries(extra)) writeFileSync(join(d, n), t);
  return join(d, 'LiO-pos-1.xyz');
}

describe('CP2K *-pos-1.xyz', () => {
  it('reads positions with the per-step cell of LiO-1.cell and the interval from time =', async () => {
    const t = await readCp2kPos(fx('LiO-pos-1.xyz'));
    expect(t.metadata.format).toBe('cp2k-pos');
    expect([t.nFrames, t.nAtoms, t.species, t.counts]).toEqual([3, 3, ['Li', 'O'], [2, 1]]);
    expect(t.variableCell).toBe(true);
    expect(t.lattice[9]).toBeCloseTo(8.1, 12); // frame 1's a
    // Frame 2, atom 0 at x = 1.2 Å in a cell with a = 8.2 Å.
    expect(t.frac[2 * 9]).toBeCloseTo(1.2 / 8.2, 12);
    expect(t.metadata.frameIntervalFs).toBe(5);
    expect((await detectFormat(fx('LiO-pos-1.xyz'))).name).toBe('cp2k-pos');
    const r = await captureRun(inspect, [fx('LiO-pos-1.xyz'), '--json']);
    expect(JSON.parse(r.out)).toMatchObject({ format: 'cp2k-pos', n_frames: 3, species: { Li: 2, O: 1 }, frame_interval_fs: 5 });
  });

  it('takes the cell from the input &CELL (ABC + ALPHA_BETA_GAMMA, or A B C in bohr)', async () => {
    const inp = '&GLOBAL\n  PROJECT LiO\n&END GLOBAL\n&FORCE_EVAL\n &SUBSYS\n  &CELL\n   ABC [angstrom] 8 9 10\n   ALPHA_BETA_GAMMA 90 90 120\n  &END CELL\n &END SUBSYS\n&END FORCE_EVAL\n';
    const t = await readCp2kPos(folder(pos, { 'md.inp': inp }));
    expect(t.variableCell).toBe(false);
    expect(t.lattice[3]).toBeCloseTo(9 * Math.cos((2 * Math.PI) / 3), 12);
    expect(t.lattice[4]).toBeCloseTo(9 * Math.sin((2 * Math.PI) / 3), 12);
    const L = parseInputCell('x.inp', '&CELL\n A [bohr] 10 0 0\n B [bohr] 0 10 0\n C [bohr] 0 0 10 ! cubic\n&END CELL\n');
    expect(L![0]).toBeCloseTo(5.29177210903, 10);
    expect(() => parseInputCell('x.inp', '&CELL\n ABC [nm] 1 1 1\n&END CELL\n')).toThrow(/x\.inp, line 2: ABC in \[nm\]/);
  });

  it('bad input: no cell, a missing cell row, a truncated frame, a changed atom order', async () => {
    const none = folder(pos, {});
    await expectReadError(readCp2kPos(none), MetadataError, { file: none }, /no cell for this CP2K trajectory: expected LiO-1\.cell/);
    const cell = readFileSync(fx('LiO-1.cell'), 'latin1');
    const gap = folder(pos, { 'LiO-1.cell': cell.split('\n').filter((l) => !/^\s+10\s/.test(l)).join('\n') });
    await expectReadError(readCp2kPos(gap), ParseError, { file: gap, line: 7, frame: 1 }, /no row for step 10/);
    const cut = folder(pos.split('\n').slice(0, 13).join('\n') + '\n', { 'LiO-1.cell': cell });
    await expectReadError(readCp2kPos(cut), ParseError, { file: cut, frame: 2 }, /ends inside frame 2.*after 1 of 3 atom lines/);
    expect((await readCp2kPos(cut, { allowTruncated: true })).nFrames).toBe(2);
    const swapped = folder(pos.replace(/(\n\s+i =\s+10[^\n]*\n)\s+Li/, '$1  Na'), { 'LiO-1.cell': cell });
    await expectReadError(readCp2kPos(swapped), ParseError, { file: swapped, line: 8, frame: 1 }, /atom 0 is "Na" but "Li" in frame 0/);
    const nan = folder(pos.replace('1.1000000000', 'abc'), { 'LiO-1.cell': cell });
    await expectReadError(readCp2kPos(nan), ParseError, { file: nan, line: 8, frame: 1 }, /not three numbers/);
  });

  it('discovery lists the positions, not the velocities and forces beside them', async () => {
    const p = folder(pos, { 'LiO-1.cell': readFileSync(fx('LiO-1.cell'), 'latin1') });
    const d = resolve(p, '..');
    copyFileSync(p, join(d, 'LiO-vel-1.xyz'));
    copyFileSync(p, join(d, 'LiO-frc-1.xyz'));
    expect((await discoverInFolder(d)).map((t) => t.name)).toEqual(['LiO-pos-1.xyz']);
  });
});
