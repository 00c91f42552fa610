/**
 * Where the pair search (relatedPairs) looks for the partners of a hop, worked out once per hop
 * geometry, so it visits only hops that can be related instead of every hop in the time window
 * (almost all unrelated on a large cell: ~10⁸ visits per replicate on 500 ions × 50,000 frames).
 *
 * Edge B is related to edge A when B ends on the site A leaves (fill), A ends on the site B
 * leaves (push) — found through the hops per site — or their midpoints lie within 2 length
 * scales (near1/near2, minimum image) — found through a periodic grid over the edge midpoints
 * whose cells are at least 2 length scales thick along every plane normal, so any image closer
 * than that lies in one of the 27 cells around. Each candidate is then classed by `edgeClass`,
 * the very test pairClass makes.
 */
import { inverse3 } from '../../trajectory/lattice.js';
import type { MinImage } from '../paths.js';

/** The edges of a hop geometry (pair-relations.ts HopGeometry) as this file needs them. */
export interface EdgeGeometry {
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeMid: readonly (readonly number[])[];
  lengthScaleA: number;
}

/** Class + 2 of the ordered edge pair (A = ea, B = eb): 2 fill, 3 push, 4 near1, 5 near2, 1 none. */
export function edgeClass(g: EdgeGeometry & { dist: MinImage }, ea: number, eb: number): number {
  if (g.edgeTo[eb] === g.edgeFrom[ea]) return 2;
  if (g.edgeTo[ea] === g.edgeFrom[eb]) return 3;
  const r = g.dist.distance(g.edgeMid[ea], g.edgeMid[eb]) / g.lengthScaleA;
  return r < 1 ? 4 : r < 2 ? 5 : 1;
}

/** Grid cells of the edge midpoints and each cell's neighbourhood (itself included, no repeats). */
export interface EdgeGrid {
  nCells: number;
  cellOfEdge: Int32Array;
  /** Neighbour cells of cell c: `nbr[c·nNbr … (c+1)·nNbr)`. */
  nNbr: number;
  nbr: Int32Array;
  /**
   * Fractional midpoints (3 per edge) and the plane spacings (Å): |Δf_i| (wrapped) × spacing_i is a
   * lower bound of the minimum-image distance, a cheap test that rules a pair out before the
   * exact one.
   */
  fracMid: Float64Array;
  spacing: [number, number, number];
  /** Site ids offset by `siteLo` index the hops per site (0 … nSites − 1). */
  siteLo: number;
  nSites: number;
}

/** Most grid cells per axis: fewer only makes cells thicker than needed (still correct). */
const MAX_CELLS_PER_AXIS = 24;

/** The grid of a hop geometry's edges (module doc). No near relation (length scale not positive): one cell, never scanned. */
export function edgeGrid(g: EdgeGeometry, lattice: ArrayLike<number>): EdgeGrid {
  const nE = g.edgeMid.length;
  let lo = 0, hi = -1;
  for (let e = 0; e < nE; e++) { lo = Math.min(lo, g.edgeFrom[e], g.edgeTo[e]); hi = Math.max(hi, g.edgeFrom[e], g.edgeTo[e]); }
  const R = 2 * g.lengthScaleA;
  const inv = inverse3(lattice);
  const spacing = [0, 1, 2].map((i) => 1 / Math.hypot(inv[i], inv[3 + i], inv[6 + i])) as [number, number, number];
  const n = [0, 1, 2].map((i) => (R > 0 && Number.isFinite(R) ? Math.max(1, Math.min(MAX_CELLS_PER_AXIS, Math.floor(spacing[i] / R))) : 1));
  const cellOfEdge = new Int32Array(nE), fracMid = new Float64Array(3 * nE);
  for (let e = 0; e < nE; e++) {
    const [x, y, z] = g.edgeMid[e];
    let c = 0;
    for (let i = 0; i < 3; i++) {
      let f = x * inv[i] + y * inv[3 + i] + z * inv[6 + i];
      f -= Math.floor(f);
      fracMid[3 * e + i] = f;
      c = c * n[i] + Math.min(n[i] - 1, Math.floor(f * n[i]));
    }
    cellOfEdge[e] = c;
  }
  // Offsets per axis without repeats (an axis of 1 or 2 cells wraps onto itself).
  const offs = n.map((k) => (k === 1 ? [0] : k === 2 ? [0, 1] : [-1, 0, 1]));
  const nCells = n[0] * n[1] * n[2], nNbr = offs[0].length * offs[1].length * offs[2].length;
  const nbr = new Int32Array(nCells * nNbr);
  for (let c = 0, o = 0; c < nCells; c++) {
    const c2 = c % n[2], c1 = Math.floor(c / n[2]) % n[1], c0 = Math.floor(c / (n[1] * n[2]));
    for (const d0 of offs[0]) for (const d1 of offs[1]) for (const d2 of offs[2]) {
      nbr[o++] = (((c0 + d0 + n[0]) % n[0]) * n[1] + ((c1 + d1 + n[1]) % n[1])) * n[2] + ((c2 + d2 + n[2]) % n[2]);
    }
  }
  return { nCells, cellOfEdge, nNbr, nbr, fracMid, spacing, siteLo: lo, nSites: hi - lo + 1 };
}
