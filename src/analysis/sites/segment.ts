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
import { FrameAssigner } from './assign.js';

/** χ²₃ quantile of probability 0.9: the core holds 90 % of a site's vibration frames. */
export const CORE_CHI2_90 = 6.251388631170325;

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
  /** Every frame through the descent and all candidates, no sure radius: the same result, slower (tests). */
  exhaustive?: boolean;
}

/** χ²₃ quantile of probability 0.99. */
export const LEAVE_CHI2_99 = 11.344866730144373;

/**
 * Each column's walk through the sites (frames outer, columns inner: positions are frame-major,
 * so they are read in memory order, where a column at a time strides a whole frame per step).
 * A column's jumps and break counts are kept per column and joined in column order, so the
 * output is that of one column after another.
 */
class Walks {
  readonly cur: Int32Array;
  readonly guess: Int32Array;
  /** Image of the site held; float64 so Math.round's −0 is kept as the per-column locals kept it. */
  readonly ix: Float64Array;
  readonly iy: Float64Array;
  readonly iz: Float64Array;
  readonly lastCore: Int32Array;
  readonly arrival: Int32Array;
  readonly arrivedByHop: Uint8Array;
  readonly hops: SiteJump[][];
  readonly across: number[][];
  readonly places: Set<number | string>[];
  readonly basinFrames: Float64Array;
  readonly stayCount: Float64Array;
  readonly stayFrames: Float64Array;
  readonly longestStay: Float64Array;
  private readonly inv: Float64Array;
  private readonly pooledInv: Float64Array;
  private readonly L: Float64Array;

  constructor(readonly map: SiteMap, readonly atoms: Int32Array, inv: Float64Array, readonly leave: number, readonly breaks: readonly number[]) {
    const n = atoms.length, k = map.k;
    this.cur = new Int32Array(n).fill(-1);
    this.guess = new Int32Array(n).fill(-1);
    this.ix = new Float64Array(n); this.iy = new Float64Array(n); this.iz = new Float64Array(n);
    this.lastCore = new Int32Array(n).fill(-1);
    this.arrival = new Int32Array(n).fill(-1);
    this.arrivedByHop = new Uint8Array(n);
    this.hops = Array.from({ length: n }, () => []);
    this.across = Array.from({ length: n }, () => []);
    this.places = Array.from({ length: n }, () => new Set<number | string>());
    this.basinFrames = new Float64Array(k); this.stayCount = new Float64Array(k); this.stayFrames = new Float64Array(k);
    this.longestStay = new Float64Array(k);
    this.inv = inv;
    this.L = map.lattice;
    // The species' typical vibration (weight-averaged covariance): a rarely visited site's own
    // covariance, from few correlated frames, can be too tight to say the ion has left it.
    const pooled = new Float64Array(6);
    this.pooledInv = new Float64Array(6);
    let wsum = 0;
    for (let j = 0; j < k; j++) { wsum += map.weights[j]; for (let q = 0; q < 6; q++) pooled[q] += map.weights[j] * map.covs[j * 6 + q]; }
    for (let q = 0; q < 6; q++) pooled[q] /= wsum;
    if (k > 0) invertSym(pooled, 0, this.pooledInv);
  }

  /**
   * Column c's frame f is in the core of site `top` in image (rx, ry, rz), another place than the
   * one held: a jump, unless the frame is still a plausible vibration of the site held.
   */
  enter(c: number, f: number, top: number, rx: number, ry: number, rz: number, ux: number, uy: number, uz: number): void {
    const cur = this.cur[c], ix = this.ix[c], iy = this.iy[c], iz = this.iz[c];
    const map = this.map, L = this.L, breaks = this.breaks;
    if (cur >= 0 && this.leave > 0) {
      // Still a plausible vibration of the site held (a test against its known centre and
      // covariance): no jump, whatever site the frame is nearest to.
      const dx = ux - (map.frac[cur * 3] + ix), dy = uy - (map.frac[cur * 3 + 1] + iy), dz = uz - (map.frac[cur * 3 + 2] + iz);
      const vx = dx * L[0] + dy * L[3] + dz * L[6], vy = dx * L[1] + dy * L[4] + dz * L[7], vz = dx * L[2] + dy * L[5] + dz * L[8];
      if (-2 * quad(this.inv, cur * 6, vx, vy, vz) <= this.leave || -2 * quad(this.pooledInv, 0, vx, vy, vz) <= this.leave) return;
    }
    if (cur >= 0) {
      const arrival = this.arrival[c];
      const start = this.lastCore[c] + 1, end = Math.max(start, f - 1);
      const across = breaks.length > 0 ? breakWithin(start - 1, Math.min(end, f) + 1, breaks) : -1;
      const cut = breaks.length > 0 && breakWithin(arrival, f, breaks) >= 0;
      if (this.arrivedByHop[c] === 1 && !cut) { this.stayCount[cur]++; this.stayFrames[cur] += start - arrival; }
      if (!cut && start - arrival > this.longestStay[cur]) this.longestStay[cur] = start - arrival;
      if (across < 0) {
        this.hops[c].push({
          atom: this.atoms[c], startFrame: start, endFrame: Math.min(end, f), fromSite: cur, toSite: top,
          from: centreAt(map, cur, ix, iy, iz), to: centreAt(map, top, rx, ry, rz),
        });
      } else this.across[c].push(across);
      this.arrivedByHop[c] = across < 0 ? 1 : 0;
    }
    this.cur[c] = top; this.ix[c] = rx; this.iy[c] = ry; this.iz[c] = rz; this.lastCore[c] = f; this.arrival[c] = f;
    this.places[c].add(placeKey(top, rx, ry, rz, map.k));
  }
}

