/**
 * Many-body hop correlations for one trajectory and element (reference §4, IonDiff
 * `analyze_correlations`), computed sparsely and deterministically. analyze() keeps its per-event
 * count and fit as the `iondiff` method, to reproduce the original's figures; the groups and the
 * descriptors come from the null-model-calibrated analysis in manybody/ instead.
 *
 * 1. Each 'separate' event (an occupancy run, see occupancy.ts) is a 0/1 column over T frames;
 *    it is smoothed like scipy.ndimage.gaussian_filter1d (mode 'reflect', truncate 4.0,
 *    radius int(4σ + 0.5)) with σ = FWHM/2.355, FWHM = the event's own number of flagged frames.
 *    (The reference takes σ from the FIRST event for all — `compat: true` does that.) The
 *    reference then rescales each column to max 1: Pearson correlation is invariant to that, so
 *    it is skipped.
 * 2. Pearson correlation of every pair of smoothed columns, without an M×M matrix or dense
 *    columns: a smoothed block is a difference of two kernel prefix sums (plus its mirror
 *    images near the ends), non-zero only on its support [first−r, last+r]. For two columns
 *    whose supports do not overlap Σxy = 0 exactly, so corr = −z_i·z_j with z = Σx/√(T·Σ(x−x̄)²)
 *    — a closed form, not an approximation; only overlapping pairs need a dot product.
 * 3. Threshold: the reference takes the mean off-diagonal correlation of 200 random layouts of
 *    M single blocks of length L = int(mean flagged frames), start uniform in [0, T−L), σ = L/2.355.
 *    Every off-diagonal pair of such a layout is an independent pair of uniform starts, so that
 *    recipe is a Monte-Carlo estimate of E[corr(s1, s2)] over s1, s2 iid uniform on 0…T−L−1 —
 *    which does not depend on M and is computed here EXACTLY (`exactReferenceThreshold`, the
 *    nRandom → ∞ limit of the reference, in O(T + r·len) instead of O(200·M·log M)). Passing
 *    `nRandom` selects the reference's Monte-Carlo recipe instead, with a SEEDED PRNG (the
 *    reference's is unseeded); it is also used (200 layouts) when it is the cheaper of the two,
 *    i.e. for a few very long events (blocks touching an end > 200·M). A user threshold
 *    replaces both.
 * 4. B = corr > threshold; bodies[j] = Σ_i B[i, j] including j itself (always counted 1 here —
 *    pandas would give NaN for a constant column); histogram over bodies 1…max.
 * 5. Concerted groups (not in the reference): connected components of the graph whose edges are
 *    pairs with corr > threshold AND overlapping smoothed supports (i.e. close in time; with
 *    a negative threshold far-apart pairs would otherwise chain everything together).
 *    When the events carry their centres (`from`/`to`, unwrapped Å) and `opts.lattice` is given,
 *    an edge also needs the VACANCY RELATION: one event ends (within `siteTolA`, minimum image)
 *    at the centre the other left, and the two are of different atoms. Why: the random
 *    reference threshold is the MEAN random correlation (≈ 0), not a significance level, so
 *    any two events whose smoothed indicators overlap in time count as correlated; in a cell
 *    with many ions, unrelated hops overlap in time all the time, and the transitive closure
 *    percolates (generated Li-bcc, 64 ions, 600 K: one component of ~60 ions instead of chains
 *    of 1–6). Time alone cannot tell a concerted partner from a coincident hop elsewhere in
 *    the cell; the vacancy relation (B moves into the site A just left, paths.ts) can. Without
 *    positions the time-only graph is kept (documented to over-merge at high hop density).
 *    The per-event n-body count (step 4) stays the reference's time-only count either way.
 *    A component is reported as a ConcertedGroup when it holds ≥ 2 distinct atoms; nBodies =
 *    number of distinct atoms; start/end = first/last flagged frame over its events.
 * 6. Fit y(n) = |A| + B·exp(−C·n) to the normalised counts of n = 2…maxBodies (the 1-body bin
 *    is dropped as in the reference; zero bins up to the largest n are kept), p0 = (0.01, 0.1,
 *    0.1), Levenberg–Marquardt (nlfit.ts), errors from the covariance (NaN with < 4 points).
 * Degenerate cases: M < 2 or L ≥ T → threshold NaN, every event has 1 body.
 */
import type { ConcertedGroup, CorrelationBin, CorrelationFit } from './types.js';
import { occupancyRuns, type EventRow, type OccupancyOptions, type OccupancyRun } from './occupancy.js';
import { dotSparse, gaussianKernel, kernelRadius, overlappingPairs, smoothedBlock, type SparseColumn } from './smoothing.js';
import { exactReferenceThreshold, randomReferenceThreshold } from './correlation-reference.js';
import { fitCorrelationDecay } from './correlation-decay.js';
import { MinImage } from './paths.js';

