/**
 * Which edges (ordered site pairs) are related to which: the spatial half of pair-relations.ts,
 * worked out once per hop geometry so the pair search (relatedPairs) visits only hops on related
 * edges instead of every hop in the time window (almost all of which are unrelated on a large
 * cell: ~10⁸ visits per replicate on 500 ions × 50,000 frames).
 *
 * Edge B is related to edge A when B ends on the site A leaves (fill), A ends on the site B
 * leaves (push), or their midpoints lie within 2 length scales (near1/near2, minimum image). The
 * near candidates come from a periodic grid over the midpoints whose cells are at least 2 length
 * scales thick along every plane normal, so any image closer than that lies in one of the 27
 * cells around; each candidate is then classed by `edgeClass`, the very test pairClass makes.
 */
import { inverse3 } from '../../trajectory/lattice.js';
import type { HopGeometry } from './pair-relations.js';

/** Class + 2 of the ordered edge pair (A = ea, B = eb): 2 fill, 3 push, 4 near1, 5 near2, 1 none. */
export function edgeClass(g: HopGeometry, ea: number, eb: number): number {
  if (g.edgeTo[eb] === g.edgeFrom[ea]) return 2;
  if (g.edgeTo[ea] === g.edgeFrom[eb]) return 3;
  const r = g.dist.distance(g.edgeMid[ea], g.edgeMid[eb]) / g.lengthScaleA;
  return r < 1 ? 4 : r < 2 ? 5 : 1;
}

/** Related edges of every edge, compressed: those of e are `edge[start[e] … start[e+1])`, with class index `cls` (0 … 3). */
export interface EdgeRelations {
  start: Int32Array;
  edge: Int32Array;
  cls: Int8Array;
}

/** Most grid cells per axis: more only costs memory (cells thicker than needed stay correct). */
const MAX_CELLS_PER_AXIS = 64;

/** The related edges of every edge of `g` (module doc). */
export function edgeRelations(g: HopGeometry, lattice: ArrayLike<number>): EdgeRelations {
  const nE = g.edgeMid.length;
  // Edges by the site they leave and the site they reach (compressed lists).
  // (Site ids are compared as given; offset so that any id, even a negative one, is a list index.)
  let lo = 0, hi = -1;
  for (let e = 0; e < nE; e++) { lo = Math.min(lo, g.edgeFrom[e], g.edgeTo[e]); hi = Math.max(hi, g.edgeFrom[e], g.edgeTo[e]); }
  const nSites = hi - lo + 1;
  const byFrom = csr(nSites, nE, (e) => g.edgeFrom[e] - lo);
  const byTo = csr(nSites, nE, (e) => g.edgeTo[e] - lo);
  // Periodic grid over the midpoints, cells ≥ 2 length scales thick (plane spacing 1/|b_i|).
  const R = 2 * g.lengthScaleA;
  const useGrid = R > 0 && Number.isFinite(R);
  const inv = inverse3(lattice);
  const n = [0, 1, 2].map((i) => {
    if (!useGrid) return 1;
    const spacing = 1 / Math.hypot(inv[i], inv[3 + i], inv[6 + i]);
    return Math.max(1, Math.min(MAX_CELLS_PER_AXIS, Math.floor(spacing / R)));
  });
  const cellOf = new Int32Array(nE);
  for (let e = 0; e < nE; e++) {
    const [x, y, z] = g.edgeMid[e];
    let c = 0;
    for (let i = 0; i < 3; i++) {
      let f = x * inv[i] + y * inv[3 + i] + z * inv[6 + i];
      f -= Math.floor(f);
      c = c * n[i] + Math.min(n[i] - 1, Math.floor(f * n[i]));
    }
    cellOf[e] = c;
  }
  const byCell = csr(n[0] * n[1] * n[2], nE, (e) => cellOf[e]);
  // Neighbour offsets per axis without repeats (an axis of 1 or 2 cells wraps onto itself).
  const offs = n.map((k) => (k === 1 ? [0] : k === 2 ? [0, 1] : [-1, 0, 1]));
  const seen = new Int32Array(nE).fill(-1);
  const outEdge: number[] = [], outCls: number[] = [];
  const start = new Int32Array(nE + 1);
  const consider = (ea: number, eb: number): void => {
    if (seen[eb] === ea) return;
    seen[eb] = ea;
    const c = edgeClass(g, ea, eb);
    if (c >= 2) { outEdge.push(eb); outCls.push(c - 2); }
  };
  for (let ea = 0; ea < nE; ea++) {
    start[ea] = outEdge.length;
    const sf = g.edgeFrom[ea] - lo, st = g.edgeTo[ea] - lo;
    for (let k = byTo.start[sf]; k < byTo.start[sf + 1]; k++) consider(ea, byTo.item[k]);
    for (let k = byFrom.start[st]; k < byFrom.start[st + 1]; k++) consider(ea, byFrom.item[k]);
    if (!useGrid) continue;
    const c = cellOf[ea];
    const c2 = c % n[2], c1 = Math.floor(c / n[2]) % n[1], c0 = Math.floor(c / (n[1] * n[2]));
    for (const d0 of offs[0]) for (const d1 of offs[1]) for (const d2 of offs[2]) {
      const cell = (((c0 + d0 + n[0]) % n[0]) * n[1] + ((c1 + d1 + n[1]) % n[1])) * n[2] + ((c2 + d2 + n[2]) % n[2]);
      for (let k = byCell.start[cell]; k < byCell.start[cell + 1]; k++) consider(ea, byCell.item[k]);
    }
  }
  start[nE] = outEdge.length;
  return { start, edge: Int32Array.from(outEdge), cls: Int8Array.from(outCls) };
}

/** Items 0 … m−1 grouped by key (0 … nKeys−1), in item order within a key. */
function csr(nKeys: number, m: number, keyOf: (i: number) => number): { start: Int32Array; item: Int32Array } {
  const start = new Int32Array(nKeys + 1);
  for (let i = 0; i < m; i++) start[keyOf(i) + 1]++;
  for (let k = 0; k < nKeys; k++) start[k + 1] += start[k];
  const fill = start.slice(0, nKeys), item = new Int32Array(m);
  for (let i = 0; i < m; i++) item[fill[keyOf(i)]++] = i;
  return { start, item };
}
