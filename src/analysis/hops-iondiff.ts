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
 * 3. Seeding: k-means++ (sklearn's greedy variant, one run as sklearn's n_init='auto') by default instead of Forgy 'random'
 *    ×10; `init: 'random'` (nInit 10, maxIter 300, tol 1e-4) is the faithful setting and is the
 *    default under `compat`. The PRNG is ours (seeded, deterministic), not numpy's, so on
 *    ambiguous clouds the partition — and hence the silhouette — can differ slightly from a
 *    given sklearn run (the reference itself notes runs "might slightly differ" across versions).
 * 4. Shortcut (speed): an ion whose whole path stays within `skipRadiusA` (default
 *    0.75 · 2 · distanceThdA = 0.6 Å) of its mean position is not clustered (k* = 1, score
 *    NaN). Why it is safe: a k ≥ 2 split with silhouette ≥ 0.7 needs a(i) ≤ 0.3·b(i) on
 *    average, i.e. sub-clouds much tighter than their separation; within a 0.6 Å ball two
 *    sub-clouds can be at most ~1.2 Å apart, so each would have to be ~0.1 Å wide — below the
 *    thermal width of any mobile ion at AIMD temperatures. Even then, any two centres lie
 *    inside the same ball, so the resulting "hop" would be shorter than any inter-site
 *    distance in a solid electrolyte. Measured on the argyrodite 50p run, the shortcut changes
 *    no event (see test/analysis-hops). `skipRadiusA: 0` disables it (default under `compat`).
 * 5. Silhouette: exact (no T×T matrix); for runs longer than `exactMaxFrames` (default 5000)
 *    a seeded sampled silhouette (2000 rows, exact columns) replaces it — the original is
 *    exact at any length (and O(T²) memory).
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
import { kmeans3, mixSeed, type KMeansInit } from './kmeans.js';
import { sampledSilhouetteScores, silhouetteScores } from './silhouette.js';

