/**
 * Tokens of a line, straight from its bytes (readers that take lines apart without a string per
 * token), and small string helpers for headers and error messages.
 */

export function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 13 || c === 11 || c === 12;
}

/**
 * Splits `buf[s, e)` on blanks. Token i is `[out[2i], out[2i+1])`. Returns the token count;
 * tokens beyond the capacity of `out` are counted but not stored.
 */
export function tokenize(buf: Uint8Array, s: number, e: number, out: Int32Array): number {
  const cap = out.length >> 1;
  let n = 0;
  let i = s;
  while (i < e) {
    while (i < e && isSpace(buf[i])) i++;
    if (i >= e) break;
    const t = i;
    while (i < e && !isSpace(buf[i])) i++;
    if (n < cap) {
      out[2 * n] = t;
      out[2 * n + 1] = i;
    }
    n++;
  }
  return n;
}

/** True when `buf[s, e)` holds only blanks. */
export function isBlank(buf: Uint8Array, s: number, e: number): boolean {
  for (let i = s; i < e; i++) if (!isSpace(buf[i])) return false;
  return true;
}

/** Latin-1 text of `b[s, e)` (one string; use for headers and messages, not per number). */
export function text(b: Uint8Array, s: number, e: number): string {
  return Buffer.from(b.buffer, b.byteOffset + s, e - s).toString('latin1');
}

/** True when `b[s, e)` equals the ASCII bytes `ascii`. */
export function bytesEqual(b: Uint8Array, s: number, e: number, ascii: Uint8Array): boolean {
  if (e - s !== ascii.length) return false;
  for (let i = 0; i < ascii.length; i++) if (b[s + i] !== ascii[i]) return false;
  return true;
}

/** Shortened, quoted text of `b[s, e)` for error messages (cf. `excerpt` for strings). */
export function excerptBytes(b: Uint8Array, s: number, e: number, max = 60): string {
  const t = text(b, s, Math.min(e, s + max + 1));
  return JSON.stringify(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** Splits a header line into whitespace-separated tokens (headers only; never for bulk numbers). */
export function tokens(line: string): string[] {
  const t = line.trim();
  return t === '' ? [] : t.split(/\s+/);
}

/** Short, printable excerpt of a line for error messages. */
export function excerpt(s: string, max = 60): string {
  // eslint-disable-next-line no-control-regex
  const clean = s.replace(/[\x00-\x08\x0e-\x1f\x7f-\x9f\ufffd]/g, '?').trim();
  return clean.length > max ? `${clean.slice(0, max)}…` : clean;
}

/** True when text looks binary (NUL bytes or many control / replacement characters). */
export function looksBinary(s: string): boolean {
  if (s.includes('\0')) return true;
  let bad = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c < 32 && c !== 9 && c !== 13) || c === 0xfffd) bad++;
  }
  return s.length > 0 && bad / s.length > 0.1;
}
