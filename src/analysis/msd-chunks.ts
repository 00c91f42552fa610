/**
 * Chunk I/O of tracerMsd (msd.ts): copying ions from the frame-major input into per-signal rows,
 * centring, packing two signals into one zero-padded complex FFT input, and the reused work buffers.
 */
import type { Positions } from '../trajectory/types.js';

/**
 * Copies ions i0 … i0+nc−1 of the frame-major input into buf as [ion][axis][t], with each
 * signal's sum in sums. Tiles of LOAD_TILE frames: within a tile each signal is written as one
 * contiguous run while the tile's rows stay in cache (row-by-row copying wrote nc·3 strided streams
 * at once); each sum still adds its frames in ascending order, so it is the same sum.
 */
export function loadChunk(u: Positions, T: number, rowStride: number, i0: number, nc: number, buf: Float64Array, sums: Float64Array): void {
  const w = nc * 3;
  sums.fill(0, 0, w);
  for (let t0 = 0; t0 < T; t0 += LOAD_TILE) loadTile(u, T, rowStride, i0 * 3, w, t0, Math.min(T, t0 + LOAD_TILE), buf, sums);
}

/** Frames of one copy tile (loadChunk). */
const LOAD_TILE = 32;

/** Frames t0 … t1−1 of signals 0 … w−1 (starting at column c0 of each row) into buf, summed into sums. */
function loadTile(u: Positions, T: number, rowStride: number, c0: number, w: number, t0: number, t1: number, buf: Float64Array, sums: Float64Array): void {
  for (let j = 0; j < w; j++) {
    let s = sums[j];
    const o = j * T;
    for (let t = t0, r = t0 * rowStride + c0 + j; t < t1; t++, r += rowStride) {
      const v = u[r];
      buf[o + t] = v;
      s += v;
    }
    sums[j] = s;
  }
}

/** Centres each of the w signals of buf on its mean (MSD is translation invariant; avoids cancellation). */
export function centreSignals(buf: Float64Array, T: number, w: number, sums: Float64Array): void {
  for (let j = 0; j < w; j++) {
    const m = sums[j] / T, o = j * T;
    for (let t = 0; t < T; t++) buf[o + t] -= m;
  }
}

/**
 * Puts signals s and s+1 of buf (s+1 may not exist: nSig) into re + i·im, zero padded up to N/2:
 * the forward transform is called with `upperHalfZero` and never reads the upper half (N ≥ 2T).
 */
export function packPair(buf: Float64Array, T: number, s: number, nSig: number, re: Float64Array, im: Float64Array): void {
  const end = re.length >= 4 ? re.length >> 1 : re.length;
  re.set(buf.subarray(s * T, (s + 1) * T));
  re.fill(0, T, end);
  if (s + 1 < nSig) { im.set(buf.subarray((s + 1) * T, (s + 2) * T)); im.fill(0, T, end); } else im.fill(0, 0, end);
}

/**
 * Work buffers of tracerMsd that every call overwrites before reading (re/im by packPair, buf by
 * loadChunk, pIon zeroed per chunk, spec written before read), kept between calls up to
 * SCRATCH_MAX values each: a fresh multi-megabyte Float64Array per call cost page faults and
 * zeroing on every short run. Larger ones are allocated per call (compute dwarfs that there).
 * Contents are never returned.
 */
const scratchBufs = new Map<string, Float64Array>();
const SCRATCH_MAX = 1 << 19;
export function scratch(name: string, len: number): Float64Array {
  if (len > SCRATCH_MAX) return new Float64Array(len);
  const b = scratchBufs.get(name);
  if (b !== undefined && b.length >= len) return b.length === len ? b : b.subarray(0, len);
  const fresh = new Float64Array(len);
  scratchBufs.set(name, fresh);
  return fresh;
}
