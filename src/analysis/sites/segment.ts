/**
 * Hops as site-to-site jumps: every frame of every ion assigned to its most likely site of the
 * map, and a jump counted when the ion enters the core of a site (or periodic image) other than
 * the one it last held. The core is the inner part of the site's own vibration ellipsoid (a χ²₃
 * quantile of its Mahalanobis distance, no Å): a vibration excursion towards a neighbour does not
 * reach the neighbour's core, so it is no hop, while a dwell of a few frames that does is one —
 * tested against a centre and covariance estimated from all ions, not fitted to those frames.
 * A transit is the frames between the last core frame of the site left and the first core frame
 * of the site reached. From and to are the sites' centres in the ion's periodic image, so an
 * ion's hop vectors telescope exactly.
 */
import type { RawHop } from '../types.js';
import { invertSym, quad } from './gmm.js';
import type { SiteMap } from './site-map.js';
import type { Positions } from '../../trajectory/types.js';
import { breakWithin } from '../segments.js';
import { sureRadii2 } from './sure-radius.js';

/** χ²₃ quantile of probability 0.9: the core holds 90 % of a site's vibration frames. */
export const CORE_CHI2_90 = 6.251388631170325;
const NEIGHBOURS = 8;
const LOG_2PI = Math.log(2 * Math.PI);

export interface SiteJump extends RawHop {
  fromSite: number;
  toSite: number;
}

export interface SiteSegmentation {
  /** Jumps ordered by (atom, startFrame). */
  hops: SiteJump[];
  /** Per column: distinct (site, image) places visited (≥ 1; 1 when no core was ever reached). */
  nPlaces: Int32Array;
  /** Per site: ion-frames whose most likely component is the site (not transit). */
  basinFrames: Float64Array;
  /** Per site: completed stays (arrival to departure, both seen) and their total frames. */
  stayCount: Float64Array;
  stayFrames: Float64Array;
  /**
   * Per site: the longest stay of any ion, first core frame to last, in frames (the first and
   * last stays of a column included, cut by the run's ends); 0 when no core frame was reached.
   */
  longestStay: Float64Array;
  /** Per discontinuity frame (`breaks`), the jumps left out because their transit takes that step. */
  acrossBreaks: Map<number, number>;
}

export interface SegmentOptions {
  /** Core size as a χ²₃ value of the Mahalanobis distance (default: the 90 % quantile). */
  coreChi2?: number;
  /**
   * A frame leaves the site held only when it is no plausible vibration of that site: its
   * Mahalanobis distance to it exceeds this χ²₃ value (default: the 99 % quantile).
   */
  leaveChi2?: number;
  /**
   * Frames f whose step f−1 → f is discontinuous (segments.ts): a jump whose transit takes it is
   * left out (counted in `acrossBreaks`), and a stay that contains it, or ends in such a jump or
   * begins with one, is no completed stay.
   */
  breaks?: readonly number[];
}

/** χ²₃ quantile of probability 0.99. */
export const LEAVE_CHI2_99 = 11.344866730144373;

/** Nearest sites of each site (itself first), for the frame-to-frame descent. */
function siteNeighbours(map: SiteMap): Int32Array {
  const k = map.k, L = map.lattice;
  const nbr = new Int32Array(k * NEIGHBOURS).fill(-1);
  const d = new Float64Array(k);
  const topD = new Float64Array(NEIGHBOURS), topJ = new Int32Array(NEIGHBOURS);
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dx = map.frac[j * 3] - map.frac[i * 3], dy = map.frac[j * 3 + 1] - map.frac[i * 3 + 1], dz = map.frac[j * 3 + 2] - map.frac[i * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
      d[j] = i === j ? -1 : x * x + y * y + z * z;
    }
    // The first NEIGHBOURS of the order by (distance, index): a sorted top list, as a full sort would give.
    const m = Math.min(NEIGHBOURS, k);
    topD.fill(Infinity); topJ.fill(-1);
    for (let j = 0; j < k; j++) {
      const dj = d[j];
      if (!(dj < topD[m - 1])) continue;
      let q = m - 1;
      while (q > 0 && topD[q - 1] > dj) { topD[q] = topD[q - 1]; topJ[q] = topJ[q - 1]; q--; }
      topD[q] = dj; topJ[q] = j;
    }
    for (let a = 0; a < m; a++) nbr[i * NEIGHBOURS + a] = topJ[a];
  }
  return nbr;
}