export interface IondiffOptions {
  /** Vibration threshold: distance to own centre (Å). Default 0.4. */
  distanceThdA?: number;
  /** Minimum silhouette to accept k ≥ 2 centres. Default 0.7. */
  silhouetteThd?: number;
  /** Largest k tried (k = 2…maxClusters). Default 10 (IonDiff `--n_attempts`). */
  maxClusters?: number;
  /** k-means seeding. Default 'k-means++' ('random' under compat). */
  init?: KMeansInit;
  /** k-means restarts. Default 1 for k-means++, 10 for random. */
  nInit?: number;
  maxIter?: number;
  tol?: number;
  seed?: number;
  /** k-means implementation: 'fast' (default) or the 'ml-kmeans' package. */
  engine?: 'fast' | 'ml-kmeans';
  /** Reproduce the original's quirks (e = −1, t_c = 0 → s = 1) in `events`; Forgy seeding; no shortcut. */
  compat?: boolean;
  /** Ions within this radius (Å) of their mean are not clustered. Default 1.5·distanceThdA; 0 = off. */
  skipRadiusA?: number;
  /** Above this many frames the silhouette is sampled. Default 5000. */
  exactMaxFrames?: number;
  /** Rows of the sampled silhouette. Default 2000. */
  silhouetteSampleSize?: number;
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

/**
 * IonDiff hop detection over the columns of `unwrapped` (frame-major [frame][k][xyz], Å, as
 * returned by `unwrap(traj, {atoms})`); `atoms[k]` is the file-order index of column k.
 */
export function detectHopsIondiff(
  unwrapped: Float64Array,
  nFrames: number,
  atoms: Int32Array,
  opts: IondiffOptions = {},
): IondiffDetection {
  const T = nFrames, n = atoms.length;
  if (unwrapped.length !== T * n * 3) throw new Error(`detectHopsIondiff: expected ${T * n * 3} numbers, got ${unwrapped.length}`);
  const compat = opts.compat ?? false;
  const thd = opts.distanceThdA ?? 0.4;
  const silThd = opts.silhouetteThd ?? 0.7;
  const maxK = opts.maxClusters ?? 10;
  const init: KMeansInit = opts.init ?? (compat ? 'random' : 'k-means++');
  const skipR = opts.skipRadiusA ?? (compat ? 0 : 1.5 * thd);
  const exactMax = opts.exactMaxFrames ?? 5000;
  const sampleSize = opts.silhouetteSampleSize ?? 2000;
  const seed = opts.seed ?? 0;
  const nK = Math.max(0, maxK - 1);
  const silhouettes = new Float64Array(n * nK).fill(NaN);
  const skipped = new Uint8Array(n);
  const hops: RawHop[] = [];
  const events: IondiffEvent[] = [];
  const centresOut: AtomCentres[] = [];
  const X = new Float64Array(T * 3);
  const dist = new Float64Array(T);
  const vib = new Uint8Array(T);

  for (let a = 0; a < n; a++) {
    for (let f = 0; f < T; f++) {
      const o = (f * n + a) * 3;
      X[f * 3] = unwrapped[o]; X[f * 3 + 1] = unwrapped[o + 1]; X[f * 3 + 2] = unwrapped[o + 2];
    }
    let mx = 0, my = 0, mz = 0;
    for (let f = 0; f < T; f++) { mx += X[f * 3]; my += X[f * 3 + 1]; mz += X[f * 3 + 2]; }
    mx /= T; my /= T; mz /= T;
    let r2max = 0;
    for (let f = 0; f < T; f++) {
      const dx = X[f * 3] - mx, dy = X[f * 3 + 1] - my, dz = X[f * 3 + 2] - mz;
      const r2 = dx * dx + dy * dy + dz * dz;
      if (r2 > r2max) r2max = r2;
    }

    let kStar = 1, score = NaN;
    let labels = new Int32Array(T);
    const kTop = Math.min(maxK, T - 1);
    if (Math.sqrt(r2max) < skipR || kTop < 2) {
      skipped[a] = kTop >= 2 ? 1 : 0;
    } else {
      const fits: Int32Array[] = [], ks: number[] = [];
      for (let k = 2; k <= kTop; k++) {
        const r = kmeans3(X, T, k, {
          init, nInit: opts.nInit, maxIter: opts.maxIter, tol: opts.tol, seed: mixSeed(seed, k), engine: opts.engine,
        });
        fits.push(r.labels); ks.push(k);
      }
      const s = T > exactMax
        ? sampledSilhouetteScores(X, T, fits, ks, sampleSize, mixSeed(seed, atoms[a]))
        : silhouetteScores(X, T, fits, ks);
      let best = -1;
      for (let m = 0; m < s.length; m++) {
        silhouettes[a * nK + m] = s[m];
        if (!Number.isNaN(s[m]) && (best < 0 || s[m] > s[best])) best = m;
      }
      if (best >= 0) {
        score = s[best];
        if (score >= silThd) { kStar = ks[best]; labels = fits[best]; }
      }
    }

    // Centres = label means (compact label ids in order of first use is unnecessary: k-means labels are dense).
    const cs = new Float64Array(kStar * 3), cnt = new Int32Array(kStar);
    for (let f = 0; f < T; f++) {
      const l = labels[f];
      cnt[l]++; cs[l * 3] += X[f * 3]; cs[l * 3 + 1] += X[f * 3 + 1]; cs[l * 3 + 2] += X[f * 3 + 2];
    }
    for (let l = 0; l < kStar; l++) for (let d = 0; d < 3; d++) cs[l * 3 + d] /= Math.max(1, cnt[l]);
    const lab16 = new Int16Array(T);
    for (let f = 0; f < T; f++) {
      const l = labels[f];
      const dx = X[f * 3] - cs[l * 3], dy = X[f * 3 + 1] - cs[l * 3 + 1], dz = X[f * 3 + 2] - cs[l * 3 + 2];
      dist[f] = Math.sqrt(dx * dx + dy * dy + dz * dz);
      vib[f] = dist[f] < thd ? 1 : 0;
      lab16[f] = vib[f] ? l : -1;
    }
    centresOut.push({ atom: atoms[a], nCentres: kStar, score, labels: lab16, centres: cs });
    if (kStar < 2) continue;

    const bounds = iondiffEventBoundaries(labels, vib, compat);
    for (const b of bounds) {
      events.push({ atom: atoms[a], start: b.start, end: b.end });
      const end = b.end < 0 ? T - 1 : b.end;
      const lf = labels[b.tcFirst], lt = labels[b.tcLast + 1];
      hops.push({
        atom: atoms[a],
        startFrame: Math.min(b.start, end),
        endFrame: end,
        from: [cs[lf * 3], cs[lf * 3 + 1], cs[lf * 3 + 2]],
        to: [cs[lt * 3], cs[lt * 3 + 1], cs[lt * 3 + 2]],
      });
    }
  }
  return { method: 'iondiff', hops, atoms: centresOut, events, silhouettes, skipped };
}
