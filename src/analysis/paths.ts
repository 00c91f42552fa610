/**
 * Diffusive paths from detected hops (pure; any detector's RawHop list).
 *
 * - Per ion, the sequence of centres visited with the frames spent there: visit 0 lasts from
 *   frame 0 until the first hop starts, the last visit until the final frame. Centres are
 *   identified per ion with the minimum image (two centres within `siteTolA` are one site), so a
 *   site revisited after a loop gets the same site index.
 * - Back-hop: a hop whose destination is (within `backHopTolA`, minimum image) the centre its
 *   ion left in its previous hop. Unlike IonDiff's Step C (which compares centres in label order,
 *   i.e. arbitrarily) this uses the temporal order of the hops.
 * - Chains / vacancy relation: ion B "follows" ion A when B's hop ends at (within `siteTolA`,
 *   minimum image) the centre A's hop left, with B arriving no earlier than A started to leave
 *   and at most `windowFrames` after A's hop ended. Each hop keeps at most one follower (the
 *   earliest arrival) and one leader, so links form chains A → B → C …; in vacancy terms the
 *   vacancy made by A moves to the centre B left (`vacancyFrom` → `vacancyTo`).
 * Unwrapped centres of different ions live in different periodic images, hence the minimum
 * image everywhere; pass the (fixed) cell, or for a variable cell a representative one.
 */
import type { RawHop } from './types.js';
import { inscribedRadius, inverse3, minimumImage } from '../trajectory/lattice.js';

export interface PathOptions {
  /** Two centres closer than this (Å, minimum image) are the same site. Default 1.0. */
  siteTolA?: number;
  /** Back-hop tolerance (Å, minimum image). Default 0.5. */
  backHopTolA?: number;
  /** Max frames between the end of A's hop and B's arrival. Default 10. */
  windowFrames?: number;
}

export interface Visit {
  /** Per-ion site index (0-based, in order of first visit). */
  site: number;
  /** Centre (unwrapped Cartesian Å) as reported by the hop that led here (or left from here). */
  position: [number, number, number];
  /** First and last frame spent at the site (inclusive); transit frames are excluded. */
  fromFrame: number;
  toFrame: number;
}

export interface IonPath {
  atom: number;
  visits: Visit[];
  /** Indices into the input hop list, in time order. */
  hops: number[];
}

export interface ChainLink {
  /** Hop indices: `leader` vacated the site, `follower` filled it. */
  leader: number;
  follower: number;
  leaderAtom: number;
  followerAtom: number;
  /** Frames from the end of the leader's hop to the end of the follower's (may be negative). */
  lagFrames: number;
  /** Vacancy move: the site the leader left → the site the follower left. */
  vacancyFrom: [number, number, number];
  vacancyTo: [number, number, number];
}

export interface ChainAnalysis {
  links: ChainLink[];
  /** Maximal chains as hop-index lists (length ≥ 2), in time order of their first hop. */
  chains: number[][];
}

/**
 * Minimum-image distances in one cell. A class rather than a closure per cell: its method is
 * optimized once, where a new closure per trajectory made V8 re-optimize every caller.
 */
export class MinImage {
  private readonly L: ArrayLike<number>;
  private readonly inv: Float64Array;
  /** Squared inscribed-sphere radius, less a rounding margin. */
  private readonly r2: number;
  private readonly out = new Float64Array(3);
  constructor(lattice: ArrayLike<number>) {
    this.L = lattice;
    this.inv = inverse3(lattice);
    const r = inscribedRadius(lattice);
    this.r2 = r * r * (1 - 1e-9);
  }
  /** |a − b| under the minimum image (Å). */
  distance(a: readonly number[], b: readonly number[]): number {
    const L = this.L, inv = this.inv;
    const dx = a[0] - b[0], dy = a[1] - b[1], dz = a[2] - b[2];
    const fx = dx * inv[0] + dy * inv[3] + dz * inv[6];
    const fy = dx * inv[1] + dy * inv[4] + dz * inv[7];
    const fz = dx * inv[2] + dy * inv[5] + dz * inv[8];
    // The rounded vector is the minimum image when shorter than the inscribed-sphere radius
    // (every other image is longer): the very vector the 27-image search would return.
    const rx = fx - Math.round(fx), ry = fy - Math.round(fy), rz = fz - Math.round(fz);
    const x = rx * L[0] + ry * L[3] + rz * L[6];
    const y = rx * L[1] + ry * L[4] + rz * L[7];
    const z = rx * L[2] + ry * L[5] + rz * L[8];
    if (x * x + y * y + z * z < this.r2) return Math.hypot(x, y, z);
    const out = this.out;
    minimumImage(L, fx, fy, fz, out, 0);
    return Math.hypot(out[0], out[1], out[2]);
  }
}

