/**
 * Site centres estimated as well as the data allow, with a standard error that says how well.
 *
 * A centre is the mean position of the frames in the site's core (χ²₃ 90 % of its own vibration
 * ellipsoid), pooled over every stay of every ion. Frames of one stay are correlated (an
 * underdamped vibration sampled every MD step moves little from frame to frame), so a stay of n
 * frames is worth 1/g(n) independent samples, not n: the variance of its mean is S·g(n), with g
 * measured on windows of every stay of the species (meanVarianceLadder) and S the site's
 * vibration covariance. Stays are weighted by 1/g(n) (their independent samples); the centre's
 * covariance is S / Σ 1/g(n), times the skipped-mean factor (NEWTON below). A site held once for
 * a few dozen correlated frames gets the large error it deserves; σ/√frames would claim a
 * precision the data do not have.
 *
 * S is the covariance of the site's own core frames, shrunk towards the species' pooled one by
 * a prior of `PRIOR_SAMPLES` independent samples: a few correlated frames span only part of an
 * oscillation and understate the spread.
 */
import { chiSquareUpperTail } from '../../stats/special.js';
import { CentreGrid } from './grid.js';
import { invertSym } from './gmm.js';
import { wrap1 } from './periodic.js';
import type { SiteMap } from './site-map.js';
import type { Positions } from '../../trajectory/types.js';

/** χ²₃ quantile 0.9: the site's core. */
const CORE_CHI2 = 6.251388631170325;
/**
 * The centre solves Σ (x − c)·1[x in the core about c] = 0 (a mean with the far frames skipped).
 * Moving c moves the core with it: for a Gaussian site the expected sum changes by −P(χ²₅ ≤ core)
 * per frame, not −P(χ²₃ ≤ core) = 0.9 as for a fixed window. So one Newton step from c is
 * c + (P₃/P₅)(core mean − c), and the centre's variance is (P₃/P₅)² × that of a plain mean of the
 * core frames (the sandwich variance of this M-estimator; without it the errors were 1.25× too small).
 */
const P3 = 0.9;
const P5 = 1 - chiSquareUpperTail(CORE_CHI2, 5);
const NEWTON = P3 / P5;
/** Weight (independent samples) of the species' pooled covariance in a site's S. */
const PRIOR_SAMPLES = 5;
/** Frames kept for the windows of meanVarianceLadder (memory: 3 doubles each); the rest only enter the means. */
const MAX_SERIES = 2_000_000;

export interface CentreEstimate {
  /** The map with every site that has core frames moved to its estimated centre. */
  map: SiteMap;
  /** Per site: standard error of the centre per axis, √(tr Cov/3) (Å); NaN without core frames. */
  errA: Float64Array;
  /** Per site: covariance of the centre estimate (Å²), k × 6: xx, yy, zz, xy, xz, yz (NaN without core frames). */
  centreCov: Float64Array;
  /** Per site: independent samples behind the centre, Σ 1/g(n) over its stays. */
  nEff: Float64Array;
  /** Frames per independent sample of a long stay, n·g(n) at the longest measured window. */
  tauFrames: number;
}

interface Stays {
  /** Per stay: site, number of core frames, frames spanned, sum of core displacements (Å, 3). */
  site: number[]; n: number[]; span: number[]; sum: number[];
  /** Per site: sum of outer products of core displacements (6), core frames. */
  outer: Float64Array; frames: Float64Array;
  /** Displacement series of stays (NaN outside the core), for the mean's variance, stay starts in it and each one's site. */
  series: Float64Array; starts: number[]; seriesSite: number[]; length: number;
}

/**
 * One pass over every ion-frame: stays (from a frame in a site's core until the core of another
 * site or image is reached, cut at discontinuities) and the displacements of their core frames
 * from the map's centres.
 * Every core frame of a stay enters, the first and last ones of a jump's transit too: leaving out
 * 2–4 frames at the jump ends of stays changed nothing in the coverage of the errors against the
 * generated truth (BENCHMARKS, site centres), so there is no trim.
 */
