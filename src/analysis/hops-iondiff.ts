/**
 * IonDiff hop detection (López, Rurali, Cazorla, JACS 2024; IonRepo/IonDiff `identify_diffusion`),
 * as described in ../shared/reference/iondiff-method.md §2.
 *
 * Per ion, its unwrapped positions are clustered as a 3-D point cloud (time order ignored):
 * k-means for k = 2…maxClusters, silhouette of each; k* = first argmax, or 1 when the best
 * silhouette < silhouetteThd. Centres = means of the k* labels; a frame "vibrates" when it is
 * closer than distanceThdA to its own centre. Every label change t_c (labels[t_c+1] ≠ labels[t_c])
 * gives an event [s, e]: s = first frame of the vibrating/non-vibrating run containing t_c−1,
 * e = last frame of the run containing t_c; exact duplicate (atom, s, e) triples are dropped.
 * `iondiffEventBoundaries` is that step on its own, for tests.
 *
 * Deviations from the original (each is deliberate):
 * 1. Events whose end run reaches the last frame: the original stores e = −1, which the
 *    occupancy expansion (H[s+1:e+1]) turns into an EMPTY slice, so they vanish downstream.
 *    Here e = T−1 (last frame). `compat: true` keeps e = −1 in the raw `events`.
 * 2. t_c = 0 (frame 0 alone in its cluster): numpy 1.24 compares an empty slice and yields
 *    s = 1 (e.g. the observed [16, 1, 1]); here s = 0 (the run containing "frame −1" does not
 *    exist, the transit starts at frame 0). `compat: true` reproduces s = 1.
 * 3. Seeding: one k-means++ run (sklearn's greedy variant; sklearn's own n_init='auto' for
 *    k-means++) instead of Forgy 'random' ×10 — ~6× faster. `init: 'random'` (nInit 10,
 *    maxIter 300, tol 1e-4) is the faithful setting and the default under `compat`. The PRNG is
 *    ours (seeded, deterministic), not numpy's. Measured: on argyrodite Cl-50p both settings give
 *    identical events (11); on I-0p 157 vs 156 — the one extra event belongs to an ion whose k = 2
 *    fit has two local minima (silhouette 0.7052 vs 0.7061) that Forgy ×1 with other seeds also
 *    lands in: seed-level noise the original has too ("runs might slightly differ").
 * 4. Shortcut (speed): an ion whose whole path stays within `skipRadiusA` (default
 *    1.5 · distanceThdA = 0.6 Å) of its mean position is not clustered (k* = 1, score NaN).
 *    Why it is safe: silhouette ≥ 0.7 needs sub-clouds whose internal mean distance a is
 *    ≤ 0.3× their mutual distance b; inside a 0.6 Å ball b ≤ 1.2 Å, so every sub-cloud would
 *    need a ≲ 0.36 Å, i.e. a per-axis thermal width ≲ 0.16 Å AND the sub-clouds' own tails
 *    confined to the ball — not the thermal cloud of a mobile ion at AIMD temperatures (its
 *    largest excursion over hundreds of frames is ≈ 4σ). And were a split found, both centres
 *    would lie in the same ball, < 1.2 Å apart — shorter than any site-to-site hop in a solid
 *    electrolyte. It is a deliberate shortcut, not a proof: `skipRadiusA: 0` disables it (the
 *    default under `compat`). On the real argyrodite runs (every Li moves > 3 Å) it never
 *    triggers, so it changes nothing there; it pays off for framework or frozen ions.
 * 5. Silhouette: exact (no T×T matrix); for runs longer than `exactMaxFrames` (default 5000)
 *    a seeded sampled silhouette (2000 rows, exact columns) replaces it — the original is
 *    exact at any length (and O(T²) memory). Evaluation stops early once every k's silhouette
 *    is proven to stay below `silhouetteThd` (silhouette.ts, `silhouetteScoresBelow`): k* = 1
 *    then, as the full evaluation would give, so labels, centres and events are unchanged; only
 *    the reported `silhouettes`/`score` of such an ion are upper bounds (< silhouetteThd)
 *    instead of the values (`silhouetteExact` says which). `exactSilhouettes: true` (default
 *    under `compat`) always evaluates them fully.
 * 6. Only the ions passed in (`atoms`, typically the mobile species) are analysed; IonDiff
 *    analyses every atom of every species.
 * 7. from/to of a hop: the centre of the label before the FIRST label change and after the
 *    LAST label change that map to the same (s, e) triple (the original stores no centres).
 * 8. RawHop.startFrame/endFrame = s/e (the transit run, inclusive); when the compat quirk gives
 *    s > e (t_c = 0 with a one-frame run) startFrame is clamped to e.
 * 9. Step C (the back-hopping counter over label-ordered centres) is not reproduced: it is
 *    never saved by the original and orders centres arbitrarily; see paths.ts for back-hops.
 * The Spectral classifier option is not offered (it crashes below 1000 frames in the original).
 */
