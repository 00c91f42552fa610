/**
 * The one number grammar of every text reader (XDATCAR, extxyz, LAMMPS dump, vasprun.xml,
 * INCAR/OUTCAR values), parsed straight from bytes.
 *
 * Accepted, and nothing else:
 *   [+|-] digits [. [digits]] [exponent]      or      [+|-] . digits [exponent]
 *   exponent = (e | E | d | D) [+|-] digits
 * i.e. an optional sign, at least one mantissa digit with at most one '.', and an optional
 * exponent. The Fortran `D` exponent is accepted in every format: VASP and other Fortran codes
 * write it (`1.0D-05`), it cannot mean anything else in a numeric field, and one grammar for all
 * readers means a file never parses in one format and fails in another for the same number.
 *
 * Refused (the parser gives NaN, and the reader raises a ParseError naming file and line):
 * empty tokens, a lone sign or '.', `nan`/`NaN`, `inf`/`Infinity` in any spelling, hex/binary/
 * octal (`0x1f`), `1_000`, trailing garbage (`0.5abc`, `1.2.3`, `1-2`), an exponent without digits
 * (`1e`), and a finite spelling whose value overflows to ±Infinity (`1e400`): no accepted token
 * ever yields NaN or ±Infinity. Underflow is not an error: `1e-400` is 0, denormals are kept.
 *
 * Value: the correctly rounded (round-to-nearest-even) double, so bit-identical to `Number()` of
 * the same token (with `D` read as `e`); `-0` stays `-0`. Fast path (Clinger): ≤ 15 significant
 * digits and |exponent| ≤ 22 is one exact multiply/divide; anything else goes through `Number()`
 * on the already-validated token. `LineScanner.triples` inlines the short plain-decimal subset
 * of this grammar (no exponent, ≤ 9 + 9 digits) and hands every other token to `scanNumber`.
 *
 * Integers (`parseIntBytes`): optional sign and digits only; no '.', no exponent.
 */

/** Exact powers of ten: m·10^±k with m < 2^53 and k ≤ 22 rounds once, so it is exact-rounded. */
export const P10 = Float64Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** Position just after the last number scanned by `scanNumber` (module state keeps the hot path allocation-free). */
let NEXT = 0;

/** Set when the last slow-path token was well formed but overflowed (read by `isWellFormed`). */
let OVERFLOW = false;

/** Rare path: the validated token `b[start, end)` rounded by `Number()` (D exponent mapped to e); NaN on overflow. */
function slowValue(b: Uint8Array, start: number, end: number): number {
  let s = '';
  for (let i = start; i < end; i++) s += String.fromCharCode(b[i] === 100 || b[i] === 68 ? 101 : b[i]);
  const v = Math.abs(Number(s));
  if (Number.isFinite(v)) return v;
  OVERFLOW = true;
  return NaN;
}

/**
 * Parses one number of the grammar above starting at `p`; the token must end at a byte ≤ 32
 * (blank, line end) or at `lim`. Returns NaN when the bytes are not such a number. `scanEnd()`
 * then gives the position after the token.
 */
export function scanNumber(b: Uint8Array, p: number, lim: number): number {
  const start = p;
  let c = p < lim ? b[p] : 0;
  let neg = false;
  if (c === 45 || c === 43) {
    neg = c === 45;
    c = ++p < lim ? b[p] : 0;
  }
  let m = 0;
  let nd = 0; // significant digits accumulated into m
  let digits = 0; // all digits seen (mantissa)
  let e10 = 0;
  while (c >= 48 && c <= 57) {
    if (m !== 0 || c !== 48) { m = m * 10 + (c - 48); nd++; }
    digits++;
    c = ++p < lim ? b[p] : 0;
  }
  if (c === 46) {
    c = ++p < lim ? b[p] : 0;
    while (c >= 48 && c <= 57) {
      if (m !== 0 || c !== 48) { m = m * 10 + (c - 48); nd++; }
      e10--;
      digits++;
      c = ++p < lim ? b[p] : 0;
    }
  }
  if (digits === 0) { NEXT = p; return NaN; }
  if (c === 101 || c === 69 || c === 100 || c === 68) {
    c = ++p < lim ? b[p] : 0;
    let eneg = false;
    if (c === 45 || c === 43) { eneg = c === 45; c = ++p < lim ? b[p] : 0; }
    let ev = 0, ed = 0;
    while (c >= 48 && c <= 57) {
      if (ev < 100000) ev = ev * 10 + (c - 48);
      ed++;
      c = ++p < lim ? b[p] : 0;
    }
    if (ed === 0) { NEXT = p; return NaN; }
    e10 += eneg ? -ev : ev;
  }
  // The token must end here: "0.5abc", "1.2.3", "1-2" are garbage, not numbers.
  NEXT = p;
  if (p < lim && c > 32) return NaN;
  let v: number;
  if (nd <= 15 && e10 >= -22 && e10 <= 22) v = e10 === 0 ? m : e10 < 0 ? m / P10[-e10] : m * P10[e10];
  else v = slowValue(b, start, p);
  return neg ? -v : v;
}

/** Position after the last `scanNumber` call. */
export function scanEnd(): number {
  return NEXT;
}

/** The number that is exactly the token `b[s, e)` (NaN when it is not one; see the grammar above). */
export function parseNumberBytes(b: Uint8Array, s: number, e: number): number {
  if (s >= e) return NaN;
  const v = scanNumber(b, s, e);
  return NEXT === e ? v : NaN;
}

/** Scratch bytes for `parseNumber` (header values are short). */
let scratch = new Uint8Array(64);

/** The number spelled by `s` (surrounding whitespace ignored, as `Number()` does); NaN when it is not one. */
export function parseNumber(s: string): number {
  const t = s.trim();
  const n = t.length;
  if (n > scratch.length) scratch = new Uint8Array(2 * n);
  for (let i = 0; i < n; i++) {
    const c = t.charCodeAt(i);
    if (c > 127) return NaN;
    scratch[i] = c;
  }
  return parseNumberBytes(scratch, 0, n);
}

/**
 * True when `s` is spelled as a number of this grammar, in range or not (`1e400` is well formed
 * but refused by the parsers): lets error messages tell "not a number" from "out of range".
 */
export function isWellFormed(s: string): boolean {
  OVERFLOW = false;
  return !Number.isNaN(parseNumber(s)) || OVERFLOW;
}

/** True for the refused non-finite spellings `nan`, `inf`, `infinity` (any case, optional sign). */
export function isNonFiniteSpelling(s: string): boolean {
  return /^[+-]?(nan|inf(inity)?)$/i.test(s.trim());
}

/** Parses a plain decimal integer `b[s, e)` (optional sign, digits only); NaN when not an integer. */
export function parseIntBytes(b: Uint8Array, s: number, e: number): number {
  let i = s;
  if (i >= e) return NaN;
  let neg = false;
  if (b[i] === 45) {
    neg = true;
    i++;
  } else if (b[i] === 43) i++;
  if (i >= e) return NaN;
  let v = 0;
  for (; i < e; i++) {
    const d = b[i] - 48;
    if (d < 0 || d > 9) return NaN;
    v = v * 10 + d;
  }
  return neg ? -v : v;
}