function collectStays(map: SiteMap, positions: Positions, nFrames: number, nCols: number, breaks: readonly number[]): Stays {
  const k = map.k, L = map.lattice, Li = map.latticeInv, frac = map.frac;
  const inv = new Float64Array(k * 6);
  for (let j = 0; j < k; j++) invertSym(map.covs, j * 6, inv);
  const grid = new CentreGrid(L, frac, k);
  const isBreak = new Uint8Array(nFrames);
  for (const b of breaks) if (b > 0 && b < nFrames) isBreak[b] = 1;
  const st: Stays = {
    site: [], n: [], span: [], sum: [], outer: new Float64Array(k * 6), frames: new Float64Array(k),
    series: new Float64Array(Math.min(MAX_SERIES, nFrames * nCols) * 3), starts: [], seriesSite: [], length: 0,
  };
  const cap = st.series.length / 3;
  // The current stay's displacements (NaN outside the core).
  let buf = new Float64Array(3 * 64);
  for (let c = 0; c < nCols; c++) {
    let cur = -1, ix = 0, iy = 0, iz = 0, len = 0;
    const close = (): void => {
      if (cur < 0 || len === 0) return;
      let a = 0, b = len;
      // The stay's span is from its first core frame to its last (the transit frames after it are gaps).
      while (a < b && buf[a * 3] !== buf[a * 3]) a++;
      while (b > a && buf[(b - 1) * 3] !== buf[(b - 1) * 3]) b--;
      if (a >= b) return;
      let n = 0, sx = 0, sy = 0, sz = 0;
      const q = cur * 6, out = st.outer;
      const open = st.length < cap;
      if (open) { st.starts.push(st.length); st.seriesSite.push(cur); }
      for (let t = a; t < b; t++) {
        const vx = buf[t * 3], vy = buf[t * 3 + 1], vz = buf[t * 3 + 2];
        if (st.length < cap) {
          const o = st.length * 3;
          st.series[o] = vx; st.series[o + 1] = vy; st.series[o + 2] = vz;
          st.length++;
        }
        if (vx !== vx) continue;
        n++; sx += vx; sy += vy; sz += vz;
        out[q] += vx * vx; out[q + 1] += vy * vy; out[q + 2] += vz * vz; out[q + 3] += vx * vy; out[q + 4] += vx * vz; out[q + 5] += vy * vz;
      }
      if (n > 0) { st.site.push(cur); st.n.push(n); st.span.push(b - a); st.sum.push(sx, sy, sz); st.frames[cur] += n; }
    };
    for (let f = 0; f < nFrames; f++) {
      const o = (f * nCols + c) * 3;
      const x = positions[o], y = positions[o + 1], z = positions[o + 2];
      const ux = x * Li[0] + y * Li[3] + z * Li[6], uy = x * Li[1] + y * Li[4] + z * Li[7], uz = x * Li[2] + y * Li[5] + z * Li[8];
      if (isBreak[f]) { close(); cur = -1; }
      if ((len + 1) * 3 > buf.length) { const b2 = new Float64Array(buf.length * 2); b2.set(buf); buf = b2; }
      // Still in the core of the site held (most frames): no nearest-site search needed.
      if (cur >= 0) {
        const fx = ux - frac[cur * 3] - ix, fy = uy - frac[cur * 3 + 1] - iy, fz = uz - frac[cur * 3 + 2] - iz;
        const vx = fx * L[0] + fy * L[3] + fz * L[6], vy = fx * L[1] + fy * L[4] + fz * L[7], vz = fx * L[2] + fy * L[5] + fz * L[8];
        const q = cur * 6;
        if (inv[q] * vx * vx + inv[q + 1] * vy * vy + inv[q + 2] * vz * vz + 2 * (inv[q + 3] * vx * vy + inv[q + 4] * vx * vz + inv[q + 5] * vy * vz) <= CORE_CHI2) {
          buf[len * 3] = vx; buf[len * 3 + 1] = vy; buf[len * 3 + 2] = vz;
          len++;
          continue;
        }
      }
      const j = grid.nearest(wrap1(ux), wrap1(uy), wrap1(uz));
      if (j < 0) continue;
      const dx = ux - frac[j * 3], dy = uy - frac[j * 3 + 1], dz = uz - frac[j * 3 + 2];
      const rx = Math.round(dx), ry = Math.round(dy), rz = Math.round(dz);
      const fx = dx - rx, fy = dy - ry, fz = dz - rz;
      const vx = fx * L[0] + fy * L[3] + fz * L[6], vy = fx * L[1] + fy * L[4] + fz * L[7], vz = fx * L[2] + fy * L[5] + fz * L[8];
      const q = j * 6;
      const m2 = inv[q] * vx * vx + inv[q + 1] * vy * vy + inv[q + 2] * vz * vz + 2 * (inv[q + 3] * vx * vy + inv[q + 4] * vx * vz + inv[q + 5] * vy * vz);
      const core = m2 <= CORE_CHI2 && (j !== cur || rx !== ix || ry !== iy || rz !== iz);
      // A stay lasts until the core of another site (or image) is reached: frames outside every
      // core, or nearer to a neighbour without reaching its core, are gaps of the stay, so one
      // residence is not cut into pieces that would count as independent. (A frame in the core of
      // the site held stays with it, which the test above settles first.)
      if (core) {
        close();
        cur = j; ix = rx; iy = ry; iz = rz; len = 0;
        buf[0] = vx; buf[1] = vy; buf[2] = vz;
      } else {
        if (cur < 0) continue;
        buf[len * 3] = buf[len * 3 + 1] = buf[len * 3 + 2] = NaN;
      }
      len++;
    }
    close();
  }
  st.starts.push(st.length);
  return st;
}

