/**
 * Pair relations between hops of different ions: which space/vacancy class a pair falls in and
 * at which time separation, binned, so the null model (null-model.ts) can say per bin whether
 * chance explains the pairs found there.
 *
 * Classes (A starts first, B no earlier):
 *  - fill: B is the first hop to reach the site A left (the vacancy A made is taken by B:
 *    chain/string motion); a later arrival fills a vacancy someone else made in between, so it
 *    is no relation of A's. Also A ending on the site B leaves in the same frame (who left first
 *    is not resolved then);
 *  - push: A ends on the site B is leaving, B starting later (A knocks B on);
 *  - near1 / near2: neither, with hop midpoints within 1 / 2 median hop lengths (minimum image).
 * Pairs farther apart are not related (no class). Sites are compared by id: the caller's
 * `fromSite`/`toSite` when every hop has them (a site map), else ids from clustering the
 * wrapped centres (siteIdsFromCentres).
 * Lag: x = (start_B − start_A) / τ, τ = the median residence of an ion between two hops (frames):
 * the clock is the element's own hop rhythm, so no material-specific time scale enters, and
 * detectors that disagree on where a transit starts and ends (by factors of 2–7, see
 * BENCHMARKS.md "Many-body") do not move a pair from one bin to another. Bins are octaves of x,
 * [0, 2⁻⁹), [2⁻⁹, 2⁻⁸) … [2⁻¹, 1), and one more, DURING (index N_LAG): B starts while A is still
 * in transit (start_B ≤ last_A) at 1/8 ≤ x < 1 (the long lags, which it takes out of their
 * octave bins; concerted.ts counts it in the long-lag level too): a pair that overlaps in time is
 * close in time whatever the hop rhythm, which matters when transits are long against τ (an ion
 * rattling between close sites makes τ short: chain delays of a fraction of a transit then fall
 * at x ≈ 0.1–0.3). Overlapping pairs at shorter lags keep their octave bin.
 */
import { MinImage } from '../paths.js';
import { cartToFrac, inverse3 } from '../../trajectory/lattice.js';
import { edgeClass, edgeGrid, type EdgeGrid } from './edge-grid.js';

/** One hop as the many-body analysis sees it. */
export interface ManyBodyHop {
  atom: number;
  /** First and last transit frame (inclusive). */
  first: number;
  last: number;
  /** Unwrapped Cartesian centres left and reached (Å). */
  from: readonly number[];
  to: readonly number[];
  /** Site ids from a site map, when one exists (all hops or none). */
  fromSite?: number;
  toSite?: number;
  /** Kind (site type) of the site left, when a site map gives types (all hops or none): the refill hazard is then per kind (bin-tests.ts). */
  fromKind?: number;
}

export const CLASSES = ['fill', 'push', 'near1', 'near2'] as const;
export type PairClass = (typeof CLASSES)[number];
/** Lag bins: octaves of x = lag/τ below 1, the first from 0; then the DURING bin (module doc). */
export const N_LAG = 10;
/** Index of the DURING bin within a class; bins per class. */
export const DURING = N_LAG;
export const BINS_PER_CLASS = N_LAG + 1;
/** Octave bins from N_LAG − LONG_LAG_OCTAVES on (x ≥ 1/8) are long lags (concerted.ts: the sequential level). */
export const LONG_LAG_OCTAVES = 3;
/** Lower edge (in τ) of lag bin k. */
export function lagEdge(k: number): number {
  return k === 0 ? 0 : 2 ** (k - N_LAG);
}
export const N_BINS = CLASSES.length * BINS_PER_CLASS;