export interface CorrelationOptions {
  /** σ from the first event for every event (the reference's bug). Default false. */
  compat?: boolean;
  /**
   * Random layouts for the reference's Monte-Carlo threshold. Default: none — the exact
   * expectation that the reference's 200 layouts estimate (see module doc, step 3).
   */
  nRandom?: number;
  /** PRNG seed for the random layouts. Default 0. */
  seed?: number;
  /** Fixed threshold in [−1, 1] instead of the random reference. */
  threshold?: number;
  /** Gaussian truncation in σ. Default 4. */
  truncate?: number;
  /** Largest n used in the fit (the reference's max_corr). Default 20. */
  maxBodies?: number;
  /**
   * Cell (9 numbers, rows, Å) for the vacancy relation between events that carry `from`/`to`
   * centres (step 5). Without it, or without centres, groups use time alone.
   */
  lattice?: ArrayLike<number>;
  /** Two centres closer than this (Å, minimum image) are one site (vacancy relation). Default 1.0, as paths.ts. */
  siteTolA?: number;
}

/** An event with its centres (unwrapped Cartesian Å), enabling the vacancy relation for groups. */
export interface PlacedRun extends OccupancyRun {
  from?: readonly number[];
  to?: readonly number[];
}

export interface CorrelationResult {
  threshold: number;
  /** Correlated bodies per event (input order), including itself. */
  bodies: Int32Array;
  /** Concerted group of each event, or −1. */
  groupOf: Int32Array;
  groups: ConcertedGroup[];
  /** n = 1…max bodies (zero counts included); fraction = count / number of events. */
  bins: CorrelationBin[];
  fit: CorrelationFit;
}

function pearson(a: SparseColumn, b: SparseColumn, T: number, sxy: number): number {
  return (sxy - (a.sum * b.sum) / T) / Math.sqrt(a.ss * b.ss);
}

/** Smoothed columns of the events (σ per event, or from the first under compat). */
export function smoothedColumns(events: readonly OccupancyRun[], T: number, opts: CorrelationOptions = {}): SparseColumn[] {
  const trunc = opts.truncate ?? 4;
  const fw0 = events.length ? events[0].last - events[0].first + 1 : 1;
  const kernels = new Map<number, Float64Array>();
  return events.map((e) => {
    const fwhm = opts.compat ? fw0 : e.last - e.first + 1;
    let k = kernels.get(fwhm);
    if (!k) kernels.set(fwhm, (k = gaussianKernel(fwhm / 2.355, trunc)));
    return smoothedBlock(e.first, e.last, T, fwhm / 2.355, trunc, k);
  });
}

/** Dense M×M Pearson matrix of the smoothed events (for tests and small sets). */
export function correlationMatrix(events: readonly OccupancyRun[], T: number, opts: CorrelationOptions = {}): Float64Array {
  const cols = smoothedColumns(events, T, opts);
  const M = cols.length, C = new Float64Array(M * M);
  for (let i = 0; i < M; i++) for (let j = i; j < M; j++) {
    const c = pearson(cols[i], cols[j], T, dotSparse(cols[i], cols[j]));
    C[i * M + j] = c; C[j * M + i] = c;
  }
  return C;
}

