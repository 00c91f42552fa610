/**
 * Issue 17 item 3: a last line cut mid-number (what a killed MD run leaves) is not a complete
 * frame. XDATCAR, extxyz and LAMMPS drop it with a warning naming the file and frame (strict:
 * an error); a complete file that merely lacks its final newline keeps every frame.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { readTrajectoryFile } from '../../src/io/registry.js';
import { readXdatcar } from '../../src/io/xdatcar.js';
import { readExtxyz } from '../../src/io/extxyz.js';
import { readLammpsDump } from '../../src/io/lammps.js';
import { readVasprun } from '../../src/io/vasprun.js';
import { fx } from './formats-helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'ionsift-trunc-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function put(name: string, text: string | Buffer): string {
  const p = join(dir, name);
  writeFileSync(p, text);
  return p;
}

/** VASP-style fixed-width XDATCAR, `frames` frames of 4 atoms. */
function xdatcar(frames: number): string {
  let s = 'cut\n           1\n    10.000000    0.000000    0.000000\n     0.000000   10.000000    0.000000\n     0.000000    0.000000   10.000000\n   Li    S\n     2     2\n';
  for (let f = 0; f < frames; f++) {
    s += `Direct configuration=     ${f + 1}\n`;
    for (let a = 0; a < 4; a++) s += `  ${(0.1 + 0.2 * a + 0.001 * f).toFixed(8)}  0.54763132  0.25000000\n`;
  }
  return s;
}

describe('a last line cut mid-number', () => {
  const full = xdatcar(10);
  // "0.54763132" on the last line cut to "0": the file a killed run leaves.
  const killed = full.slice(0, full.lastIndexOf('0.54763132') + 1);

  it('XDATCAR (plain and gzip): 9 frames and a warning naming file and frame 9', async () => {
    for (const [name, bytes] of [['killed_XDATCAR', killed], ['killed_XDATCAR.gz', gzipSync(killed)]] as const) {
      const f = put(name, bytes);
      const t = await readXdatcar(f);
      expect(t.nFrames).toBe(9);
      expect(t.warnings[0]).toContain(`${f}: frame 9 is incomplete (its last line, line 57 "0.70900000  0", has no newline`);
      await expect(readXdatcar(f, { allowTruncated: false })).rejects.toThrow(ParseError);
      await expect(readXdatcar(f, { allowTruncated: false })).rejects.toThrow(`${f}, line 57, frame 9: file ends in the middle of frame 9 after 3 of 4`);
    }
  });

  it('XDATCAR: every cut position of the last frame gives 9 frames or 10 exact ones, never a wrong number', async () => {
    const ref = await readXdatcar(put('full_XDATCAR', full));
    const lastFrame = full.lastIndexOf('Direct configuration');
    for (let end = lastFrame + 1; end <= full.length; end += 1) {
      const t = await readXdatcar(put('cut_XDATCAR', full.slice(0, end)));
      if (t.nFrames === 10) expect(t.frac).toEqual(ref.frac);
      else {
        expect(t.nFrames).toBe(9);
        expect(t.frac).toEqual(ref.frac.subarray(0, 9 * 12));
        expect(t.warnings.join('\n')).toMatch(/frame 9 is incomplete|has no newline and was ignored/);
      }
    }
  });

  it('a complete file without its final newline keeps every frame, without a warning', async () => {
    const t = await readXdatcar(put('no_newline_XDATCAR', full.trimEnd()));
    expect(t.nFrames).toBe(10);
    expect(t.warnings).toEqual([]);
  });

  it('extxyz: the cut frame is dropped with a warning naming it', async () => {
    const text = readFileSync(fx('good.extxyz'), 'latin1');
    const ref = await readExtxyz(fx('good.extxyz'));
    const cutAt = text.trimEnd().lastIndexOf(' ') + 2; // keep one character of the last number
    const f = put('killed.extxyz', text.slice(0, cutAt));
    const t = await readExtxyz(f);
    expect(t.nFrames).toBe(ref.nFrames - 1);
    expect(t.warnings.join('\n')).toMatch(new RegExp(`killed\\.extxyz: file ends inside frame ${ref.nFrames - 1} .*has no newline`));
    await expect(readExtxyz(f, { allowTruncated: false })).rejects.toThrow(ParseError);
  });

  it('LAMMPS dump: the cut frame is dropped with a warning naming it', async () => {
    const text = readFileSync(fx('ortho_element.lammpstrj'), 'latin1');
    const ref = await readLammpsDump(fx('ortho_element.lammpstrj'));
    const body = text.trimEnd();
    const f = put('killed.lammpstrj', body.slice(0, body.length - 3));
    const t = await readLammpsDump(f);
    expect(t.nFrames).toBe(ref.nFrames - 1);
    expect(t.warnings.join('\n')).toMatch(new RegExp(`killed\\.lammpstrj: file ends inside frame ${ref.nFrames - 1} .*has no newline`));
    await expect(readTrajectoryFile(f)).resolves.toMatchObject({ nFrames: ref.nFrames - 1 });
  });

  it('vasprun: a <v> row cut mid-number is caught (complete frames kept with a warning)', async () => {
    const text = readFileSync(fx('small_npt.vasprun.xml'), 'latin1');
    const ref = await readVasprun(fx('small_npt.vasprun.xml'));
    // The last position row of the last MD step (rows after </calculation> are finalpos, not a frame).
    const rows = [...text.slice(0, text.lastIndexOf('</calculation>')).matchAll(/<v>[^<]*<\/v>/g)];
    const last = rows[rows.length - 1];
    const f = put('killed.vasprun.xml', text.slice(0, last.index! + last[0].indexOf('</v>') - 3));
    const t = await readVasprun(f);
    expect(t.nFrames).toBe(ref.nFrames - 1);
    expect(t.warnings.join('\n')).toMatch(/has no newline: the file was cut[\s\S]*incomplete frame was dropped/);
    // A complete vasprun.xml without its final newline loses nothing.
    const whole = await readVasprun(put('whole.vasprun.xml', text.trimEnd()));
    expect(whole.nFrames).toBe(ref.nFrames);
    expect(whole.warnings).toEqual(ref.warnings);
  });
});

describe('a UTF-8 byte-order mark', () => {
  it('is skipped the same way by every text reader', async () => {
    const bom = '\ufeff';
    const cases: [string, string, (p: string) => Promise<{ nFrames: number; frac: Float64Array }>][] = [
      ['bom_XDATCAR', xdatcar(3), (p) => readXdatcar(p)],
      ['bom.extxyz', readFileSync(fx('good.extxyz'), 'latin1'), (p) => readExtxyz(p)],
      ['bom.lammpstrj', readFileSync(fx('ortho_element.lammpstrj'), 'latin1'), (p) => readLammpsDump(p)],
      ['bom.vasprun.xml', readFileSync(fx('small_npt.vasprun.xml'), 'latin1'), (p) => readVasprun(p)],
    ];
    for (const [name, text, read] of cases) {
      const plain = await read(put(`plain_${name}`, text));
      const withBom = await read(put(name, Buffer.concat([Buffer.from(bom, 'utf8'), Buffer.from(text, 'latin1')])));
      expect(withBom.nFrames, name).toBe(plain.nFrames);
      expect(withBom.frac, name).toEqual(plain.frac);
    }
  });
});