/** Geometry of a hop set that does not change when hop times are shifted. */
export interface HopGeometry {
  fromSite: Int32Array;
  toSite: Int32Array;
  /** Edge (ordered site pair) of each hop, and a midpoint per edge (Cartesian Å, from its first hop). */
  edgeOf: Int32Array;
  edgeMid: [number, number, number][];
  /** Sites (from, to) of each edge. */
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  /**
   * Class + 2 (1 for none; 0 = not computed yet) per ordered edge pair edgeA·nEdges + edgeB: the
   * class depends on the two edges alone, so it is worked out once per edge pair, not per hop
   * pair (a Map beyond 2²² pairs); allocated by the first pairClass call.
   */
  classTable: Int8Array | null;
  classMap: Map<number, number>;
  /** Atom and duration (last − first, frames) of each hop, as typed arrays for the pair loop. */
  atomOf: Int32Array;
  durOf: Int32Array;
  /** The lag clock τ (frames) and the lag bin of every lag 0 … ⌈τ⌉ − 1 frames. */
  tauFrames: number;
  lagBinOf: Int8Array;
  /** Median hop length (Å): the unit of the near shells. */
  lengthScaleA: number;
  /** Tolerance used to identify centres as one site (Å); NaN when site ids were given. */
  siteTolA: number;
  dist: MinImage;
  /** Grid cells of the edges and the site range (edge-grid.ts): where relatedPairs looks for partners. */
  grid: EdgeGrid;
}

function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.floor(q * (s.length - 1))))];
}

/**
 * Site ids of centres: two centres closer than `tolA` (minimum image) are one site (greedy, in
 * input order, against the first centre of each site). Sites are bucketed on a fractional grid.
 */
export function siteIdsFromCentres(points: readonly (readonly number[])[], lattice: ArrayLike<number>, tolA: number): Int32Array {
  const dist = new MinImage(lattice);
  const inv = inverse3(lattice);
  const reps: (readonly number[])[] = [];
  const ids = new Int32Array(points.length);
  // Grid of ~tol-sized cells in fractional space; a site is looked up in the 27 cells around.
  const lens = [0, 1, 2].map((r) => Math.hypot(lattice[r * 3], lattice[r * 3 + 1], lattice[r * 3 + 2]));
  const g = lens.map((l) => Math.max(1, Math.floor(l / Math.max(tolA, 1e-6))));
  const grid = new Map<number, number[]>();
  const f = new Float64Array(3);
  const cellOf = (p: readonly number[]): number[] => {
    cartToFrac(inv, p[0], p[1], p[2], f, 0);
    return [0, 1, 2].map((d) => { const x = f[d] - Math.floor(f[d]); return Math.min(g[d] - 1, Math.floor(x * g[d])); });
  };
  const key = (a: number, b: number, c: number): number => ((((a % g[0]) + g[0]) % g[0]) * g[1] + (((b % g[1]) + g[1]) % g[1])) * g[2] + (((c % g[2]) + g[2]) % g[2]);
  for (let i = 0; i < points.length; i++) {
    const p = points[i], c = cellOf(p);
    let found = -1, best = tolA;
    for (let a = -1; a <= 1; a++) for (let b = -1; b <= 1; b++) for (let d = -1; d <= 1; d++) {
      for (const s of grid.get(key(c[0] + a, c[1] + b, c[2] + d)) ?? []) {
        const r = dist.distance(p, reps[s]);
        if (r < best) { best = r; found = s; }
      }
    }
    if (found < 0) {
      found = reps.length;
      reps.push(p);
      const k = key(c[0], c[1], c[2]);
      const l = grid.get(k);
      if (l) l.push(found); else grid.set(k, [found]);
    }
    ids[i] = found;
  }
  return ids;
}