/** Full §4 analysis of one trajectory/element's separate events. */
export function analyzeCorrelations(
  events: readonly PlacedRun[],
  nFrames: number,
  element: string,
  opts: CorrelationOptions = {},
): CorrelationResult {
  const T = nFrames, M = events.length;
  const cols = smoothedColumns(events, T, opts);
  let threshold = NaN;
  if (opts.threshold !== undefined) threshold = opts.threshold;
  else if (M >= 2) {
    let fl = 0;
    for (const e of events) fl += e.last - e.first + 1;
    const L = Math.floor(fl / M);
    // The exact value costs ~(number of blocks touching an end ≈ min(T−L, 2r)) block builds, the
    // reference's MC ~200·M: for a few very long events (iondiff on long runs: M = 4, L ~ 10³
    // frames) the MC is far cheaper, so it is used there — it estimates the same expectation.
    const r = kernelRadius(L / 2.355, opts.truncate ?? 4);
    const nEdge = Math.min(T - L, 2 * r + 1);
    threshold = opts.nRandom !== undefined || nEdge > 200 * M
      ? randomReferenceThreshold(M, L, T, opts.nRandom ?? 200, opts.seed ?? 0, opts.truncate ?? 4)
      : exactReferenceThreshold(L, T, opts.truncate ?? 4);
  }
  // Vacancy relation for groups (module doc, step 5): only when every event has centres.
  const dist = opts.lattice && M > 0 && events.every((e) => e.from && e.to) ? new MinImage(opts.lattice) : null;
  const tol = opts.siteTolA ?? 1.0;
  const bodies = new Int32Array(M).fill(1);
  const parent = new Int32Array(M);
  for (let i = 0; i < M; i++) parent[i] = i;
  if (M >= 2 && !Number.isNaN(threshold)) {
    const z = new Float64Array(M);
    for (let j = 0; j < M; j++) z[j] = cols[j].sum / Math.sqrt(T * cols[j].ss);
    // Overlapping pairs: exact correlation.
    const partners: number[][] = Array.from({ length: M }, () => []);
    const pairs = overlappingPairs(cols);
    for (let q = 0; q < pairs.length; q += 2) {
      const i = pairs[q], j = pairs[q + 1];
      partners[i].push(j); partners[j].push(i);
      const c = pearson(cols[i], cols[j], T, dotSparse(cols[i], cols[j]));
      if (c > threshold) {
        bodies[i]++; bodies[j]++;
        if (vacancyLinked(events, dist, tol, i, j)) {
          const a = findRoot(parent, i), b = findRoot(parent, j);
          if (a !== b) parent[a] = b;
        }
      }
    }
    // Non-overlapping pairs have corr = −z_i z_j ≤ 0: they count only for a negative threshold.
    if (threshold < 0) {
      const zs = Float64Array.from(z).sort();
      for (let i = 0; i < M; i++) {
        if (!(z[i] > 0)) continue;
        const lim = -threshold / z[i]; // −z_i z_j > thr ⇔ z_j < −thr/z_i
        let n = countBelow(zs, lim);
        if (z[i] < lim) n--; // self
        for (const j of partners[i]) if (z[j] < lim) n--;
        bodies[i] += n;
      }
    }
  }

  // Groups: components with ≥ 2 distinct atoms, ordered by start frame.
  const comps = new Map<number, number[]>();
  for (let i = 0; i < M; i++) { const r = findRoot(parent, i); let l = comps.get(r); if (!l) comps.set(r, (l = [])); l.push(i); }
  const groupOf = new Int32Array(M).fill(-1);
  const raw: { members: number[]; start: number; end: number; atoms: number[] }[] = [];
  for (const members of comps.values()) {
    const atoms = [...new Set(members.map((i) => events[i].atom))].sort((a, b) => a - b);
    if (atoms.length < 2) continue;
    let start = Infinity, end = -Infinity;
    for (const i of members) { start = Math.min(start, events[i].first); end = Math.max(end, events[i].last); }
    raw.push({ members, start, end, atoms });
  }
  raw.sort((a, b) => a.start - b.start || a.end - b.end || a.atoms[0] - b.atoms[0]);
  const groups: ConcertedGroup[] = raw.map((g, id) => {
    for (const i of g.members) groupOf[i] = id;
    return { groupId: id, element, nBodies: g.atoms.length, nHops: g.members.length, startFrame: g.start, endFrame: g.end, atoms: g.atoms };
  });

  let maxB = 0;
  for (let i = 0; i < M; i++) if (bodies[i] > maxB) maxB = bodies[i];
  const counts = new Array<number>(maxB + 1).fill(0);
  for (let i = 0; i < M; i++) counts[bodies[i]]++;
  const bins: CorrelationBin[] = [];
  for (let b = 1; b <= maxB; b++) {
    bins.push({ element, method: 'iondiff', counted: 'hops', nBodies: b, count: counts[b], fraction: counts[b] / M, expected: NaN, expectedSd: NaN, excess: NaN, excessErr: NaN });
  }
  return { threshold, bodies, groupOf, groups, bins, fit: fitCorrelationDecay(bins, element, opts.maxBodies ?? 20) };
}

// vacancyLinked, findRoot and countBelow were closures inside analyzeCorrelations (run once per
// species per trajectory); V8 re-optimized them on every call. At module scope they are
// optimized once per isolate.

/** Vacancy relation of events i and j (B ends where A started, or A where B started); always true without `dist`. */
function vacancyLinked(events: readonly PlacedRun[], dist: MinImage | null, tol: number, i: number, j: number): boolean {
  if (!dist) return true;
  const a = events[i], b = events[j];
  if (a.atom === b.atom) return false;
  if (!a.from || !a.to || !b.from || !b.to) return true; // unreachable: `dist` needs centres on all
  return dist.distance(a.to, b.from) < tol || dist.distance(b.to, a.from) < tol;
}

/** Union-find root of i, halving the path. */
function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; }
  return i;
}

/** #{j: zs[j] < v} for ascending zs. */
function countBelow(zs: Float64Array, v: number): number {
  let lo = 0, hi = zs.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (zs[mid] < v) lo = mid + 1; else hi = mid; }
  return lo;
}

/**
 * Convenience for raw detector events (IonDiff triples or any (atom, start, end) rows):
 * 'separate' occupancy runs (§3, `compat` also drops e = −1 events) → `analyzeCorrelations`.
 * `runs[i]` is the event that `bodies[i]`/`groupOf[i]` refer to (see `runIndexOfEvents`).
 */
export function correlationsFromEvents(
  events: readonly EventRow[],
  nFrames: number,
  element: string,
  opts: CorrelationOptions & OccupancyOptions = {},
): CorrelationResult & { runs: OccupancyRun[] } {
  const runs = occupancyRuns(events, nFrames, opts);
  return { ...analyzeCorrelations(runs, nFrames, element, opts), runs };
}
