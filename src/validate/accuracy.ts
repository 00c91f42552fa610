/**
 * Scores a hop detection against the generator's ground truth (`truth.json`).
 *
 * A detected hop is a true positive when it can be paired one-to-one with a true hop of the
 * same atom such that
 *  - in time: the detected transit [startFrame, endFrame], widened by `toleranceFrames` on both
 *    sides (default 2 frames: detectors place transit edges where the ion leaves its vibration
 *    cloud, the generator where its path leaves the site — they may differ by a frame or two),
 *    overlaps the true transit [startFrame, endFrame];
 *  - in space: its from- and to-centres map to the true fromSite and toSite, where a centre maps
 *    to the truth site nearest to it by minimum-image distance in the cell (truth sites are
 *    fractional; centres are unwrapped Cartesian Å, so they are taken modulo the lattice).
 * Pairing is greedy by overlap (frames), then by closeness of the start frames. Unpaired
 * detections are false positives, unpaired true hops false negatives.
 */
import type { Truth } from '../generate/truth.js';
import { inverse3, minimumImage } from '../trajectory/lattice.js';
import type { HopDetection } from '../analysis/types.js';

export interface AccuracyOptions {
  /** Frames added on both sides of a detected transit before testing overlap (default 2). */
  toleranceFrames?: number;
  /** Lattice rows (9 numbers, Å) to use instead of `truth.lattice`. */
  lattice?: ArrayLike<number>;
}

export interface AccuracyScore {
  tp: number;
  fp: number;
  fn: number;
  /** tp / (tp + fp); 1 when nothing was detected. */
  precision: number;
  /** tp / (tp + fn); 1 when the truth holds no hop. */
  recall: number;
  /** Harmonic mean of precision and recall (0 when both are 0). */
  f1: number;
  nTrue: number;
  nDetected: number;
}

/** Index of the site (fractional coordinates) nearest to Cartesian (x, y, z) by minimum image. */
export function nearestSite(x: number, y: number, z: number, lattice: ArrayLike<number>, linv: ArrayLike<number>, sites: readonly (readonly number[])[]): number {
  const fx = x * linv[0] + y * linv[3] + z * linv[6];
  const fy = x * linv[1] + y * linv[4] + z * linv[7];
  const fz = x * linv[2] + y * linv[5] + z * linv[8];
  const v = new Float64Array(3);
  let best = -1, bestD = Infinity;
  for (let s = 0; s < sites.length; s++) {
    const p = sites[s];
    minimumImage(lattice, fx - p[0], fy - p[1], fz - p[2], v, 0);
    const d = v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    if (d < bestD) { bestD = d; best = s; }
  }
  return best;
}

/** The score plus which true hops were found and which detections were matched (1 = paired). */
export interface TruthMatch {
  score: AccuracyScore;
  trueFound: Uint8Array;
  detectedMatched: Uint8Array;
}

export function scoreAgainstTruth(detection: HopDetection, truth: Truth, opts: AccuracyOptions = {}): AccuracyScore {
  return matchAgainstTruth(detection, truth, opts).score;
}