/** Minimum-image distance helper bound to one cell. */
export function minImageDistance(lattice: ArrayLike<number>): (a: readonly number[], b: readonly number[]) => number {
  const m = new MinImage(lattice);
  return (a, b) => m.distance(a, b);
}

/** True when `hop` returns (within tolA, minimum image) to the centre left by `prev` (same ion). */
export function isBackHop(prev: RawHop | undefined, hop: RawHop, lattice: ArrayLike<number>, tolA = 0.5): boolean {
  if (!prev || prev.atom !== hop.atom) return false;
  return new MinImage(lattice).distance(hop.to, prev.from) < tolA;
}

/** Hop indices of each atom in time order (by startFrame, then endFrame). */
function hopsByAtom(hops: readonly RawHop[]): Map<number, number[]> {
  const m = new Map<number, number[]>();
  hops.forEach((h, i) => { let l = m.get(h.atom); if (!l) m.set(h.atom, (l = [])); l.push(i); });
  for (const l of m.values()) l.sort((a, b) => hops[a].startFrame - hops[b].startFrame || hops[a].endFrame - hops[b].endFrame);
  return m;
}

/** Back-hop flag per hop (input order): 1 when it returns to the centre its previous hop left. */
export function backHopFlags(hops: readonly RawHop[], lattice: ArrayLike<number>, tolA = 0.5): Uint8Array {
  const mi = new MinImage(lattice);
  const flags = new Uint8Array(hops.length);
  for (const idx of hopsByAtom(hops).values()) {
    for (let k = 1; k < idx.length; k++) if (mi.distance(hops[idx[k]].to, hops[idx[k - 1]].from) < tolA) flags[idx[k]] = 1;
  }
  return flags;
}

/** Per-ion site sequences (ions without hops are omitted; they stay at one site all run). */
export function ionPaths(hops: readonly RawHop[], nFrames: number, lattice: ArrayLike<number>, opts: PathOptions = {}): IonPath[] {
  const tol = opts.siteTolA ?? 1.0;
  const mi = new MinImage(lattice);
  const out: IonPath[] = [];
  const byAtom = hopsByAtom(hops);
  for (const atom of [...byAtom.keys()].sort((a, b) => a - b)) {
    const idx = byAtom.get(atom)!;
    const sites: [number, number, number][] = [];
    const siteOf = (c: [number, number, number]): number => {
      for (let s = 0; s < sites.length; s++) if (mi.distance(sites[s], c) < tol) return s;
      sites.push(c);
      return sites.length - 1;
    };
    const visits: Visit[] = [];
    let from = 0;
    const first = hops[idx[0]];
    let here: [number, number, number] = first.from;
    for (const i of idx) {
      const h = hops[i];
      // Overlapping detector events (IonDiff can emit them) are clamped so visits stay ordered.
      const to = Math.max(from - 1, h.startFrame - 1);
      visits.push({ site: siteOf(here), position: here, fromFrame: from, toFrame: to });
      from = Math.max(from, h.endFrame + 1);
      here = h.to;
    }
    visits.push({ site: siteOf(here), position: here, fromFrame: Math.min(from, nFrames - 1), toFrame: nFrames - 1 });
    out.push({ atom, visits, hops: idx });
  }
  return out;
}

/** Chains of hops where each ion fills the site the previous one just left (see module doc). */
export function findChains(hops: readonly RawHop[], lattice: ArrayLike<number>, opts: PathOptions = {}): ChainAnalysis {
  const tol = opts.siteTolA ?? 1.0, win = opts.windowFrames ?? 10;
  const mi = new MinImage(lattice);
  const n = hops.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => hops[a].startFrame - hops[b].startFrame);
  const follower = new Int32Array(n).fill(-1), leader = new Int32Array(n).fill(-1);
  const links: ChainLink[] = [];
  for (const a of order) {
    const A = hops[a];
    let best = -1, bestEnd = Infinity;
    for (let b = 0; b < n; b++) {
      const B = hops[b];
      if (B.atom === A.atom || leader[b] >= 0) continue;
      if (B.endFrame < A.startFrame || B.endFrame > A.endFrame + win) continue;
      if (mi.distance(B.to, A.from) >= tol) continue;
      if (B.endFrame < bestEnd) { bestEnd = B.endFrame; best = b; }
    }
    if (best < 0) continue;
    follower[a] = best; leader[best] = a;
    const B = hops[best];
    links.push({
      leader: a, follower: best, leaderAtom: A.atom, followerAtom: B.atom, lagFrames: B.endFrame - A.endFrame,
      vacancyFrom: [...A.from], vacancyTo: [...B.from],
    });
  }
  const chains: number[][] = [];
  for (const a of order) {
    if (leader[a] >= 0 || follower[a] < 0) continue;
    const c = [a];
    const seen = new Set(c);
    let x = follower[a];
    while (x >= 0 && !seen.has(x)) { c.push(x); seen.add(x); x = follower[x]; }
    chains.push(c);
  }
  return { links, chains };
}
