/**
 * Length consistency of a hop detection: the hops of a whole run against those found when the
 * run is analysed in pieces (issue 5: "the same hops however a run is cut").
 *
 * A hop is "found" in the other set when that set has a hop of the same atom overlapping it in
 * time (± toleranceFrames) whose vector differs by less than half the hop's length. Two ways to
 * say "away from the cuts":
 *  - intact: the hop's two residences — from the previous hop's end (or frame 0) to the next
 *    hop's start (or the last frame) of the same atom, in the set the hop comes from — contain no
 *    cut. A hop is decided by those two residences; cut one short and its mean, hence a marginal
 *    place decision, may change.
 *  - near: only the hop itself is ≥ 2 transit lengths + 4 frames from every cut.
 */
import type { RawHop } from '../analysis/types.js';

/** Same atom, overlapping in time (± tol frames), hop vectors within half of a's length. */
export function sameHop(a: RawHop, b: RawHop, toleranceFrames = 2): boolean {
  if (a.atom !== b.atom || a.startFrame - toleranceFrames > b.endFrame || b.startFrame - toleranceFrames > a.endFrame) return false;
  const ax = a.to[0] - a.from[0], ay = a.to[1] - a.from[1], az = a.to[2] - a.from[2];
  const bx = b.to[0] - b.from[0], by = b.to[1] - b.from[1], bz = b.to[2] - b.from[2];
  return Math.hypot(ax - bx, ay - by, az - bz) < 0.5 * Math.hypot(ax, ay, az);
}

/** The hops whose two residences no cut crosses (cuts: first frames of the pieces after the first). */
export function intactHops(hops: readonly RawHop[], cuts: readonly number[], nFrames: number): RawHop[] {
  const byAtom = new Map<number, RawHop[]>();
  for (const h of hops) {
    const list = byAtom.get(h.atom);
    if (list) list.push(h); else byAtom.set(h.atom, [h]);
  }
  const out: RawHop[] = [];
  for (const hs of byAtom.values()) {
    hs.sort((a, b) => a.startFrame - b.startFrame);
    for (let i = 0; i < hs.length; i++) {
      const lo = i > 0 ? hs[i - 1].endFrame : 0, hi = i + 1 < hs.length ? hs[i + 1].startFrame : nFrames - 1;
      if (cuts.every((c) => c <= lo || c > hi)) out.push(hs[i]);
    }
  }
  return out;
}

/** The hops at least 2 transit lengths + 4 frames from every cut. */
export function hopsAwayFromCuts(hops: readonly RawHop[], cuts: readonly number[]): RawHop[] {
  return hops.filter((h) => cuts.every((c) => Math.min(Math.abs(h.startFrame - c), Math.abs(h.endFrame - c)) >= 2 * (h.endFrame - h.startFrame + 1) + 4));
}

export interface ConsistencyCount {
  /** Hops of the whole run considered, and how many the pieces found. */
  whole: number; wholeFound: number;
  /** Hops of the pieces considered, and how many the whole run found. */
  pieces: number; piecesFound: number;
}

export interface LengthConsistency { intact: ConsistencyCount; near: ConsistencyCount }

/**
 * Compares the whole run's hops with the pieces' (frames already shifted to the whole run's;
 * `cuts` the first frames of pieces 2…). Quadratic in the hops of one atom only.
 */
export function lengthConsistency(whole: readonly RawHop[], pieces: readonly RawHop[], cuts: readonly number[], nFrames: number): LengthConsistency {
  const count = (w: RawHop[], p: RawHop[]): ConsistencyCount => ({
    whole: w.length, wholeFound: foundIn(w, pieces),
    pieces: p.length, piecesFound: foundIn(p, whole),
  });
  return {
    intact: count(intactHops(whole, cuts, nFrames), intactHops(pieces, cuts, nFrames)),
    near: count(hopsAwayFromCuts(whole, cuts), hopsAwayFromCuts(pieces, cuts)),
  };
}

/** How many of `hops` have a same hop in `other`. */
function foundIn(hops: readonly RawHop[], other: readonly RawHop[]): number {
  const byAtom = new Map<number, RawHop[]>();
  for (const h of other) {
    const list = byAtom.get(h.atom);
    if (list) list.push(h); else byAtom.set(h.atom, [h]);
  }
  let n = 0;
  for (const h of hops) if ((byAtom.get(h.atom) ?? []).some((q) => sameHop(h, q))) n++;
  return n;
}
