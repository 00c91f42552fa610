import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readOutcarPositions } from '../../src/io/outcar.js';
import { readVasprun } from '../../src/io/vasprun.js';
import { ParseError } from '../../src/io/errors.js';
import { detectFormat } from '../../src/io/registry.js';
import { discoverInFolder, loadTrajectory } from '../../src/io/load.js';
import { expectReadError } from '../helpers/errors.js';
import { realCase, realDataSkipReason } from '../helpers/real.js';

const good = resolve(import.meta.dirname, '../fixtures/formats/outcar/OUTCAR');
const text = readFileSync(good, 'latin1');

/** `body` written as OUTCAR in a fresh folder. */
function outcar(body: string): string {
  const d = mkdtempSync(join(tmpdir(), 'ionsift-outcar-'));
  writeFileSync(join(d, 'OUTCAR'), body);
  return join(d, 'OUTCAR');
}

describe('VASP OUTCAR positions', () => {
  it('reads the hand-made OUTCAR: species, Cartesian → fractional, POTIM × step spacing, TEBEG', async () => {
    const t = await readOutcarPositions(good);
    expect(t.metadata.format).toBe('outcar');
    expect([t.nFrames, t.nAtoms, t.species, t.counts]).toEqual([3, 3, ['Li', 'O'], [2, 1]]);
    expect(Array.from(t.lattice)).toEqual([8, 0, 0, 0, 9, 0, 0, 0, 10]);
    // Frame 2, atom 1 at (4.0, 5.4, 6.0) Å in an 8 × 9 × 10 Å cell.
    const p = (2 * 3 + 1) * 3;
    expect(t.frac[p]).toBeCloseTo(0.5, 12);
    expect(t.frac[p + 1]).toBeCloseTo(0.6, 12);
    expect(t.frac[p + 2]).toBeCloseTo(0.6, 12);
    // NBLOCK = 5 in the header does not apply: OUTCAR prints every ionic step (1, 2, 3 here).
    expect(t.metadata.frameIntervalFs).toBe(2);
    expect(t.metadata.temperatureK).toBe(600);
    expect((await loadTrajectory(good)).metadata.frameIntervalFs).toBe(2);
    expect((await detectFormat(good)).name).toBe('outcar');
  });

  it('blocks printed for every 10th step (NWRITE, ML_OUTBLOCK) give 10 × POTIM; uneven steps give none', async () => {
    const every10 = text.replace(/Iteration {6}(\d)\(/g, (_, k: string) => `Iteration ${String(10 * Number(k)).padStart(6)}(`);
    expect((await readOutcarPositions(outcar(every10))).metadata.frameIntervalFs).toBe(20);
    const uneven = text.replace(/Iteration {6}3\(/g, 'Iteration      7(');
    const u = await readOutcarPositions(outcar(uneven));
    expect(u.metadata.frameIntervalFs).toBeNull();
    expect(u.warnings.join()).toMatch(/unevenly spaced ionic steps \(1, 2, 7\)/);
    // A machine-learned force-field run: no electronic iterations; ML_OUTBLOCK thins the output.
    const ml = text.replace(/^-+ Iteration.*\n/gm, '').replace('   NBLOCK = 5\n', '   NBLOCK = 5\n   ML_LMLFF = T\n   ML_MODE = run\n   ML_OUTBLOCK = 10\n');
    const m = await readOutcarPositions(outcar(ml));
    expect(m.metadata.frameIntervalFs).toBe(20);
    expect(m.metadata.sources.frameIntervalFs).toMatch(/ML_OUTBLOCK/);
    const none = await readOutcarPositions(outcar(text.replace(/^-+ Iteration.*\n/gm, '')));
    expect(none.metadata.frameIntervalFs).toBeNull();
    expect(none.warnings.join()).toMatch(/no "Iteration" lines/);
    // …and the loader does not fill the gap with NBLOCK from the same OUTCAR.
    expect((await loadTrajectory(outcar(text.replace(/^-+ Iteration.*\n/gm, '')))).metadata.frameIntervalFs).toBeNull();
  });

  it('a cell printed anew before a block (NPT) is that frame\'s cell', async () => {
    const k = text.lastIndexOf('direct lattice vectors');
    const npt = text.slice(0, k) + text.slice(k).replace('    8.000000000  0.000000000', '    8.200000000  0.000000000');
    const t = await readOutcarPositions(outcar(npt));
    expect(t.variableCell).toBe(true);
    expect([t.lattice[0], t.lattice[9], t.lattice[18]]).toEqual([8, 8, 8.2]);
    expect(t.frac[2 * 9]).toBeCloseTo(1.2 / 8.2, 12);
  });

  it('bad input names file, line and frame', async () => {
    const lines = text.split('\n');
    const last = lines.lastIndexOf(lines.find((l) => /^\s+0\.50000\s+0\.50000\s+0\.70000/.test(l))!);
    const cut = outcar(lines.slice(0, last).join('\n') + '\n');
    await expectReadError(readOutcarPositions(cut), ParseError, { file: cut, frame: 2 }, /file ends inside frame 2.*after 2 of 3 atom lines: truncated/);
    const kept = await readOutcarPositions(cut, { allowTruncated: true });
    expect(kept.nFrames).toBe(2);
    const nan = outcar(text.replace('      4.00000      5.20000', '      4.00000      NaN    '));
    const bad = await expectReadError(readOutcarPositions(nan), ParseError, { file: nan, frame: 1 }, /does not start with three numbers/);
    expect(bad.line).toBe(text.split('\n').findIndex((l) => l.startsWith('      4.00000      5.20000')) + 1);
    const short = outcar(text.replace('ions per type =               2   1', 'ions per type =               3   1'));
    await expectReadError(readOutcarPositions(short), ParseError, { file: short, frame: 0 }, /positions block ends after 3 atom lines; expected 4/);
    const noTypes = outcar(text.replace(/ions per type.*\n/, ''));
    await expectReadError(readOutcarPositions(noTypes), ParseError, { file: noTypes }, /no valid "ions per type"/);
  });

  it('discovery: an OUTCAR alone is a trajectory; beside another trajectory file it is metadata', async () => {
    const d = mkdtempSync(join(tmpdir(), 'ionsift-outcar-disc-'));
    mkdirSync(join(d, 'alone'));
    writeFileSync(join(d, 'alone', 'OUTCAR'), text);
    expect((await discoverInFolder(join(d, 'alone'))).map((t) => t.name)).toEqual(['OUTCAR']);
    mkdirSync(join(d, 'with'));
    writeFileSync(join(d, 'with', 'OUTCAR'), text);
    writeFileSync(join(d, 'with', 'run.extxyz'), '1\nLattice="1 0 0 0 1 0 0 0 1"\nLi 0 0 0\n');
    expect((await discoverInFolder(join(d, 'with'))).map((t) => t.name)).toEqual(['run.extxyz']);
  });

  const vasp = realCase('format_vasp_md_outputs_xdatbus');
  it.skipIf(!existsSync(vasp))(`real OUTCAR with NWRITE = 0 (steps 1 and 10 only) matches vasprun.xml frames 0 and 9 (${realDataSkipReason})`, async () => {
    const t = await readOutcarPositions(join(vasp, 'OUTCAR'));
    const v = await readVasprun(join(vasp, 'vasprun.xml'));
    expect([t.nFrames, t.nAtoms, t.species, t.counts]).toEqual([2, 145, ['Si', 'H', 'C', 'N', 'O'], [30, 41, 3, 1, 70]]);
    expect(t.metadata.frameIntervalFs).toBe(9); // POTIM 1 fs × 9 steps between the two blocks
    for (const [fo, fv] of [[0, 0], [1, 9]]) {
      let max = 0;
      for (let i = 0; i < 145 * 3; i++) {
        let d = t.frac[fo * 435 + i] - v.frac[fv * 435 + i];
        d -= Math.round(d);
        max = Math.max(max, Math.abs(d) * 23);
      }
      expect(max).toBeLessThan(6e-6); // OUTCAR prints 5 decimals (Å)
    }
  });
});