import type { AtomCentres, HopDetection, RawHop } from './types.js';
import { kmeansMulti, mixSeed, type KMeansInit, type KMeansOptions } from './kmeans.js';
import { sampleRows, silhouetteScores, silhouetteScoresBelow } from './silhouette.js';
import type { Positions } from '../trajectory/types.js';

/**
 * The k-means settings (init, nInit, maxIter, tol, seed, engine) are KMeansOptions'; here the
 * default seeding is 'k-means++', or Forgy 'random' ×10 under `compat`.
 */
export interface IondiffOptions extends Pick<KMeansOptions, 'init' | 'nInit' | 'maxIter' | 'tol' | 'seed' | 'engine'> {
  /** Vibration threshold: distance to own centre (Å). Default 0.4. */
  distanceThdA?: number;
  /** Minimum silhouette to accept k ≥ 2 centres. Default 0.7. */
  silhouetteThd?: number;
  /** Largest k tried (k = 2…maxClusters). Default 10 (IonDiff `--n_attempts`). */
  maxClusters?: number;
  /** Reproduce the original's quirks (e = −1, t_c = 0 → s = 1) in `events`; Forgy seeding; no shortcut. */
  compat?: boolean;
  /** Ions within this radius (Å) of their mean are not clustered. Default 1.5·distanceThdA (0 under compat); 0 = off. */
  skipRadiusA?: number;
  /** Above this many frames the silhouette is sampled. Default 5000. */
  exactMaxFrames?: number;
  /** Rows of the sampled silhouette. Default 2000. */
  silhouetteSampleSize?: number;
  /**
   * Evaluate every silhouette fully even when the ion provably has k* = 1 (default: only under
   * `compat`). Off, such an ion reports upper bounds (< silhouetteThd) as its silhouettes.
   */
  exactSilhouettes?: boolean;
}

/** One raw IonDiff event row: (particle, start, end); end = −1 means "to the end" (compat only). */
export interface IondiffEvent {
  atom: number;
  start: number;
  end: number;
}

export interface IondiffDetection extends HopDetection {
  /** The DIFFUSION rows, in the original's order (atom, then first label change). */
  events: IondiffEvent[];
  /** Silhouette per analysed ion and k = 2…maxClusters (row-major, NaN when not computed). */
  silhouettes: Float64Array;
  /** 1 where the ion was skipped by the small-radius shortcut. */
  skipped: Uint8Array;
  /** 1 where the ion's `silhouettes` (and `score`) are the values, 0 where upper bounds below the threshold. */
  silhouetteExact: Uint8Array;
}

/** One boundary from `iondiffEventBoundaries`, with the first and last label change it came from. */
export interface EventBoundary {
  start: number;
  end: number;
  tcFirst: number;
  tcLast: number;
}

/**
 * Step D of the reference on one ion: label changes → deduplicated [start, end] pairs.
 * `vib[t]` truthy = vibrating. compat: end = −1 for runs reaching the last frame and
 * start = 1 for t_c = 0 (numpy 1.24); otherwise end = T−1 and start = 0.
 */
