// The parallel LAMMPS dump parse (lammps-parallel.ts) against the serial reader: same
// trajectory, bits, metadata and hash; files it cannot vouch for go to the serial reader.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readLammpsDump, type LammpsDumpOptions } from '../../src/io/lammps.js';
import { closeParsePool } from '../../src/io/parse-pool.js';
import { mulberry32 } from '../../src/analysis/random.js';
import type { Trajectory } from '../../src/trajectory/types.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-lmppar-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeParsePool();
});

const PAR: LammpsDumpOptions = { parallel: { threads: 2, minBytes: 0 }, timestepFs: 1 };
const SER: LammpsDumpOptions = { parallel: { threads: 0 }, timestepFs: 1 };

/** A dump of 40 atoms (Li, S) over `frames` frames, ids shuffled per frame; units and time per frame or only in the first. */
function dump(name: string, frames: number, o: { unitsOnce?: boolean; tri?: boolean; edit?: (s: string) => string } = {}): string {
  const rnd = mulberry32(7);
  const n = 40, out: string[] = [];
  for (let f = 0; f < frames; f++) {
    if (f === 0 || !o.unitsOnce) out.push('ITEM: UNITS', 'metal');
    out.push('ITEM: TIME', (f * 0.002).toFixed(6), 'ITEM: TIMESTEP', String(f * 2), 'ITEM: NUMBER OF ATOMS', String(n));
    if (o.tri) out.push('ITEM: BOX BOUNDS xy xz yz pp pp pp', '0 10.5 0.3', '0 11 0.1', '0 12 0.2');
    else out.push('ITEM: BOX BOUNDS pp pp pp', '0 10.5', '0 11', '0 12');
    out.push('ITEM: ATOMS id type xs ys zs');
    const ids = Array.from({ length: n }, (_, i) => i + 1).sort(() => rnd() - 0.5);
    for (const id of ids) out.push(`${id} ${id <= 24 ? 1 : 2} ${rnd().toFixed(7)} ${rnd().toFixed(7)} ${(rnd() * 1.0001).toExponential(6)}`);
  }
  const p = join(dir, name);
  const text = out.join('\n') + '\n';
  writeFileSync(p, o.edit ? o.edit(text) : text);
  return p;
}

async function both(path: string): Promise<{ par: Trajectory; ser: Trajectory; hp: string; hs: string }> {
  const h1 = createHash('sha256'), h2 = createHash('sha256');
  const par = await readLammpsDump(path, { ...PAR, elements: ['Li', 'S'], hash: h1 });
  const ser = await readLammpsDump(path, { ...SER, elements: ['Li', 'S'], hash: h2 });
  return { par, ser, hp: h1.digest('hex'), hs: h2.digest('hex') };
}

function same(a: Trajectory, b: Trajectory): void {
  expect(Buffer.from(a.frac.buffer, a.frac.byteOffset, a.frac.byteLength).equals(Buffer.from(b.frac.buffer, b.frac.byteOffset, b.frac.byteLength))).toBe(true);
  expect({ ...a, frac: null }).toEqual({ ...b, frac: null });
}

describe('parallel LAMMPS dump parse', () => {
  it('gives the serial reader\'s trajectory (bits, metadata, hash): units per frame or once, triclinic', async () => {
    for (const p of [dump('a.lammpstrj', 1500), dump('b.lammpstrj', 1500, { unitsOnce: true, tri: true })]) {
      const { par, ser, hp, hs } = await both(p);
      expect(ser.nFrames).toBe(1500);
      expect(ser.metadata.frameIntervalFs).not.toBeNull();
      same(par, ser);
      expect(hp).toBe(hs);
    }
  });

  it('hands irregular files to the serial reader: truncated, a bad token, different units', async () => {
    const trunc = dump('t.lammpstrj', 1500, { edit: (s) => s.slice(0, s.lastIndexOf('\n', s.length - 60) + 1) });
    const r = await both(trunc);
    same(r.par, r.ser);
    expect(r.hp).toBe(r.hs);
    expect(r.par.warnings.join()).toMatch(/truncated/);
    const units = dump('u.lammpstrj', 1500, { edit: (s) => s.replace(/metal\n(?![\s\S]*metal\n)/, 'real\n') });
    const u = await both(units);
    same(u.par, u.ser);
    const text = dump('ok.lammpstrj', 1500);
    const lines = (await import('node:fs')).readFileSync(text, 'latin1').split('\n');
    const at = lines.length - 300;
    expect(lines[at]).toMatch(/^\d+ [12] /);
    lines[at] = lines[at].replace(/ (\d\.\d+) /, ' 0.5x1 ');
    const bad = join(dir, 'bad.lammpstrj');
    writeFileSync(bad, lines.join('\n'));
    const errs = await Promise.all([PAR, SER].map((o) => readLammpsDump(bad, { ...o, elements: ['Li', 'S'] }).then(() => null, (e: Error) => e.message)));
    expect(errs[0]).toContain(`line ${at + 1}`);
    expect(errs[0]).toBe(errs[1]);
  });
});
