/**
 * One parse thread's share of an extxyz file (see extxyz-parallel.ts): the whole frames in a
 * byte range, through the serial reader's own line handler (ExtxyzParser), so the numbers are
 * its bits. A range that ends inside a frame answers "not as planned"; a bad line throws (the
 * caller then reads the file on one thread, which locates the error in the whole file).
 */
import { LineScanner } from './line-scanner.js';
import { drainLines } from './scan-lines.js';
import { ExtxyzParser } from './extxyz-parser.js';
import type { ChunkResult, ExtxyzChunk, ExtxyzChunkResult } from './parse-task.js';

export async function parseExtxyzChunk(t: ExtxyzChunk): Promise<ExtxyzChunkResult | ChunkResult & { ok: false }> {
  const p = new ExtxyzParser(t.file);
  p.size = { fileSize: t.fileSize, gzip: false };
  const sc = await LineScanner.open(t.file, { range: { start: t.start, end: t.end }, maxLine: 1 << 24 });
  const line = await drainLines(sc, (b, start, end, n) => p.onLine(b, start, end, n));
  if (p.partialWhat !== null || p.frac === null) return { ok: false, why: `byte range ${t.start}–${t.end} ends inside a frame` };
  const { nFrames, nAtoms } = p;
  return {
    ok: true, lines: line, nFrames, nAtoms, species: p.species, counts: p.counts, speciesOf: p.speciesOf,
    frac: p.frac.data.slice(0, nFrames * nAtoms * 3), lat: p.lat.data.slice(0, nFrames * 9),
    times: p.times, allTimes: p.allTimes, temps: p.temps,
    title: p.title, warnings: p.warnings,
  };
}
