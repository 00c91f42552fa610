/**
 * Many-body hop correlations for one trajectory and element (reference §4, IonDiff
 * `analyze_correlations`), computed sparsely and deterministically.
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
import { seededRandom } from './kmeans.js';
import { levenbergMarquardt } from '../stats/nlfit.js';
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

/** A smoothed column, non-zero only on frames lo … lo+values.length−1. */
export interface SparseColumn {
  lo: number;
  values: Float64Array;
  sum: number;
  /** Σ(x − x̄)² over all T frames. */
  ss: number;
}

/** scipy's kernel radius for gaussian_filter1d. */
export function kernelRadius(sigma: number, truncate = 4): number {
  return Math.floor(truncate * sigma + 0.5);
}

/** Normalised Gaussian weights w[−r…r] (scipy `_gaussian_kernel1d`, order 0). */
export function gaussianKernel(sigma: number, truncate = 4): Float64Array {
  const r = kernelRadius(sigma, truncate);
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let m = -r; m <= r; m++) { const v = r === 0 ? 1 : Math.exp((-0.5 * m * m) / (sigma * sigma)); w[m + r] = v; s += v; }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  return w;
}

/** Index of extended position k under scipy's 'reflect' (d c b a | a b c d | d c b a). */
function reflectIndex(k: number, T: number): number {
  const p = 2 * T;
  let q = k % p;
  if (q < 0) q += p;
  return q < T ? q : p - 1 - q;
}

/** Dense reference: scipy.ndimage.gaussian_filter1d(x, sigma, mode='reflect', truncate). */
export function gaussianFilter1d(x: ArrayLike<number>, sigma: number, truncate = 4): Float64Array {
  const T = x.length, w = gaussianKernel(sigma, truncate), r = (w.length - 1) / 2;
  const out = new Float64Array(T);
  for (let i = 0; i < T; i++) {
    let s = 0;
    for (let m = -r; m <= r; m++) s += w[m + r] * x[reflectIndex(i + m, T)];
    out[i] = s;
  }
  return out;
}

/**
 * Smoothed 0/1 block [first, last] of a length-T column, as a sparse column (exactly
 * gaussianFilter1d of the dense column, up to rounding).
 */
export function smoothedBlock(first: number, last: number, T: number, sigma: number, truncate = 4, kernel?: Float64Array): SparseColumn {
  const w = kernel ?? gaussianKernel(sigma, truncate), r = (w.length - 1) / 2;
  // Prefix sums of the kernel: W[q + r + 1] = Σ_{m=−r}^{q} w[m].
  const W = new Float64Array(w.length + 1);
  for (let i = 0; i < w.length; i++) W[i + 1] = W[i] + w[i];
  const Wc = (q: number): number => (q < -r ? 0 : q >= r ? W[2 * r + 1] : W[q + r + 1]);
  const lo = Math.max(0, first - r), hi = Math.min(T - 1, last + r);
  const values = new Float64Array(hi - lo + 1);
  // Images of [first, last] under period-2T reflection that reach [−r, T−1+r].
  const images: [number, number][] = [];
  const p = 2 * T;
  const nLo = Math.floor((-r - 2 * T) / p) - 1, nHi = Math.ceil((T + r) / p) + 1;
  for (let n = nLo; n <= nHi; n++) {
    const a1 = first + n * p, b1 = last + n * p;
    const a2 = p - 1 - last + n * p, b2 = p - 1 - first + n * p;
    if (b1 >= -r && a1 <= T - 1 + r) images.push([a1, b1]);
    if (b2 >= -r && a2 <= T - 1 + r) images.push([a2, b2]);
  }
  let sum = 0, sq = 0;
  for (let i = lo; i <= hi; i++) {
    let v = 0;
    for (const [a, b] of images) v += Wc(b - i) - Wc(a - i - 1);
    values[i - lo] = v;
    sum += v; sq += v * v;
  }
  return { lo, values, sum, ss: sq - (sum * sum) / T };
}