/**
 * How the variance of a stay's centre falls with its length: g(n) = E|mean of the core frames in
 * n consecutive frames|² / tr S, measured directly on windows of n frames inside the stays (all
 * windows, overlapping by three quarters; each normalised by its site's tr S), for n = 1, 2, 4, … while at least
 * `MIN_WINDOWS` independent windows fit. A vibration sampled every MD step oscillates: its
 * autocorrelation has negative lobes, so sums truncated at the first negative pair (Geyer) count
 * the first lobe only and overstate the correlation time ~10×; window means need no model of it.
 * Beyond the last measured n, g falls as 1/n (the mean of a long stay).
 */
export interface MeanVariance { n: Float64Array; g: Float64Array }

const MIN_WINDOWS = 30;

/**
 * A window enters only when its site holds at least this many times its frames: the windows are
 * measured about the centre estimated from the same frames, and a window that is much of them
 * moves that centre with it (its variance about it is low by about n / frames).
 */
const SITE_FRAMES_PER_WINDOW = 16;

export function meanVarianceLadder(series: Float64Array, starts: readonly number[], seriesSite: readonly number[], siteTrace: Float64Array, siteFrames: Float64Array): MeanVariance {
  const ns: number[] = [], gs: number[] = [];
  let maxRun = 0;
  for (let r = 0; r + 1 < starts.length; r++) maxRun = Math.max(maxRun, starts[r + 1] - starts[r]);
  // Prefix sums of displacement and core count over the series (stays are contiguous in it).
  const len = starts.length > 0 ? starts[starts.length - 1] : 0;
  const px = new Float64Array(len + 1), py = new Float64Array(len + 1), pz = new Float64Array(len + 1), pc = new Float64Array(len + 1);
  for (let t = 0; t < len; t++) {
    const vx = series[t * 3], core = vx === vx;
    px[t + 1] = px[t] + (core ? vx : 0); py[t + 1] = py[t] + (core ? series[t * 3 + 1] : 0); pz[t + 1] = pz[t] + (core ? series[t * 3 + 2] : 0);
    pc[t + 1] = pc[t] + (core ? 1 : 0);
  }
  for (let n = 1; n <= maxRun; n *= 2) {
    let acc = 0, nw = 0, independent = 0;
    const step = Math.max(1, n >> 2);
    for (let r = 0; r + 1 < starts.length; r++) {
      const a = starts[r], b = starts[r + 1], tr = siteTrace[seriesSite[r]];
      if (b - a < n || !(tr > 0) || siteFrames[seriesSite[r]] < SITE_FRAMES_PER_WINDOW * n) continue;
      independent += Math.floor((b - a) / n);
      // Windows a quarter of their length apart: closer ones add cost, not information.
      for (let t = a; t + n <= b; t += step) {
        const c = pc[t + n] - pc[t];
        if (c === 0) continue;
        const mx = (px[t + n] - px[t]) / c, my = (py[t + n] - py[t]) / c, mz = (pz[t + n] - pz[t]) / c;
        acc += (mx * mx + my * my + mz * mz) / tr;
        nw++;
      }
    }
    if (independent < MIN_WINDOWS || nw === 0) break;
    ns.push(n); gs.push(Math.min(1, acc / nw));
  }
  if (ns.length === 0) { ns.push(1); gs.push(1); }
  // Non-increasing in n: a longer window's mean cannot vary more (noise in the measured tail).
  for (let i = 1; i < gs.length; i++) gs[i] = Math.min(gs[i], gs[i - 1]);
  return { n: Float64Array.from(ns), g: Float64Array.from(gs) };
}

