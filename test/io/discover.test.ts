// Discovery of runs vs separate trajectories (run folders, temperature folders, inherited sidecars).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discover } from '../../src/indexer/discover.js';
import { describeFile, discoverInFolder, loadTrajectory } from '../../src/io/load.js';

const root = mkdtempSync(join(tmpdir(), 'ionsift-discover-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const HEADER = 'walk\n1.0\n10 0 0\n0 10 0\n0 0 10\nLi S\n1 1\n';
function xdat(n: number): string {
  let s = HEADER;
  for (let f = 0; f < n; f++) s += `Direct configuration= ${f + 1}\n${(0.1 + 0.01 * f).toFixed(8)} 0.5 0.5\n0.25 0.2 0.75\n`;
  return s;
}

function put(rel: string, text = 'x'): void {
  const p = join(root, rel);
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, text);
}

/** Trajectories found under root/base, as lists of files relative to root/base. */
async function found(base: string): Promise<string[][]> {
  const dir = join(root, base);
  const { trajectories, failures } = await discover([dir]);
  expect(failures).toEqual([]);
  return trajectories.map((t) => t.files.map((f) => f.slice(dir.length + 1)));
}

describe('discovery keeps separate runs apart', () => {
  it('run folders inside temperature folders: one run per temperature, never across temperatures', async () => {
    for (const T of ['600K', '800K']) for (const r of ['run1', 'run2']) put(`a/mat/${T}/${r}/XDATCAR.gz`);
    expect(await found('a')).toEqual([
      ['mat/600K/run1/XDATCAR.gz', 'mat/600K/run2/XDATCAR.gz'],
      ['mat/800K/run1/XDATCAR.gz', 'mat/800K/run2/XDATCAR.gz'],
    ]);
  });

  it('composition folders without sidecars are separate trajectories', async () => {
    for (const c of ['li6ps5cl_0p', 'li6ps5cl_50p', 'li6ps5cl_100p']) put(`b/${c}/XDATCAR`);
    expect((await found('b')).sort()).toEqual([['li6ps5cl_0p/XDATCAR'], ['li6ps5cl_100p/XDATCAR'], ['li6ps5cl_50p/XDATCAR']]);
    expect(await discoverInFolder(join(root, 'b'))).toEqual([]);
  });

  it('bare-number and T-prefixed temperature folders are separate; restart folders are joined', async () => {
    for (const T of ['600', '800']) put(`c/mat/${T}/XDATCAR`);
    for (const T of ['T600', 'T800']) put(`d/mat/${T}/XDATCAR`);
    expect(await found('c')).toEqual([['mat/600/XDATCAR'], ['mat/800/XDATCAR']]);
    expect(await found('d')).toEqual([['mat/T600/XDATCAR'], ['mat/T800/XDATCAR']]);
    for (const r of ['1', '2', '3']) put(`e/mat/${r}/XDATCAR`);
    for (const r of ['restart_1', 'restart_2']) put(`f/mat/${r}/XDATCAR`);
    expect(await found('e')).toEqual([['mat/1/XDATCAR', 'mat/2/XDATCAR', 'mat/3/XDATCAR']]);
    expect(await found('f')).toEqual([['mat/restart_1/XDATCAR', 'mat/restart_2/XDATCAR']]);
  });

  it('run folders whose INCARs give different TEBEG are kept apart with a warning', async () => {
    put('g/run1/XDATCAR'); put('g/run1/INCAR', 'POTIM = 2\nTEBEG = 600\n');
    put('g/run2/XDATCAR'); put('g/run2/INCAR', 'POTIM = 2\nTEBEG = 800\n');
    expect(await found('g')).toEqual([['run1/XDATCAR'], ['run2/XDATCAR']]);
    const ts = await discoverInFolder(join(root, 'g'));
    expect(ts).toHaveLength(2);
    expect(ts[0].warnings?.[0]).toMatch(/different TEBEG.*separate/);
    put('h/run1/XDATCAR'); put('h/run1/INCAR', 'POTIM = 2\nTEBEG = 600\n');
    put('h/run2/XDATCAR'); put('h/run2/INCAR', 'POTIM = 2\nTEBEG = 600\n');
    expect(await found('h')).toEqual([['run1/XDATCAR', 'run2/XDATCAR']]);
  });
});

describe('a material-level sidecar applies to the temperature folders below it', () => {
  it('temperature folders without their own sidecar inherit the parent one; their own wins', async () => {
    put('Li3PS4/ionsift.json', JSON.stringify({ material: 'Li3PS4', potim_fs: 2, nblock: 10 }));
    put('Li3PS4/600K/XDATCAR', xdat(5));
    put('Li3PS4/800K/XDATCAR', xdat(5));
    put('Li3PS4/900K/XDATCAR', xdat(5));
    put('Li3PS4/900K/ionsift.json', JSON.stringify({ material: 'Li3PS4-own', frame_interval_fs: 5 }));
    const { trajectories } = await discover([join(root, 'Li3PS4')]);
    expect(trajectories.map((t) => t.sidecar)).toEqual([
      { material: 'Li3PS4', potim_fs: 2, nblock: 10 },
      { material: 'Li3PS4', potim_fs: 2, nblock: 10 },
      { material: 'Li3PS4-own', frame_interval_fs: 5 },
    ]);
    expect((await describeFile(join(root, 'Li3PS4/600K/XDATCAR'))).sidecar).toEqual({ material: 'Li3PS4', potim_fs: 2, nblock: 10 });
    const t = await loadTrajectory(join(root, 'Li3PS4/800K'), { temperatureK: 800 });
    expect(t.metadata.frameIntervalFs).toBe(20);
    expect(t.metadata.material).toBe('Li3PS4');
  });
});
