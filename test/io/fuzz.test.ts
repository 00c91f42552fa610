/**
 * Seeded fuzzing of every text reader (issue 17): mutated copies of the good fixtures (bytes
 * flipped, lines deleted, duplicated or cut, numbers replaced by huge, negative, NaN or
 * overflowing values, gzip of the result). Every run either parses into a self-consistent
 * trajectory or fails with an IonsiftError naming the file, within a time bound, and RSS stays
 * bounded. A failure prints the seed, so the case can be replayed.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { IonsiftError } from '../../src/io/errors.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { readExtxyz } from '../../src/io/extxyz.js';
import { readLammpsDump } from '../../src/io/lammps.js';
import { readVasprun } from '../../src/io/vasprun.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { fx } from './formats-helpers.js';
import { mulberry32 } from '../../src/analysis/random.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));


const NASTY = ['999999999', '2147483648', '-1', '0', '1e308', '-1e308', '1e-300', 'NaN', 'inf', '-0', '***', '1e999', '0x10', '', '18446744073709551616', '3.', '.'];

/** One mutation of `text`, chosen by `r`. */
function mutate(text: string, r: () => number): string {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)];
  const lines = text.split('\n');
  const i = Math.floor(r() * lines.length);
  switch (Math.floor(r() * 8)) {
    case 0: { // replace one number with a nasty value
      const nums = [...lines[i].matchAll(/-?\d+(\.\d+)?([eE][-+]?\d+)?/g)];
      if (nums.length === 0) return mutate(text, r);
      const m = pick(nums);
      lines[i] = lines[i].slice(0, m.index) + pick(NASTY) + lines[i].slice(m.index! + m[0].length);
      return lines.join('\n');
    }
    case 1: lines.splice(i, 1); return lines.join('\n');
    case 2: lines.splice(i, 0, lines[i]); return lines.join('\n');
    case 3: return text.slice(0, Math.floor(r() * text.length)); // cut anywhere
    case 4: { // flip bytes
      const b = Buffer.from(text, 'latin1');
      for (let k = 0; k < 1 + r() * 4; k++) b[Math.floor(r() * b.length)] = Math.floor(r() * 256);
      return b.toString('latin1');
    }
    case 5: lines[i] = lines[i].split(/\s+/).slice(0, -1).join(' '); return lines.join('\n'); // drop a column
    case 6: lines[i] = `${lines[i]} ${pick(NASTY)}`; return lines.join('\n'); // extra column
    default: return '\ufeff' + text.replace(/\n/g, r() < 0.5 ? '\r\n' : '\n'); // BOM, CRLF
  }
}

type Reader = (p: string) => Promise<Trajectory>;
const FORMATS: [name: string, file: string, ext: string, read: Reader][] = [
  ['xdatcar', resolve(import.meta.dirname, '../fixtures/xdatcar/npt.XDATCAR'), '_XDATCAR', (p) => readXdatcar(p)],
  ['xdatcar (direct)', resolve(import.meta.dirname, '../fixtures/xdatcar/direct.XDATCAR'), '_XDATCAR', (p) => readXdatcar(p)],
  ['extxyz', fx('good.extxyz'), '.extxyz', (p) => readExtxyz(p)],
  ['lammps', fx('tri_scaled_images.lammpstrj'), '.lammpstrj', (p) => readLammpsDump(p, { typeMap: { 1: 'Li', 2: 'S', 3: 'P' } })],
  ['vasprun', fx('small_npt.vasprun.xml'), '.vasprun.xml', (p) => readVasprun(p)],
];

const RUNS = Number(process.env.FUZZ_RUNS ?? 150);
const TIME_LIMIT_MS = 2000;

/** A parsed trajectory must be self-consistent: sizes agree, coordinates and cells finite. */
function checkTrajectory(t: Trajectory): void {
  expect(t.nFrames).toBeGreaterThan(0);
  expect(t.frac.length).toBe(t.nFrames * t.nAtoms * 3);
  expect(t.speciesOf.length).toBe(t.nAtoms);
  expect(t.counts.reduce((a, b) => a + b, 0)).toBe(t.nAtoms);
  expect(t.lattice.length).toBe(t.variableCell ? t.nFrames * 9 : 9);
  for (const v of t.frac) if (!Number.isFinite(v)) throw new Error(`non-finite coordinate ${v} accepted`);
  for (const v of t.lattice) if (!Number.isFinite(v)) throw new Error(`non-finite lattice value ${v} accepted`);
}

describe('fuzzed readers', () => {
  for (const [name, file, ext, read] of FORMATS) {
    it(`${name}: ${RUNS} seeded mutations parse or fail with a located IonsiftError`, async () => {
      const text = readFileSync(file, 'latin1');
      const rss0 = process.memoryUsage.rss();
      let parsed = 0, failed = 0;
      for (let seed = 1; seed <= RUNS; seed++) {
        const r = mulberry32(seed * 7919 + name.length);
        let m = mutate(text, r);
        if (r() < 0.3) m = mutate(m, r);
        const gz = r() < 0.2;
        const p = join(dir, `s${seed}${ext}${gz ? '.gz' : ''}`);
        writeFileSync(p, gz ? gzipSync(Buffer.from(m, 'latin1')) : Buffer.from(m, 'latin1'));
        const t0 = Date.now();
        try {
          checkTrajectory(await read(p));
          parsed++;
        } catch (err) {
          if (!(err instanceof IonsiftError)) throw new Error(`seed ${seed}: ${name} threw ${String(err)} (not an IonsiftError)`);
          expect(err.file, `seed ${seed}`).toBe(p);
          expect(err.message.startsWith(p), `seed ${seed}: ${err.message}`).toBe(true);
          failed++;
        }
        expect(Date.now() - t0, `seed ${seed} took too long`).toBeLessThan(TIME_LIMIT_MS);
        rmSync(p);
      }
      expect(parsed + failed).toBe(RUNS);
      expect(failed).toBeGreaterThan(0);
      expect(process.memoryUsage.rss() - rss0).toBeLessThan(300 << 20);
    }, 60_000);
  }
});
