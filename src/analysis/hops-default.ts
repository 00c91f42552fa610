/**
 * ionsift's default hop detector: time-ordered segmentation of each ion's unwrapped path
 * into residences (vibration about a fixed place) and transits.
 *
 * Model. Per ion, x(t) = c(s(t)) + e(t): a piecewise-constant 3-D mean (the place the ion
 * vibrates about) plus stationary vibrational noise e with per-component variance σ² and
 * autocorrelation ρ(k) = ρ₁ r^(k−1) (OU-like memory). A hop is a change of place between two
 * residences that are (a) statistically distinguishable given the noise and (b) farther apart
 * than κ = 4.5 vibration amplitudes σ (the two clouds barely overlap).
 *
 * Noise model (data-derived, no Å anywhere):
 *  - pool 'species' (default; pass columns of one species): one model for all columns and local
 *    in time — per frame, fitted to the variogram at lags 1…8, γ(k) = 2σ²(1 − ρ₁ r^(k−1)) (least
 *    squares, linear in 2σ², 2σ²ρ₁ for r on a 0.01 grid), where γ(k) at frame f is the median,
 *    over the time origins within W frames of f, of the median over the ions of the squared
 *    increment (W: ≥ 10⁴ ion-origins per window, 26 frames for 192 ions). Medians make hops
 *    (a few ions at a time) and collective jumps (a few origins) harmless; short lags keep slow
 *    processes out. Local, because a cut must not change the model away from it: one model per
 *    analysed window made σ of a 17.5-ps piece differ from the run's by up to ±4 % (a real
 *    drift of the vibration under the thermostat) and flipped near-threshold hops everywhere;
 *    per-ion iterated estimates were worse still (62 % length consistency). Every decision
 *    about a boundary (merge, residence length and trim, same place) uses the model at its
 *    frame. One segmentation pass per ion.
 *  - pool 'ion': each ion's own σ², ρ and anisotropy (whitening by the Cholesky factor of the
 *    residual covariance shape), iterated: segment → re-estimate from residence residuals
 *    (median-based σ², ρ₁/ρ₂ from the residual variogram, shape from frames within 3.37σ) →
 *    segment, until σ², τ and shape change < 5 % (≤ 6 passes). Used by `segmentIon`.
 *  - or `noise`: models given by the caller (e.g. those of a longer run of the same ions).
 *
 * Segmentation (per ion, independent):
 *  1. Bottom-up contiguous merging: start from one segment per frame and repeatedly merge the
 *     adjacent pair with the smallest mean-change statistic
 *        Z = |m₁ − m₂|² / (σ²[g(n₁)/n₁ + g(n₂)/n₂ − 2 Cov(n₁, n₂)]),
 *     g(n) = 1 + 2 Σ_{k<n}(1 − k/n) ρ(k) the variance inflation of an n-frame mean by the
 *     autocorrelated vibration and Cov = ρ₁(1 − r^n₁)(1 − r^n₂)/((1 − r)² n₁n₂) that of adjacent
 *     means. This is the time-correlation correction (with an i.i.d. penalty a correlated
 *     vibration is over-segmented). A pair merges when Z ≤ χ²₃(1 − α), α = 10⁻⁴ (a fixed
 *     per-test false-alarm rate ≈ a BIC penalty 4·ln n at n ≈ 200 independent samples, but not
 *     growing with the run length, so decisions do not drift with T), or when |m₁ − m₂| ≤ κσ.
 *     Merges only look at neighbours. Heap-driven: O(T log T), memory O(T).
 *  2. Residences: segments that, after trimming edge frames farther than √χ²₃(0.99)·σ = 3.37σ
 *     from their mean, hold n ≥ 2 frames with n/g(n) ≥ 1.5 independent samples (longer than the
 *     vibration's memory). Everything else is transit (label −1).
 *  3. Runs: in time order, a residence joins the current run when at the same place (within κσ
 *     or not significantly apart, the rule of step 1), else it starts a new run — a hop. The
 *     decision involves only the two sides of a hop, so a cut changes at most the run it hits.
 *     Transit = frames between two runs (if none: the boundary frame farther from its place).
 *     from/to are the two runs' means (residence centres), so consecutive hops share an end and
 *     hop vectors telescope exactly to the net displacement between first and last run.
 *  4. Centres (labels): runs, longest first, join the nearest earlier leader at the same place
 *     (revisits share a centre; a run never shares its predecessor's centre).
 *
 * Fixed constants are dimensionless: α = 10⁻⁴, κ = 4.5, the 0.99 trim quantile, n/g(n) ≥ 1.5,
 * n ≥ 2, 8 variogram lags (strided while ρ(stride) ≥ 0.9), 10⁴ ion-origins per noise window.
 * Nothing is a length, hence nothing to tune per material.
 * Complexity: O(T log T) per ion and pass, O(T) memory per ion; the noise field O(T·8·(n + W)).
 *
 * Measured (bench/accuracy.ts, bench/consistency.ts, test/analysis/hops-default*.test.ts; loaded 2-core machine):
 *  - generated datasets (12 runs, 4 materials × 3 T): default F1 0.974–1.000 (lowest
 *    Li-bcc/600K 0.974, Na-hex/750K 0.980, Li-sc/600K 0.984); iondiff 0.853–1.000 (Li-sc/800K
 *    0.853, Na-hex/400K 0.870, Na-hex/750K 0.876, Li-bcc/600K 0.932).
 *  - completeness Σ|hop|²/(6Nt) ÷ D_MSD (fit over lags T/10…T/2): Li6PS5Cl-50p 1.02,
 *    Li6PS5I-50p 1.34, LGPS 650 K (13,979 frames) 0.94; cage-confined runs exceed 1.5 as
 *    expected (hops that return do not add to the MSD): Cl-100p 2.2, I-100p 2.9, Cl-0p 3.3.
 *  - length consistency, whole vs pieces, hops whose two residences no cut crosses (whole →
 *    pieces / pieces → whole): 4 pieces Li6PS5Cl-50p 95.6 / 94.6 %, Li6PS5I-50p 95.9 / 94.4 %,
 *    LGPS 650 K 99.4 / 98.9 %; 2 pieces Cl-50p 98.3 / 97.3 %. With one noise model per analysed
 *    window (before) 92.7 / 90.1 % and 89.0 / 89.9 % (4 pieces): σ of a 17.5-ps piece differs
 *    from the run's by up to ±4 %. Hops merely ≥ 2 transits + 4 frames from a cut, though a
 *    residence they join is cut short: 85.8 / 83.7 % (Cl), 91.4 / 89.0 % (I) — a truncated
 *    residence has another mean, and the separations of consecutive places form one continuum
 *    peaking at 4–4.5 σ (no valley for any κ to sit in), so such marginal decisions flip. Tried
 *    without gain (±2 %, or F1 < 0.97): σ from residence residuals, merging on significance
 *    only, run decisions against the last residence, merge means capped to 4–16 τ frames next to
 *    the boundary, a compactness limit on distance merges, κ = 4…6. One-frame shift: 100 %.
 *  - every-MD-step output (LGPS 600 K, ~2 fs/frame): σ 0.31 Å and 5 hops (lags 1…8 only:
 *    0.064 Å and 894 spurious hops); too short to resolve (LLTO fragment, 150 × ~1 fs): a warning.
 *  - time: 192 Li × 700 frames ≈ 0.16–0.22 s; 2 ions × 20,000 frames 0.2–0.4 s; 500 ions ×
 *    50,000 frames 41 s (1 thread), 25 s (2 workers, analyzeParallel).
 */
