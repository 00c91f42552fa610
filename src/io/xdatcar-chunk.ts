/**
 * One parse thread's share of an XDATCAR (see xdatcar-parallel.ts): the frames in a byte range
 * that starts at a configuration line (or, for the first range, at frame 0's coordinates) and
 * ends at one (or at the end of the file), written at their frame's place in the shared output.
 * Only the regular layout is accepted — consecutive configuration numbers, the counts' number of
 * coordinate lines, no repeated header — anything else is answered "not as planned" and the
 * whole file is read again on one thread, which says what is wrong and where.
 */
import { LineScanner } from './line-scanner.js';
import { parseConfigLine } from './xdatcar-header.js';
import { cartesianToFractional } from './xdatcar-coords.js';
import type { ChunkResult, XdatcarChunk } from './parse-task.js';

export async function parseXdatcarChunk(t: XdatcarChunk): Promise<ChunkResult> {
  const out = t.f32 ? new Float32Array(t.out) : new Float64Array(t.out);
  const n = t.nAtoms, stride = n * 3, base = t.outFrame0 ?? 0;
  const sc = await LineScanner.open(t.file, { range: { start: t.start, end: t.end } });
  const where = (): string => `byte range ${t.start}–${t.end}, line ${sc.line} of it`;
  try {
    let f = t.f0, num = t.number;
    for (let cfgNeeded = !t.bare; ; cfgNeeded = true) {
      if (cfgNeeded) {
        if (!(await sc.skipBlankLines())) break;
        const c = parseConfigLine((await sc.peekLine()) ?? '');
        if (!c) return { ok: false, why: `${where()}: not a configuration line (repeated header, or more coordinate lines than the counts)` };
        if (c.cartesian !== t.cartesian || c.number !== num) return { ok: false, why: `${where()}: configuration ${c.number} (${c.cartesian ? 'Cartesian' : 'Direct'}), expected ${num}` };
        sc.skipLine();
        num++;
      }
      if (f >= t.fEnd) return { ok: false, why: `${where()}: more frames than the ${t.fEnd - t.f0} planned` };
      const off = (f - base) * stride;
      let k = 0;
      while (k < n) {
        if (sc.pos >= sc.end && !(await sc.fill())) return { ok: false, why: `${where()}: the range ends inside frame ${f}` };
        k = sc.triples(n, k, out, off);
        if (k < n && sc.pos < sc.end) return { ok: false, why: `${where()}: not a coordinate line in frame ${f}` };
      }
      if (t.cartesian) cartesianToFractional(out, off, n, t.cartScale!, t.Linv!);
      f++;
    }
    if (f !== t.fEnd) return { ok: false, why: `${where()}: ${f - t.f0} frames, ${t.fEnd - t.f0} planned` };
    return { ok: true };
  } finally {
    sc.close();
  }
}