/** Site ids, midpoints and the length scale of a hop set (see the module doc). */
export function hopGeometry(hops: readonly ManyBodyHop[], lattice: ArrayLike<number>): HopGeometry {
  const M = hops.length;
  const dist = new MinImage(lattice);
  const lengths = hops.map((h) => Math.hypot(h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]));
  const lengthScaleA = quantile(lengths, 0.5);
  const haveIds = M > 0 && hops.every((h) => h.fromSite !== undefined && h.toSite !== undefined);
  let fromSite: Int32Array, toSite: Int32Array, siteTolA = NaN;
  if (haveIds) {
    fromSite = Int32Array.from(hops, (h) => h.fromSite as number);
    toSite = Int32Array.from(hops, (h) => h.toSite as number);
  } else {
    // Two distinct sites are at least one hop apart: half the short end of the hop lengths
    // separates them while absorbing the scatter of the centres of one site.
    siteTolA = 0.5 * quantile(lengths, 0.05);
    const pts: (readonly number[])[] = [];
    for (const h of hops) { pts.push(h.from); pts.push(h.to); }
    const ids = siteIdsFromCentres(pts, lattice, Number.isFinite(siteTolA) ? siteTolA : 1);
    fromSite = new Int32Array(M); toSite = new Int32Array(M);
    for (let i = 0; i < M; i++) { fromSite[i] = ids[2 * i]; toSite[i] = ids[2 * i + 1]; }
  }
  const edgeIds = new Map<number, number>();
  const edgeOf = new Int32Array(M);
  const edgeMid: [number, number, number][] = [];
  const firstOfEdge: number[] = [];
  let siteLo = 0, siteHi = 0;
  for (let i = 0; i < M; i++) { siteLo = Math.min(siteLo, fromSite[i], toSite[i]); siteHi = Math.max(siteHi, fromSite[i], toSite[i]); }
  const nSites = siteHi - siteLo + 1;
  for (let i = 0; i < M; i++) {
    const k = (fromSite[i] - siteLo) * nSites + (toSite[i] - siteLo);
    let e = edgeIds.get(k);
    if (e === undefined) {
      edgeIds.set(k, (e = edgeMid.length));
      firstOfEdge.push(i);
      const h = hops[i];
      edgeMid.push([0.5 * (h.from[0] + h.to[0]), 0.5 * (h.from[1] + h.to[1]), 0.5 * (h.from[2] + h.to[2])]);
    }
    edgeOf[i] = e;
  }
  const tauFrames = residenceClock(hops);
  const maxLag = Math.max(1, Math.ceil(tauFrames));
  const lagBinOf = new Int8Array(maxLag);
  for (let lag = 0, k = 0; lag < maxLag; lag++) {
    while (k + 1 < N_LAG && lag / tauFrames >= lagEdge(k + 1)) k++;
    lagBinOf[lag] = k;
  }
  const nE = edgeMid.length;
  const g: HopGeometry = {
    fromSite, toSite, edgeOf, edgeMid,
    edgeFrom: Int32Array.from(edgeMid, (_, e) => fromSite[firstOfEdge[e]]), edgeTo: Int32Array.from(edgeMid, (_, e) => toSite[firstOfEdge[e]]),
    classTable: null, classMap: new Map(),
    atomOf: Int32Array.from(hops, (h) => h.atom), durOf: Int32Array.from(hops, (h) => h.last - h.first), tauFrames, lagBinOf,
    lengthScaleA, siteTolA, dist, grid: edgeGrid({ edgeFrom: Int32Array.of(), edgeTo: Int32Array.of(), edgeMid: [], lengthScaleA }, lattice),
  };
  g.grid = edgeGrid(g, lattice);
  return g;
}

/**
 * τ: the median number of frames an ion rests between two of its hops (end of one to start of the
 * next); with fewer than 5 such rests, the mean time between an ion's hops over the run.
 */
export function residenceClock(hops: readonly ManyBodyHop[]): number {
  const byAtom = new Map<number, ManyBodyHop[]>();
  let tMin = Infinity, tMax = -Infinity;
  for (const h of hops) {
    const l = byAtom.get(h.atom); if (l) l.push(h); else byAtom.set(h.atom, [h]);
    tMin = Math.min(tMin, h.first); tMax = Math.max(tMax, h.last);
  }
  const rests: number[] = [];
  for (const l of byAtom.values()) {
    l.sort((a, b) => a.first - b.first);
    for (let i = 1; i < l.length; i++) rests.push(Math.max(1, l[i].first - l[i - 1].last));
  }
  if (rests.length >= 5) return Math.max(1, quantile(rests, 0.5));
  return Math.max(1, ((tMax - tMin + 1) * byAtom.size) / Math.max(1, hops.length));
}