/** Segment every column of `positions` (unwrapped, frame-major) into site-to-site jumps. */
export function segmentBySites(map: SiteMap, positions: Positions, nFrames: number, atoms: Int32Array, opts: SegmentOptions = {}): SiteSegmentation {
  const n = atoms.length, k = map.k, Li = map.latticeInv;
  const core = opts.coreChi2 ?? CORE_CHI2_90;
  const leave = opts.leaveChi2 ?? LEAVE_CHI2_99;
  const breaks = opts.breaks ?? [];
  const nPlaces = new Int32Array(n).fill(1);
  const acrossBreaks = new Map<number, number>();
  const hops: SiteJump[] = [];
  if (k === 0) {
    const z = () => new Float64Array(0);
    return { hops, nPlaces, basinFrames: z(), stayCount: z(), stayFrames: z(), longestStay: z(), acrossBreaks };
  }
  const asg = new FrameAssigner(map, opts.exhaustive === true);
  const w = new Walks(map, atoms, asg.inv, leave, breaks);
  const out = asg.out, guess = w.guess, cur = w.cur, ixA = w.ix, iyA = w.iy, izA = w.iz, lastCore = w.lastCore, basinFrames = w.basinFrames;
  const Li0 = Li[0], Li1 = Li[1], Li2 = Li[2], Li3 = Li[3], Li4 = Li[4], Li5 = Li[5], Li6 = Li[6], Li7 = Li[7], Li8 = Li[8];
  for (let f = 0; f < nFrames; f++) {
    const row = f * n * 3;
    for (let c = 0; c < n; c++) {
      const o = row + c * 3;
      const x = positions[o], y = positions[o + 1], z = positions[o + 2];
      const ux = x * Li0 + y * Li3 + z * Li6, uy = x * Li1 + y * Li4 + z * Li7, uz = x * Li2 + y * Li5 + z * Li8;
      const top = asg.assign(ux, uy, uz, guess, c);
      if (top < 0) continue;
      basinFrames[top]++;
      if (out[0] > core) continue;
      const rx = out[1], ry = out[2], rz = out[3];
      if (cur[c] === top && ixA[c] === rx && iyA[c] === ry && izA[c] === rz) { lastCore[c] = f; continue; }
      w.enter(c, f, top, rx, ry, rz, ux, uy, uz);
    }
  }
  const { longestStay, arrival } = w;
  for (let c = 0; c < n; c++) {
    const s = cur[c], last = lastCore[c], a = arrival[c];
    if (s >= 0 && last + 1 - a > longestStay[s] && !(breaks.length > 0 && breakWithin(a, last + 1, breaks) >= 0)) longestStay[s] = last + 1 - a;
    nPlaces[c] = Math.max(1, w.places[c].size);
    for (const h of w.hops[c]) hops.push(h);
    for (const b of w.across[c]) acrossBreaks.set(b, (acrossBreaks.get(b) ?? 0) + 1);
  }
  return { hops, nPlaces, basinFrames, stayCount: w.stayCount, stayFrames: w.stayFrames, longestStay, acrossBreaks };
}

/**
 * One key per (site, image): a number when the image is within ±1023 cells and k < 2²⁰ (53 bits),
 * else a string; each place has exactly one form, so a set of keys counts the places.
 */
function placeKey(j: number, ix: number, iy: number, iz: number, k: number): number | string {
  if (k <= 1 << 20 && Math.abs(ix) < 1024 && Math.abs(iy) < 1024 && Math.abs(iz) < 1024) {
    return (((ix + 1024) * 2048 + (iy + 1024)) * 2048 + (iz + 1024)) * 1048576 + j;
  }
  return `${j},${ix},${iy},${iz}`;
}

/** Unwrapped Cartesian centre of site j in image (ix, iy, iz). */
function centreAt(map: SiteMap, j: number, ix: number, iy: number, iz: number): [number, number, number] {
  const L = map.lattice;
  const fx = map.frac[j * 3] + ix, fy = map.frac[j * 3 + 1] + iy, fz = map.frac[j * 3 + 2] + iz;
  return [fx * L[0] + fy * L[3] + fz * L[6], fx * L[1] + fy * L[4] + fz * L[7], fx * L[2] + fy * L[5] + fz * L[8]];
}
