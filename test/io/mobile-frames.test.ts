// The reader-level mobile-only sink (trajectory/mobile-frames.ts) against the full path: the
// same float32 unwrapped positions, framework average, discontinuities and warnings, bit for bit,
// on one thread and on parse threads (windowed); located errors unchanged; memory of the mobile
// ions only.
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readXdatcar, type XdatcarOptions } from '../../src/io/xdatcar.js';
import { closeParsePool } from '../../src/io/parse-pool.js';
import { loadTrajectory, type ReadRequest } from '../../src/io/load.js';
import { prepareAnalysis, type PreparedAnalysis } from '../../src/analysis/analyze.js';
import { MobileFrames, type MobileFramesRequest } from '../../src/trajectory/mobile-frames.js';
import { atomsOf, type Positions, type Trajectory } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { frameworkAverage } from '../../src/analysis/sites/cages-framework.js';
import { hasRealData, realCase, realDataSkipReason, repoRoot } from '../helpers/real.js';
import { embeddedXdatcars } from '../helpers/datasets.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-mobile-frames-'));
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeParsePool();
});

const SER: XdatcarOptions = { parallel: { threads: 0 } };
/** Parse threads, small windows (several windows even for small files). */
const PAR: XdatcarOptions = { parallel: { threads: 2, minBytes: 0 }, streamWindowBytes: 1 << 16 };
const fx = (name: string) => resolve(repoRoot, 'test/fixtures/xdatcar', name);

function request(mobile: string[], removeDrift = true): MobileFramesRequest {
  return { mobile: () => mobile, removeDrift, minIonFrames: 0 };
}

/** Plain copy of a (gzip) file in the temp folder, optionally edited. */
function plain(src: string, name: string, edit: (s: string) => string = (s) => s): string {
  const raw = readFileSync(src);
  const text = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw).toString('latin1') : raw.toString('latin1');
  const out = join(dir, name);
  writeFileSync(out, edit(text), 'latin1');
  return out;
}