import type { AtomCentres, HopDetection, RawHop } from './types.js';

export interface DefaultHopOptions {
  /** False-alarm probability of one merge test (default 1e-4). */
  alpha?: number;
  /** Minimum separation of two places in units of the ion's vibration σ (default 4.5). */
  separationSigma?: number;
  /** Maximum number of segmentation / re-estimation passes (default 6). */
  maxPasses?: number;
  /** Minimum effective number of independent frames n/g(n) of a residence (default 1.5). */
  minResidenceEff?: number;
  /**
   * Noise models to use instead of estimating them, one per column (e.g. those of a longer run
   * of the same ions, `DefaultHopDetection.noise`); the segmentation is then a single pass.
   */
  noise?: readonly IonNoise[];
  /**
   * 'species' (default): one vibration amplitude and memory for all columns (their medians),
   * each ion keeping its own anisotropy — pass columns of one species. 'ion': each ion's own.
   */
  pool?: 'species' | 'ion';
}

/** Noise model of one ion, as estimated from its own residuals. */
export interface IonNoise {
  /** Per-component vibrational variance (Å²). */
  sigma2: number;
  /** Autocorrelation ρ(k), k = 1…K (index k−1); empty = uncorrelated. */
  rho: Float64Array;
  /** Integrated autocorrelation time g(∞) = 1 + 2 Σ ρ(k) (frames). */
  tauInt: number;
  passes: number;
  /** Whitening W (3×3 row-major, lower-triangular) and the variance in whitened units. */
  whitening: Float64Array;
  sigma2Whitened: number;
  /**
   * The model frame by frame (whitened units) when it varies in time — the pooled 'species'
   * model is estimated in a sliding window — for a series of exactly `field.s2.length` frames;
   * a series of another length uses the scalars above.
   */
  field?: NoiseField;
}

/**
 * Vibration model per frame: σ² (per component), ρ(1) and the ratio r of ρ(k) = ρ(1) r^(k−1).
 * A decision about a boundary uses the model at that frame, so cutting the run changes the
 * model only near the cut (within one estimation window and the longest lag).
 */
export interface NoiseField {
  s2: Float64Array;
  rho1: Float64Array;
  r: Float64Array;
  /**
   * False when even the longest variogram lags the run allows (≤ T/4) stay within the
   * vibration's memory (ρ ≥ 0.9): frames far shorter than a vibration period in a run too short
   * to reach its plateau, so σ is underestimated and small wiggles may count as hops.
   */
  resolved?: boolean;
}

export interface DefaultHopDetection extends HopDetection {
  /** The noise model estimated (or given) per column. */
  noise: IonNoise[];
  /** What makes these hops doubtful (e.g. a vibration the run cannot resolve). */
  warnings: string[];
}

/** One ion's answer: residences, centres and hops in frames of its own series. */
export interface IonSegmentation {
  noise: IonNoise;
  /** Per frame: centre index or −1 (transit). */
  labels: Int16Array;
  /** nCentres × 3, Å. */
  centres: Float64Array;
  nCentres: number;
  /** Hops as [startFrame, endFrame, fromCentre, toCentre]. */
  hops: [number, number, number, number][];
  /** Per hop: from (x, y, z) and to (x, y, z) in Å — the means of the residences left and reached. */
  hopEnds: Float64Array;
}

const CHI2_3_99 = 11.344866730144373; // χ²₃ quantile 0.99
const MIN_RESIDENCE = 2; // a place is where the ion is seen at least twice in a row (plus n/g(n) ≥ minResidenceEff)