/** Segment every column of `positions` (unwrapped, frame-major) into site-to-site jumps. */
export function segmentBySites(map: SiteMap, positions: Positions, nFrames: number, atoms: Int32Array, opts: SegmentOptions = {}): SiteSegmentation {
  const n = atoms.length, k = map.k, L = map.lattice, Li = map.latticeInv;
  const core = opts.coreChi2 ?? CORE_CHI2_90;
  const leave = opts.leaveChi2 ?? LEAVE_CHI2_99;
  const inv = new Float64Array(k * 6), logNorm = new Float64Array(k);
  for (let j = 0; j < k; j++) logNorm[j] = Math.log(map.weights[j]) - 0.5 * invertSym(map.covs, j * 6, inv) - 1.5 * LOG_2PI;
  const nbr = siteNeighbours(map);
  const sure = sureRadii2(k, map.frac, L, nbr, NEIGHBOURS, inv, logNorm);
  // The species' typical vibration (weight-averaged covariance): a rarely visited site's own
  // covariance, from few correlated frames, can be too tight to say the ion has left it.
  const pooled = new Float64Array(6), pooledInv = new Float64Array(6);
  let wsum = 0;
  for (let j = 0; j < k; j++) { wsum += map.weights[j]; for (let q = 0; q < 6; q++) pooled[q] += map.weights[j] * map.covs[j * 6 + q]; }
  for (let q = 0; q < 6; q++) pooled[q] /= wsum;
  if (k > 0) invertSym(pooled, 0, pooledInv);
  const volume = Math.abs(L[0] * (L[4] * L[8] - L[5] * L[7]) - L[1] * (L[3] * L[8] - L[5] * L[6]) + L[2] * (L[3] * L[7] - L[4] * L[6]));
  const logBg = Math.log(map.background) - Math.log(volume);
  const hops: SiteJump[] = [];
  const nPlaces = new Int32Array(n).fill(1);
  const basinFrames = new Float64Array(k), stayCount = new Float64Array(k), stayFrames = new Float64Array(k);
  const longestStay = new Float64Array(k);
  const breaks = opts.breaks ?? [];
  const acrossBreaks = new Map<number, number>();
  if (k === 0) return { hops, nPlaces, basinFrames, stayCount, stayFrames, longestStay, acrossBreaks };

  const frac = map.frac;
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  /** nearestSite() from a start site: siteDistance2() inlined with the lattice in locals. */
  const descend = (ux: number, uy: number, uz: number, start: number): number => {
    let cur = start, dc = 0;
    {
      let dx = ux - frac[start * 3], dy = uy - frac[start * 3 + 1], dz = uz - frac[start * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L0 + dy * L3 + dz * L6, y = dx * L1 + dy * L4 + dz * L7, z = dx * L2 + dy * L5 + dz * L8;
      dc = x * x + y * y + z * z;
    }
    for (;;) {
      let next = cur;
      for (let a = 1; a < NEIGHBOURS; a++) {
        const j = nbr[cur * NEIGHBOURS + a];
        if (j < 0) break;
        let dx = ux - frac[j * 3], dy = uy - frac[j * 3 + 1], dz = uz - frac[j * 3 + 2];
        dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
        const x = dx * L0 + dy * L3 + dz * L6, y = dx * L1 + dy * L4 + dz * L7, z = dx * L2 + dy * L5 + dz * L8;
        const d = x * x + y * y + z * z;
        if (d < dc) { dc = d; next = j; }
      }
      if (next === cur) return cur;
      cur = next;
    }
  };
  // Frames outer, columns inner: positions are frame-major, so this reads them in memory order
  // (a column at a time strides a whole frame per step, a cache and TLB miss each). Each column's
  // state lives in these arrays; its jumps and break counts are kept per column and joined in
  // column order, so the output is that of one column after another.
  const curA = new Int32Array(n).fill(-1), guessA = new Int32Array(n).fill(-1);
  // Images as float64: Math.round's −0 is kept, as the per-column locals kept it.
  const ixA = new Float64Array(n), iyA = new Float64Array(n), izA = new Float64Array(n);
  const lastCoreA = new Int32Array(n).fill(-1), arrivalA = new Int32Array(n).fill(-1), arrivedByHopA = new Uint8Array(n);
  const colHops: SiteJump[][] = Array.from({ length: n }, () => []);
  const colAcross: number[][] = Array.from({ length: n }, () => []);
  const places: Set<string>[] = Array.from({ length: n }, () => new Set<string>());
  const Li0 = Li[0], Li1 = Li[1], Li2 = Li[2], Li3 = Li[3], Li4 = Li[4], Li5 = Li[5], Li6 = Li[6], Li7 = Li[7], Li8 = Li[8];
  const hasBreaks = breaks.length > 0;
  for (let f = 0; f < nFrames; f++) {
    const row = f * n * 3;
    for (let c = 0; c < n; c++) {
      const o = row + c * 3;
      const x = positions[o], y = positions[o + 1], z = positions[o + 2];
      const ux = x * Li0 + y * Li3 + z * Li6, uy = x * Li1 + y * Li4 + z * Li7, uz = x * Li2 + y * Li5 + z * Li8;
      let guess = guessA[c];
      let top = -1, topL = logBg, topD2 = Infinity, topDx = 0, topDy = 0, topDz = 0;
      let decided = false;
      if (guess >= 0) {
        // Within the previous site's sure radius the descent stays there and no other candidate
        // can be more likely (sure-radius.ts): its own likelihood decides, as the loop below would.
        const dx = ux - frac[guess * 3], dy = uy - frac[guess * 3 + 1], dz = uz - frac[guess * 3 + 2];
        const rx = Math.round(dx), ry = Math.round(dy), rz = Math.round(dz);
        const fx = dx - rx, fy = dy - ry, fz = dz - rz;
        const vx = fx * L0 + fy * L3 + fz * L6, vy = fx * L1 + fy * L4 + fz * L7, vz = fx * L2 + fy * L5 + fz * L8;
        if (vx * vx + vy * vy + vz * vz <= sure[guess]) {
          decided = true;
          const o6 = guess * 6;
          const q = -0.5 * (inv[o6] * vx * vx + inv[o6 + 1] * vy * vy + inv[o6 + 2] * vz * vz
            + 2 * (inv[o6 + 3] * vx * vy + inv[o6 + 4] * vx * vz + inv[o6 + 5] * vy * vz));
          const l = logNorm[guess] + q;
          if (l > topL) { topL = l; top = guess; topD2 = -2 * q; topDx = rx; topDy = ry; topDz = rz; }
        }
      }
      if (!decided) {
        // Nearest site in Euclidean distance: brute force once, then descent from the previous frame's.
        guess = guess < 0 ? nearestSite(map, ux, uy, uz, -1, nbr) : descend(ux, uy, uz, guess);
        guessA[c] = guess;
        // Most likely site among the nearest one's neighbours, and its Mahalanobis distance.
        for (let a = 0; a < NEIGHBOURS; a++) {
          const j = nbr[guess * NEIGHBOURS + a];
          if (j < 0) break;
          const dx = ux - frac[j * 3], dy = uy - frac[j * 3 + 1], dz = uz - frac[j * 3 + 2];
          const rx = Math.round(dx), ry = Math.round(dy), rz = Math.round(dz);
          const fx = dx - rx, fy = dy - ry, fz = dz - rz;
          const vx = fx * L0 + fy * L3 + fz * L6, vy = fx * L1 + fy * L4 + fz * L7, vz = fx * L2 + fy * L5 + fz * L8;
          const o6 = j * 6;
          const q = -0.5 * (inv[o6] * vx * vx + inv[o6 + 1] * vy * vy + inv[o6 + 2] * vz * vz
            + 2 * (inv[o6 + 3] * vx * vy + inv[o6 + 4] * vx * vz + inv[o6 + 5] * vy * vz));
          const l = logNorm[j] + q;
          if (l > topL) { topL = l; top = j; topD2 = -2 * q; topDx = rx; topDy = ry; topDz = rz; }
        }
      }
      if (top < 0) continue;
      basinFrames[top]++;
      if (topD2 > core) continue;
      const cur = curA[c], ix = ixA[c], iy = iyA[c], iz = izA[c];
      if (cur === top && ix === topDx && iy === topDy && iz === topDz) { lastCoreA[c] = f; continue; }
      if (cur >= 0 && leave > 0) {
        // Still a plausible vibration of the site held (a test against its known centre and
        // covariance): no jump, whatever site the frame is nearest to.
        const dx = ux - (frac[cur * 3] + ix), dy = uy - (frac[cur * 3 + 1] + iy), dz = uz - (frac[cur * 3 + 2] + iz);
        const vx = dx * L0 + dy * L3 + dz * L6, vy = dx * L1 + dy * L4 + dz * L7, vz = dx * L2 + dy * L5 + dz * L8;
        if (-2 * quad(inv, cur * 6, vx, vy, vz) <= leave || -2 * quad(pooledInv, 0, vx, vy, vz) <= leave) continue;
      }
      if (cur >= 0) {
        const lastCore = lastCoreA[c], arrival = arrivalA[c];
        const start = lastCore + 1, end = Math.max(start, f - 1);
        const across = hasBreaks ? breakWithin(start - 1, Math.min(end, f) + 1, breaks) : -1;
        const cut = hasBreaks && breakWithin(arrival, f, breaks) >= 0;
        if (arrivedByHopA[c] === 1 && !cut) { stayCount[cur]++; stayFrames[cur] += start - arrival; }
        if (!cut && start - arrival > longestStay[cur]) longestStay[cur] = start - arrival;
        if (across < 0) {
          colHops[c].push({
            atom: atoms[c], startFrame: start, endFrame: Math.min(end, f), fromSite: cur, toSite: top,
            from: centreAt(map, cur, ix, iy, iz), to: centreAt(map, top, topDx, topDy, topDz),
          });
        } else colAcross[c].push(across);
        arrivedByHopA[c] = across < 0 ? 1 : 0;
      }
      curA[c] = top; ixA[c] = topDx; iyA[c] = topDy; izA[c] = topDz; lastCoreA[c] = f; arrivalA[c] = f;
      places[c].add(`${top},${topDx},${topDy},${topDz}`);
    }
  }
  for (let c = 0; c < n; c++) {
    const cur = curA[c], lastCore = lastCoreA[c], arrival = arrivalA[c];
    if (cur >= 0 && lastCore + 1 - arrival > longestStay[cur] && !(hasBreaks && breakWithin(arrival, lastCore + 1, breaks) >= 0)) longestStay[cur] = lastCore + 1 - arrival;
    nPlaces[c] = Math.max(1, places[c].size);
    for (const h of colHops[c]) hops.push(h);
    for (const b of colAcross[c]) acrossBreaks.set(b, (acrossBreaks.get(b) ?? 0) + 1);
  }
  return { hops, nPlaces, basinFrames, stayCount, stayFrames, longestStay, acrossBreaks };
}

/** Unwrapped Cartesian centre of site j in image (ix, iy, iz). */
function centreAt(map: SiteMap, j: number, ix: number, iy: number, iz: number): [number, number, number] {
  const L = map.lattice;
  const fx = map.frac[j * 3] + ix, fy = map.frac[j * 3 + 1] + iy, fz = map.frac[j * 3 + 2] + iz;
  return [fx * L[0] + fy * L[3] + fz * L[6], fx * L[1] + fy * L[4] + fz * L[7], fx * L[2] + fy * L[5] + fz * L[8]];
}

/** Squared distance (Å², rounded image) from fractional (ux, uy, uz) to site j. */
function siteDistance2(map: SiteMap, j: number, ux: number, uy: number, uz: number): number {
  const L = map.lattice;
  let dx = ux - map.frac[j * 3], dy = uy - map.frac[j * 3 + 1], dz = uz - map.frac[j * 3 + 2];
  dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
  const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
  return x * x + y * y + z * z;
}

/** Nearest site (Euclidean, rounded image) by descent over neighbour lists, or brute force when start < 0. */
function nearestSite(map: SiteMap, ux: number, uy: number, uz: number, start: number, nbr: Int32Array): number {
  if (start < 0) {
    let best = 0, bd = Infinity;
    for (let j = 0; j < map.k; j++) { const d = siteDistance2(map, j, ux, uy, uz); if (d < bd) { bd = d; best = j; } }
    return best;
  }
  let cur = start, dc = siteDistance2(map, start, ux, uy, uz);
  for (;;) {
    let next = cur;
    for (let a = 1; a < NEIGHBOURS; a++) {
      const j = nbr[cur * NEIGHBOURS + a];
      if (j < 0) break;
      const d = siteDistance2(map, j, ux, uy, uz);
      if (d < dc) { dc = d; next = j; }
    }
    if (next === cur) return cur;
    cur = next;
  }
}
