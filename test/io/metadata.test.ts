import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { existsSync } from 'node:fs';
import { parseIncar, readOutcar } from '../../src/io/incar.js';
import { parseSidecar } from '../../src/io/sidecar.js';
import { loadTrajectory, requireMetadata } from '../../src/io/load.js';
import { MetadataError, ParseError } from '../../src/io/errors.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';

const fx = (name: string) => resolve(import.meta.dirname, '../fixtures/xdatcar', name);

describe('INCAR / OUTCAR', () => {
  it('parses INCAR statements, ;-separated and with comments', () => {
    const p = parseIncar('SYSTEM = x\nIBRION = 0 ; POTIM = 1.5   # fs\n NBLOCK=10\nTEBEG = 650 ! K\n# TEEND = 1\n');
    expect(p).toMatchObject({ potimFs: 1.5, nblock: 10, tebegK: 650, teendK: null });
  });

  const outcar = realCase('format_vasp_md_outputs_xdatbus/OUTCAR');
  it.skipIf(!hasRealData || !existsSync(outcar))(`reads POTIM, NBLOCK, TEBEG and elements from a real OUTCAR (${realDataSkipReason})`, async () => {
    const o = await readOutcar(outcar);
    expect(o).toMatchObject({ potimFs: 1, nblock: 1, tebegK: 300, teendK: 300 });
    expect(o.elements).toEqual(['Si', 'H', 'C', 'N', 'O']);
    expect(o.ionsPerType).toEqual([30, 41, 3, 1, 70]);
  });
});

describe('sidecar', () => {
  const text = JSON.stringify({
    temperature_k: 500, frame_interval_fs: 100, mobile: ['Na'],
    trajectories: [
      { name: 'a', material: 'A', files: ['a.gz'] },
      { name: 'b', temperature_k: 600, files: ['b1.gz', 'b2.gz'] },
    ],
    ignore: ['notes.txt'],
  }, null, 2);
  it('merges top-level keys into each entry, entry keys winning', () => {
    const s = parseSidecar(text, '/x/ionsift.json');
    expect(s.trajectories.map((e) => [e.name, e.files, e.meta.temperature_k, e.meta.material ?? null])).toEqual([
      ['a', ['a.gz'], 500, 'A'],
      ['b', ['b1.gz', 'b2.gz'], 600, null],
    ]);
    expect(s.trajectories[1].meta.frame_interval_fs).toBe(100);
    expect(s.ignore).toEqual(['notes.txt']);
  });
  it('rejects unknown keys inside an entry, naming the key and its line', () => {
    const t = '{\n "trajectories": [\n  {"files": ["x"],\n   "temprature_k": 5}\n ]\n}';
    expect(() => parseSidecar(t, '/x/ionsift.json')).toThrowError(/line 4: unknown key "temprature_k" in trajectories\[0\]/);
    expect(() => parseSidecar(t, '/x/ionsift.json')).toThrowError(ParseError);
  });
});

describe('metadata resolution (file < sidecar < CLI)', () => {
  it('takes frame interval and temperature from INCAR', async () => {
    const t = await loadTrajectory(fx('with_incar'));
    expect(t.metadata.frameIntervalFs).toBe(15);
    expect(t.metadata.timestepFs).toBe(1.5);
    expect(t.metadata.stepsPerFrame).toBe(10);
    expect(t.metadata.temperatureK).toBe(650);
    expect(t.metadata.sources.temperatureK).toBe('INCAR');
    expect(t.warnings).toEqual([]);
  });
  it('lets the sidecar override INCAR and the CLI override both', async () => {
    const t = await loadTrajectory(fx('sidecar_over_incar'));
    expect(t.metadata.temperatureK).toBe(700);
    expect(t.metadata.frameIntervalFs).toBe(30); // POTIM 1.5 (INCAR) × NBLOCK 20 (sidecar)
    expect(t.metadata.material).toBe('fixture');
    const c = await loadTrajectory(fx('sidecar_over_incar'), { temperatureK: 800, frameIntervalFs: 7 });
    expect(c.metadata.temperatureK).toBe(800);
    expect(c.metadata.frameIntervalFs).toBe(7);
    expect(c.metadata.sources.frameIntervalFs).toBe('command line');
  });
  it('does not pick a temperature for a TEBEG→TEEND ramp, and uses VASP\'s NBLOCK default 1', async () => {
    const t = await loadTrajectory(fx('ramp_incar'));
    expect(t.metadata.frameIntervalFs).toBe(2);
    expect(t.metadata.temperatureK).toBeNull();
    expect(t.warnings.join('\n')).toMatch(/TEBEG 300 K and TEEND 900 K differ/);
    expect(t.warnings.join('\n')).toMatch(/temperature unknown.*"temperature_k" in ionsift.json.*--temperature-k/);
  });
  it('reports exactly what is missing and how to give it, and requireMetadata throws it', async () => {
    const t = await loadTrajectory(fx('direct.XDATCAR'));
    expect(t.metadata.frameIntervalFs).toBeNull();
    expect(t.metadata.temperatureK).toBeNull();
    const w = t.warnings.join('\n');
    expect(w).toMatch(/frame interval unknown.*INCAR POTIM and NBLOCK.*"frame_interval_fs".*--frame-interval-fs/);
    expect(() => requireMetadata(t, ['frameIntervalFs', 'temperatureK'])).toThrowError(MetadataError);
    expect(() => requireMetadata(t, ['temperatureK'])).toThrowError(/direct.XDATCAR: temperature unknown/);
    const ok = await loadTrajectory(fx('direct.XDATCAR'), { frameIntervalFs: 2, temperatureK: 300 });
    expect(() => requireMetadata(ok, ['frameIntervalFs', 'temperatureK'])).not.toThrow();
  });
  it('names NBLOCK when only POTIM is known', async () => {
    const t = await loadTrajectory(fx('direct.XDATCAR'), { timestepFs: 2 });
    expect(t.metadata.frameIntervalFs).toBeNull();
    expect(t.warnings.join('\n')).toMatch(/POTIM is 2 fs \(command line\) but NBLOCK/);
  });
});