/** Upper quantile of χ²₃: solves P(χ²₃ > q) = alpha by bisection. */
export function chi2_3Quantile(alpha: number): number {
  let lo = 0, hi = 200;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (chi2_3Survival(mid) > alpha) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Survival of χ²₃: erfc(√(q/2)) + √(2q/π) e^(−q/2). */
function chi2_3Survival(q: number): number {
  return erfc(Math.sqrt(q / 2)) + Math.sqrt((2 * q) / Math.PI) * Math.exp(-q / 2);
}

function erfc(x: number): number {
  // Numerical Recipes erfcc, relative error < 1.2e-7
  const z = Math.abs(x);
  const t = 1 / (1 + 0.5 * z);
  const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 +
    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return x >= 0 ? r : 2 - r;
}

/** Variance-inflation function g(n) of an n-frame mean, from ρ(1…K). */
class Inflation {
  private readonly P: Float64Array;
  private readonly Q: Float64Array;
  private readonly K: number;
  constructor(rho: Float64Array) {
    this.K = rho.length;
    this.P = new Float64Array(this.K + 1);
    this.Q = new Float64Array(this.K + 1);
    for (let k = 1; k <= this.K; k++) {
      this.P[k] = this.P[k - 1] + rho[k - 1];
      this.Q[k] = this.Q[k - 1] + k * rho[k - 1];
    }
  }
  g(n: number): number {
    const m = Math.min(n - 1, this.K);
    const v = 1 + 2 * (this.P[m] - this.Q[m] / n);
    return v < 0.05 ? 0.05 : v;
  }
  get tau(): number {
    return 1 + 2 * this.P[this.K];
  }
  /** ρ(1) and the geometric ratio r of ρ (ρ(k) = ρ(1) r^(k−1), see reestimate). */
  get rho1(): number { return this.K > 0 ? this.P[1] : 0; }
  get ratio(): number { return this.K > 1 ? (this.P[2] - this.P[1]) / this.P[1] : 0; }
}

/** Work buffers for one ion series of T frames, reused across passes and ions. */
class Work {
  T = 0;
  len = new Int32Array(0); nxt = new Int32Array(0); prv = new Int32Array(0);
  sx = new Float64Array(0); sy = new Float64Array(0); sz = new Float64Array(0);
  /** Current merge key of the pair (a, next a); NaN when the pair must stay apart. */
  cur = new Float64Array(0);
  hKey = new Float64Array(0); hId = new Int32Array(0);
  /** Merge-test state of the current `segment` call (read by `mergeKey`). */
  field: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  pen = 0; kappa2 = 0;
  private buf = new Float64Array(0);
  private constant: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  buffer(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf;
  }
  /** A time-constant field of at least T frames (reused buffer). */
  constantField(T: number, s2: number, rho1: number, r: number): NoiseField {
    // a caller's ρ may give r = ρ(2)/ρ(1) ≥ 1 or ∞ (ρ(1) = 0), where g(n) has no closed form
    r = r >= 0 && r < 0.999 ? r : r >= 0.999 ? 0.999 : 0;
    if (this.constant.s2.length < T) this.constant = { s2: new Float64Array(T), rho1: new Float64Array(T), r: new Float64Array(T) };
    this.constant.s2.fill(s2); this.constant.rho1.fill(rho1); this.constant.r.fill(r);
    return this.constant;
  }
  ensure(T: number): void {
    if (this.T >= T) return;
    this.T = T;
    this.len = new Int32Array(T); this.nxt = new Int32Array(T); this.prv = new Int32Array(T);
    this.sx = new Float64Array(T); this.sy = new Float64Array(T); this.sz = new Float64Array(T);
    this.cur = new Float64Array(T);
    // each merge pushes at most 2 entries: T − 1 initial + 2(T − 1)
    this.hKey = new Float64Array(3 * T); this.hId = new Int32Array(3 * T);
  }
}

/**
 * g(n) = 1 + 2 Σ_{k<n} (1 − k/n) ρ(k) for ρ(k) = ρ₁ r^(k−1), in closed form; rn1 = r^(n−1).
 * The variance of an n-frame mean of the correlated vibration is σ² g(n)/n.
 */
function inflationG(n: number, rho1: number, r: number, rn1: number): number {
  if (n <= 1) return 1;
  const om = 1 - r;
  const s1 = (1 - rn1) / om;
  const s2 = (1 - n * rn1 + (n - 1) * rn1 * r) / (om * om);
  const g = 1 + 2 * rho1 * (s1 - s2 / n);
  return g < 0.05 ? 0.05 : g;
}

/** Shortest residence (frames) with n/g(n) ≥ minEff independent samples, at least MIN_RESIDENCE. */
function minResidenceLen(rho1: number, r: number, minEff: number, T: number): number {
  let n = MIN_RESIDENCE;
  while (n < T && n / inflationG(n, rho1, r, r ** (n - 1)) < minEff) n++;
  return n;
}

/**
 * Bottom-up segmentation (step 2). Returns segment starts (ascending) and lengths.
 * A segment is identified by its first frame. Heap entries are (key, left segment); an entry is
 * current when its key equals the stored key of that left segment's pair.
 */
function segment(x: Float64Array, T: number, field: NoiseField, pen: number, kappa2: number, w: Work): { starts: Int32Array; lens: Int32Array } {
  w.ensure(T);
  const { len, nxt, prv, sx, sy, sz, cur, hKey, hId } = w;
  w.field = field; w.pen = pen; w.kappa2 = kappa2;
  for (let t = 0; t < T; t++) {
    len[t] = 1; nxt[t] = t + 1 < T ? t + 1 : -1; prv[t] = t - 1;
    sx[t] = x[3 * t]; sy[t] = x[3 * t + 1]; sz[t] = x[3 * t + 2];
  }
  let size = 0;
  for (let t = 0; t + 1 < T; t++) {
    const k = mergeKey(w, t, t + 1);
    cur[t] = k;
    if (k === k) { hKey[size] = k; hId[size] = t; size++; }
  }
  cur[T - 1] = NaN;
  // heapify
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(hKey, hId, i, size);
  let nSeg = T;
  while (size > 0) {
    const key = hKey[0], a = hId[0];
    size--;
    if (size > 0) { hKey[0] = hKey[size]; hId[0] = hId[size]; siftDown(hKey, hId, 0, size); }
    if (len[a] === 0 || cur[a] !== key) continue;
    const b = nxt[a];
    // merge b into a
    len[a] += len[b]; sx[a] += sx[b]; sy[a] += sy[b]; sz[a] += sz[b];
    len[b] = 0;
    const c = nxt[b];
    nxt[a] = c; if (c >= 0) prv[c] = a;
    nSeg--;
    const p = prv[a];
    if (p >= 0) { const k = mergeKey(w, p, a); cur[p] = k; if (k === k) siftUp(hKey, hId, size++, k, p); }
    if (c >= 0) { const k = mergeKey(w, a, c); cur[a] = k; if (k === k) siftUp(hKey, hId, size++, k, a); } else cur[a] = NaN;
  }
  const starts = new Int32Array(nSeg), lens = new Int32Array(nSeg);
  for (let t = 0, i = 0; t >= 0 && t < T; t = nxt[t], i++) { starts[i] = t; lens[i] = len[t]; }
  return { starts, lens };
}

// mergeKey and siftUp were closures inside `segment` (keyOf, push); V8 then recompiled them with
// TurboFan for every trajectory (52× for 52 in the indexer, the hottest code of the analysis).
// At module scope, taking their state explicitly, they are optimized once per isolate.

/**
 * Merge key of the adjacent segments (a, b), or NaN when the pair must stay apart. The noise
 * model is the field's at the boundary (frame b). Var(m₁ − m₂) = σ²[g(n₁)/n₁ + g(n₂)/n₂] − 2 Cov:
 * adjacent means of a positively correlated vibration co-vary,
 * Cov = σ² ρ(1) (1 − r^n₁)(1 − r^n₂) / ((1 − r)² n₁ n₂) for ρ(k) = ρ(1) r^(k−1).
 */
function mergeKey(w: Work, a: number, b: number): number {
  const { len, sx, sy, sz, field } = w;
  const na = len[a], nb = len[b];
  const dx = sx[a] / na - sx[b] / nb, dy = sy[a] / na - sy[b] / nb, dz = sz[a] / na - sz[b] / nb;
  const d2 = dx * dx + dy * dy + dz * dz;
  const s2 = field.s2[b], rho1 = field.rho1[b], r = field.r[b];
  const pa = r ** (na - 1), pb = r ** (nb - 1);
  const ga = inflationG(na, rho1, r, pa) / na, gb = inflationG(nb, rho1, r, pb) / nb;
  const om = 1 - r;
  const cov = ((2 * rho1) / (om * om)) * ((1 - pa * r) / na) * ((1 - pb * r) / nb);
  const v = s2 * (ga + gb - cov);
  const s = d2 / Math.max(v, 0.05 * s2 * (ga + gb));
  return s <= w.pen || d2 <= w.kappa2 * s2 ? s : NaN;
}

/** Insert (k, v) into the min-heap key/id of size i (the caller then counts i + 1 entries). */
function siftUp(key: Float64Array, id: Int32Array, i: number, k: number, v: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (key[p] <= k) break;
    key[i] = key[p]; id[i] = id[p];
    i = p;
  }
  key[i] = k; id[i] = v;
}

function siftDown(key: Float64Array, id: Int32Array, i: number, n: number): void {
  const k = key[i], v = id[i];
  for (;;) {
    let j = 2 * i + 1;
    if (j >= n) break;
    if (j + 1 < n && key[j + 1] < key[j]) j++;
    if (key[j] >= k) break;
    key[i] = key[j]; id[i] = id[j];
    i = j;
  }
  key[i] = k; id[i] = v;
}

interface Residence { start: number; end: number; mx: number; my: number; mz: number }

/** Trim edge frames beyond r from the mean (step 3); returns the residence or null. */
function trimResidence(x: Float64Array, s: number, e: number, r2: number, minLen: number): Residence | null {
  let a = s, b = e; // inclusive
  for (;;) {
    if (b - a + 1 < minLen) return null;
    let mx = 0, my = 0, mz = 0;
    for (let t = a; t <= b; t++) { mx += x[3 * t]; my += x[3 * t + 1]; mz += x[3 * t + 2]; }
    const n = b - a + 1;
    mx /= n; my /= n; mz /= n;
    const a0 = a, b0 = b;
    while (a <= b && farFrom(x, a, mx, my, mz, r2)) a++;
    while (b >= a && farFrom(x, b, mx, my, mz, r2)) b--;
    if (a === a0 && b === b0) return { start: a, end: b, mx, my, mz };
  }
}