/** Entries of the edge-pair class cache when there are too many edges for a table. */
const CLASS_MAP_CAP = 1 << 22;

/** Class index of the ordered pair (A = a, B = b), or −1 when unrelated. */
export function pairClass(g: HopGeometry, a: number, b: number): number {
  const ea = g.edgeOf[a], eb = g.edgeOf[b], key = ea * g.edgeMid.length + eb;
  const nE = g.edgeMid.length;
  // Allocated on first use: relatedPairs classes edge pairs itself (edge-grid.ts), without the cache.
  if (!g.classTable && nE * nE <= 1 << 22) g.classTable = new Int8Array(nE * nE);
  const t = g.classTable;
  let c = t ? t[key] : (g.classMap.get(key) ?? 0);
  if (c === 0) {
    c = edgeClass(g, ea, eb);
    // The Map cache is bounded: V8 Maps hold at most 2^24 entries, and a long run's edge pairs
    // can exceed that; past the cap a class is recomputed (one distance), not stored.
    if (t) t[key] = c; else if (g.classMap.size < CLASS_MAP_CAP) g.classMap.set(key, c);
  }
  return c - 2;
}

/** Hops grouped by a key (0 … nKeys − 1), each group in a given order of the hops. */
class Buckets {
  start = new Int32Array(1);
  item = new Int32Array(0);
  /** Fill from `order` (hop indices), the key of hop i being keyOf[i] − lo. */
  fill(order: Int32Array, keyOf: Int32Array, lo: number, nKeys: number): void {
    const M = order.length;
    if (this.start.length !== nKeys + 1) this.start = new Int32Array(nKeys + 1);
    if (this.item.length !== M) this.item = new Int32Array(M);
    const st = this.start, it = this.item;
    st.fill(0);
    for (let i = 0; i < M; i++) st[keyOf[i] - lo + 1]++;
    for (let k = 0; k < nKeys; k++) st[k + 1] += st[k];
    for (let p = 0; p < M; p++) { const i = order[p]; it[st[keyOf[i] - lo]++] = i; }
    for (let k = nKeys; k > 0; k--) st[k] = st[k - 1];
    st[0] = 0;
  }
}

/** Pairs found by `relatedPairs`: flat triples [a, b, bin, …] in a reused buffer, `n` of them. */
export class PairList {
  data = new Int32Array(3 * 1024);
  n = 0;
  /** Scratch of relatedPairs, kept between calls. */
  key = new Float64Array(0);
  order = new Int32Array(0);
  rank = new Int32Array(0);
  cellOfHop = new Int32Array(0);
  byCell = new Buckets();
  byTo = new Buckets();
  byFrom = new Buckets();
  cand = new Float64Array(64);
  /**
   * Per hop A (input index): frames from A's start to the start of the first hop reaching the
   * site A leaves (−1: none does), and whether that hop is another atom's (1) or A's own return (0).
   */
  refillLag = new Int32Array(0);
  refillOther = new Uint8Array(0);
  push(a: number, b: number, bin: number): void {
    if (3 * this.n + 3 > this.data.length) { const d = new Int32Array(this.data.length * 2); d.set(this.data); this.data = d; }
    const o = 3 * this.n++;
    this.data[o] = a; this.data[o + 1] = b; this.data[o + 2] = bin;
  }
}

/**
 * Every related pair of hops of different atoms with lag < τ (and lag bin < maxBin), or with B
 * starting during A's transit at 1/8 ≤ x < 1 (the DURING bin, whatever maxBin), given the hops' start frames
 * (observed or shifted), into `out` (cleared first): a is the earlier start (ties: lower index
 * first), bin = class·BINS_PER_CLASS + lag bin. Fill pairs (one per hop at most) are kept at
 * every lag below τ whatever maxBin. Pairs come in the order of (a, then b) by (start, index):
 * the grouping (concerted.ts) depends on it. Also sets `out.refillLag`/`refillOther` (the
 * vacancies' ends, for the refill hazard in bin-tests.ts).
 *
 * Only hops that can be related to a are visited (edge-grid.ts): those ending on the site a
 * leaves (fill), leaving the site a reaches (push), and those on edges in the grid cells around
 * a's edge (near). Each group of hops is in (start, index) order and entered through a cursor
 * that only moves forward, as a's come in that order too.
 */