/** g(n) from the ladder: log-log interpolation between measured n, 1/n beyond the last, 1 below the first. */
export function meanVarianceAt(mv: MeanVariance, n: number): number {
  const N = mv.n, G = mv.g, m = N.length;
  if (n <= N[0]) return G[0];
  if (n >= N[m - 1]) return Math.max(G[m - 1] * N[m - 1] / n, 0);
  let i = 1;
  while (N[i] < n) i++;
  const f = Math.log(n / N[i - 1]) / Math.log(N[i] / N[i - 1]);
  return Math.exp((1 - f) * Math.log(G[i - 1]) + f * Math.log(G[i]));
}

/**
 * Estimate every site's centre from its core frames (one pass: a Newton step of the stay-weighted
 * core mean about the fitted centre; a first pass of plain core means changed the coverage by less
 * than its noise and doubled the cost) and its standard error.
 */
export function estimateCentres(map: SiteMap, positions: Positions, nFrames: number, nCols: number, breaks: readonly number[] = []): CentreEstimate {
  const k = map.k;
  const errA = new Float64Array(k).fill(NaN), centreCov = new Float64Array(k * 6).fill(NaN), nEff = new Float64Array(k);
  if (k === 0 || nFrames === 0) return { map, errA, centreCov, nEff, tauFrames: NaN };
  // Stays weighted by their independent samples.
  const st = collectStays(map, positions, nFrames, nCols, breaks);
  const siteTrace = new Float64Array(k);
  for (let j = 0; j < k; j++) if (st.frames[j] > 0) siteTrace[j] = (st.outer[j * 6] + st.outer[j * 6 + 1] + st.outer[j * 6 + 2]) / st.frames[j];
  const mv = meanVarianceLadder(st.series, st.starts, st.seriesSite, siteTrace, st.frames);
  const w = new Float64Array(k), wsum = new Float64Array(k * 3), frameSum = new Float64Array(k * 3);
  for (let s = 0; s < st.site.length; s++) {
    const j = st.site[s], n = st.n[s], g = Math.max(meanVarianceAt(mv, st.span[s]), 1e-12);
    w[j] += 1 / g;
    for (let a = 0; a < 3; a++) frameSum[j * 3 + a] += st.sum[s * 3 + a];
    for (let a = 0; a < 3; a++) wsum[j * 3 + a] += (st.sum[s * 3 + a] / n) / g;
  }
  const pooled = new Float64Array(6);
  let pooledFrames = 0;
  for (let j = 0; j < k; j++) { pooledFrames += st.frames[j]; for (let q = 0; q < 6; q++) pooled[q] += st.outer[j * 6 + q]; }
  if (pooledFrames > 0) for (let q = 0; q < 6; q++) pooled[q] /= pooledFrames;
  const shift2 = new Float64Array(k * 3);
  for (let j = 0; j < k; j++) {
    if (!(w[j] > 0)) continue;
    for (let a = 0; a < 3; a++) shift2[j * 3 + a] = NEWTON * wsum[j * 3 + a] / w[j];
    nEff[j] = w[j];
    // S: own core covariance about the centre m (the stay-weighted mean), shrunk towards the pooled
    // one. The second moment about m, E[(x − m)(x − m)ᵀ] = E[xxᵀ] − m·x̄ᵀ − x̄·mᵀ + m mᵀ with x̄ the
    // frame mean: E[xxᵀ] − m mᵀ alone is that minus (x̄ − m)(x̄ − m)ᵀ, too small (even negative).
    const m = [wsum[j * 3] / w[j], wsum[j * 3 + 1] / w[j], wsum[j * 3 + 2] / w[j]], N = st.frames[j];
    const xb = [frameSum[j * 3] / N, frameSum[j * 3 + 1] / N, frameSum[j * 3 + 2] / N];
    const own = [0, 1, 2, 3, 4, 5].map((q) => st.outer[j * 6 + q] / N);
    const pairs = [[0, 0], [1, 1], [2, 2], [0, 1], [0, 2], [1, 2]];
    for (let q = 0; q < 6; q++) { const [a, b] = pairs[q]; own[q] += -m[a] * xb[b] - xb[a] * m[b] + m[a] * m[b]; }
    let tr = 0;
    for (let q = 0; q < 6; q++) {
      const S = (w[j] * own[q] + PRIOR_SAMPLES * pooled[q]) / (w[j] + PRIOR_SAMPLES);
      centreCov[j * 6 + q] = (NEWTON * NEWTON * S) / w[j];
      if (q < 3) tr += centreCov[j * 6 + q];
    }
    errA[j] = Math.sqrt(tr / 3);
  }
  // The correlation time: frames per independent sample of the longest measured window.
  const last = mv.n.length - 1;
  return { map: moveCentres(map, shift2), errA, centreCov, nEff, tauFrames: mv.n[last] * mv.g[last] };
}

