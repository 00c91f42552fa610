import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { ParseError } from '../../src/io/errors.js';
import { scanLines } from '../../src/io/scan-lines.js';
import { tokenize } from '../../src/io/tokens.js';

describe('tokenize', () => {
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
    const r = await scanLines(p, (b, s, e, line) => seen.push(`${line}:${b.subarray(s, e).toString().slice(0, 5)}:${e - s}`), undefined, undefined, false);
    expect(seen).toEqual(['1:a:1', '2::0', '3:xxxxx:1500000', '4:last:4']);
    expect(r.lines).toBe(4);
    // By default an unterminated last line shorter than the one before it is cut off, not handed out.
    const cut: string[] = [];
    const rc = await scanLines(p, (b, s, e) => cut.push(b.subarray(s, e).toString().slice(0, 5)));
    expect(cut).toEqual(['a', '', 'xxxxx']);
    expect(rc.cut).toEqual({ line: 4, text: 'last' });
  });

  it('a truncated .gz is a ParseError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ionsift-scan-'));
    const p = join(dir, 'cut.gz');
    const gz = gzipSync(Buffer.from('hello\n'.repeat(10000)));
    writeFileSync(p, gz.subarray(0, gz.length >> 1));
    const err = await scanLines(p, () => undefined).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(ParseError);
    // The same wording and location as the XDATCAR reader's (one gzip-error mapping for all readers).
    expect((err as ParseError).message).toMatch(/cut\.gz, line \d+: gzip data is corrupt or truncated \(.*\); expected a complete gzip stream/);
    expect((err as ParseError).line).toBeGreaterThan(1);
  });
});
