// The parallel XDATCAR parse (xdatcar-parallel.ts) against the serial reader: the same bits, the
// same trajectory, the same hash; and every file it cannot plan for (variable cell, restarts,
// truncation, bad tokens, no final newline) read on one thread with the serial reader's messages.
import { afterAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readXdatcar, type XdatcarOptions } from '../../src/io/xdatcar.js';
import { closeParsePool } from '../../src/io/parse-pool.js';
import type { Trajectory } from '../../src/trajectory/types.js';
import { hasRealData, realCase, realDataSkipReason, repoRoot } from '../helpers/real.js';
import { embeddedXdatcars } from '../helpers/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-xdatpar-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeParsePool();
});

const PAR: XdatcarOptions = { parallel: { threads: 2, minBytes: 0 } };
const SER: XdatcarOptions = { parallel: { threads: 0 } };
const fx = (name: string) => resolve(repoRoot, 'test/fixtures/xdatcar', name);

/** Plain copy of a (gzip) file in the temp folder, optionally edited. */
function plain(src: string, name: string, edit: (s: string) => string = (s) => s): string {
  const raw = readFileSync(src);
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('latin1') : raw.toString('latin1');
  const out = join(dir, name);
  writeFileSync(out, edit(text), 'latin1');
  return out;
}

async function both(path: string, extra: XdatcarOptions = {}): Promise<{ par: Trajectory; ser: Trajectory; hp: string; hs: string }> {
  const h1 = createHash('sha256'), h2 = createHash('sha256');
  const par = await readXdatcar(path, { ...PAR, ...extra, hash: h1 });
  const ser = await readXdatcar(path, { ...SER, ...extra, hash: h2 });
  return { par, ser, hp: h1.digest('hex'), hs: h2.digest('hex') };
}

function sameTrajectory(a: Trajectory, b: Trajectory): void {
  expect(a.nFrames).toBe(b.nFrames);
  expect(a.nAtoms).toBe(b.nAtoms);
  // Byte-identical coordinates.
  expect(Buffer.from(a.frac.buffer, a.frac.byteOffset, a.frac.byteLength).equals(Buffer.from(b.frac.buffer, b.frac.byteOffset, b.frac.byteLength))).toBe(true);
  const strip = (t: Trajectory) => ({ ...t, frac: null, speciesOf: Array.from(t.speciesOf), lattice: Array.from(t.lattice) });
  expect(strip(a)).toEqual(strip(b));
}

/** Frames text of `text` repeated until it has `frames` frames, renumbered 1…frames. */
function repeatFrames(text: string, frames: number, pad = 6): string {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => /^\s*(Direct|Cartesian)\s+configuration/i.test(l));
  const header = lines.slice(0, first).join('\n') + '\n';
  const kind = lines[first].trim().split(/\s+/)[0];
  const blocks: string[] = [];
  let cur: string[] = [];
  for (const l of lines.slice(first + 1)) {
    if (/^\s*(Direct|Cartesian)\s+configuration/i.test(l)) { blocks.push(cur.join('\n') + '\n'); cur = []; } else if (l.trim() !== '') cur.push(l);
  }
  blocks.push(cur.join('\n') + '\n');
  let s = header;
  for (let f = 0; f < frames; f++) s += `${kind} configuration= ${String(f + 1).padStart(pad)}\n${blocks[f % blocks.length]}`;
  return s;
}

