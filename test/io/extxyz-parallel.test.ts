// The parallel extxyz parse (extxyz-parallel.ts) against the serial reader: same trajectory,
// bits, metadata and hash; files it cannot vouch for go to the serial reader with its messages.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readExtxyz, type ExtxyzOptions } from '../../src/io/extxyz.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { writeExtxyz } from '../../src/io/write-extxyz.js';
import { closeParsePool } from '../../src/io/parse-pool.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { repoRoot } from '../helpers/real.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-xyzpar-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeParsePool();
});

const PAR: ExtxyzOptions = { parallel: { threads: 2, minBytes: 0 } };
const SER: ExtxyzOptions = { parallel: { threads: 0 } };

async function both(path: string): Promise<{ par: Trajectory; ser: Trajectory; hp: string; hs: string }> {
  const h1 = createHash('sha256'), h2 = createHash('sha256');
  const par = await readExtxyz(path, { ...PAR, hash: h1 });
  const ser = await readExtxyz(path, { ...SER, hash: h2 });
  return { par, ser, hp: h1.digest('hex'), hs: h2.digest('hex') };
}

function same(a: Trajectory, b: Trajectory): void {
  expect(Buffer.from(a.frac.buffer, a.frac.byteOffset, a.frac.byteLength).equals(Buffer.from(b.frac.buffer, b.frac.byteOffset, b.frac.byteLength))).toBe(true);
  expect({ ...a, frac: null }).toEqual({ ...b, frac: null });
}

/** An extxyz of a generated run, Temperature= varying per frame; optionally edited. */
async function xyz(name: string, edit: (s: string) => string = (s) => s): Promise<string> {
  const t = await readXdatcar(resolve(repoRoot, 'datasets/Li-sc/600K/XDATCAR.gz'));
  t.metadata.frameIntervalFs = 2;
  t.metadata.temperatureK = 600;
  const p = join(dir, name);
  await writeExtxyz(t, p);
  let f = 0;
  writeFileSync(p, edit(readFileSync(p, 'latin1').replace(/Temperature=600/g, () => `Temperature=${(600.1 + 0.37 * f++).toFixed(2)}`)), 'latin1');
  return p;
}

describe('parallel extxyz parse', () => {
  it('gives the serial reader\'s trajectory (bits, metadata, hash) on a generated run', async () => {
    const p = await xyz('run.extxyz');
    const { par, ser, hp, hs } = await both(p);
    expect(ser.nFrames).toBeGreaterThan(100);
    expect(par.metadata.temperatureK).toBe(ser.metadata.temperatureK);
    same(par, ser);
    expect(hp).toBe(hs);
  });

  it('hands irregular files to the serial reader: truncated, bad token, pbc warning past the first range', async () => {
    const trunc = await xyz('trunc.extxyz', (s) => s.slice(0, s.lastIndexOf('\n', s.length - 40) + 1));
    const r = await both(trunc);
    same(r.par, r.ser);
    expect(r.hp).toBe(r.hs);
    expect(r.par.warnings.join()).toMatch(/truncated/);
    const late = await xyz('pbc.extxyz', (s) => { const i = s.lastIndexOf('pbc="T T T"'); return s.slice(0, i) + 'pbc="T T F"' + s.slice(i + 11); });
    const w = await both(late);
    same(w.par, w.ser);
    expect(w.par.warnings.join()).toMatch(/not periodic/);
    const lines = readFileSync(await xyz('ok.extxyz'), 'latin1').split('\n');
    const at = lines.length - 500;
    expect(lines[at]).toMatch(/^[A-Z][a-z]?\s/);
    lines[at] = lines[at].replace(/\d\.\d+/, '0.5x1');
    const bad = join(dir, 'bad.extxyz');
    writeFileSync(bad, lines.join('\n'));
    const errs = await Promise.all([PAR, SER].map((o) => readExtxyz(bad, o).then(() => null, (e: Error) => e.message)));
    expect(errs[0]).toContain(`line ${at + 1}`);
    expect(errs[0]).toBe(errs[1]);
  });
});
