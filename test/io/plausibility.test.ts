/**
 * Issue 17 item 7: absurd but finite values do not pass silently. Each is a located error (or
 * a warning where merely unusual); ordinary values stay untouched.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MetadataError, ParseError } from '../../src/io/errors.js';
import { loadTrajectory } from '../../src/io/load.js';
import { readTrajectoryFile } from '../../src/io/registry.js';
import { expectReadError } from '../helpers/errors.js';
import { fx } from './formats-helpers.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-plaus-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function put(rel: string, text: string): string {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
  return p;
}

const xdat = (scale = '1.0', coord = '0.25') =>
  `t\n${scale}\n10 0 0\n0 10 0\n0 0 10\nLi S\n1 1\nDirect configuration= 1\n0.1 0.5 0.5\n0.25 0.2 0.75\nDirect configuration= 2\n0.11 0.5 0.5\n${coord} 0.2 0.75\n`;

describe('plausibility', () => {
  it('a coordinate of 1e308 is an error naming file and frame', async () => {
    const f = put('coord/XDATCAR', xdat('1.0', '1e308'));
    await expectReadError(loadTrajectory(f), ParseError, { file: f, frame: 1 }, /atom 1 has fractional coordinate x = 1e\+308; expected a finite position/);
  });

  it('an XDATCAR scale of -1e308 is an error on the lattice lines; -1e-300 a zero volume', async () => {
    const f = put('scale/XDATCAR', xdat('-1e308'));
    await expectReadError(loadTrajectory(f), ParseError, { file: f, line: 3 }, /cell vector a is .* Å long; expected at most/);
    const g = put('scale2/XDATCAR', xdat('-1e-300'));
    await expectReadError(loadTrajectory(g), ParseError, { file: g, line: 3 }, /zero volume/);
  });

  it('a LAMMPS box with xlo > xhi is an error naming its line', async () => {
    const text = readFileSync(fx('ortho_element.lammpstrj'), 'latin1').replace('ITEM: BOX BOUNDS pp pp pp\n0.0 10.0\n', 'ITEM: BOX BOUNDS pp pp pp\n10.0 0.0\n');
    const f = put('box.lammpstrj', text);
    await expectReadError(readTrajectoryFile(f), ParseError, { file: f, frame: 0 }, /box bounds give edges -10, 10, 10 Å; expected lo < hi/);
  });

  it('an extxyz Lattice of 1e200 Å is an error, not "singular lattice"', async () => {
    const text = readFileSync(fx('good.extxyz'), 'latin1').replace(/Lattice="[^"]*"/, 'Lattice="1e200 0 0 0 1e200 0 0 0 1e200"');
    const f = put('huge.extxyz', text);
    await expectReadError(readTrajectoryFile(f), ParseError, { file: f, line: 2, frame: 0 }, /cell vector a is 1\.000e\+200 Å long/);
  });

  it('sidecar temperature 1e308 K, nblock 1e20 (POTIM × NBLOCK), zero interval: errors naming the sidecar', async () => {
    for (const [name, sc, says] of [
      ['hot', { temperature_k: 1e308, frame_interval_fs: 10 }, /temperature 1e\+308 K \(from ionsift\.json\) is impossible/],
      ['nblock', { temperature_k: 600, potim_fs: 2, nblock: 1e20 }, /frame interval 200000000000000000000 fs \(from POTIM \(ionsift\.json\) × NBLOCK \(ionsift\.json\)\) is impossible/],
    ] as const) {
      put(`${name}/XDATCAR`, xdat());
      const scPath = put(`${name}/ionsift.json`, JSON.stringify(sc));
      await expectReadError(loadTrajectory(join(root, name)), MetadataError, { file: scPath }, says);
    }
  });

  it('unusual values are warnings; ordinary ones pass untouched', async () => {
    put('warm/XDATCAR', xdat());
    put('warm/ionsift.json', JSON.stringify({ temperature_k: 8000, frame_interval_fs: 2e6 }));
    const t = await loadTrajectory(join(root, 'warm'));
    expect(t.warnings.join('\n')).toMatch(/temperature 8000 K .* unusually large[\s\S]*frame interval 2000000 fs .* unusually large/);
    put('ok/XDATCAR', xdat());
    put('ok/ionsift.json', JSON.stringify({ temperature_k: 600, frame_interval_fs: 100 }));
    expect((await loadTrajectory(join(root, 'ok'))).warnings).toEqual([]);
  });
});
