/**
 * Continuous segments of a run whose reader flagged discontinuities (`Trajectory.discontinuities`:
 * restarts that do not continue the previous run, e.g. Li6PS5I-100p run3 → run4). A break is a
 * frame f whose step f−1 → f is not motion; the positions on either side belong to different
 * stretches of simulated time, so nothing may be measured across it:
 *   - a hop whose transit takes the break step is no event (left out, counted per break);
 *   - a residence interval that contains a break is censored at it, like one cut by the run's
 *     ends, so it is not a completed residence;
 *   - an MSD window (origin, origin + lag) spanning a break is not counted (msd-segments.ts);
 *   - time-normalised rates use the observed time, Σ over segments of (frames − 1) · Δt.
 * Telescoping, honestly: within each segment an ion's hop vectors sum to the displacement between
 * the first and last centre of that segment; across a break no hop is kept, so the sum over the
 * whole run is Σ over segments, not the net displacement between the run's first and last frame.
 * Without breaks every function here returns what the unsegmented code computes.
 */
import type { RawHop } from './types.js';
import type { Positions } from '../trajectory/types.js';

/** A continuous stretch of frames [start, end) (end exclusive). */
export interface FrameSegment {
  start: number;
  end: number;
}

/** The breaks inside 1 … nFrames−1, sorted and deduplicated (a break at 0 or past the end cuts nothing). */
export function normalisedBreaks(nFrames: number, breaks: readonly number[]): number[] {
  const out = [...new Set(breaks.filter((f) => Number.isInteger(f) && f > 0 && f < nFrames))];
  out.sort((a, b) => a - b);
  return out;
}

/** Continuous segments of a run of `nFrames` frames cut before each break frame. */
export function continuousSegments(nFrames: number, breaks: readonly number[]): FrameSegment[] {
  const out: FrameSegment[] = [];
  let start = 0;
  for (const f of normalisedBreaks(nFrames, breaks)) {
    out.push({ start, end: f });
    start = f;
  }
  out.push({ start, end: nFrames });
  return out;
}

/** Frames of the longest segment. */
export function longestSegment(segs: readonly FrameSegment[]): number {
  let m = 0;
  for (const s of segs) m = Math.max(m, s.end - s.start);
  return m;
}

/** Observed time (ps): the frame steps that are motion, (nFrames − 1 − breaks) · Δt. */
export function observedDurationPs(nFrames: number, breaks: readonly number[], dtPs: number): number {
  return (nFrames - 1 - normalisedBreaks(nFrames, breaks).length) * dtPs;
}

/**
 * The first break whose step lies in (a, b], i.e. a step f−1 → f with a < f ≤ b, else −1.
 * A transit first…last moves over the steps first … last+1 (from the last residence frame
 * first−1 to the first one after, last+1): `breakWithin(first − 1, last + 1, breaks)`.
 */
export function breakWithin(a: number, b: number, breaks: readonly number[]): number {
  for (const f of breaks) if (a < f && f <= b) return f;
  return -1;
}

export interface HopsAtBreaks<H> {
  /** Hops whose transit takes no break step, in the input order. */
  kept: H[];
  /** Per break frame, the number of hops left out because their transit takes it (breaks with none omitted). */
  dropped: Map<number, number>;
}

/** Leaves out hops whose transit crosses a break (same rule as the many-body analysis). */
export function dropHopsAcrossBreaks<H extends RawHop>(hops: readonly H[], breaks: readonly number[]): HopsAtBreaks<H> {
  const dropped = new Map<number, number>();
  if (breaks.length === 0) return { kept: hops as H[], dropped };
  const kept: H[] = [];
  for (const h of hops) {
    const f = breakWithin(h.startFrame - 1, h.endFrame + 1, breaks);
    if (f < 0) kept.push(h);
    else dropped.set(f, (dropped.get(f) ?? 0) + 1);
  }
  return { kept, dropped };
}

/** One warning per break that cost hops: names the frame and the count (`what`: "hops", "site jumps"). */
export function breakWarnings(element: string, dropped: ReadonlyMap<number, number>, what: string): string[] {
  return [...dropped.entries()].sort((a, b) => a[0] - b[0]).map(([f, k]) =>
    `${element}: ${k} ${what} across the discontinuity at frame ${f} left out (their transit takes the discontinuous step ${f - 1} → ${f}; they are not events, rates, residences or hop vectors)`);
}

/**
 * Squared net displacement (Å²) of column k of frame-major positions [frame][column][xyz] (n
 * columns): the displacement vectors of the segments added, so a break's jump is not motion.
 * One segment: |r(T−1) − r(0)|², computed as before.
 */
export function netDisplacementSq(pos: Positions, n: number, k: number, segs: readonly FrameSegment[]): number {
  let dx = 0, dy = 0, dz = 0;
  for (const s of segs) {
    const o0 = (s.start * n + k) * 3, o1 = ((s.end - 1) * n + k) * 3;
    dx += pos[o1] - pos[o0];
    dy += pos[o1 + 1] - pos[o0 + 1];
    dz += pos[o1 + 2] - pos[o0 + 2];
  }
  return dx ** 2 + dy ** 2 + dz ** 2;
}