/** Frame t farther than √r2 from (mx, my, mz)? (Module scope: a per-call closure is re-optimized per call.) */
function farFrom(x: Float64Array, t: number, mx: number, my: number, mz: number, r2: number): boolean {
  const dx = x[3 * t] - mx, dy = x[3 * t + 1] - my, dz = x[3 * t + 2] - mz;
  return dx * dx + dy * dy + dz * dz > r2;
}

/** Initial σ² (step 1): half the largest median-based per-component variogram over lags 1…4. */
function initialSigma2(x: Float64Array, T: number): number {
  let best = 0;
  const stride = Math.max(1, Math.floor(T / 20000));
  const buf: number[] = [];
  for (let d = 1; d <= 4 && d < T; d++) {
    buf.length = 0;
    for (let t = 0; t + d < T; t += stride) for (let c = 0; c < 3; c++) {
      const v = x[3 * (t + d) + c] - x[3 * t + c];
      buf.push(v * v);
    }
    const med = quickMedian(buf);
    const v = med / 0.45493642311957305 / 2; // median of χ²₁
    if (v > best) best = v;
  }
  return best > 0 ? best : 1e-6;
}

function quickMedian(a: number[]): number {
  return a.length === 0 ? 0 : quickSelectMedian(Float64Array.from(a), a.length);
}

/**
 * Residual statistics over residences (step 5), median-based so that a minority of frames at
 * an unresolved second place cannot inflate σ (which would widen δ, merge more, and run away).
 * σ² = median(r²)/med(χ²₁) per component, corrected for the fitted means; ρ(k) from the
 * median-based variogram of the residuals, 1 − γ(k)/(2σ²), up to its first non-positive value.
 */
function reestimate(x: Float64Array, res: Residence[], T: number, inf: Inflation, buf: Float64Array): { sigma2: number; rho: Float64Array } | null {
  let nFrames = 0, dof = 0;
  for (const r of res) {
    const n = r.end - r.start + 1;
    nFrames += n;
    dof += Math.max(n - inf.g(n), 0.5);
  }
  if (nFrames < 8) return null;
  const stride = Math.max(1, Math.floor(nFrames / 20000));
  let m = 0;
  for (const r of res) {
    for (let t = r.start; t <= r.end; t += stride) {
      buf[m++] = (x[3 * t] - r.mx) ** 2; buf[m++] = (x[3 * t + 1] - r.my) ** 2; buf[m++] = (x[3 * t + 2] - r.mz) ** 2;
    }
  }
  const sigma2 = (quickSelectMedian(buf, m) / MED_CHI2_1) * (nFrames / dof);
  if (!(sigma2 > 0)) return null;
  // Only ρ(1) and ρ(2) are measured; beyond, ρ(k) = ρ(1)·r^(k−1) with r = ρ(2)/ρ(1) (exact for
  // OU-like vibration). Longer lags would pick up unresolved place changes (slow and large),
  // inflate τ, merge more, and so feed back into ever coarser residences.
  const rl = [0, 0];
  const kMax = Math.min(256, Math.floor(T / 4));
  for (let k = 1; k <= 2; k++) {
    m = 0;
    for (const r of res) {
      for (let t = r.start; t + k <= r.end; t += stride) {
        const u = t + k;
        buf[m++] = (x[3 * u] - x[3 * t]) ** 2; buf[m++] = (x[3 * u + 1] - x[3 * t + 1]) ** 2; buf[m++] = (x[3 * u + 2] - x[3 * t + 2]) ** 2;
      }
    }
    if (m < 30) break;
    rl[k - 1] = 1 - quickSelectMedian(buf, m) / MED_CHI2_1 / (2 * sigma2);
  }
  const rho: number[] = [];
  if (rl[0] > 0) {
    rho.push(Math.min(rl[0], 0.99));
    const r = rl[1] > 0 ? Math.min(rl[1] / rho[0], 0.99) : 0;
    for (let v = rho[0] * r; v > 1e-3 && rho.length < kMax; v *= r) rho.push(v);
  }
  return { sigma2, rho: Float64Array.from(rho) };
}

const MED_CHI2_1 = 0.45493642311957305; // median of χ²₁
const VARIO_LAGS = 8; // lags of the pooled variogram fit

/** Median of a[0..m) by quickselect (reorders a). */
function quickSelectMedian(arr: Float64Array, m: number): number {
  const k = m >> 1;
  let lo = 0, hi = m - 1;
  while (lo < hi) {
    const piv = arr[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (arr[i] < piv) i++;
      while (arr[j] > piv) j--;
      if (i <= j) { const t = arr[i]; arr[i] = arr[j]; arr[j] = t; i++; j--; }
    }
    if (k <= j) hi = j; else if (k >= i) lo = i; else break;
  }
  return arr[k];
}

/**
 * Segment one ion's unwrapped path x (T × 3, Å, frame-major) into residences and hops, with the
 * ion's own iterated noise model ('ion' pooling) or the given one. Hop ends are in `hopEnds`.
 */
export function segmentIon(x: Float64Array, T: number, opts: DefaultHopOptions = {}, fixed?: IonNoise): IonSegmentation {
  return segmentWith(x, T, opts, new Work(), fixed);
}

function segmentWith(x: Float64Array, T: number, opts: DefaultHopOptions, work: Work, fixed?: IonNoise): IonSegmentation {
  const alpha = opts.alpha ?? 1e-4;
  const kappa = opts.separationSigma ?? 4.5;
  const maxPasses = opts.maxPasses ?? 6;
  const pen = chi2_3Quantile(alpha);
  const minEff = opts.minResidenceEff ?? 1.5;
  // y = W x: the series in whitened coordinates (vibration isotropic); W starts as identity
  const y = Float64Array.from(x.subarray(0, 3 * T));
  const W = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  let sigma2 = initialSigma2(y, T);
  let rho: Float64Array = new Float64Array(0);
  let inf = new Inflation(rho);
  let residences: Residence[] = [];
  let passes = 0;
  if (fixed) {
    W.set(fixed.whitening);
    for (let t = 0; t < T; t++) {
      const a = y[3 * t], b = y[3 * t + 1], c = y[3 * t + 2];
      y[3 * t] = W[0] * a; y[3 * t + 1] = W[3] * a + W[4] * b; y[3 * t + 2] = W[6] * a + W[7] * b + W[8] * c;
    }
    sigma2 = fixed.sigma2Whitened; rho = fixed.rho; inf = new Inflation(rho);
  }
  const kappa2 = kappa * kappa;
  // a time-varying model given for exactly this series, else the scalars (constant in time)
  const given = fixed?.field && fixed.field.s2.length === T ? fixed.field : null;
  // `field` always holds the model of the current σ², ρ (refilled only when they change)
  let field: NoiseField = given ?? work.constantField(T, sigma2, inf.rho1, inf.ratio);
  for (;;) {
    passes++;
    residences = findResidences(y, T, field, pen, kappa2, work, minEff);
    if (fixed || passes >= maxPasses) break;
    const est = reestimate(y, residences, T, inf, work.buffer(3 * T));
    if (!est) break;
    const inf2 = new Inflation(est.rho);
    const dS = Math.abs(est.sigma2 - sigma2) / sigma2, dT = Math.abs(inf2.tau - inf.tau) / inf.tau;
    sigma2 = est.sigma2; rho = est.rho; inf = inf2;
    const dW = rewhiten(y, T, residences, sigma2, W);
    field = work.constantField(T, sigma2, inf.rho1, inf.ratio);
    if (dS < 0.05 && dT < 0.05 && dW < 0.05) {
      residences = findResidences(y, T, field, pen, kappa2, work, minEff);
      passes++;
      break;
    }
  }
  // report σ² in Å²: the geometric mean of the vibration's principal variances
  const detW = W[0] * (W[4] * W[8] - W[5] * W[7]) - W[1] * (W[3] * W[8] - W[5] * W[6]) + W[2] * (W[3] * W[7] - W[4] * W[6]);
  const noise: IonNoise = given && fixed
    ? { ...fixed, passes }
    : { sigma2: sigma2 / Math.cbrt(detW * detW), rho, tauInt: inf.tau, passes, whitening: Float64Array.from(W), sigma2Whitened: sigma2 };
  const seg = assemble(y, T, residences, field, pen, kappa2, noise);
  // centres and hop ends back to Å: c = W⁻¹ c_y (W is lower-triangular)
  unwhiten(seg.centres, W);
  unwhiten(seg.hopEnds, W);
  return seg;
}