const bytes = (a: Float32Array | Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

type Prepared = Pick<PreparedAnalysis, 'elements' | 'framework' | 'volumeA3' | 'breaks' | 'paramsHash'>;

/** Analysis-ready state (prepareAnalysis; for files of < 5 frames, which it refuses, what it is made of: unwrap and frameworkAverage). */
function prepared(t: Trajectory, mobile: string[], removeDrift: boolean): Prepared {
  t.metadata.frameIntervalFs = 1;
  if (t.nFrames >= 5) return prepareAnalysis(t, { species: mobile, precision: 'f32', removeDrift });
  const elements = t.reduced
    ? t.reduced.elements.map((e) => ({ element: e.element, atoms: e.atoms, positions: e.positions as Positions, charge: 0 }))
    : mobile.map((element) => {
      const atoms = atomsOf(t, [element]);
      return { element, atoms, positions: unwrap(t, { atoms, removeDriftExcept: removeDrift ? mobile : undefined, float32: true }), charge: 0 };
    });
  return { elements, framework: t.reduced ? t.reduced.framework : frameworkAverage(t, mobile, removeDrift), volumeA3: 0, breaks: [], paramsHash: '' };
}

/** The sink path (serial and threaded) gives the full path's positions, framework and flags, bit for bit. */
async function sameAsFull(path: string, mobile: string[], removeDrift = true): Promise<{ threaded: boolean }> {
  const full = await readXdatcar(path, SER);
  const ser = await readXdatcar(path, { ...SER, mobileFrames: request(mobile, removeDrift) });
  const par = await readXdatcar(path, { ...PAR, mobileFrames: request(mobile, removeDrift) });
  const want = prepared(full, mobile, removeDrift);
  for (const [how, t] of [['serial', ser], ['threaded', par]] as const) {
    expect(t.reduced, `${path} ${how}: reduced`).toBeDefined();
    expect(t.frac.length).toBe(0);
    expect(t.nFrames).toBe(full.nFrames);
    expect(t.discontinuities, `${path} ${how}`).toEqual(full.discontinuities);
    expect(t.warnings, `${path} ${how}`).toEqual(full.warnings);
    expect(t.segments).toEqual(full.segments);
    expect(Array.from(t.lattice)).toEqual(Array.from(full.lattice));
    const got = prepared(t, mobile, removeDrift);
    expect(got.elements.length).toBe(want.elements.length);
    for (let e = 0; e < want.elements.length; e++) {
      expect(Array.from(got.elements[e].atoms)).toEqual(Array.from(want.elements[e].atoms));
      expect(got.elements[e].positions.length).toBe(want.elements[e].positions.length);
      expect(bytes(got.elements[e].positions).equals(bytes(want.elements[e].positions)), `${path} ${how}: ${want.elements[e].element} positions`).toBe(true);
    }
    expect(got.framework.elements).toEqual(want.framework.elements);
    expect(bytes(got.framework.frac).equals(bytes(want.framework.frac)), `${path} ${how}: framework average`).toBe(true);
    expect(got.volumeA3).toBe(want.volumeA3);
    expect(got.breaks).toEqual(want.breaks);
    expect(got.paramsHash).toBe(want.paramsHash);
  }
  return { threaded: par.reduced!.elements[0].positions.buffer instanceof SharedArrayBuffer };
}

const mobileOf = (t: Trajectory): string[] => [['Li', 'Na'].find((e) => t.species.includes(e)) ?? t.species[0]];

describe('mobile-only frames while reading', () => {
  it('give the full path\'s float32 positions and framework bit for bit on the embedded datasets (serial and threaded)', async () => {
    const files = embeddedXdatcars();
    expect(files.length).toBeGreaterThan(3);
    for (const [i, f] of files.entries()) {
      const p = plain(f, `ds${i}.XDATCAR`);
      const mobile = mobileOf(await readXdatcar(p, SER));
      await sameAsFull(p, mobile);
      if (i === 0) await sameAsFull(p, mobile, false);
    }
    // The gzip file itself (no threads): the serial sink.
    const gz = files.find((f) => f.endsWith('.gz'));
    if (gz) await sameAsFull(gz, mobileOf(await readXdatcar(gz, SER)));
  }, 240_000);

  it('keeps the flags and cells of the odd layouts: Cartesian, concatenated runs with a jump, variable cell, CRLF', async () => {
    for (const name of ['cartesian.XDATCAR', 'concatenated.XDATCAR', 'concatenated_jump.XDATCAR', 'npt.XDATCAR', 'crlf_blank_lines.XDATCAR', 'negative_scale.XDATCAR']) {
      const p = plain(fx(name), name);
      const t = await readXdatcar(p, SER);
      await sameAsFull(p, [t.species[0]]);
      if (t.species.length > 1) await sameAsFull(p, [t.species[t.species.length - 1]]);
    }
    const jump = await readXdatcar(plain(fx('concatenated_jump.XDATCAR'), 'j.XDATCAR'), { ...SER, mobileFrames: request(['Li']) });
    expect(jump.discontinuities.length).toBeGreaterThan(0);
  });

  it('takes every group of a species that stands in the header twice (`S Li Li`), as the full path does', async () => {
    const src = resolve(repoRoot, 'datasets/Li-bcc/300K/XDATCAR.gz');
    const p = plain(src, 'repeated-species.XDATCAR', (text) => {
      const lines = text.split('\n');
      expect(lines[5].trim().split(/\s+/)).toEqual(['S', 'Li']);
      expect(lines[6].trim().split(/\s+/)).toEqual(['16', '32']);
      lines[5] = '    S   Li   Li';
      lines[6] = '    16    16    16';
      return lines.join('\n');
    });
    await sameAsFull(p, ['Li']);
    const t = await readXdatcar(p, { ...SER, mobileFrames: request(['Li']) });
    expect(t.reduced!.elements[0].atoms.length).toBe(32);
  });

  it.skipIf(!hasRealData)(`give the full path's bits on real runs (${realDataSkipReason})`, async () => {
    let n = 0;
    for (const name of ['argyrodite_li6ps5cl_50p_500k/run1_actual_XDATCAR.gz', 'lgps_li10gep2s12_600k', 'na3ps4_cubic_800k']) {
      let src = realCase(name);
      if (!existsSync(src)) continue;
      if (!src.endsWith('.gz')) {
        const x = readdirSync(src).find((f) => /XDATCAR/.test(f));
        if (!x) continue;
        src = join(src, x);
      }
      const p = plain(src, `real-${name.replace(/\W/g, '_')}`);
      const { threaded } = await sameAsFull(p, mobileOf(await readXdatcar(p, SER)));
      expect(threaded).toBe(true);
      n++;
    }
    expect(n).toBeGreaterThan(0);
  }, 240_000);

  it('keeps the located error of a bad number in the middle of the file (serial and threaded)', async () => {
    const base = plain(resolve(repoRoot, 'datasets/Li-sc/600K/XDATCAR.gz'), 'bad-base.XDATCAR');
    const text = readFileSync(base, 'latin1');
    const lines = text.split('\n');
    const k = Math.floor(lines.length * 0.6);
    lines[k] = '  0.1234567  0.2x45678  0.3456789';
    const bad = join(dir, 'bad.XDATCAR');
    writeFileSync(bad, lines.join('\n'), 'latin1');
    const msg = async (o: XdatcarOptions): Promise<string> => readXdatcar(bad, o).then(() => 'no error', (e: Error) => e.message);
    const want = await msg(SER);
    expect(want).toContain(`line ${k + 1}`);
    expect(await msg({ ...SER, mobileFrames: request(['Li']) })).toBe(want);
    expect(await msg({ ...PAR, mobileFrames: request(['Li']) })).toBe(want);
    // An impossible coordinate (checkLoaded's check, on frames the reduced read does not keep): the same located error.
    const far = [...text.split('\n')];
    far[k] = '  0.1234567  3e7  0.3456789';
    const farFile = join(dir, 'far.XDATCAR');
    writeFileSync(farFile, far.join('\n'), 'latin1');
    const loadMsg = async (read: ReadRequest): Promise<string> => loadTrajectory(farFile, { frameIntervalFs: 1 }, read).then(() => 'no error', (e: Error) => e.message);
    const wantFar = await loadMsg({});
    expect(wantFar).toMatch(/frame \d+/);
    expect(await loadMsg({ mobileFrames: request(['Li']) })).toBe(wantFar);
    expect(await msg({ ...PAR, mobileFrames: request(['Li']) }).then(() => readXdatcar(farFile, { ...PAR, mobileFrames: request(['Li']) }).then(() => 'no error', (e: Error) => e.message))).toBe(wantFar);
  });

  it('holds the mobile ions only: frames × mobile × 12 B, not frames × atoms × 24 B', async () => {
    // 4 Li among 400 S, 300 frames.
    const nLi = 4, nS = 400, T = 300;
    let s = 'many framework atoms\n1.0\n20 0 0\n0 20 0\n0 0 20\nLi S\n' + `${nLi} ${nS}\n`;
    for (let f = 0; f < T; f++) {
      s += `Direct configuration= ${f + 1}\n`;
      for (let a = 0; a < nLi + nS; a++) s += ` ${(((a * 0.618) % 1) + 0.001 * Math.sin(f + a)).toFixed(8)} ${((a * 0.377) % 1).toFixed(8)} ${((a * 0.211 + f * 1e-4) % 1).toFixed(8)}\n`;
    }
    const p = join(dir, 'many-framework.XDATCAR');
    writeFileSync(p, s);
    for (const o of [SER, PAR]) {
      const t = await readXdatcar(p, { ...o, mobileFrames: request(['Li']) });
      expect(t.frac.length).toBe(0);
      const held = t.reduced!.elements.reduce((a, e) => a + e.positions.buffer.byteLength, 0);
      expect(held).toBeGreaterThanOrEqual(T * nLi * 12);
      expect(held).toBeLessThanOrEqual(T * nLi * 12 * 1.1);
      expect(held).toBeLessThan((T * (nLi + nS) * 24) / 100);
    }
    // The sink's own frame storage (positions, drift, step RMS) is that plus 32 B per frame.
    const sink = new MobileFrames({ species: ['Li', 'S'], speciesOf: Uint16Array.from({ length: nLi + nS }, (_, i) => (i < nLi ? 0 : 1)) }, { mobile: ['Li'], removeDrift: true, framesHint: T });
    expect(sink.allocatedBytes).toBe(T * (nLi * 12 + 32));
  });

  it('refuses an analysis the reduced frames were not made for (another species, drift choice or f64)', async () => {
    const p = plain(resolve(repoRoot, 'datasets/Na-hex/550K/XDATCAR.gz'), 'refuse.XDATCAR');
    const t = await readXdatcar(p, { ...SER, mobileFrames: request(['Na']) });
    t.metadata.frameIntervalFs = 1;
    const other = t.species.find((e) => e !== 'Na')!;
    for (const opts of [{ species: [other], precision: 'f32' as const }, { species: ['Na'], precision: 'f32' as const, removeDrift: false }, { species: ['Na'], precision: 'f64' as const }]) {
      expect(() => prepareAnalysis(t, opts)).toThrow(/reduced while read for species Na, drift removed, positions f32/);
    }
    expect(prepareAnalysis(t, { species: ['Na'], precision: 'f32' }).elements[0].element).toBe('Na');
  });

  it('reads all frames when the request names a species the file lacks, or the run is shorter than asked', async () => {
    const p = plain(resolve(repoRoot, 'datasets/Li-sc/600K/XDATCAR.gz'), 'short.XDATCAR');
    const a = await readXdatcar(p, { ...SER, mobileFrames: request(['Na']) });
    expect(a.reduced).toBeUndefined();
    expect(a.frac.length).toBe(a.nFrames * a.nAtoms * 3);
    const b = await readXdatcar(p, { ...PAR, mobileFrames: { ...request(['Li']), minIonFrames: 1e12 } });
    expect(b.reduced).toBeUndefined();
    expect(b.frac.length).toBe(b.nFrames * b.nAtoms * 3);
  });
});