describe('parallel XDATCAR parse', () => {
  it('gives the serial reader\'s bits on the embedded datasets (generated and real), on parse threads', async () => {
    const files = embeddedXdatcars();
    expect(files.length).toBeGreaterThan(3);
    for (const [i, f] of files.entries()) {
      const p = plain(f, `ds${i}.XDATCAR`);
      const { par, ser, hp, hs } = await both(p);
      expect(par.frac.buffer instanceof SharedArrayBuffer, `${f} was parsed on threads`).toBe(true);
      expect(ser.frac.buffer instanceof SharedArrayBuffer).toBe(false);
      sameTrajectory(par, ser);
      expect(hp).toBe(hs);
    }
  }, 120_000);

  it.skipIf(!hasRealData)(`gives the serial reader's bits on real runs (${realDataSkipReason})`, async () => {
    for (const name of ['argyrodite_li6ps5cl_50p_500k/run1_actual_XDATCAR.gz', 'lgps_li10gep2s12_600k', 'na3ps4_cubic_800k']) {
      let src = realCase(name);
      if (!src.endsWith('.gz')) {
        const x = readdirSync(src).find((n) => /XDATCAR/.test(n));
        if (!x) continue;
        src = join(src, x);
      }
      if (!existsSync(src)) continue;
      const p = plain(src, `real-${name.replace(/\W/g, '_')}`);
      const { par, ser, hp, hs } = await both(p);
      if (ser.segments.length === 1 && !ser.variableCell) expect(par.frac.buffer instanceof SharedArrayBuffer, `${src} was parsed on threads`).toBe(true);
      sameTrajectory(par, ser);
      expect(hp).toBe(hs);
    }
  }, 120_000);

  it('gives the same bits when only the parse threads parse (not this thread)', async () => {
    const p = plain(resolve(repoRoot, 'datasets/Li-sc/600K/XDATCAR.gz'), 'threads-only.XDATCAR');
    const par = await readXdatcar(p, { parallel: { threads: 2, minBytes: 0, local: false } });
    const ser = await readXdatcar(p, SER);
    expect(par.frac.buffer instanceof SharedArrayBuffer).toBe(true);
    sameTrajectory(par, ser);
  });

  it('reads Cartesian frames, CRLF and blank lines like the serial reader; numbering of any width', async () => {
    const cart = plain(fx('cartesian.XDATCAR'), 'cart.XDATCAR', (s) => repeatFrames(s, 500, 0));
    const crlf = plain(fx('crlf_blank_lines.XDATCAR'), 'crlf.XDATCAR', (s) => repeatFrames(s.replace(/\r/g, ''), 400).replace(/\nDirect/g, '\n \t\nDirect').replace(/\n/g, '\r\n'));
    for (const p of [cart, crlf]) {
      const { par, ser } = await both(p);
      expect(par.frac.buffer instanceof SharedArrayBuffer, p).toBe(true);
      sameTrajectory(par, ser);
    }
  });

  it('hands every file it cannot plan for back to the serial reader (same result, warnings and hash)', async () => {
    const big = plain(fx('direct.XDATCAR'), 'direct-big.XDATCAR', (s) => repeatFrames(s, 2000));
    const text = readFileSync(big, 'latin1');
    const cases = {
      npt: plain(fx('npt.XDATCAR'), 'npt.XDATCAR'),
      concatenated: plain(fx('concatenated.XDATCAR'), 'conc.XDATCAR'),
      restart: plain(big, 'restart.XDATCAR', (s) => s.replace('configuration=   1200\n', 'configuration=      1\n')),
      truncated: plain(big, 'trunc.XDATCAR', (s) => s.slice(0, s.lastIndexOf('\n', s.length - 30) + 1)),
      unterminated: plain(big, 'unterm.XDATCAR', (s) => s.slice(0, s.length - 4)),
    };
    expect(text.length).toBeGreaterThan(50_000);
    for (const [what, p] of Object.entries(cases)) {
      const { par, ser, hp, hs } = await both(p);
      expect(par.frac.buffer instanceof SharedArrayBuffer, what).toBe(false);
      sameTrajectory(par, ser);
      expect(hp, what).toBe(hs);
    }
    expect((await both(cases.truncated)).par.warnings.join()).toMatch(/incomplete/);
  });

  it('reports a bad token far into the file at its true line, as the serial reader does; strict truncation too', async () => {
    const big = plain(fx('direct.XDATCAR'), 'direct-big2.XDATCAR', (s) => repeatFrames(s, 3000));
    const lines = readFileSync(big, 'latin1').split('\n');
    const at = lines.length - 1000;
    expect(lines[at]).toMatch(/^\s*[\d.]+\s+[\d.]+\s+[\d.]+\s*$/);
    lines[at] = lines[at].replace(/\d\.\d+/, '0.5x1');
    const bad = join(dir, 'bad.XDATCAR');
    writeFileSync(bad, lines.join('\n'));
    const errs = await Promise.all([PAR, SER].map((o) => readXdatcar(bad, o).then(() => null, (e: Error) => e.message)));
    expect(errs[0]).toContain(`line ${at + 1},`);
    expect(errs[0]).toBe(errs[1]);
    const cut = plain(big, 'cut.XDATCAR', (s) => s.slice(0, s.lastIndexOf('\n', s.length - 30) + 1));
    const strict = await Promise.all([PAR, SER].map((o) => readXdatcar(cut, { ...o, allowTruncated: false }).then(() => null, (e: Error) => e.message)));
    expect(strict[0]).toMatch(/allowTruncated/);
    expect(strict[0]).toBe(strict[1]);
  });
});
