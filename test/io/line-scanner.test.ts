import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { LineScanner } from '../../src/io/line-scanner.js';

describe('LineScanner', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ionsift-lines-'));
  const lines = Array.from({ length: 500 }, (_, i) => `  ${(i * 0.001).toFixed(8)} ${(1 - i * 0.001).toFixed(8)} ${(i % 7) / 7}`);
  const text = `${lines.join('\n')}\n`;

  async function readAll(path: string, chunkSize: number): Promise<{ vals: Float64Array; lastLine: number }> {
    const sc = await LineScanner.open(path, { chunkSize });
    const vals = new Float64Array(lines.length * 3);
    let k = 0;
    try {
      while (k < lines.length && (await sc.fill())) k = sc.triples(lines.length, k, vals, 0);
      return { vals, lastLine: sc.line };
    } finally {
      sc.close();
    }
  }

  it.each([7, 64, 1 << 20])('reads lines split across chunks of %i bytes, plain and gzip', async (chunk) => {
    const plain = join(dir, 'plain.txt');
    const gz = join(dir, 'text.gz');
    writeFileSync(plain, text);
    writeFileSync(gz, gzipSync(text));
    const expected = Float64Array.from(lines.flatMap((l) => l.trim().split(/\s+/).map(Number)));
    for (const p of [plain, gz]) {
      const r = await readAll(p, chunk);
      expect(r.vals).toEqual(expected);
      expect(r.lastLine).toBe(lines.length + 1);
    }
  });

  it('parses random coordinate lines (fast and slow paths) exactly like Number()', async () => {
    const vals: string[] = [];
    for (let i = 0; i < 30000; i++) {
      const r = Math.random();
      const x = (Math.random() - 0.5) * 10 ** Math.floor(Math.random() * 10);
      vals.push(r < 0.6 ? x.toFixed(Math.floor(Math.random() * 11)) : r < 0.8 ? x.toExponential(Math.floor(Math.random() * 12)) : String(x));
    }
    const p = join(dir, 'random.txt');
    const rows: string[] = [];
    for (let i = 0; i < vals.length; i += 3) rows.push(`  ${vals[i]}\t${vals[i + 1]}   ${vals[i + 2]} `);
    writeFileSync(p, `${rows.join('\n')}\n`);
    const sc = await LineScanner.open(p, { chunkSize: 4096 });
    const out = new Float64Array(vals.length);
    let k = 0;
    while (k < rows.length && (await sc.fill())) k = sc.triples(rows.length, k, out, 0);
    sc.close();
    expect(k).toBe(rows.length);
    expect(out).toEqual(Float64Array.from(vals, Number));
  });

  it('handles a last line without newline and CRLF line ends', async () => {
    const p = join(dir, 'crlf.txt');
    writeFileSync(p, 'title\r\n1 2 3\r\n4 5 6');
    const sc = await LineScanner.open(p, { chunkSize: 5 });
    expect(await sc.nextLine()).toBe('title');
    const out = new Float64Array(6);
    let k = 0;
    while (k < 2 && (await sc.fill())) k = sc.triples(2, k, out, 0);
    sc.close();
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('reports the 1-based line of the line it stopped at', async () => {
    const p = join(dir, 'stop.txt');
    writeFileSync(p, '1 2 3\n4 5 6\n7 x 9\n');
    const sc = await LineScanner.open(p);
    await sc.fill();
    const k = sc.triples(3, 0, new Float64Array(9), 0);
    expect(k).toBe(2);
    expect(sc.line).toBe(3);
    expect(await sc.peekLine()).toBe('7 x 9');
    sc.close();
  });
  it("VASP's d.dddddddd fast path: every byte mutation gives what the number grammar says (value or refusal)", async () => {
    // Tokens of VASP's F12.8 shape with one or two bytes replaced, among them the bytes next to
    // '0'…'9' (':', '/'), ones whose high nibbles OR to 3 (0x1X, 0x2X), ones that carry when 6 is
    // added (0xFA…), and '.', 'e', signs, blanks; plus the shapes around it (7 or 9 digits).
    let seed = 12345;
    const rnd = (): number => { seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; return seed / 2 ** 32; };
    const odd = [0x2f, 0x3a, 0x3f, 0x40, 0x10, 0x13, 0x20, 0x23, 0x2e, 0x65, 0x44, 0x2b, 0x2d, 0xfa, 0xff, 0x09, 0x30, 0x39, 0x00, 0x7f];
    const token = (): string => {
      const neg = rnd() < 0.3 ? '-' : rnd() < 0.05 ? '+' : '';
      const nf = rnd() < 0.8 ? 8 : Math.floor(rnd() * 11);
      const cs = [...`${neg}${Math.floor(rnd() * (rnd() < 0.9 ? 10 : 1000))}.${Array.from({ length: nf }, () => Math.floor(rnd() * 10)).join('')}`].map((ch) => ch.charCodeAt(0));
      for (let m = rnd() < 0.2 ? 1 : rnd() < 0.1 ? 2 : 0; m > 0; m--) cs[Math.floor(rnd() * cs.length)] = odd[Math.floor(rnd() * odd.length)];
      return String.fromCharCode(...cs);
    };
    const rows: string[] = [];
    for (let i = 0; i < 40000; i++) rows.push(`${rnd() < 0.5 ? '  ' : ''}${token()} ${token()}${rnd() < 0.5 ? '  ' : ' '}${token()}${rnd() < 0.1 ? ' ' : ''}`);
    const grammar = /^[+-]?(\d+\.?\d*|\.\d+)([eEdD][+-]?\d+)?$/;
    const expected = rows.map((r) => {
      const toks = r.trim().split(/[ \t]+/);
      if (toks.length !== 3 || !toks.every((t) => grammar.test(t))) return null;
      const v = toks.map((t) => Number(t.replace(/[dD]/, 'e')));
      return v.every(Number.isFinite) ? v : null;
    });
    const p = join(dir, 'mutated.txt');
    writeFileSync(p, Buffer.from(`${rows.join('\n')}\n`, 'latin1'));
    const sc = await LineScanner.open(p, { chunkSize: 1 << 16 });
    const got: (number[] | null)[] = [];
    const out = new Float64Array(3);
    while (got.length < rows.length && (await sc.fill())) {
      const k = sc.triples(1, 0, out, 0);
      if (k === 1) got.push([...out]);
      else if (sc.pos < sc.end) { got.push(null); sc.skipLine(); }
    }
    sc.close();
    expect(got.length).toBe(rows.length);
    const bad = rows.map((r, i) => ({ r, want: expected[i], got: got[i] })).filter((x) => JSON.stringify(x.want?.map(String)) !== JSON.stringify(x.got?.map(String)) || (x.want !== null && x.want.some((v, j) => !Object.is(v, x.got![j]))));
    expect(bad.slice(0, 5)).toEqual([]);
    // The mutations reach both outcomes and the fast path's shape.
    expect(expected.filter((e) => e === null).length).toBeGreaterThan(5000);
    expect(expected.filter((e) => e !== null).length).toBeGreaterThan(5000);
  });
});