/** The pairing behind scoreAgainstTruth, with the per-hop outcome (for breakdowns such as recallByDwell). */
export function matchAgainstTruth(detection: HopDetection, truth: Truth, opts: AccuracyOptions = {}): TruthMatch {
  const tol = opts.toleranceFrames ?? 2;
  const L = opts.lattice ?? truth.lattice;
  const Linv = inverse3(L);
  const byAtomTrue = new Map<number, number[]>();
  truth.hops.forEach((h, i) => {
    const l = byAtomTrue.get(h.atom);
    if (l) l.push(i); else byAtomTrue.set(h.atom, [i]);
  });
  // candidate pairs (overlap, |Δstart|, detected, true)
  const cands: [number, number, number, number][] = [];
  detection.hops.forEach((d, di) => {
    const trues = byAtomTrue.get(d.atom);
    if (!trues) return;
    const a = d.startFrame - tol, b = d.endFrame + tol;
    let from = -2, to = -2; // lazily mapped
    for (const ti of trues) {
      const t = truth.hops[ti];
      const ov = Math.min(b, t.endFrame) - Math.max(a, t.startFrame) + 1;
      if (ov <= 0) continue;
      if (from === -2) {
        from = nearestSite(d.from[0], d.from[1], d.from[2], L, Linv, truth.sites);
        to = nearestSite(d.to[0], d.to[1], d.to[2], L, Linv, truth.sites);
      }
      if (from !== t.fromSite || to !== t.toSite) continue;
      cands.push([ov, Math.abs(d.startFrame - t.startFrame), di, ti]);
    }
  });
  cands.sort((p, q) => q[0] - p[0] || p[1] - q[1] || p[2] - q[2] || p[3] - q[3]);
  const usedD = new Uint8Array(detection.hops.length);
  const usedT = new Uint8Array(truth.hops.length);
  let tp = 0;
  for (const [, , di, ti] of cands) {
    if (usedD[di] || usedT[ti]) continue;
    usedD[di] = 1; usedT[ti] = 1; tp++;
  }
  const nTrue = truth.hops.length, nDetected = detection.hops.length;
  const fp = nDetected - tp, fn = nTrue - tp;
  const precision = nDetected > 0 ? tp / nDetected : 1;
  const recall = nTrue > 0 ? tp / nTrue : 1;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { score: { tp, fp, fn, precision, recall, f1, nTrue, nDetected }, trueFound: usedT, detectedMatched: usedD };
}

/** Edges (frames) of the dwell bins of recallByDwell: <20, 20–50, 50–100, 100–200, 200–500, ≥500. */
export const DWELL_BIN_EDGES: readonly number[] = [0, 20, 50, 100, 200, 500];

/**
 * For every true hop, the shorter of the two dwells around it: frames at rest before it (since
 * the atom's previous hop ended, or since the run start) and after it (until its next hop starts,
 * or the run ends). Short dwells are where a detector that needs a long residence to see a
 * place fails; run edges count as dwells so every hop has one.
 */
export function shorterDwells(truth: Truth): Int32Array {
  const out = new Int32Array(truth.hops.length);
  const byAtom = new Map<number, number[]>();
  truth.hops.forEach((h, i) => {
    const l = byAtom.get(h.atom);
    if (l) l.push(i); else byAtom.set(h.atom, [i]);
  });
  for (const list of byAtom.values()) {
    list.sort((a, b) => truth.hops[a].startFrame - truth.hops[b].startFrame);
    list.forEach((ti, k) => {
      const h = truth.hops[ti];
      const before = k > 0 ? h.startFrame - truth.hops[list[k - 1]].endFrame - 1 : h.startFrame;
      const after = k + 1 < list.length ? truth.hops[list[k + 1]].startFrame - h.endFrame - 1 : truth.nFrames - 1 - h.endFrame;
      out[ti] = Math.min(before, after);
    });
  }
  return out;
}

export interface DwellRecall {
  /** Bin [minFrames, maxFrames) of the shorter dwell; maxFrames is Infinity for the last bin. */
  minFrames: number;
  maxFrames: number;
  nTrue: number;
  nFound: number;
  /** nFound / nTrue; NaN for an empty bin. */
  recall: number;
}

/** Recall of true hops binned by the shorter of their two dwells (`trueFound` from matchAgainstTruth). */
export function recallByDwell(truth: Truth, trueFound: Uint8Array, edges: readonly number[] = DWELL_BIN_EDGES): DwellRecall[] {
  if (trueFound.length !== truth.hops.length) throw new Error(`recallByDwell: ${trueFound.length} flags for ${truth.hops.length} true hops`);
  const dwell = shorterDwells(truth);
  const rows: DwellRecall[] = edges.map((lo, b) => ({ minFrames: lo, maxFrames: b + 1 < edges.length ? edges[b + 1] : Infinity, nTrue: 0, nFound: 0, recall: NaN }));
  dwell.forEach((d, i) => {
    const row = rows.find((r) => d >= r.minFrames && d < r.maxFrames);
    if (!row) return; // below the first edge
    row.nTrue++;
    row.nFound += trueFound[i];
  });
  for (const r of rows) r.recall = r.nTrue > 0 ? r.nFound / r.nTrue : NaN;
  return rows;
}