export function iondiffEventBoundaries(
  labels: ArrayLike<number>,
  vib: ArrayLike<boolean | number>,
  compat = false,
): EventBoundary[] {
  const T = labels.length;
  const out: EventBoundary[] = [];
  if (T < 2) return out;
  // Run starts/ends of constant vib values, by frame.
  const runStart = new Int32Array(T), runEnd = new Int32Array(T);
  for (let t = 0; t < T; t++) runStart[t] = t > 0 && !vib[t] === !vib[t - 1] ? runStart[t - 1] : t;
  for (let t = T - 1; t >= 0; t--) runEnd[t] = t < T - 1 && !vib[t] === !vib[t + 1] ? runEnd[t + 1] : t;
  const seen = new Map<number, EventBoundary>();
  for (let tc = 0; tc < T - 1; tc++) {
    if (labels[tc + 1] === labels[tc]) continue;
    const s = tc === 0 ? (compat ? 1 : 0) : runStart[tc - 1];
    let e = runEnd[tc];
    if (e === T - 1 && compat) e = -1;
    const key = s * (T + 1) + (e + 1);
    const prev = seen.get(key);
    if (prev) { prev.tcLast = tc; continue; }
    const b: EventBoundary = { start: s, end: e, tcFirst: tc, tcLast: tc };
    seen.set(key, b);
    out.push(b);
  }
  return out;
}

/** Result of `detectIonIondiff` for one ion. */
export interface IonIondiffResult {
  centres: AtomCentres;
  events: IondiffEvent[];
  hops: RawHop[];
  /** Silhouette for k = 2…maxClusters (NaN where not computed; upper bounds when `silhouetteExact` is false). */
  silhouettes: Float64Array;
  skipped: boolean;
  /** False when the silhouettes were only bounded (every one provably below the threshold). */
  silhouetteExact: boolean;
}

/**
 * IonDiff hop detection over the columns of `unwrapped` (frame-major [frame][k][xyz], Å, as
 * returned by `unwrap(traj, {atoms})`); `atoms[k]` is the file-order index of column k.
 * Ions are independent: `detectIonIondiff` does one, for callers that spread ions over workers.
 */
export function detectHopsIondiff(
  unwrapped: Positions,
  nFrames: number,
  atoms: Int32Array,
  opts: IondiffOptions = {},
): IondiffDetection {
  const T = nFrames, n = atoms.length;
  if (unwrapped.length !== T * n * 3) throw new Error(`detectHopsIondiff: expected ${T * n * 3} numbers, got ${unwrapped.length}`);
  const nK = Math.max(0, (opts.maxClusters ?? 10) - 1);
  const silhouettes = new Float64Array(n * nK).fill(NaN);
  const skipped = new Uint8Array(n);
  const silhouetteExact = new Uint8Array(n);
  const hops: RawHop[] = [];
  const events: IondiffEvent[] = [];
  const centres: AtomCentres[] = [];
  const X = new Float64Array(T * 3);
  for (let a = 0; a < n; a++) {
    for (let f = 0; f < T; f++) {
      const o = (f * n + a) * 3;
      X[f * 3] = unwrapped[o]; X[f * 3 + 1] = unwrapped[o + 1]; X[f * 3 + 2] = unwrapped[o + 2];
    }
    const r = detectIonIondiff(X, T, atoms[a], opts);
    centres.push(r.centres);
    for (const e of r.events) events.push(e);
    for (const h of r.hops) hops.push(h);
    silhouettes.set(r.silhouettes, a * nK);
    skipped[a] = r.skipped ? 1 : 0;
    silhouetteExact[a] = r.silhouetteExact ? 1 : 0;
  }
  return { method: 'iondiff', hops, atoms: centres, events, silhouettes, skipped, silhouetteExact };
}

