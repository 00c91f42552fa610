/**
 * Event occupancy (reference §3, IonDiff `get_expanded_hoppings` + 'separate' mode).
 *
 * An event (atom, s, e) flags frames s+1 … e of its atom (the start frame is excluded — the
 * reference's "+1" rule, kept because the published descriptors depend on it). Every maximal
 * run of flagged frames of one atom becomes one "separate" event, so overlapping or adjacent
 * events of the same atom merge. Order: by atom, then time.
 *
 * e = −1 ("to the end"): the reference's slice H[s+1:0] is empty, so such events vanish
 * (`compat: true`); by default they flag s+1 … T−1 instead.
 */

/** A raw event: end is inclusive, or −1 for "to the last frame". */
export interface EventRow {
  atom: number;
  start: number;
  end: number;
}

/** A maximal run of flagged frames of one atom (inclusive). */
export interface OccupancyRun {
  atom: number;
  first: number;
  last: number;
}

export interface OccupancyOptions {
  /** Reproduce the reference: events with end = −1 flag nothing. Default false. */
  compat?: boolean;
  /** Flag the start frame too (s … e instead of s+1 … e). Default false (reference rule). */
  includeStart?: boolean;
}

/** Flagged frame range [lo, hi] of one event under the §3 rule; hi < lo when empty. */
export function flaggedRange(ev: EventRow, nFrames: number, opts: OccupancyOptions = {}): [number, number] {
  const lo = Math.max(0, opts.includeStart ? ev.start : ev.start + 1);
  let hi: number;
  if (ev.end < 0) hi = opts.compat ? lo - 1 : nFrames - 1; // numpy: H[s+1:0] is empty
  else hi = Math.min(ev.end, nFrames - 1);
  return [lo, hi];
}

/** 'separate' occupancy runs of a list of events (§3). */
export function occupancyRuns(events: readonly EventRow[], nFrames: number, opts: OccupancyOptions = {}): OccupancyRun[] {
  const byAtom = new Map<number, [number, number][]>();
  for (const ev of events) {
    const [lo, hi] = flaggedRange(ev, nFrames, opts);
    if (hi < lo) continue;
    let l = byAtom.get(ev.atom);
    if (!l) byAtom.set(ev.atom, (l = []));
    l.push([lo, hi]);
  }
  const out: OccupancyRun[] = [];
  for (const atom of [...byAtom.keys()].sort((a, b) => a - b)) {
    const iv = byAtom.get(atom)!.sort((a, b) => a[0] - b[0]);
    let [cl, ch] = iv[0];
    for (let i = 1; i < iv.length; i++) {
      const [l, h] = iv[i];
      if (l <= ch + 1) { if (h > ch) ch = h; } // overlapping or adjacent → one run of 1s
      else { out.push({ atom, first: cl, last: ch }); cl = l; ch = h; }
    }
    out.push({ atom, first: cl, last: ch });
  }
  return out;
}

/**
 * Dense occupancy column of one atom (Uint8Array of nFrames, 1 = flagged) — the reference's
 * 'original' matrix column, for tests and plots.
 */
export function occupancyColumn(events: readonly EventRow[], atom: number, nFrames: number, opts: OccupancyOptions = {}): Uint8Array {
  const col = new Uint8Array(nFrames);
  for (const ev of events) {
    if (ev.atom !== atom) continue;
    const [lo, hi] = flaggedRange(ev, nFrames, opts);
    for (let f = lo; f <= hi; f++) col[f] = 1;
  }
  return col;
}

/**
 * For each event, the index into `runs` (from `occupancyRuns` with the same options) of the
 * separate run holding its flagged frames, or −1 when it flags none — so per-run results
 * (correlated bodies, groups) can be mapped back to the detector's hops.
 */
export function runIndexOfEvents(events: readonly EventRow[], runs: readonly OccupancyRun[], nFrames: number, opts: OccupancyOptions = {}): Int32Array {
  const byAtom = new Map<number, number[]>();
  runs.forEach((r, i) => { let l = byAtom.get(r.atom); if (!l) byAtom.set(r.atom, (l = [])); l.push(i); });
  return Int32Array.from(events, (ev) => {
    const [lo, hi] = flaggedRange(ev, nFrames, opts);
    if (hi < lo) return -1;
    for (const i of byAtom.get(ev.atom) ?? []) if (runs[i].first <= lo && runs[i].last >= hi) return i;
    return -1;
  });
}