function unwhiten(c: Float64Array, W: Float64Array): void {
  for (let i = 0; 3 * i < c.length; i++) {
    const a0 = c[3 * i], a1 = c[3 * i + 1], a2 = c[3 * i + 2];
    const z0 = a0 / W[0];
    const z1 = (a1 - W[3] * z0) / W[4];
    const z2 = (a2 - W[6] * z0 - W[7] * z1) / W[8];
    c[3 * i] = z0; c[3 * i + 1] = z1; c[3 * i + 2] = z2;
  }
}

/**
 * Anisotropic vibration: the covariance shape S (trace 3) of the residuals inside residences
 * (frames within √χ²₃(0.99)·σ of their mean, so unresolved places cannot stretch it) is removed by
 * y ← L⁻¹ y with S = L Lᵀ (Cholesky); W accumulates the transform. Returns ‖S − I‖ (max abs).
 */
function rewhiten(y: Float64Array, T: number, res: Residence[], sigma2: number, W: Float64Array): number {
  const lim = CHI2_3_99 * sigma2;
  let sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0, n = 0;
  for (const r of res) {
    for (let t = r.start; t <= r.end; t++) {
      const dx = y[3 * t] - r.mx, dy = y[3 * t + 1] - r.my, dz = y[3 * t + 2] - r.mz;
      if (dx * dx + dy * dy + dz * dz > lim) continue;
      sxx += dx * dx; syy += dy * dy; szz += dz * dz; sxy += dx * dy; sxz += dx * dz; syz += dy * dz; n++;
    }
  }
  if (n < 30) return 0;
  const tr = (sxx + syy + szz) / 3;
  const S = [sxx / tr, sxy / tr, sxz / tr, sxy / tr, syy / tr, syz / tr, sxz / tr, syz / tr, szz / tr];
  let dev = 0;
  for (let i = 0; i < 9; i++) dev = Math.max(dev, Math.abs(S[i] - (i % 4 === 0 ? 1 : 0)));
  // Cholesky S = L Lᵀ
  const l00 = Math.sqrt(S[0]);
  const l10 = S[3] / l00, l20 = S[6] / l00;
  const l11 = Math.sqrt(Math.max(S[4] - l10 * l10, 1e-9));
  const l21 = (S[7] - l20 * l10) / l11;
  const l22 = Math.sqrt(Math.max(S[8] - l20 * l20 - l21 * l21, 1e-9));
  // M = L⁻¹ (lower-triangular)
  const m00 = 1 / l00, m11 = 1 / l11, m22 = 1 / l22;
  const m10 = -l10 * m00 / l11;
  const m21 = -l21 * m11 / l22;
  const m20 = -(l20 * m00 + l21 * m10) / l22;
  for (let t = 0; t < T; t++) {
    const a = y[3 * t], b = y[3 * t + 1], c = y[3 * t + 2];
    y[3 * t] = m00 * a; y[3 * t + 1] = m10 * a + m11 * b; y[3 * t + 2] = m20 * a + m21 * b + m22 * c;
  }
  for (const r of res) {
    const a = r.mx, b = r.my, c = r.mz;
    r.mx = m00 * a; r.my = m10 * a + m11 * b; r.mz = m20 * a + m21 * b + m22 * c;
  }
  // W ← M W (both lower-triangular)
  const w = Float64Array.from(W);
  W[0] = m00 * w[0];
  W[3] = m10 * w[0] + m11 * w[3]; W[4] = m11 * w[4];
  W[6] = m20 * w[0] + m21 * w[3] + m22 * w[6]; W[7] = m21 * w[4] + m22 * w[7]; W[8] = m22 * w[8];
  return dev;
}

function findResidences(x: Float64Array, T: number, field: NoiseField, pen: number, kappa2: number, work: Work, minEff: number): Residence[] {
  const { starts, lens } = segment(x, T, field, pen, kappa2, work);
  const out: Residence[] = [];
  for (let i = 0; i < starts.length; i++) {
    if (lens[i] < MIN_RESIDENCE) continue;
    // the model in the segment's middle decides how long a residence must be and what to trim
    const mid = starts[i] + (lens[i] >> 1);
    const minLen = minResidenceLen(field.rho1[mid], field.r[mid], minEff, T);
    if (lens[i] < minLen) continue;
    const r = trimResidence(x, starts[i], starts[i] + lens[i] - 1, CHI2_3_99 * field.s2[mid], minLen);
    if (r) out.push(r);
  }
  return out;
}

/** Consecutive residences at one place (see `assemble`); c = centre index, −1 until assigned. */
interface Run { start: number; end: number; n: number; mx: number; my: number; mz: number; c: number }

// samePlace and dist2ToRun were closures inside `assemble`; module scope keeps V8 from
// re-optimizing them for every call (see mergeKey).

/**
 * Same place when not farther than κσ or not significantly apart (the rule of step 2,
 * χ²₃(1 − α)·σ²; a short visit's mean is uncertain by σ√(g(n)/n)), with the model at frame f.
 */
function samePlace(ax: number, ay: number, az: number, na: number, bx: number, by: number, bz: number, nb: number, field: NoiseField, f: number, pen: number, kappa2: number): boolean {
  const d = (ax - bx) ** 2 + (ay - by) ** 2 + (az - bz) ** 2;
  const s2 = field.s2[f], rho1 = field.rho1[f], r = field.r[f];
  if (d <= kappa2 * s2) return true;
  const g = inflationG(na, rho1, r, r ** (na - 1)) / na + inflationG(nb, rho1, r, r ** (nb - 1)) / nb;
  return d <= pen * s2 * g;
}

/** Squared distance of frame t of x from the mean of run r. */
function dist2ToRun(x: Float64Array, t: number, r: Run): number {
  return (x[3 * t] - r.mx) ** 2 + (x[3 * t + 1] - r.my) ** 2 + (x[3 * t + 2] - r.mz) ** 2;
}

