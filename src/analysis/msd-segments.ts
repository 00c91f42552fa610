/**
 * The MSD of a run cut into continuous segments (segments.ts): windows (origin, origin + lag)
 * that span a break are not counted. Each segment's time-origin sums are added, and so are its
 * window counts: MSD(m) = Σ_s (T_s − m)·MSD_s(m) / Σ_s (T_s − m) over segments with T_s > m, which
 * is the unsegmented estimator when there is one segment (then `tracerMsd` itself is called).
 * Lags run to the longest segment's T_s − 1.
 *
 * The error model carries over: per-ion MSDs are combined the same way, so the per-ion slopes,
 * their bootstrap over ions and the spatial blocks apply unchanged; the moving-block bootstrap in
 * time (single ion, centre of mass) draws blocks of increments that lie inside one segment (the
 * jump at a break is no increment) and evaluates each replicate with the same segmented estimator.
 */
import { tracerMsd, type TracerMsd } from './msd.js';
import type { FrameSegment } from './segments.js';
import { longestSegment } from './segments.js';
import { sampleStd } from '../stats/moments.js';
import type { Positions } from '../trajectory/types.js';

/** `tracerMsd` over segments, combined by window counts (module doc). Output lags 0 … longest − 1. */
export function segmentedTracerMsd(
  unwrapped: Positions, nFrames: number, nIons: number, perIonLags: Int32Array,
  opts: { tensor?: boolean }, segs: readonly FrameSegment[],
): TracerMsd {
  if (segs.length === 1 && segs[0].start === 0 && segs[0].end === nFrames) return tracerMsd(unwrapped, nFrames, nIons, perIonLags, opts);
  const n = nIons, Tm = longestSegment(segs), L = perIonLags.length;
  for (let j = 0; j < L; j++) {
    if (!(perIonLags[j] >= 0 && perIonLags[j] < Tm)) throw new RangeError(`per-ion lag ${perIonLags[j]} outside 0…${Tm - 1} (longest continuous segment)`);
  }
  const msd = new Float64Array(Tm), count = new Float64Array(Tm);
  const perIon = new Float64Array(n * L), perIonCount = new Float64Array(L);
  const tensor = opts.tensor ? Array.from({ length: 6 }, () => new Float64Array(Tm)) : [];
  for (const s of segs) {
    const Ts = s.end - s.start;
    if (Ts < 2) continue;
    // Per-ion lags this segment reaches, and where they go in the output.
    const at: number[] = [];
    for (let j = 0; j < L; j++) if (perIonLags[j] < Ts) at.push(j);
    const lagsS = Int32Array.from(at, (j) => perIonLags[j]);
    const r = tracerMsd(unwrapped.subarray(s.start * n * 3, s.end * n * 3), Ts, n, lagsS, opts);
    for (let m = 1; m < Ts; m++) {
      const w = Ts - m;
      msd[m] += w * r.msd[m];
      count[m] += w;
      for (let c = 0; c < tensor.length; c++) tensor[c][m] += w * r.tensor[c][m];
    }
    for (let q = 0; q < at.length; q++) {
      const j = at[q], w = Ts - perIonLags[j];
      perIonCount[j] += w;
      for (let i = 0; i < n; i++) perIon[i * L + j] += w * r.perIon[i * at.length + q];
    }
  }
  for (let m = 1; m < Tm; m++) {
    msd[m] /= count[m];
    for (let c = 0; c < tensor.length; c++) tensor[c][m] /= count[m];
  }
  for (let j = 0; j < L; j++) {
    const w = perIonCount[j];
    for (let i = 0; i < n; i++) perIon[i * L + j] = w > 0 ? perIon[i * L + j] / w : 0;
  }
  return { msd, perIonLags: Int32Array.from(perIonLags), perIon, tensor, perIonTensorForm: new Float64Array(0) };
}

/** Σ_j c_j·MSD(lags_j) of one particle (T × 3) with the segmented estimator. */
export function segmentedLinearForm(pos: Positions, nFrames: number, segs: readonly FrameSegment[], lags: Int32Array, c: Float64Array): number {
  const msd = segmentedTracerMsd(pos, nFrames, 1, new Int32Array(0), {}, segs).msd;
  let s = 0;
  for (let j = 0; j < lags.length; j++) s += c[j] * msd[lags[j]];
  return s;
}

/**
 * Moving-block bootstrap of one particle's trajectory (T × 3) cut into segments: the standard
 * deviation of `segmentedLinearForm` over replicates. Increments are those inside a segment
 * (centred on their mean, as in `blockBootstrapSlopeErr`); a block of `blockLen` increments never
 * straddles a break. Each replicate is a T-frame walk of such blocks, evaluated with the segments
 * of the data (its steps at the breaks are then never used).
 */
export function segmentedBlockBootstrapSlopeErr(
  pos: Positions, nFrames: number, segs: readonly FrameSegment[], lags: Int32Array, c: Float64Array,
  blockLen: number, nReplicates: number, rng: () => number,
): number {
  const T = nFrames;
  // Increments inside segments, concatenated; block starts that keep a block inside one segment.
  const incs: number[] = [];
  const runs: { at: number; len: number }[] = [];
  for (const s of segs) {
    const at = incs.length / 3;
    for (let t = s.start; t + 1 < s.end; t++) for (let d = 0; d < 3; d++) incs.push(pos[(t + 1) * 3 + d] - pos[t * 3 + d]);
    const len = incs.length / 3 - at;
    if (len > 0) runs.push({ at, len });
  }
  const nInc = incs.length / 3;
  if (nInc < 2 || nReplicates < 2) return NaN;
  let longest = 0;
  for (const r of runs) longest = Math.max(longest, r.len);
  const L = Math.max(1, Math.min(Math.floor(blockLen), longest));
  const inc = Float64Array.from(incs);
  const mean = [0, 0, 0];
  for (let t = 0; t < nInc; t++) for (let d = 0; d < 3; d++) mean[d] += inc[t * 3 + d] / nInc;
  for (let t = 0; t < nInc; t++) for (let d = 0; d < 3; d++) inc[t * 3 + d] -= mean[d];
  const starts: number[] = [];
  for (const r of runs) for (let s = 0; s + L <= r.len; s++) starts.push(r.at + s);
  const rep = new Float64Array(T * 3);
  const out = new Float64Array(nReplicates);
  for (let r = 0; r < nReplicates; r++) {
    let t = 1;
    while (t < T) {
      const s = starts[Math.floor(rng() * starts.length)];
      for (let k = 0; k < L && t < T; k++, t++) {
        const a = (s + k) * 3, o = t * 3;
        rep[o] = rep[o - 3] + inc[a];
        rep[o + 1] = rep[o - 2] + inc[a + 1];
        rep[o + 2] = rep[o - 1] + inc[a + 2];
      }
    }
    out[r] = segmentedLinearForm(rep, T, segs, lags, c);
  }
  return sampleStd(out);
}