/** Σ x·y over the overlap of two sparse columns. */
function dotSparse(a: SparseColumn, b: SparseColumn): number {
  const lo = Math.max(a.lo, b.lo), hi = Math.min(a.lo + a.values.length, b.lo + b.values.length) - 1;
  let s = 0;
  for (let i = lo; i <= hi; i++) s += a.values[i - a.lo] * b.values[i - b.lo];
  return s;
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

/**
 * Pairs (i < j) whose supports overlap, found by a sweep over support starts, as a flat list
 * [i₀, j₀, i₁, j₁, …] in sweep order. (A list, not a visitor callback: the callers' callbacks were
 * closures over per-call state, re-optimized by V8 for every call.)
 */
function overlappingPairs(cols: readonly SparseColumn[]): number[] {
  const M = cols.length;
  const order: number[] = [];
  for (let i = 0; i < M; i++) order.push(i);
  order.sort((a, b) => cols[a].lo - cols[b].lo);
  const pairs: number[] = [];
  for (let x = 0; x < M; x++) {
    const i = order[x], hi = cols[i].lo + cols[i].values.length - 1;
    for (let y = x + 1; y < M; y++) {
      const j = order[y];
      if (cols[j].lo > hi) break;
      pairs.push(i < j ? i : j, i < j ? j : i);
    }
  }
  return pairs;
}

/**
 * The reference's random threshold: mean over `nRandom` layouts of the mean off-diagonal
 * correlation of M random single blocks of length L (σ = L/2.355). NaN when M < 2 or L ≥ T or L < 1.
 */
export function randomReferenceThreshold(M: number, L: number, T: number, nRandom = 200, seed = 0, truncate = 4): number {
  if (M < 2 || L < 1 || L >= T) return NaN;
  const sigma = L / 2.355, kernel = gaussianKernel(sigma, truncate), r = (kernel.length - 1) / 2;
  // Interior blocks (support inside [0, T)) all have the same profile: cache it and its autocorrelation.
  const interior = smoothedBlock(r, r + L - 1, T, sigma, truncate, kernel);
  const len = interior.values.length;
  const interiorOk = r + L - 1 + r <= T - 1;
  const auto = new Float64Array(len);
  if (interiorOk) for (let d = 0; d < len; d++) {
    let s = 0;
    for (let i = 0; i + d < len; i++) s += interior.values[i] * interior.values[i + d];
    auto[d] = s;
  }
  const edgeCache = new Map<number, SparseColumn>();
  const rng = seededRandom(seed);
  const starts = new Int32Array(M);
  const cols: SparseColumn[] = new Array(M);
  const isInt = new Uint8Array(M);
  let total = 0;
  for (let rep = 0; rep < nRandom; rep++) {
    for (let j = 0; j < M; j++) {
      const s = Math.floor(rng() * (T - L));
      starts[j] = s;
      if (interiorOk && s - r >= 0 && s + L - 1 + r <= T - 1) {
        isInt[j] = 1;
        cols[j] = { lo: s - r, values: interior.values, sum: interior.sum, ss: interior.ss };
      } else {
        isInt[j] = 0;
        let c = edgeCache.get(s);
        if (!c) edgeCache.set(s, (c = smoothedBlock(s, s + L - 1, T, sigma, truncate, kernel)));
        cols[j] = c;
      }
    }
    // Σ_{i≠j} corr = Σ_{i≠j} Sxy/(√ss_i √ss_j) − (1/T)[(Σ sum/√ss)² − Σ (sum/√ss)²]
    let zs = 0, zz = 0;
    for (let j = 0; j < M; j++) { const z = cols[j].sum / Math.sqrt(cols[j].ss); zs += z; zz += z * z; }
    let cross = 0;
    const pairs = overlappingPairs(cols);
    for (let q = 0; q < pairs.length; q += 2) {
      const i = pairs[q], j = pairs[q + 1];
      const sxy = isInt[i] && isInt[j] ? auto[Math.abs(starts[i] - starts[j])] : dotSparse(cols[i], cols[j]);
      cross += sxy / Math.sqrt(cols[i].ss * cols[j].ss);
    }
    total += (2 * cross - (zs * zs - zz) / T) / (M * (M - 1));
  }
  return total / nRandom;
}

/**
 * The exact value that `randomReferenceThreshold` estimates: E[corr(s1, s2)] for two smoothed
 * blocks of length L (σ = L/2.355) with starts s1, s2 iid uniform on 0 … K−1, K = T − L
 * (the reference's `randint(0, T−L)`), i.e. (1/K²)·Σ_{s1,s2} corr(s1, s2), s1 = s2 included
 * (two random events may share a start). With u_s = 1/√ss_s and z_s = sum_s·u_s,
 *   Σ_{s1,s2} corr = Σ_{s1,s2} Σ_i u1·x1[i]·u2·x2[i] − (Σ_s z_s)²/T = Σ_i R[i]² − (Σ_s z_s)²/T,
 * with R = Σ_s u_s·x_s the superposition of all K normalised blocks. Interior blocks (support
 * inside [0, T)) share one profile v, so their part of R is u·(prefix sums of v); only the
 * ≤ ~2r blocks that touch an end are built one by one. O(T + r·len). NaN when L < 1 or L ≥ T.
 */
export function exactReferenceThreshold(L: number, T: number, truncate = 4): number {
  if (L < 1 || L >= T) return NaN;
  const K = T - L;
  const sigma = L / 2.355, kernel = gaussianKernel(sigma, truncate), r = (kernel.length - 1) / 2;
  // Interior starts: s − r ≥ 0 and s + L − 1 + r ≤ T − 1, i.e. s ∈ [r, T − L − r] ∩ [0, K − 1].
  const iLo = r, iHi = Math.min(K - 1, T - L - r);
  const R = new Float64Array(T);
  let zSum = 0;
  if (iHi >= iLo) {
    const c = smoothedBlock(iLo, iLo + L - 1, T, sigma, truncate, kernel), v = c.values, u = 1 / Math.sqrt(c.ss);
    zSum += (iHi - iLo + 1) * c.sum * u;
    // Block s covers frames s − r … s − r + len − 1 with x_s[i] = v[i − s + r].
    const pre = new Float64Array(v.length + 1);
    for (let j = 0; j < v.length; j++) pre[j + 1] = pre[j] + v[j];
    for (let i = 0; i < T; i++) {
      const j0 = Math.max(0, i - iHi + r), j1 = Math.min(v.length - 1, i - iLo + r);
      if (j1 >= j0) R[i] += u * (pre[j1 + 1] - pre[j0]);
    }
  }
  for (let s = 0; s < K; s++) {
    if (s >= iLo && s <= iHi) continue;
    const c = smoothedBlock(s, s + L - 1, T, sigma, truncate, kernel), u = 1 / Math.sqrt(c.ss);
    zSum += c.sum * u;
    for (let i = 0; i < c.values.length; i++) R[c.lo + i] += u * c.values[i];
  }
  let rr = 0;
  for (let i = 0; i < T; i++) rr += R[i] * R[i];
  return (rr - (zSum * zSum) / T) / (K * K);
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
    return { groupId: id, element, nBodies: g.atoms.length, startFrame: g.start, endFrame: g.end, atoms: g.atoms };
  });

  let maxB = 0;
  for (let i = 0; i < M; i++) if (bodies[i] > maxB) maxB = bodies[i];
  const counts = new Array<number>(maxB + 1).fill(0);
  for (let i = 0; i < M; i++) counts[bodies[i]]++;
  const bins: CorrelationBin[] = [];
  for (let b = 1; b <= maxB; b++) bins.push({ element, nBodies: b, count: counts[b], fraction: counts[b] / M });
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

