/**
 * The number loop alone: `LineScanner.triples` (with the d.dddddddd fast path) against the
 * digit-loop version it replaced (copied below as the baseline), on the same 40 MB of coordinate
 * lines held in memory, into a pre-faulted output (no I/O, no page faults), in turn per repeat.
 * Checks that both give the same bits.
 *
 *   npx tsx bench/triples-fastpath.ts [--source FILE] [--mb 40] [--repeats 5]
 *
 * Default source: bench/data/XDATCAR_big (built by bench/parse-xdatcar.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { loadavg } from 'node:os';
import { LineScanner } from '../src/io/line-scanner.js';
import { P10, scanEnd, scanNumber } from '../src/io/number.js';

const here = dirname(fileURLToPath(import.meta.url));
const { values } = parseArgs({ options: { source: { type: 'string', default: resolve(here, 'data/XDATCAR_big') }, mb: { type: 'string', default: '40' }, repeats: { type: 'string', default: '5' } } });
const raw = readFileSync(values.source!);
const all = raw[0] === 0x1f && raw[1] === 0x8b ? gunzipSync(raw) : raw;
// Whole lines after the header (up to the first configuration line), about --mb MB of them.
let start = all.indexOf('configuration');
start = all.indexOf(10, start) + 1;
const buf = all.subarray(start, all.indexOf(10, Math.min(all.length - 1, start + Number(values.mb) * 1e6)) + 1);
const N = Math.ceil(buf.length / 6);
const outOld = new Float64Array(N).fill(1), outNew = new Float64Array(N).fill(1);

/** The baseline: LineScanner.triples as it was before the fast path (digit loops for every number). */
function triplesDigitLoops(sc: { buf: Buffer; pos: number; end: number; line: number }, n: number, k: number, out: Float64Array, off: number): number {
  const b = sc.buf, lim = sc.end;
  let p = sc.pos, line = sc.line;
  let o = off + 3 * k;
  while (k < n && p < lim) {
    const ls = p;
    let ok = true;
    for (let j = 0; j < 3; j++) {
      let c = b[p];
      while (c === 32 || c === 9) c = b[++p];
      const s = p;
      let neg = false;
      if (c === 45) { neg = true; c = b[++p]; } else if (c === 43) c = b[++p];
      const is = p;
      let ip = 0, d = c - 48;
      while (d >>> 0 < 10) { ip = (ip * 10 + d) | 0; d = b[++p] - 48; }
      const nd = p - is;
      let fp = 0, nf = 0;
      if (d === -2) {
        const fs = ++p;
        d = b[p] - 48;
        while (d >>> 0 < 10) { fp = (fp * 10 + d) | 0; d = b[++p] - 48; }
        nf = p - fs;
      }
      c = d + 48;
      let v: number;
      if (nd + nf > 0 && nd <= 9 && nf <= 9 && nd + nf <= 15 && (c === 32 || c === 10 || c === 9 || c === 13)) {
        v = nf === 0 ? ip : (ip * P10[nf] + fp) / P10[nf];
        if (neg) v = -v;
      } else {
        v = scanNumber(b, s, lim);
        if (v !== v) { ok = false; break; }
        p = scanEnd();
      }
      out[o + j] = v;
    }
    if (!ok) { p = ls; break; }
    let c = b[p];
    while (c === 32 || c === 9 || c === 13) c = b[++p];
    if (c !== 10) { p = ls; break; }
    p++; o += 3; k++; line++;
  }
  sc.pos = p; sc.line = line;
  return k;
}

/** All lines of `buf` (configuration lines skipped) through `triples`; numbers parsed. */
function run(triples: (sc: LineScanner, out: Float64Array, o: number) => number, out: Float64Array): number {
  const sc = Object.create(LineScanner.prototype) as LineScanner;
  sc.buf = buf; sc.pos = 0; sc.end = buf.length; sc.line = 1;
  let o = 0;
  while (sc.pos < sc.end) {
    o += 3 * triples(sc, out, o);
    if (sc.pos < sc.end) sc.pos = buf.indexOf(10, sc.pos) + 1;
  }
  return o;
}
const oldWay = (sc: LineScanner, out: Float64Array, o: number) => triplesDigitLoops(sc, 1 << 30, 0, out, o);
const newWay = (sc: LineScanner, out: Float64Array, o: number) => sc.triples(1 << 30, 0, out, o);
const cpu = (fn: () => number): { s: number; n: number } => { const c0 = process.cpuUsage(); const n = fn(); const c = process.cpuUsage(c0); return { s: (c.user + c.system) / 1e6, n }; };
const mb = buf.length / 1e6;
const ratios: number[] = [];
for (let r = 0; r < Number(values.repeats); r++) {
  const a = cpu(() => run(oldWay, outOld)), b = cpu(() => run(newWay, outNew));
  ratios.push(a.s / b.s);
  console.log(`repeat ${r + 1}: digit loops ${(mb / a.s).toFixed(0)} MB/s CPU, fast path ${(mb / b.s).toFixed(0)} MB/s CPU (${(b.s * 1e9 / b.n).toFixed(1)} ns/number), ratio ${(a.s / b.s).toFixed(2)}, load ${loadavg()[0].toFixed(1)}`);
}
const same = Buffer.from(outOld.buffer).equals(Buffer.from(outNew.buffer));
ratios.sort((x, y) => x - y);
console.log(`${mb.toFixed(1)} MB of ${values.source}; ratio median ${ratios[ratios.length >> 1].toFixed(2)} (${ratios[0].toFixed(2)}–${ratios[ratios.length - 1].toFixed(2)}); same bits: ${same}`);
process.exit(same ? 0 : 1);
