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
 * 3. Threshold: the mean off-diagonal correlation of `nRandom` (200) random layouts of M
 *    single blocks of length L = int(mean flagged frames), start uniform in [0, T−L), σ = L/2.355
 *    — exactly the reference's recipe but with a SEEDED PRNG (the reference's is unseeded).
 *    A user threshold replaces it.
 * 4. B = corr > threshold; bodies[j] = Σ_i B[i, j] including j itself (always counted 1 here —
 *    pandas would give NaN for a constant column); histogram over bodies 1…max.
 * 5. Concerted groups (not in the reference): connected components of the graph whose edges are
 *    pairs with corr > threshold AND overlapping smoothed supports (i.e. close in time; with
 *    a negative threshold far-apart pairs would otherwise chain everything together).
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
import { levenbergMarquardt } from './nlfit.js';

export interface CorrelationOptions {
  /** σ from the first event for every event (the reference's bug). Default false. */
  compat?: boolean;
  /** Random layouts for the reference threshold. Default 200. */
  nRandom?: number;
  /** PRNG seed for the random layouts. Default 0. */
  seed?: number;
  /** Fixed threshold in [−1, 1] instead of the random reference. */
  threshold?: number;
  /** Gaussian truncation in σ. Default 4. */
  truncate?: number;
  /** Largest n used in the fit (the reference's max_corr). Default 20. */
  maxBodies?: number;
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

/** Pairs (i < j) whose supports overlap, found by a sweep over support starts. */
function overlappingPairs(cols: readonly SparseColumn[], visit: (i: number, j: number) => void): void {
  const M = cols.length;
  const order = Array.from({ length: M }, (_, i) => i).sort((a, b) => cols[a].lo - cols[b].lo);
  for (let x = 0; x < M; x++) {
    const i = order[x], hi = cols[i].lo + cols[i].values.length - 1;
    for (let y = x + 1; y < M; y++) {
      const j = order[y];
      if (cols[j].lo > hi) break;
      visit(i < j ? i : j, i < j ? j : i);
    }
  }
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
    overlappingPairs(cols, (i, j) => {
      const sxy = isInt[i] && isInt[j] ? auto[Math.abs(starts[i] - starts[j])] : dotSparse(cols[i], cols[j]);
      cross += sxy / Math.sqrt(cols[i].ss * cols[j].ss);
    });
    total += (2 * cross - (zs * zs - zz) / T) / (M * (M - 1));
  }
  return total / nRandom;
}

/** Full §4 analysis of one trajectory/element's separate events. */
export function analyzeCorrelations(
  events: readonly OccupancyRun[],
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
    threshold = randomReferenceThreshold(M, Math.floor(fl / M), T, opts.nRandom ?? 200, opts.seed ?? 0, opts.truncate ?? 4);
  }
  const bodies = new Int32Array(M).fill(1);
  const parent = Int32Array.from({ length: M }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; } return i; };
  if (M >= 2 && !Number.isNaN(threshold)) {
    const z = new Float64Array(M);
    for (let j = 0; j < M; j++) z[j] = cols[j].sum / Math.sqrt(T * cols[j].ss);
    // Overlapping pairs: exact correlation.
    const partners: number[][] = Array.from({ length: M }, () => []);
    overlappingPairs(cols, (i, j) => {
      partners[i].push(j); partners[j].push(i);
      const c = pearson(cols[i], cols[j], T, dotSparse(cols[i], cols[j]));
      if (c > threshold) {
        bodies[i]++; bodies[j]++;
        const a = find(i), b = find(j);
        if (a !== b) parent[a] = b;
      }
    });
    // Non-overlapping pairs have corr = −z_i z_j ≤ 0: they count only for a negative threshold.
    if (threshold < 0) {
      const zs = Float64Array.from(z).sort();
      const countBelow = (v: number): number => { // #{j: zs[j] < v}
        let lo = 0, hi = M;
        while (lo < hi) { const mid = (lo + hi) >> 1; if (zs[mid] < v) lo = mid + 1; else hi = mid; }
        return lo;
      };
      for (let i = 0; i < M; i++) {
        if (!(z[i] > 0)) continue;
        const lim = -threshold / z[i]; // −z_i z_j > thr ⇔ z_j < −thr/z_i
        let n = countBelow(lim);
        if (z[i] < lim) n--; // self
        for (const j of partners[i]) if (z[j] < lim) n--;
        bodies[i] += n;
      }
    }
  }

  // Groups: components with ≥ 2 distinct atoms, ordered by start frame.
  const comps = new Map<number, number[]>();
  for (let i = 0; i < M; i++) { const r = find(i); let l = comps.get(r); if (!l) comps.set(r, (l = [])); l.push(i); }
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
  const res = levenbergMarquardt(
    (x, p) => Math.abs(p[0]) + p[1] * Math.exp(-p[2] * x),
    (x, p, out) => { const e = Math.exp(-p[2] * x); out[0] = p[0] < 0 ? -1 : 1; out[1] = e; out[2] = -p[1] * x * e; },
    xs, ys, [0.01, 0.1, 0.1],
  );
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