export function relatedPairs(hops: readonly ManyBodyHop[], starts: Int32Array, g: HopGeometry, out: PairList, maxBin = N_LAG): PairList {
  const M = hops.length;
  out.n = 0;
  // Sort by (start, index) through one numeric key: a typed-array sort, no comparator closure.
  if (out.key.length !== M) { out.key = new Float64Array(M); out.order = new Int32Array(M); out.rank = new Int32Array(M); out.cellOfHop = new Int32Array(M); }
  const key = out.key, order = out.order, rank = out.rank;
  for (let i = 0; i < M; i++) key[i] = starts[i] * M + i;
  key.sort();
  for (let p = 0; p < M; p++) { const i = key[p] % M; order[p] = i; rank[i] = p; }
  const G = g.grid, edgeOf = g.edgeOf, cellOfHop = out.cellOfHop;
  for (let i = 0; i < M; i++) cellOfHop[i] = G.cellOfEdge[edgeOf[i]];
  out.byCell.fill(order, cellOfHop, 0, G.nCells);
  out.byTo.fill(order, g.toSite, G.siteLo, G.nSites);
  out.byFrom.fill(order, g.fromSite, G.siteLo, G.nSites);
  const cStart = out.byCell.start, cItem = out.byCell.item, tStart = out.byTo.start, tItem = out.byTo.item, fStart = out.byFrom.start, fItem = out.byFrom.item;
  // Cursors: per (cell, neighbour) into the neighbour's hops; per site into the hops reaching / leaving it.
  const curCell = new Int32Array(G.nCells * G.nNbr);
  for (let c = 0; c < G.nCells; c++) for (let j = 0; j < G.nNbr; j++) curCell[c * G.nNbr + j] = cStart[G.nbr[c * G.nNbr + j]];
  const curTo = tStart.slice(0, G.nSites), curFrom = fStart.slice(0, G.nSites);
  const scanNear = g.lengthScaleA > 0 && Number.isFinite(g.lengthScaleA);
  // Beyond this lower bound of the distance no pair is near (a margin over rounding: the exact test decides).
  const nearCut = 2 * g.lengthScaleA * (1 + 1e-9) + 1e-12;
  const fm = G.fracMid, [d0, d1, d2] = G.spacing;
  // Only lags whose bin is below maxBin (the null replicates need the short lags alone).
  const lagBinOf = g.lagBinOf;
  let lim = lagBinOf.length;
  while (lim > 0 && lagBinOf[lim - 1] >= maxBin) lim--;
  const longFrom = N_LAG - LONG_LAG_OCTAVES, nLag = lagBinOf.length;
  const atomOf = g.atomOf, fromSite = g.fromSite, toSite = g.toSite;
  if (out.refillLag.length !== M) { out.refillLag = new Int32Array(M); out.refillOther = new Uint8Array(M); }
  const refillLag = out.refillLag, refillOther = out.refillOther;
  let nc = 0;
  let sA = 0, atomA = 0, dA = 0, lagEnd = 0;
  // Adds b when in a's window (true), or reports that b and all after it in its group are past it (false).
  const take = (b: number, c: number): boolean => {
    const lag = starts[b] - sA;
    if (lag >= lagEnd) return false;
    if (atomOf[b] === atomA) return true;
    const k = lagBinOf[lag];
    const bin = lag <= dA && k >= longFrom ? DURING : k;
    if (bin >= maxBin && bin !== DURING) return true;
    if (nc === out.cand.length) { const d = new Float64Array(2 * nc); d.set(out.cand); out.cand = d; }
    out.cand[nc++] = rank[b] * N_BINS + c * BINS_PER_CLASS + bin;
    return true;
  };
  for (let p = 0; p < M; p++) {
    const a = order[p];
    sA = starts[a]; atomA = atomOf[a]; dA = g.durOf[a];
    // Partners are taken while lag < nLag and (lag < lim or B starts during A's transit).
    lagEnd = Math.min(nLag, Math.max(lim, dA + 1));
    nc = 0;
    const ea = edgeOf[a], sf = fromSite[a] - G.siteLo, st = toSite[a] - G.siteLo;
    // fill: the first hop to reach the site A leaves (the vacancy's end), by another atom. Only
    // the first: a later arrival refills a vacancy someone else made in between. Not limited by
    // maxBin: its reference is the refill hazard (concerted.ts), and it is one pair per hop.
    let q = curTo[sf];
    const tEnd = tStart[sf + 1];
    while (q < tEnd && rank[tItem[q]] <= p) q++;
    curTo[sf] = q;
    refillLag[a] = -1;
    if (q < tEnd) {
      const b = tItem[q], lag = starts[b] - sA;
      refillLag[a] = lag;
      refillOther[a] = atomOf[b] !== atomA ? 1 : 0;
      if (lag < nLag && atomOf[b] !== atomA) {
        const k = lagBinOf[lag];
        if (nc === out.cand.length) { const d = new Float64Array(2 * nc); d.set(out.cand); out.cand = d; }
        out.cand[nc++] = rank[b] * N_BINS + (lag <= dA && k >= longFrom ? DURING : k);
      }
    }
    // push: B leaves the site A reaches (unless it also ends where A left: a fill, taken above).
    // Starting in the same frame, which of them left first is not resolved: a push at lag 0 is
    // the fill with the roles swapped (B leaves, A fills) and is counted as one.
    q = curFrom[st];
    const fEnd = fStart[st + 1];
    while (q < fEnd && rank[fItem[q]] <= p) q++;
    curFrom[st] = q;
    for (; q < fEnd; q++) { const b = fItem[q]; if (toSite[b] !== fromSite[a] && !take(b, starts[b] === sA ? 0 : 1)) break; }
    // near1/near2: edges in the cells around, neither fill nor push.
    if (scanNear) {
      const base = cellOfHop[a] * G.nNbr;
      for (let j = 0; j < G.nNbr; j++) {
        const cb = G.nbr[base + j], end = cStart[cb + 1];
        q = curCell[base + j];
        while (q < end && rank[cItem[q]] <= p) q++;
        curCell[base + j] = q;
        for (; q < end; q++) {
          const b = cItem[q];
          if (starts[b] - sA >= lagEnd) break;
          const eb = edgeOf[b];
          let f = fm[3 * eb] - fm[3 * ea];
          if (Math.abs(f - Math.round(f)) * d0 > nearCut) continue;
          f = fm[3 * eb + 1] - fm[3 * ea + 1];
          if (Math.abs(f - Math.round(f)) * d1 > nearCut) continue;
          f = fm[3 * eb + 2] - fm[3 * ea + 2];
          if (Math.abs(f - Math.round(f)) * d2 > nearCut) continue;
          const c = edgeClass(g, ea, eb);
          if (c >= 4) take(b, c - 2);
        }
      }
    }
    if (nc === 0) continue;
    const cand = out.cand;
    // Insertion sort: a hop has a handful of partners, and a typed-array sort per hop costs more.
    if (nc > 32) cand.subarray(0, nc).sort();
    else for (let j = 1; j < nc; j++) {
      const v = cand[j];
      let i = j - 1;
      while (i >= 0 && cand[i] > v) { cand[i + 1] = cand[i]; i--; }
      cand[i + 1] = v;
    }
    for (let j = 0; j < nc; j++) {
      const v = cand[j], bin = v % N_BINS;
      out.push(a, order[(v - bin) / N_BINS], bin);
    }
  }
  return out;
}
