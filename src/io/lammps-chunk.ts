/**
 * One parse thread's share of a LAMMPS dump (see lammps-parallel.ts): the whole frames in a
 * byte range, through the serial reader's own line handler (LammpsDumpParser). A range that
 * ends inside a frame answers "not as planned"; a bad line throws (the caller then reads the
 * file on one thread, which locates the error in the whole file).
 */
import { LineScanner } from './line-scanner.js';
import { drainLines } from './scan-lines.js';
import { LammpsDumpParser } from './lammps-parser.js';
import type { ChunkResult, LammpsChunk, LammpsChunkResult } from './parse-task.js';

export async function parseLammpsChunk(t: LammpsChunk): Promise<LammpsChunkResult | ChunkResult & { ok: false }> {
  const p = new LammpsDumpParser(t.file, t.typeMap);
  p.size = { fileSize: t.fileSize, gzip: false };
  const sc = await LineScanner.open(t.file, { range: { start: t.start, end: t.end }, maxLine: 1 << 24 });
  const line = await drainLines(sc, (b, start, end, n) => p.onLine(b, start, end, n));
  if (p.midFrame || p.frac === null) return { ok: false, why: `byte range ${t.start}–${t.end} ends inside a frame` };
  const { nFrames, nAtoms } = p;
  return {
    ok: true, lines: line, nFrames, nAtoms, species: p.species, counts: p.counts, speciesOf: p.speciesOf,
    frac: p.frac.data.slice(0, nFrames * nAtoms * 3), lat: p.lat.data.slice(0, nFrames * 9),
    steps: p.steps.slice(0, nFrames), times: p.times, allTimes: p.allTimes, units: p.units, warnings: p.warnings,
  };
}
