/**
 * The jump network: per directed site pair, count, rate, mean transit and immediate-return
 * fraction; and how far it percolates — the rank of the lattice translations its cycles make
 * through periodic images (0: jumps stay in finite clusters, 1/2/3: channels, planes, bulk) and
 * the weakest pair that rank needs (the bottleneck).
 */
import type { SiteJumpRow } from '../types.js';
import type { SiteJump } from './segment.js';
import type { SiteMap } from './site-map.js';

/** A `site_jumps` row before the element and the cage class are attached. */
export type PairStats = Omit<SiteJumpRow, 'element' | 'jumpClass'>;

export interface Network {
  pairs: PairStats[];
  /** 0–3; null without any jump. */
  dimensionality: number | null;
  /** The undirected pair with the fewest jumps needed for that dimensionality; null when dimensionality ≤ 0 or unknown. */
  bottleneck: { a: number; b: number; count: number } | null;
  /** Over all jumps: fraction immediately undone. */
  returnFraction: number | null;
}

/** Image offset (integer lattice vector) of a jump from site a to site b. */
function offsetOf(map: SiteMap, h: SiteJump): [number, number, number] {
  const Li = map.latticeInv;
  const dx = h.to[0] - h.from[0], dy = h.to[1] - h.from[1], dz = h.to[2] - h.from[2];
  const out: [number, number, number] = [0, 0, 0];
  for (let c = 0; c < 3; c++) {
    const df = dx * Li[c] + dy * Li[3 + c] + dz * Li[6 + c];
    out[c] = Math.round(df - (map.frac[h.toSite * 3 + c] - map.frac[h.fromSite * 3 + c]));
  }
  return out;
}

interface Edge { a: number; b: number; off: [number, number, number]; count: number }

/** Rank (0–3) of the cycle translations of a periodic graph, the max over its components. */
export function periodicRank(nSites: number, edges: readonly Edge[]): number {
  const adj: { to: number; off: number[] }[][] = Array.from({ length: nSites }, () => []);
  for (const e of edges) {
    adj[e.a].push({ to: e.b, off: e.off });
    adj[e.b].push({ to: e.a, off: e.off.map((x) => -x) });
  }
  const pos: (number[] | null)[] = new Array(nSites).fill(null);
  let best = 0;
  for (let s0 = 0; s0 < nSites; s0++) {
    if (pos[s0] || adj[s0].length === 0) continue;
    const vectors: number[][] = [];
    pos[s0] = [0, 0, 0];
    const stack = [s0];
    while (stack.length > 0) {
      const u = stack.pop()!;
      for (const { to, off } of adj[u]) {
        const p = [pos[u]![0] + off[0], pos[u]![1] + off[1], pos[u]![2] + off[2]];
        if (!pos[to]) { pos[to] = p; stack.push(to); continue; }
        const cyc = [p[0] - pos[to]![0], p[1] - pos[to]![1], p[2] - pos[to]![2]];
        if (cyc.some((x) => x !== 0)) vectors.push(cyc);
      }
    }
    best = Math.max(best, rank3(vectors));
  }
  return best;
}

/** Rank of a set of integer 3-vectors (Gaussian elimination). */
function rank3(vs: number[][]): number {
  const m = vs.map((v) => v.slice());
  let r = 0;
  for (let c = 0; c < 3 && r < m.length; c++) {
    let p = -1;
    for (let i = r; i < m.length; i++) if (m[i][c] !== 0 && (p < 0 || Math.abs(m[i][c]) > Math.abs(m[p][c]))) p = i;
    if (p < 0) continue;
    [m[r], m[p]] = [m[p], m[r]];
    for (let i = 0; i < m.length; i++) {
      if (i === r || m[i][c] === 0) continue;
      const f = m[i][c] / m[r][c];
      for (let q = 0; q < 3; q++) m[i][q] -= f * m[r][q];
      for (let q = 0; q < 3; q++) if (Math.abs(m[i][q]) < 1e-9) m[i][q] = 0;
    }
    r++;
  }
  return r;
}

/** The network of a species' jumps (ordered by atom, then start frame) over `durationPs`. */
export function jumpNetwork(map: SiteMap, hops: readonly SiteJump[], durationPs: number, dtPs: number): Network {
  const key = (a: number, b: number) => a * map.k + b;
  const acc = new Map<number, { count: number; transit: number; returns: number; length: number }>();
  let returns = 0;
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    const next = i + 1 < hops.length && hops[i + 1].atom === h.atom ? hops[i + 1] : null;
    const back = next !== null && next.toSite === h.fromSite && next.fromSite === h.toSite
      && Math.abs(next.to[0] - h.from[0]) + Math.abs(next.to[1] - h.from[1]) + Math.abs(next.to[2] - h.from[2]) < 1e-6;
    const a = acc.get(key(h.fromSite, h.toSite)) ?? { count: 0, transit: 0, returns: 0, length: 0 };
    a.count++;
    a.transit += (h.endFrame - h.startFrame + 1) * dtPs;
    a.length += Math.hypot(h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]);
    if (back) { a.returns++; returns++; }
    acc.set(key(h.fromSite, h.toSite), a);
  }
  const pairs: PairStats[] = [...acc.entries()].sort((x, y) => x[0] - y[0]).map(([k, a]) => ({
    fromSite: Math.floor(k / map.k), toSite: k % map.k, count: a.count,
    ratePerPs: durationPs > 0 ? a.count / durationPs : NaN,
    transitPsMean: a.transit / a.count, returnFraction: a.returns / a.count, lengthA: a.length / a.count,
  }));
  // Undirected edges per (pair, image offset), counts of both directions together, in order of
  // first appearance; looked up by pair, then among that pair's (few) offsets.
  const edges: Edge[] = [];
  const byPair = new Map<number, Edge[]>();
  for (const h of hops) {
    let a = h.fromSite, b = h.toSite, off = offsetOf(map, h);
    if (a > b || (a === b && off.join() < off.map((x) => -x).join())) { [a, b] = [b, a]; off = off.map((x) => -x) as [number, number, number]; }
    const pk = key(a, b);
    let list = byPair.get(pk);
    if (!list) { list = []; byPair.set(pk, list); }
    const e = list.find((x) => x.off[0] === off[0] && x.off[1] === off[1] && x.off[2] === off[2]);
    if (e) e.count++;
    else { const ne = { a, b, off, count: 1 }; list.push(ne); edges.push(ne); }
  }
  if (hops.length === 0) return { pairs, dimensionality: null, bottleneck: null, returnFraction: null };
  const dim = periodicRank(map.k, edges);
  let bottleneck: Network['bottleneck'] = null;
  if (dim > 0) {
    // Raise the count threshold while the rank holds; the last edge removed before it drops is the bottleneck.
    const counts = [...new Set(edges.map((e) => e.count))].sort((x, y) => x - y);
    let keep = counts[0];
    for (const c of counts) {
      if (periodicRank(map.k, edges.filter((e) => e.count >= c)) === dim) keep = c; else break;
    }
    const e = edges.filter((x) => x.count === keep).sort((x, y) => x.a - y.a || x.b - y.b)[0];
    bottleneck = { a: e.a, b: e.b, count: e.count };
  }
  return { pairs, dimensionality: dim, bottleneck, returnFraction: returns / hops.length };
}
