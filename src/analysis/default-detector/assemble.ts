/** Steps 3–4: residences into runs (hops between them), centres and labels. */
import { Z_99 } from './chi2.js';
import { MIN_RESIDENCE, inflationG } from './inflation.js';
import type { Residence } from './residences.js';
import type { IonNoise, IonSegmentation, NoiseField } from './types.js';

/**
 * Consecutive residences at one place (see `assemble`); c = centre index, −1 until assigned.
 * rs..re: the frames still consistent with the place once the ends that already move toward
 * the neighbouring place are cut off (`refineEnds`); start..end and the mean stay as merged.
 */
interface Run { start: number; end: number; n: number; mx: number; my: number; mz: number; c: number; rs: number; re: number }

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

/**
 * A run between two others that lies on the way from the one before to the one after, and along
 * which the ion keeps moving that way, is a slow stretch of one transit, not a place: under an
 * oscillating vibration (frames every MD step) the eased start and end of a 100–150-frame transit
 * look like residences and its middle like a third place, so one hop was reported as two. The
 * test compares the drift along A→B between the run's two halves with what steady progress
 * from A to B across the gap would give (midway between that and rest, so no noise model or
 * length enters); it involves only the three runs, so a cut changes it only where it falls.
 * Removed runs become transit frames (in place).
 */
function dropTransitPieces(x: Float64Array, runs: Run[], field: NoiseField, pen: number, kappa2: number, q: Float64Array): void {
  let w = 1;
  for (let i = 1; i < runs.length; i++) {
    if (i + 1 < runs.length && isTransitPiece(x, runs[w - 1], runs[i], runs[i + 1], field, pen, kappa2)) {
      // the piece's neighbours now face each other: their ends are re-cut toward one another
      refineTail(x, runs[w - 1], runs[i + 1], field, q);
      refineHead(x, runs[i + 1], runs[w - 1], field, q);
      continue;
    }
    runs[w++] = runs[i];
  }
  runs.length = Math.min(w, runs.length);
}

function isTransitPiece(x: Float64Array, A: Run, M: Run, B: Run, field: NoiseField, pen: number, kappa2: number): boolean {
  if (samePlace(A.mx, A.my, A.mz, A.n, B.mx, B.my, B.mz, B.n, field, B.start, pen, kappa2)) return false;
  let ex = B.mx - A.mx, ey = B.my - A.my, ez = B.mz - A.mz;
  const L = Math.hypot(ex, ey, ez);
  ex /= L; ey /= L; ez /= L;
  const ax = M.mx - A.mx, ay = M.my - A.my, az = M.mz - A.mz;
  const p = ax * ex + ay * ey + az * ez;
  if (!(p > 0 && p < L)) return false;
  if (ax * ax + ay * ay + az * az - p * p > kappa2 * field.s2[M.start]) return false;
  const n = M.end - M.start + 1, h = n >> 1;
  if (h < 1) return false;
  let d = 0;
  for (let t = M.start; t < M.start + h; t++) d -= x[3 * t] * ex + x[3 * t + 1] * ey + x[3 * t + 2] * ez;
  for (let t = M.end - h + 1; t <= M.end; t++) d += x[3 * t] * ex + x[3 * t + 1] * ey + x[3 * t + 2] * ez;
  // the gap between the frames still at A and already at B (refined ends): the merged runs
  // absorb the eased first and last parts of a transit, which made the gap look shorter and
  // steady progress look faster than it was (a transit cut in two on every-step runs)
  const steady = (L * (n - h)) / Math.max(B.rs - A.re, n);
  return d / h > steady / 2;
}