/** Steps 4: centres, labels, hops. */
function assemble(x: Float64Array, T: number, res: Residence[], field: NoiseField, pen: number, kappa2: number, noise: IonNoise): IonSegmentation {
  const labels = new Int16Array(T).fill(-1);
  if (res.length === 0) {
    // never settled long enough anywhere: one centre at the mean, no hop
    let mx = 0, my = 0, mz = 0;
    for (let t = 0; t < T; t++) { mx += x[3 * t]; my += x[3 * t + 1]; mz += x[3 * t + 2]; }
    labels.fill(0);
    return { noise, labels, centres: Float64Array.of(mx / T, my / T, mz / T), nCentres: 1, hops: [], hopEnds: new Float64Array(0) };
  }
  // Runs: consecutive residences at the same place, decided pairwise in time order (run so far vs
  // next residence), so whether a hop happened depends only on the two sides of it — a cut of
  // the trajectory changes at most the run it falls in.
  const runs: Run[] = [];
  for (const r of res) {
    const n = r.end - r.start + 1;
    const last = runs[runs.length - 1];
    if (last && samePlace(last.mx, last.my, last.mz, last.n, r.mx, r.my, r.mz, n, field, r.start, pen, kappa2)) {
      const m = last.n + n;
      last.mx = (last.mx * last.n + r.mx * n) / m; last.my = (last.my * last.n + r.my * n) / m; last.mz = (last.mz * last.n + r.mz * n) / m;
      last.n = m; last.end = r.end;
    } else {
      runs.push({ start: r.start, end: r.end, n, mx: r.mx, my: r.my, mz: r.mz, c: -1 });
    }
  }
  // Centres (labels only): runs, longest first, join the nearest leader at the same place, so
  // revisits share a centre; a run never shares the centre of its predecessor (that was a hop).
  const order = runs.map((_, i) => i).sort((a, b) => runs[b].n - runs[a].n || a - b);
  const lead: number[] = [];
  for (const i of order) {
    const r = runs[i];
    let best = -1, bestD = Infinity;
    for (let c = 0; c < lead.length; c++) {
      const q = runs[lead[c]];
      const d = (r.mx - q.mx) ** 2 + (r.my - q.my) ** 2 + (r.mz - q.mz) ** 2;
      if (d < bestD && samePlace(r.mx, r.my, r.mz, r.n, q.mx, q.my, q.mz, q.n, field, Math.max(r.start, q.start), pen, kappa2)) { bestD = d; best = c; }
    }
    if (best < 0) { best = lead.length; lead.push(i); }
    r.c = best;
  }
  for (let i = 1; i < runs.length; i++) if (runs[i].c === runs[i - 1].c) { runs[i].c = lead.length; lead.push(i); }
  // renumber centres in order of first visit; centre = frame-weighted mean of its runs
  const renum = new Int32Array(lead.length).fill(-1);
  let nC = 0;
  for (const r of runs) { if (renum[r.c] < 0) renum[r.c] = nC++; r.c = renum[r.c]; }
  const centres = new Float64Array(nC * 3);
  const wsum = new Float64Array(nC);
  for (const r of runs) {
    centres[3 * r.c] += r.mx * r.n; centres[3 * r.c + 1] += r.my * r.n; centres[3 * r.c + 2] += r.mz * r.n; wsum[r.c] += r.n;
  }
  for (let c = 0; c < nC; c++) { centres[3 * c] /= wsum[c]; centres[3 * c + 1] /= wsum[c]; centres[3 * c + 2] /= wsum[c]; }
  for (const r of runs) labels.fill(r.c, r.start, r.end + 1);
  // frames before the first / after the last residence: no hop can be resolved there
  labels.fill(runs[0].c, 0, runs[0].start);
  labels.fill(runs[runs.length - 1].c, runs[runs.length - 1].end + 1, T);
  const hops: [number, number, number, number][] = [];
  const hopEnds = new Float64Array(6 * (runs.length - 1));
  for (let i = 1; i < runs.length; i++) {
    const A = runs[i - 1], B = runs[i];
    let s = A.end + 1, e = B.start - 1;
    if (s > e) {
      // instantaneous change between frames: the boundary frame farther from its place is the transit
      if (dist2ToRun(x, A.end, A) >= dist2ToRun(x, B.start, B)) { s = e = A.end; } else { s = e = B.start; }
      labels[s] = -1;
    }
    hops.push([s, e, A.c, B.c]);
    // hop ends are the two runs' means (residence centres): consecutive hops share an end,
    // so hop vectors telescope exactly
    hopEnds.set([A.mx, A.my, A.mz, B.mx, B.my, B.mz], 6 * (i - 1));
  }
  return { noise, labels, centres, nCentres: nC, hops, hopEnds };
}

/**
 * Default hop detection for the ions in `atoms` (file-order indices of the columns of
 * `unwrapped`, which is frame-major [frame][k][xyz], Å, as returned by `unwrap`).
 * Pure and deterministic; RawHop.atom is the file-order index.
 */
export function detectHopsDefault(unwrapped: Float64Array, nFrames: number, atoms: Int32Array, opts: DefaultHopOptions = {}): DefaultHopDetection {
  const n = atoms.length, T = nFrames;
  if (unwrapped.length !== T * n * 3) throw new Error(`detectHopsDefault: expected ${T * n * 3} values, got ${unwrapped.length}`);
  if (opts.noise && opts.noise.length !== n) throw new Error(`detectHopsDefault: ${opts.noise.length} noise models for ${n} columns`);
  const x = new Float64Array(T * 3);
  const work = new Work();
  const models = opts.noise ?? defaultNoiseModels(unwrapped, T, n, opts);
  const hops: RawHop[] = [];
  const out: AtomCentres[] = [];
  const noise: IonNoise[] = [];
  for (let k = 0; k < n; k++) {
    const seg = segmentWith(copyColumn(unwrapped, T, n, k, x), T, opts, work, models?.[k]);
    noise.push(seg.noise);
    const atom = atoms[k];
    out.push({ atom, nCentres: seg.nCentres, score: 1 - countTransit(seg.labels, T) / T, labels: seg.labels, centres: seg.centres });
    pushHops(hops, atom, seg);
  }
  const warnings: string[] = [];
  const f = models?.[0]?.field;
  if (f && f.resolved === false) {
    warnings.push(`vibration not resolved: frames stay correlated (ρ ≥ 0.9) up to the longest variogram lag the run allows (a quarter of it), so the vibration amplitude σ = ${Math.sqrt(models[0].sigma2).toFixed(3)} Å is underestimated and small moves may count as hops; a longer run, or frames written less often, resolves it`);
  }
  return { method: 'default', hops, atoms: out, noise, warnings };
}

/**
 * The noise models `detectHopsDefault` uses for these columns when none are given: with
 * 'species' pooling (default, n ≥ 2) one model from the pooled short-lag variogram of all
 * columns; undefined for 'ion' pooling (each ion then estimates its own). Splitting the columns
 * into subsets and passing each subset its slice of these models as `noise` gives exactly the
 * hops of the whole call — what a per-ion split over workers needs.
 */
export function defaultNoiseModels(unwrapped: Float64Array, nFrames: number, nCols: number, opts: DefaultHopOptions = {}): IonNoise[] | undefined {
  if ((opts.pool ?? 'species') !== 'species' || nCols < 2) return undefined;
  // One isotropic noise model for all columns, pooled over them and local in time: per-ion,
  // iterated estimates fluctuate with the window analysed and flip marginal hops, and so does
  // one model for the whole window (σ of a 17.5-ps piece differs from the run's by up to ±4 %).
  const T = nFrames;
  const I = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  const field = localVariogramField(unwrapped, T, nCols);
  // scalar summary: the frame averages
  let s2 = 0, rho1 = 0, r = 0;
  for (let t = 0; t < T; t++) { s2 += field.s2[t]; rho1 += field.rho1[t]; r += field.r[t]; }
  s2 /= T; rho1 /= T; r /= T;
  const rho = geometricRho(rho1, r, Math.min(256, Math.floor(T / 4)));
  const m: IonNoise = { sigma2: s2, rho, tauInt: new Inflation(rho).tau, passes: 0, whitening: I, sigma2Whitened: s2, field };
  return new Array<IonNoise>(nCols).fill(m);
}