// Model and Jacobian of fitCorrelationDecay at module scope: as arrow functions in the call they
// were new closures per fit, each re-optimized by TurboFan (once per trajectory in the indexer).
function decayModel(x: number, p: Float64Array): number {
  return Math.abs(p[0]) + p[1] * Math.exp(-p[2] * x);
}

function decayJacobian(x: number, p: Float64Array, out: Float64Array): void {
  const e = Math.exp(-p[2] * x); out[0] = p[0] < 0 ? -1 : 1; out[1] = e; out[2] = -p[1] * x * e;
}

/**
 * Fit y(n) = |A| + B·exp(−C·n) to the n-body histogram: n = 2…min(maxBodies, largest n),
 * counts normalised to sum 1 (reference §4 final step). Parameters NaN with < 3 points,
 * errors NaN with < 4 (no degrees of freedom).
 */
export function fitCorrelationDecay(bins: readonly { nBodies: number; count: number }[], element: string, maxBodies = 20): CorrelationFit {
  let nMax = 0;
  for (const b of bins) if (b.nBodies > nMax) nMax = b.nBodies;
  const top = Math.min(nMax, maxBodies);
  const xs: number[] = [], ys: number[] = [];
  for (let n = 2; n <= top; n++) {
    let c = 0;
    for (const b of bins) if (b.nBodies === n) c += b.count;
    xs.push(n); ys.push(c);
  }
  const tot = ys.reduce((s, v) => s + v, 0);
  const nan: CorrelationFit = {
    element, offset: NaN, offsetErr: NaN, amplitude: NaN, amplitudeErr: NaN, decayRate: NaN, decayRateErr: NaN, r2: NaN, nPoints: xs.length,
  };
  if (xs.length < 3 || !(tot > 0)) return nan;
  for (let i = 0; i < ys.length; i++) ys[i] /= tot;
  const res = levenbergMarquardt(decayModel, decayJacobian, xs, ys, [0.01, 0.1, 0.1]);
  const [A, B, C] = res.params;
  return {
    element, offset: Math.abs(A), offsetErr: res.stdErr[0], amplitude: B, amplitudeErr: res.stdErr[1],
    decayRate: C, decayRateErr: res.stdErr[2], r2: res.r2, nPoints: xs.length,
  };
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