/** IonDiff on one ion: `X` = its unwrapped positions (T × 3, Å), `atom` = its file-order index. */
// Long on purpose: the published per-ion recipe step by step (reference §2–3), kept in its order.
export function detectIonIondiff(X: Float64Array, T: number, atom: number, opts: IondiffOptions = {}): IonIondiffResult {
  const compat = opts.compat ?? false;
  const thd = opts.distanceThdA ?? 0.4;
  const silThd = opts.silhouetteThd ?? 0.7;
  const maxK = opts.maxClusters ?? 10;
  const init: KMeansInit = opts.init ?? (compat ? 'random' : 'k-means++');
  const nInit = opts.nInit ?? (init === 'random' ? 10 : 1);
  const skipR = opts.skipRadiusA ?? (compat ? 0 : 1.5 * thd);
  const exactMax = opts.exactMaxFrames ?? 5000;
  const sampleSize = opts.silhouetteSampleSize ?? 2000;
  const seed = opts.seed ?? 0;
  const silhouettes = new Float64Array(Math.max(0, maxK - 1)).fill(NaN);

  let mx = 0, my = 0, mz = 0;
  for (let f = 0; f < T; f++) { mx += X[f * 3]; my += X[f * 3 + 1]; mz += X[f * 3 + 2]; }
  mx /= T; my /= T; mz /= T;
  let r2max = 0;
  for (let f = 0; f < T; f++) {
    const dx = X[f * 3] - mx, dy = X[f * 3 + 1] - my, dz = X[f * 3 + 2] - mz;
    const r2 = dx * dx + dy * dy + dz * dz;
    if (r2 > r2max) r2max = r2;
  }

  let kStar = 1, score = NaN, skipped = false, exact = true;
  let labels: Int32Array = new Int32Array(T);
  const kTop = Math.min(maxK, T - 1);
  if (kTop >= 2 && Math.sqrt(r2max) < skipR) skipped = true;
  else if (kTop >= 2) {
    const ks: number[] = [];
    for (let k = 2; k <= kTop; k++) ks.push(k);
    const fits = kmeansMulti(X, T, ks, { init, nInit, maxIter: opts.maxIter, tol: opts.tol, seed, engine: opts.engine }).map((r) => r.labels);
    const rows = T > exactMax && sampleSize < T ? sampleRows(T, sampleSize, mixSeed(seed, atom)) : undefined;
    let s: Float64Array;
    if (opts.exactSilhouettes ?? compat) s = silhouetteScores(X, T, fits, ks, rows);
    else {
      const b = silhouetteScoresBelow(X, T, fits, ks, silThd, rows);
      s = b.scores;
      exact = b.exact;
    }
    let best = -1;
    for (let m = 0; m < s.length; m++) {
      silhouettes[m] = s[m];
      if (!Number.isNaN(s[m]) && (best < 0 || s[m] > s[best])) best = m; // first k on ties
    }
    if (best >= 0) {
      score = s[best];
      if (score >= silThd) { kStar = ks[best]; labels = fits[best]; }
    }
  }

  // Centres = label means; vib = closer than thd to the own centre.
  const cs = new Float64Array(kStar * 3), cnt = new Int32Array(kStar);
  for (let f = 0; f < T; f++) {
    const l = labels[f];
    cnt[l]++; cs[l * 3] += X[f * 3]; cs[l * 3 + 1] += X[f * 3 + 1]; cs[l * 3 + 2] += X[f * 3 + 2];
  }
  for (let l = 0; l < kStar; l++) for (let d = 0; d < 3; d++) cs[l * 3 + d] /= Math.max(1, cnt[l]);
  const vib = new Uint8Array(T);
  const lab16 = new Int16Array(T);
  for (let f = 0; f < T; f++) {
    const l = labels[f];
    const dx = X[f * 3] - cs[l * 3], dy = X[f * 3 + 1] - cs[l * 3 + 1], dz = X[f * 3 + 2] - cs[l * 3 + 2];
    vib[f] = Math.sqrt(dx * dx + dy * dy + dz * dz) < thd ? 1 : 0;
    lab16[f] = vib[f] ? l : -1;
  }
  const events: IondiffEvent[] = [], hops: RawHop[] = [];
  if (kStar >= 2) {
    for (const b of iondiffEventBoundaries(labels, vib, compat)) {
      events.push({ atom, start: b.start, end: b.end });
      const end = b.end < 0 ? T - 1 : b.end;
      const lf = labels[b.tcFirst], lt = labels[b.tcLast + 1];
      hops.push({
        atom,
        startFrame: Math.min(b.start, end),
        endFrame: end,
        from: [cs[lf * 3], cs[lf * 3 + 1], cs[lf * 3 + 2]],
        to: [cs[lt * 3], cs[lt * 3 + 1], cs[lt * 3 + 2]],
      });
    }
  }
  return { centres: { atom, nCentres: kStar, score, labels: lab16, centres: cs }, events, hops, silhouettes, skipped, silhouetteExact: exact };
}
