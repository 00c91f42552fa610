import { describe, expect, it } from 'vitest';
import { isNonFiniteSpelling, isWellFormed, parseIntBytes, parseNumber, parseNumberBytes, scanEnd, scanNumber } from '../../src/io/number.js';
import { trickyNumbers } from './number-cases.js';

const bytes = (s: string) => Buffer.from(s, 'latin1');
/** What every accepted token must equal: Number() of it, the Fortran D exponent read as e. */
const reference = (s: string) => Number(s.replace(/[dD]/, 'e'));
const pb = (s: string) => {
  const b = bytes(s);
  return parseNumberBytes(b, 0, b.length);
};

describe('number grammar: accepted and refused spellings', () => {
  const accepted: [string, number][] = [
    ['0', 0], ['-0', -0], ['+0.0', 0], ['-0.0', -0], ['3', 3], ['+3', 3], ['-12.5', -12.5], ['.25', 0.25], ['5.', 5],
    ['-.5', -0.5], ['1e5', 1e5], ['1E5', 1e5], ['1.5e-05', 1.5e-5], ['1.5E+05', 1.5e5], ['2.5d+3', 2500], ['2.5D-3', 0.0025],
    ['1D5', 1e5], ['0.000e0', 0], ['007', 7], ['1e-400', 0], ['-1e-400', -0], ['5e-324', 5e-324], ['1.7976931348623157e308', 1.7976931348623157e308],
  ];
  it.each(accepted)('accepts %s', (s, v) => {
    expect(Object.is(pb(s), v)).toBe(true);
    expect(Object.is(parseNumber(` ${s}\t`), v)).toBe(true);
    const b = bytes(`${s} rest`);
    expect(Object.is(scanNumber(b, 0, b.length), v)).toBe(true);
    expect(scanEnd()).toBe(s.length);
    expect(isWellFormed(s)).toBe(true);
  });

  const refused = ['', ' ', '+', '-', '.', '+.', '-.e5', 'e5', 'nan', 'NaN', '-nan', 'inf', '-Inf', 'Infinity', '+infinity', 'INF',
    '0x10', '0b1', '0o7', '1_000', '1,5', '1.2.3', '0.5x', '1-2', '--1', '+-1', '1e', '1e+', '1d', '1e5.0', '1 2', '***', 'abc', '１'];
  it.each(refused)('refuses %j', (s) => {
    expect(pb(s)).toBeNaN();
    expect(parseNumber(s)).toBeNaN();
    expect(isWellFormed(s)).toBe(false);
  });

  it('refuses a finite spelling that overflows to ±Infinity, but calls it well formed', () => {
    for (const s of ['1e400', '-1e400', '1.7976931348623159e308', '1e99999999999', '9'.repeat(400)]) {
      expect(pb(s), s).toBeNaN();
      expect(isWellFormed(s), s).toBe(true);
    }
  });

  it('names the refused non-finite spellings', () => {
    for (const s of ['nan', '-NaN', 'inf', '+Inf', 'Infinity', '-infinity']) expect(isNonFiniteSpelling(s), s).toBe(true);
    for (const s of ['1', 'in', 'nanx', 'infinite']) expect(isNonFiniteSpelling(s), s).toBe(false);
  });

  it('a token must end at a blank or the limit', () => {
    const b = bytes('1.5\t2.5\n3');
    expect(scanNumber(b, 0, b.length)).toBe(1.5);
    expect(scanEnd()).toBe(3);
    expect(scanNumber(b, 4, b.length)).toBe(2.5);
    expect(scanNumber(b, 8, b.length)).toBe(3);
    expect(parseNumberBytes(b, 0, 7)).toBeNaN(); // "1.5\t2.5" is two tokens
  });

  it('parses integers: sign and digits only', () => {
    const ints: [string, number][] = [['42', 42], ['-7', -7], ['+3', 3], ['0', 0], ['9007199254740993', 9007199254740992]];
    for (const [s, v] of ints) expect(parseIntBytes(bytes(s), 0, s.length), s).toBe(v);
    for (const s of ['', '-', '1.0', '1e3', 'x', '1 2', '0x1']) expect(parseIntBytes(bytes(s), 0, s.length), s).toBeNaN();
  });
});

describe('number grammar: correctly rounded, bit-identical to Number() and parseFloat()', () => {
  const cases = trickyNumbers(60000, 12345);

  it('covers 17-digit mantissas, long digit strings, exponents near ±308 and denormals', () => {
    expect(cases.some((s) => /^-?\d\.\d{16}e/.test(s))).toBe(true);
    expect(cases.some((s) => s.replace(/[^0-9]/g, '').length > 40)).toBe(true);
    expect(cases.some((s) => /e30[5-9]$/.test(s))).toBe(true);
    expect(cases.some((s) => { const v = reference(s); return v !== 0 && Math.abs(v) < 2.2250738585072014e-308; })).toBe(true);
  });

  it('every token: the same double (or NaN where Number() overflows)', () => {
    let bad = 0;
    for (const s of cases) {
      const want = reference(s);
      const got = pb(s);
      const ok = Number.isFinite(want) ? Object.is(got, want) && Object.is(got, parseFloat(s.replace(/[dD]/, 'e'))) : Number.isNaN(got);
      if (!ok && bad++ < 5) expect.soft(got, s).toBe(want);
    }
    expect(bad).toBe(0);
  });

  it('the D exponent gives the same double as e', () => {
    for (const s of cases.filter((c) => c.includes('e')).slice(0, 5000)) {
      expect(Object.is(pb(s.replace('e', 'D')), pb(s)), s).toBe(true);
    }
  });
});
