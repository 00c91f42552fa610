import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readAseTraj } from '../../src/io/ase-traj.js';
import { ParseError } from '../../src/io/errors.js';
import { detectFormat } from '../../src/io/registry.js';
import { fracToCart } from '../../src/trajectory/lattice.js';
import { latticeAt } from '../../src/trajectory/types.js';
import { run as inspect } from '../../src/cli/inspect.js';
import { captureRun } from '../helpers/cli.js';
import { expectReadError } from '../helpers/errors.js';

const fx = (n: string) => resolve(import.meta.dirname, '../fixtures/formats/ase', n);
// Written and read back by ASE 3.22.1 itself (make_small.py beside the fixture).
const ref = JSON.parse(readFileSync(fx('small.reference.json'), 'utf8')) as { symbols: string[]; positions: number[][][]; cells: number[][][] };
const bytes = readFileSync(fx('small.traj'));

function write(b: Buffer): string {
  const p = join(mkdtempSync(join(tmpdir(), 'ionsift-ase-')), 'x.traj');
  writeFileSync(p, b);
  return p;
}

/** `bytes` with the first occurrence of `from` (after `after`) replaced by `to` of the same length. */
function patch(from: string, to: string, after = 0): Buffer {
  const b = Buffer.from(bytes);
  const i = b.indexOf(from, after, 'latin1');
  expect(i).toBeGreaterThanOrEqual(0);
  expect(to.length).toBe(from.length);
  b.write(to, i, 'latin1');
  return b;
}

describe('ASE .traj (ULM)', () => {
  it('gives the positions and cells ASE reads back, species from the atomic numbers', async () => {
    const t = await readAseTraj(fx('small.traj'));
    expect(t.metadata.format).toBe('ase-traj');
    expect([t.nFrames, t.nAtoms, t.species, t.counts]).toEqual([4, 7, ['Li', 'O', 'S'], [4, 2, 1]]);
    expect(t.variableCell).toBe(true); // frame 3 has a 1 % larger cell
    let max = 0;
    const o = new Float64Array(3);
    for (let f = 0; f < 4; f++) {
      const L = latticeAt(t, f);
      for (let k = 0; k < 9; k++) expect(L[k]).toBeCloseTo(ref.cells[f][Math.floor(k / 3)][k % 3], 12);
      for (let i = 0; i < 7; i++) {
        const p = (f * 7 + i) * 3;
        fracToCart(L, t.frac[p], t.frac[p + 1], t.frac[p + 2], o, 0);
        for (let d = 0; d < 3; d++) max = Math.max(max, Math.abs(o[d] - ref.positions[f][i][d]));
      }
    }
    expect(max).toBeLessThan(1e-12);
    expect(t.metadata.frameIntervalFs).toBeNull(); // ASE stores no time
    expect((await detectFormat(fx('small.traj'))).name).toBe('ase-traj');
    const r = await captureRun(inspect, [fx('small.traj'), '--json', '--frame-interval-fs', '2']);
    expect(JSON.parse(r.out)).toMatchObject({ format: 'ase-traj', n_frames: 4, species: { Li: 4, O: 2, S: 1 }, frame_interval_fs: 2 });
  });

  it('bad input: truncated, bad magic, a header count beyond the file, corrupt item JSON, wrong array shape', async () => {
    const cut = write(bytes.subarray(0, bytes.length - 100));
    await expectReadError(readAseTraj(cut), ParseError, { file: cut }, /lies outside the file .*truncated or corrupt/);
    const magic = write(patch('- of Ulm', 'garbage!'));
    await expectReadError(readAseTraj(magic), ParseError, { file: magic }, /not a ULM file/);
    const huge = Buffer.from(bytes);
    huge.writeBigInt64LE(1n << 40n, 32);
    const h = write(huge);
    await expectReadError(readAseTraj(h), ParseError, { file: h }, /table of 1099511627776 item offsets .* lies outside the file/);
    // Item 2's JSON (items after the first start with "positions."): break its syntax, then its positions' shape.
    const second = bytes.indexOf('{"positions."', bytes.indexOf('{"positions."', 0, 'latin1') + 1, 'latin1');
    const json = write(patch('{"positions."', '{"positions.,', second));
    await expectReadError(readAseTraj(json), ParseError, { file: json, frame: 2 }, /item JSON is not valid/);
    const shape = write(patch('[[7, 3], "float64"', '[[7, 2], "float64"', second));
    await expectReadError(readAseTraj(shape), ParseError, { file: shape, frame: 2 }, /positions of shape \[7, 2\]; expected \[7, 3\]/);
  });
});