// The helpers below were closures or inline loops of detectHopsDefault / the variogram fit,
// which run once per species per trajectory: V8 recompiled the closures and on-stack-replaced the
// long loops on every call (detectHopsDefault 43×, the variogram fit 45× for 52 trajectories).
// As module-level functions called per column they get hot once and stay optimized.

/** Column k of the frame-major T × n × 3 array u, copied into x (T × 3); returns x. */
function copyColumn(u: Float64Array, T: number, n: number, k: number, x: Float64Array): Float64Array {
  for (let t = 0; t < T; t++) {
    const o = (t * n + k) * 3;
    x[3 * t] = u[o]; x[3 * t + 1] = u[o + 1]; x[3 * t + 2] = u[o + 2];
  }
  return x;
}

/** Number of transit frames (label −1) among the first T. */
function countTransit(labels: Int16Array, T: number): number {
  let inTransit = 0;
  for (let t = 0; t < T; t++) if (labels[t] < 0) inTransit++;
  return inTransit;
}

/** Appends one ion's hops (its own frames; ends from seg.hopEnds) as RawHops of `atom`. */
function pushHops(hops: RawHop[], atom: number, seg: IonSegmentation): void {
  const q = seg.hopEnds;
  for (let i = 0; i < seg.hops.length; i++) {
    const [s, e] = seg.hops[i];
    const o = 6 * i;
    hops.push({ atom, startFrame: s, endFrame: e, from: [q[o], q[o + 1], q[o + 2]], to: [q[o + 3], q[o + 4], q[o + 5]] });
  }
}

/** Ion-origins (ions × time origins) per estimation window of the local noise model. */
const LOCAL_SAMPLES = 10_000;
/** Smallest half-width (frames) of that window. */
const LOCAL_MIN_HALF = 16;

/**
 * Species noise model, frame by frame, from the pooled variogram at lags s, 2s, …, 8s in a
 * sliding window of time origins: γ(ks) = 2σ²(1 − ρ(s) q^(k−1)) per component, fitted by least
 * squares (linear in 2σ², 2σ²ρ(s) for each q on a 0.01 grid), then converted to frames.
 *
 * Robust and local: for every origin t and lag the median over the ions of |x(t + lag) − x(t)|²
 * (a hop moves a few ions, not the median), scaled by that statistic's median for n χ²₃ values;
 * γ at frame f is the median of these over the 2W + 1 origins around f (a median again, so that
 * many ions moving at once cannot inflate it; see slidingMedians for the ends), W such that the
 * window holds ≥ LOCAL_SAMPLES ion-origins (192 ions: W = 26 frames). So a run and a piece of it
 * use the same model for frames farther than W + 8s from the cut, and a thermostat's slow drift
 * of the vibration amplitude is followed. Short lags only: hops barely enter, and no slow
 * process is mistaken for vibration. Runs shorter than the window get one model (every origin).
 * Stride s = 1 unless the frames are far shorter than the vibration's memory (see below).
 * O(T·8·(n + W)).
 */
function localVariogramField(u: Float64Array, T: number, n: number): NoiseField {
  const field: NoiseField = { s2: new Float64Array(T), rho1: new Float64Array(T), r: new Float64Array(T) };
  if (T < 2) { field.s2.fill(1e-6); return field; }
  const scale = medianOfMedianChi2_3(n);
  const buf = new Float64Array(Math.max(n, T));
  let W = Math.max(LOCAL_MIN_HALF, Math.ceil((LOCAL_SAMPLES / n - 1) / 2));
  const fit = new VariogramFit(Math.min(VARIO_LAGS, T - 1));
  const gam = new Float64Array(VARIO_LAGS + 1);
  // Lags s, 2s, …, Ks. Frames written every MD step (1–2 fs) sample the vibration so finely that
  // lags 1…8 never leave its ballistic start (ρ(1) → 1, σ tiny, every wiggle a "hop"): the stride
  // s doubles while the whole window's fit says the first lag is nearly ballistic, ρ(s) ≥ 0.9, or
  // the longest is still correlated, ρ(Ks) ≥ 0.2 — so that the lags reach the plateau 2σ² rather
  // than extrapolate to it (a ballistic start misfits the exponential model: both tests needed).
  let stride = 1, K = 0;
  let med: Float64Array[] = [];
  const unresolved = () => fit.rho1 >= 0.9 || fit.rho1 * fit.r ** (K - 1) >= 0.2;
  for (;;) {
    K = Math.min(VARIO_LAGS, Math.floor((T - 1) / stride));
    med = perOriginMedians(u, T, n, stride, K, scale, buf);
    fit.reset(K);
    for (let k = 1; k <= K; k++) { buf.set(med[k]); gam[k] = quickSelectMedian(buf, med[k].length); }
    fit.fit(gam);
    if (!unresolved() || 2 * stride * VARIO_LAGS > T / 4) break;
    stride *= 2;
  }
  field.resolved = !unresolved();
  // the window also spans a few of the longest lags: slow vibration has few independent origins
  W = Math.max(W, 2 * K * stride);
  if (2 * W + 1 >= T) {
    // one window holds every origin: one model (the fit above)
    setFrameModel(field, 0, T, fit, stride);
    return field;
  }
  const G: Float64Array[] = [new Float64Array(0)];
  for (let k = 1; k <= K; k++) G.push(slidingMedians(med[k], T, W));
  for (let f = 0; f < T; f++) {
    for (let k = 1; k <= K; k++) gam[k] = G[k][f];
    fit.fit(gam);
    setFrameModel(field, f, f + 1, fit, stride);
  }
  return field;
}

/**
 * Per frame f = 0…T−1, the median of m over the origins [lo, hi], hi = min(L − 1, f + W),
 * lo = max(0, min(f − W, hi − W)) for L = m.length: the 2W + 1 origins around f, clipped at the
 * start and at the end — where a long lag has fewer origins than frames, shifted back to keep at
 * least W + 1 (a window must never be empty or a handful of values). Both ends only move
 * forward with f, so one sorted window slides along: O(T·W) memmove at worst, not a quickselect
 * of 2W + 1 values per frame (few ions make W large). The value is the sorted window's element
 * ⌊count/2⌋, as quickSelectMedian returns.
 */
function slidingMedians(m: Float64Array, T: number, W: number): Float64Array {
  const L = m.length;
  const out = new Float64Array(T);
  const win = new Float64Array(Math.min(L, 2 * W + 1) + 1);
  let count = 0, lo = 0, hi = -1; // the window holds m[lo..hi]
  for (let f = 0; f < T; f++) {
    const h = Math.min(L - 1, f + W), l = Math.max(0, Math.min(f - W, h - W));
    while (hi < h) count = sortedInsert(win, count, m[++hi]);
    while (lo < l) count = sortedRemove(win, count, m[lo++]);
    out[f] = win[count >> 1];
  }
  return out;
}