/** Steps 4: centres, labels, hops. */
export function assemble(x: Float64Array, T: number, res: Residence[], field: NoiseField, pen: number, kappa2: number, noise: IonNoise): IonSegmentation {
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
      runs.push({ start: r.start, end: r.end, n, mx: r.mx, my: r.my, mz: r.mz, c: -1, rs: r.start, re: r.end });
    }
  }
  const q = new Float64Array(2 * T + 2);
  for (let i = 0; i + 1 < runs.length; i++) refineTail(x, runs[i], runs[i + 1], field, q);
  for (let i = 1; i < runs.length; i++) refineHead(x, runs[i], runs[i - 1], field, q);
  dropTransitPieces(x, runs, field, pen, kappa2, q);
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
  for (const r of runs) labels.fill(r.c, r.rs, r.re + 1);
  // frames before the first / after the last residence: no hop can be resolved there
  labels.fill(runs[0].c, 0, runs[0].rs);
  labels.fill(runs[runs.length - 1].c, runs[runs.length - 1].re + 1, T);
  const hops: [number, number, number, number][] = [];
  const hopEnds = new Float64Array(6 * (runs.length - 1));
  for (let i = 1; i < runs.length; i++) {
    const A = runs[i - 1], B = runs[i];
    let s = A.re + 1, e = B.rs - 1;
    if (s > e) {
      // instantaneous change between frames: the boundary frame farther from its place is the transit
      if (dist2ToRun(x, A.re, A) >= dist2ToRun(x, B.rs, B)) { s = e = A.re; } else { s = e = B.rs; }
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
 * Where the ion leaves run A for run B: the merged run keeps every frame within κσ of its mean
 * and so absorbs the first part of a slow transit (under an oscillating vibration sampled every
 * MD step, up to half of it). Along the hop direction e = (B − A)/|B − A|, the end [t, re] is
 * cut off for the earliest t at which its mean still lies significantly beyond the mean of the
 * frames kept (one-sided, at the 0.99 level of the residence trim; the merge test's variance,
 * covariance of adjacent means included): the transit starts after the last frame consistent
 * with A. The search goes back no farther than the last frame at or behind A's mean (the last
 * time the ion was seen at its place), so it stays local, and keeps at least MIN_RESIDENCE
 * frames. No length enters. Hop ends (the runs' means) are not changed.
 */
function refineTail(x: Float64Array, A: Run, B: Run, field: NoiseField, q: Float64Array): void {
  A.re = cutEnd(x, A, B, field, A.rs, A.end, 1, q);
}

/** The same at the start of run B (coming from A): the first frame consistent with B. */
function refineHead(x: Float64Array, B: Run, A: Run, field: NoiseField, q: Float64Array): void {
  B.rs = cutEnd(x, B, A, field, B.start, B.re, -1, q);
}

/**
 * The refined last (dir 1) or first (dir −1) frame of run R, within [lo, hi], facing run O.
 * A cut end of k frames against the m kept ones needs z = e·(mean_end − mean_kept)/sd(k, m)
 * > z₀.₉₉, with e pointing from R to O and sd² = σ²[g(k)/k + g(m)/m − Cov] (as in the merge
 * test). Only runs the ion glides out of are cut (see the two gates below): on runs sampled
 * coarsely the block test alone moved 2 % of the starts several frames into a vibration
 * excursion that preceded a fast hop (BENCHMARKS.md, default detector, transit intervals).
 */
function cutEnd(x: Float64Array, R: Run, O: Run, field: NoiseField, lo: number, hi: number, dir: 1 | -1, q: Float64Array): number {
  const keep = dir > 0 ? hi : lo;
  const n0 = hi - lo + 1;
  if (n0 <= MIN_RESIDENCE) return keep;
  let ex = O.mx - R.mx, ey = O.my - R.my, ez = O.mz - R.mz;
  const L = Math.hypot(ex, ey, ez);
  if (!(L > 0)) return keep;
  ex /= L; ey /= L; ez /= L;
  const c = R.mx * ex + R.my * ey + R.mz * ez;
  // q[i]: projection of the i-th frame from the end (i = 0 the frame next to the hop), taken while
  // it lies beyond the run's mean (e points from R toward O at either end, so the end frames lie
  // at positive projections): the search stops at the last frame seen at or behind the mean
  let K = 0;
  for (; K < n0 - MIN_RESIDENCE; K++) {
    const t = dir > 0 ? hi - K : lo + K;
    const v = x[3 * t] * ex + x[3 * t + 1] * ey + x[3 * t + 2] * ez - c;
    if (!(v > 0)) break;
    q[K] = v;
  }
  if (K < 2) return keep;
  // the transit has begun only if the run's edge frame itself lies beyond its place (one-sided,
  // per frame, along the hop); else a vibration excursion that happens to precede a fast hop
  // (displaced as a block, 1–2 % of hops at the 0.99 level) would be taken for its start
  const fe = dir > 0 ? hi : lo, fo = fe + dir;
  if (q[0] <= Z_99 * Math.sqrt(field.s2[fe])) return keep;
  // ... and only if the ion glides out of the run: the step from its edge frame to the next
  // (transit) frame is within what the vibration does in one frame, σ√(2(1 − ρ₁)). A fast hop
  // leaves in one significant step, and its edge is resolved where it is.
  if (fo < 0 || 3 * fo + 2 >= x.length) return keep;
  const step = x[3 * fo] * ex + x[3 * fo + 1] * ey + x[3 * fo + 2] * ez - c - q[0];
  if (step > Z_99 * Math.sqrt(2 * field.s2[fe] * Math.max(1 - field.rho1[fe], 0))) return keep;
  let total = 0;
  for (let t = lo; t <= hi; t++) total += x[3 * t] * ex + x[3 * t + 1] * ey + x[3 * t + 2] * ez - c;
  // prefix sums of q, in place after the values (q has room for 2T)
  const P = K + 1;
  q[P] = 0;
  for (let i = 0; i < K; i++) q[P + i + 1] = q[P + i] + q[i];
  let cut = keep;
  for (let k = 2; k <= K; k++) {
    const t = dir > 0 ? hi - k + 1 : lo + k - 1; // innermost frame of the end
    const f = dir > 0 ? t : t + 1;
    const s2 = field.s2[f], rho1 = field.rho1[f], r = field.r[f];
    const endSum = q[P + k], m = n0 - k;
    if (endSum / k - (total - endSum) / m <= Z_99 * Math.sqrt(s2 * adjacentMeanVar(k, m, rho1, r))) continue;
    cut = dir > 0 ? t - 1 : t + 1;
  }
  return cut;
}

/** Var(m₁ − m₂)/σ² of adjacent means of a and b frames (the merge test's, covariance included). */
function adjacentMeanVar(a: number, b: number, rho1: number, r: number): number {
  const pa = r ** (a - 1), pb = r ** (b - 1);
  const ga = inflationG(a, rho1, r, pa) / a, gb = inflationG(b, rho1, r, pb) / b;
  const om = 1 - r;
  const cov = ((2 * rho1) / (om * om)) * ((1 - pa * r) / a) * ((1 - pb * r) / b);
  return Math.max(ga + gb - cov, 0.05 * (ga + gb));
}