/** The map with site j's centre moved by the Cartesian vector shift[j] (Å). */
function moveCentres(map: SiteMap, shift: Float64Array): SiteMap {
  const L = map.lattice, Li = map.latticeInv, k = map.k;
  const frac = new Float64Array(k * 3), cart = new Float64Array(k * 3);
  for (let j = 0; j < k; j++) {
    const x = map.cart[j * 3] + shift[j * 3], y = map.cart[j * 3 + 1] + shift[j * 3 + 1], z = map.cart[j * 3 + 2] + shift[j * 3 + 2];
    for (let a = 0; a < 3; a++) frac[j * 3 + a] = wrap1(x * Li[a] + y * Li[3 + a] + z * Li[6 + a]);
    const fx = frac[j * 3], fy = frac[j * 3 + 1], fz = frac[j * 3 + 2];
    cart[j * 3] = fx * L[0] + fy * L[3] + fz * L[6];
    cart[j * 3 + 1] = fx * L[1] + fy * L[4] + fz * L[7];
    cart[j * 3 + 2] = fx * L[2] + fy * L[5] + fz * L[8];
  }
  return { ...map, frac, cart };
}

/**
 * The estimate's per-site numbers for the sites of `kept`, a subset of `fitted` (the map the
 * estimate started from; subsetMap copies centres exactly, so a site is found by its centre):
 * estimated centres (fractional and Cartesian), errors, centre covariances, independent samples.
 */
export function errorsOf(est: CentreEstimate, kept: SiteMap, fitted: SiteMap): { frac: Float64Array; cart: Float64Array; errA: Float64Array; centreCov: Float64Array; nEff: Float64Array } {
  const index = new Map<string, number>();
  const key = (f: Float64Array, j: number): string => `${f[j * 3]},${f[j * 3 + 1]},${f[j * 3 + 2]}`;
  for (let j = 0; j < fitted.k; j++) index.set(key(fitted.frac, j), j);
  const frac = kept.frac.slice(), cart = kept.cart.slice();
  const errA = new Float64Array(kept.k).fill(NaN), centreCov = new Float64Array(kept.k * 6).fill(NaN), nEff = new Float64Array(kept.k);
  for (let j = 0; j < kept.k; j++) {
    const i = index.get(key(kept.frac, j));
    if (i === undefined) continue;
    errA[j] = est.errA[i]; nEff[j] = est.nEff[i];
    centreCov.set(est.centreCov.subarray(i * 6, i * 6 + 6), j * 6);
    frac.set(est.map.frac.subarray(i * 3, i * 3 + 3), j * 3);
    cart.set(est.map.cart.subarray(i * 3, i * 3 + 3), j * 3);
  }
  return { frac, cart, errA, centreCov, nEff };
}