/** Inserts v into the ascending win[0..count); returns the new count. */
function sortedInsert(win: Float64Array, count: number, v: number): number {
  let a = 0, b = count;
  while (a < b) { const c = (a + b) >> 1; if (win[c] < v) a = c + 1; else b = c; }
  win.copyWithin(a + 1, a, count);
  win[a] = v;
  return count + 1;
}

/** Removes one value equal to v from the ascending win[0..count); returns the new count. */
function sortedRemove(win: Float64Array, count: number, v: number): number {
  let a = 0, b = count;
  while (a < b) { const c = (a + b) >> 1; if (win[c] < v) a = c + 1; else b = c; }
  win.copyWithin(a, a + 1, count);
  return count - 1;
}

/** Per lag k = 1…K (index k), per origin t: median over the ions of |x(t + ks) − x(t)|² / scale. */
function perOriginMedians(u: Float64Array, T: number, n: number, s: number, K: number, scale: number, buf: Float64Array): Float64Array[] {
  const med: Float64Array[] = [new Float64Array(0)];
  for (let k = 1; k <= K; k++) {
    const lag = k * s;
    const m = new Float64Array(T - lag);
    for (let t = 0; t + lag < T; t++) m[t] = originMedian(u, n, t, lag, buf) / scale;
    med.push(m);
  }
  return med;
}

/**
 * Frames [a, b) get the fitted model, converted from lag units of `stride` frames to frames:
 * γ(ks) = 2σ²(1 − B q^(k−1)) means ρ(k s) = B q^(k−1), so r = q^(1/s), ρ(1) = B / r^(s−1).
 */
function setFrameModel(field: NoiseField, a: number, b: number, fit: VariogramFit, stride: number): void {
  let rho1 = fit.rho1, r = fit.r;
  if (stride > 1 && r > 0) {
    // A vibration that decays slower than exponentially at short lags (ballistic start) asks
    // for ρ(1) > 1 here; capped at 0.99, the model then under-states the memory at lags < s.
    r = Math.min(r ** (1 / stride), 0.999);
    rho1 = Math.min(rho1 / r ** (stride - 1), 0.99);
  }
  // (r = 0: the fitted correlation ends after one stride; ρ(1) = the fitted ρ(s), nothing after)
  field.s2.fill(fit.sigma2, a, b); field.rho1.fill(rho1, a, b); field.r.fill(r, a, b);
}

/** Median over the n ions of |x(t+k) − x(t)|² (frame-major u, n columns); buf holds n values. */
function originMedian(u: Float64Array, n: number, t: number, k: number, buf: Float64Array): number {
  const o = t * n * 3, q = (t + k) * n * 3;
  for (let j = 0; j < n; j++) {
    const a = u[q + 3 * j] - u[o + 3 * j], b = u[q + 3 * j + 1] - u[o + 3 * j + 1], c = u[q + 3 * j + 2] - u[o + 3 * j + 2];
    buf[j] = a * a + b * b + c * c;
  }
  return quickSelectMedian(buf, n);
}

/**
 * Least-squares fit of γ(k) = A − B r^(k−1), k = 1…K, over r on a 0.01 grid (A = 2σ², B = 2σ²ρ₁);
 * the r-only sums are precomputed once.
 */
class VariogramFit {
  sigma2 = 0; rho1 = 0; r = 0;
  private K = 0;
  private pw = new Float64Array(0); // pw[ri·K + k − 1] = r^(k−1)
  private readonly sf = new Float64Array(100);
  private readonly det = new Float64Array(100);
  private readonly sff = new Float64Array(100);
  constructor(K: number) { this.reset(K); }
  /** Precompute the r-only sums for K lags. */
  reset(K: number): void {
    if (K === this.K) return;
    this.K = K;
    this.pw = new Float64Array(100 * K);
    for (let ri = 0; ri <= 99; ri++) {
      const r = ri / 100;
      let sf = 0, sff = 0;
      for (let k = 1, f = 1; k <= K; k++, f *= r) { this.pw[ri * K + k - 1] = f; sf += f; sff += f * f; }
      this.sf[ri] = sf; this.sff[ri] = sff; this.det[ri] = K * sff - sf * sf;
    }
  }
  fit(gam: Float64Array): void {
    const K = this.K;
    let sg = 0;
    for (let k = 1; k <= K; k++) sg += gam[k];
    let bestErr = Infinity;
    this.sigma2 = gam[K] / 2; this.rho1 = 0; this.r = 0;
    for (let ri = 0; ri <= 99; ri++) {
      const det = this.det[ri];
      if (Math.abs(det) < 1e-12) continue;
      let sgf = 0;
      const o = ri * K;
      for (let k = 1; k <= K; k++) sgf += gam[k] * this.pw[o + k - 1];
      const sf = this.sf[ri];
      const A = (sg * this.sff[ri] - sf * sgf) / det, B = (sg * sf - K * sgf) / det;
      if (!(A > 0) || B < 0 || B >= A) continue;
      let err = 0;
      for (let k = 1; k <= K; k++) err += (gam[k] - A + B * this.pw[o + k - 1]) ** 2;
      if (err < bestErr) { bestErr = err; this.sigma2 = A / 2; this.rho1 = B / A; this.r = ri / 100; }
    }
  }
}

const medianOfMedianCache = new Map<number, number>();

/**
 * The median of the distribution of the per-origin statistic — the value of rank ⌊n/2⌋ (what
 * quickSelectMedian returns) among n independent χ²₃ values: P(Binomial(n, F(m)) ≥ ⌊n/2⌋ + 1) = ½,
 * F the χ²₃ CDF. Dividing by it makes the median over origins an unbiased σ² scale for any
 * number of ions (two ions: the larger of two values).
 */
export function medianOfMedianChi2_3(n: number): number {
  const hit = medianOfMedianCache.get(n);
  if (hit !== undefined) return hit;
  const need = (n >> 1) + 1;
  let lo = 0, hi = 40;
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (binomialTail(n, 1 - chi2_3Survival(mid), need) < 0.5) lo = mid; else hi = mid;
  }
  const v = (lo + hi) / 2;
  medianOfMedianCache.set(n, v);
  return v;
}

/** P(X ≥ k) for X ~ Binomial(n, p), summed in log space. */
function binomialTail(n: number, p: number, k: number): number {
  if (p <= 0) return 0;
  if (p >= 1) return 1;
  const lp = Math.log(p), lq = Math.log1p(-p);
  let logC = 0; // log C(n, i), built up from i = 0
  let sum = 0;
  for (let i = 0; i <= n; i++) {
    if (i > 0) logC += Math.log((n - i + 1) / i);
    if (i >= k) sum += Math.exp(logC + i * lp + (n - i) * lq);
  }
  return sum;
}

/** ρ(k) = ρ₁ r^(k−1) for k = 1… while above 10⁻³ (at most kMax terms). */
function geometricRho(rho1: number, r: number, kMax: number): Float64Array {
  const rho: number[] = [];
  if (rho1 > 0) {
    rho.push(Math.min(rho1, 0.99));
    const q = Math.min(Math.max(r, 0), 0.99);
    for (let v = rho[0] * q; v > 1e-3 && rho.length < kMax; v *= q) rho.push(v);
  }
  return Float64Array.from(rho);
}
