import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { parseFloatBytes, parseIntBytes, scanLines, tokenize } from '../../src/io/lines.js';

const pf = (s: string) => {
  const b = Buffer.from(s, 'latin1');
  return parseFloatBytes(b, 0, b.length);
};

describe('format-scan number parsing', () => {
  it('agrees bit-for-bit with Number() on valid decimals, fast and slow paths', () => {
    const cases = ['0', '-0.5', '+3', '1.', '.25', '0.40130367', '23.00000000', '1e-7', '-2.5E+03', '6.02214076e23',
      '0.1234567890123456789', '12345678901234567890', '1e-300', '5e-324', '0.30000000000000004', '-1.7976931348623157e308'];
    for (const c of cases) expect(Object.is(pf(c), Number(c)) || pf(c) === Number(c), c).toBe(true);
    let s = 7;
    for (let i = 0; i < 5000; i++) {
      s = (s * 16807) % 2147483647;
      const x = (s / 2147483647 - 0.5) * 10 ** ((s % 9) - 4);
      expect(pf(String(x))).toBe(x);
    }
  });

  it('rejects garbage and returns non-finite for NaN/Infinity spellings', () => {
    for (const c of ['', '-', '1.2.3', '0x10', '1e', '1,5', 'abc', '1-2']) expect(pf(c), c).toBeNaN();
    expect(pf('NaN')).toBeNaN();
    expect(pf('Infinity')).toBe(Infinity);
    const b = Buffer.from('42 -7 x');
    expect(parseIntBytes(b, 0, 2)).toBe(42);
    expect(parseIntBytes(b, 3, 5)).toBe(-7);
    expect(parseIntBytes(b, 6, 7)).toBeNaN();
  });

  it('tokenize splits on blanks and counts tokens beyond capacity', () => {
    const b = Buffer.from('  a bb\tccc  d ');
    const out = new Int32Array(4);
    expect(tokenize(b, 0, b.length, out)).toBe(4);
    expect(b.subarray(out[0], out[1]).toString()).toBe('a');
    expect(b.subarray(out[2], out[3]).toString()).toBe('bb');
  });
});

describe('scanLines', () => {
  it('yields every line with CRLF stripped and a last line without newline, across chunk boundaries', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-scan-'));
    const p = join(dir, 'lines.txt');
    const long = 'x'.repeat(1500000); // longer than one 1 MiB chunk
    writeFileSync(p, `a\r\n\n${long}\nlast`);
    const seen: string[] = [];
    const r = await scanLines(p, (b, s, e, line) => seen.push(`${line}:${b.subarray(s, e).toString().slice(0, 5)}:${e - s}`));
    expect(seen).toEqual(['1:a:1', '2::0', '3:xxxxx:1500000', '4:last:4']);
    expect(r.lines).toBe(4);
  });

  it('a truncated .gz is a ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-scan-'));
    const p = join(dir, 'cut.gz');
    const gz = gzipSync(Buffer.from('hello\n'.repeat(10000)));
    writeFileSync(p, gz.subarray(0, gz.length >> 1));
    await expect(scanLines(p, () => undefined)).rejects.toBeInstanceOf(ParseError);
  });
});
