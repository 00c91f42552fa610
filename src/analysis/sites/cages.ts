/**
 * Cages of sites around free framework atoms, and site jumps classed by them (argyrodites: the
 * 48h Li sites form cages of 12 around the 4d anion; a jump is a doublet, intra-cage or
 * inter-cage one). No Å threshold: every choice compares distances of the data with each other.
 *
 * - A framework atom is *free* when a site is nearer to it than any other framework atom (PS₄'s
 *   S has its P at ~2.05 Å, nearer than any Li site; a lone S²⁻ or Cl⁻ has Li sites around it
 *   and its nearest framework atom ~4 Å away). A fully bonded framework (LGPS, Na₃PS₄) has none,
 *   a plain anion lattice has nothing else: neither has cages.
 * - Each site belongs to the cage of its nearest free atom: the cage is that anion's shell of
 *   sites, so a site beside a lone anion that is not a full cage (argyrodite 4a, or a partial
 *   cage of the anion-disordered runs) is a cage of its own, and reaching it leaves the cage.
 *   (Taking only the free atoms that their sites surround as centres and every site to the
 *   nearest of those put the sites of partial cages into distant cages: on the 50 % runs it
 *   called moves around one anion inter-cage. BENCHMARKS.md, site section.)
 * - A jump between sites of different cages (or of a cage and its own periodic image) is
 *   `inter_cage`; within one cage it is `doublet` when the two sites are each other's nearest
 *   site (of all sites), else `intra_cage`.
 */
import type { ElementDescriptors, JumpClass } from '../types.js';
import type { FrameworkAverage } from './cages-framework.js';
import { displacement, distance2 } from './periodic.js';

export type { JumpClass };

export interface CageMap {
  /** Framework atom (index into the framework) at the centre of each cage: every free atom some site is nearest to. */
  centres: Int32Array;
  /** Fractional position of each cage's centre, centres × 3. */
  centreFrac: Float64Array;
  /** Cage of each site (index into `centres`). */
  cageOf: Int32Array;
  /** Each site's nearest site when that site's nearest is it too and both are in one cage (the doublet partner), else −1. */
  partner: Int32Array;
  /** Number of free framework atoms (cage centres and those no site is nearest to). */
  freeCount: number;
  /** Cages whose sites surround their centre (the centre inside their convex hull); the others are partial. */
  complete: number;
}

/** Nearest of `n` fractional points `pts` to fractional (x, y, z), skipping index `skip`: [index, squared distance]. */
function nearestOf(L: ArrayLike<number>, pts: Float64Array, idx: ArrayLike<number>, x: number, y: number, z: number, skip = -1): [number, number] {
  let best = -1, bd = Infinity;
  for (let q = 0; q < idx.length; q++) {
    const j = idx[q];
    if (j === skip) continue;
    const d = distance2(L, x, y, z, pts[j * 3], pts[j * 3 + 1], pts[j * 3 + 2]);
    if (d < bd) { bd = d; best = j; }
  }
  return [best, bd];
}

/**
 * Whether the origin lies inside the convex hull of the vectors `v` (m × 3): no plane through
 * the origin has every vector on one side. The candidate planes are those through the origin
 * and two of the vectors (a separating plane, if any, can be turned until it touches two).
 */
export function surroundsOrigin(v: Float64Array, m: number): boolean {
  if (m < 4) return false;
  let scale = 0;
  for (let i = 0; i < m * 3; i++) scale = Math.max(scale, Math.abs(v[i]));
  const tol = 1e-9 * scale * scale * scale;
  for (let a = 0; a < m; a++) {
    for (let b = a + 1; b < m; b++) {
      const ax = v[a * 3], ay = v[a * 3 + 1], az = v[a * 3 + 2], bx = v[b * 3], by = v[b * 3 + 1], bz = v[b * 3 + 2];
      const nx = ay * bz - az * by, ny = az * bx - ax * bz, nz = ax * by - ay * bx;
      if (Math.abs(nx) + Math.abs(ny) + Math.abs(nz) <= tol) continue;
      let pos = false, neg = false;
      for (let j = 0; j < m && !(pos && neg); j++) {
        const s = nx * v[j * 3] + ny * v[j * 3 + 1] + nz * v[j * 3 + 2];
        if (s > tol) pos = true; else if (s < -tol) neg = true;
      }
      if (!pos || !neg) return false;
    }
  }
  return true;
}

/**
 * The cages of a site map (fractional centres `siteFrac`, k × 3, in the cell `lattice`, rows)
 * around the time-averaged framework; null when there is none: no framework in the file, no free
 * framework atom, or only free ones. A cage is a lone anion inside a framework of bonded units;
 * in a plain anion lattice (the generator's bcc S, fcc O: every framework atom free) a site is
 * shared by several equidistant anions (measured: nearest and second-nearest within 0.05 Å for
 * 90 % of the sites) and its nearest anion would be a tie-break, not a cage.
 */
export function findCages(siteFrac: Float64Array, k: number, lattice: ArrayLike<number>, fw: FrameworkAverage): CageMap | null {
  const n = fw.elements.length, f = fw.frac, L = lattice;
  if (n < 2 || k === 0) return null;
  const all = Int32Array.from({ length: n }, (_, i) => i);
  const sites = Int32Array.from({ length: k }, (_, j) => j);
  const free: number[] = [];
  for (let i = 0; i < n; i++) {
    const x = f[i * 3], y = f[i * 3 + 1], z = f[i * 3 + 2];
    if (nearestOf(L, siteFrac, sites, x, y, z)[1] < nearestOf(L, f, all, x, y, z, i)[1]) free.push(i);
  }
  if (free.length === 0 || free.length === n) return null;
  const byFree = new Map<number, number[]>();
  for (let j = 0; j < k; j++) {
    const [i] = nearestOf(L, f, free, siteFrac[j * 3], siteFrac[j * 3 + 1], siteFrac[j * 3 + 2]);
    const list = byFree.get(i);
    if (list) list.push(j); else byFree.set(i, [j]);
  }
  // Each free atom that received a site is a cage; complete when its sites surround it.
  const centres: number[] = [];
  const cageOf = new Int32Array(k);
  let complete = 0;
  const d = new Float64Array(3);
  for (const i of free) {
    const js = byFree.get(i);
    if (!js) continue;
    const v = new Float64Array(js.length * 3);
    js.forEach((j, q) => {
      displacement(L, siteFrac[j * 3], siteFrac[j * 3 + 1], siteFrac[j * 3 + 2], f[i * 3], f[i * 3 + 1], f[i * 3 + 2], d);
      v.set(d, q * 3);
    });
    for (const j of js) cageOf[j] = centres.length;
    if (surroundsOrigin(v, js.length)) complete++;
    centres.push(i);
  }
  const nearestSite = new Int32Array(k);
  for (let j = 0; j < k; j++) nearestSite[j] = nearestOf(L, siteFrac, sites, siteFrac[j * 3], siteFrac[j * 3 + 1], siteFrac[j * 3 + 2], j)[0];
  const partner = new Int32Array(k).fill(-1);
  for (let j = 0; j < k; j++) {
    const p = nearestSite[j];
    if (p >= 0 && nearestSite[p] === j && cageOf[p] === cageOf[j]) partner[j] = p;
  }
  const centreFrac = Float64Array.from(centres.flatMap((i) => [f[i * 3], f[i * 3 + 1], f[i * 3 + 2]]));
  return { centres: Int32Array.from(centres), centreFrac, cageOf, partner, freeCount: free.length, complete };
}

/** What `classifyHops` needs of the site map. */
export interface SitePlaces {
  k: number;
  lattice: Float64Array;
  latticeInv: Float64Array;
  /** Fractional site centres, k × 3. */
  frac: Float64Array;
}

/** A site jump: sites left and reached and their centres in the images the ion used (unwrapped Cartesian, Å). */
export interface ClassifiedHop {
  fromSite: number;
  toSite: number;
  from: readonly number[];
  to: readonly number[];
}

/**
 * Class of one jump. Within one cage means the same cage centre in the same periodic image (a
 * jump to a site of the cage's own image across the cell leaves the cage): the centre image is
 * the site's unwrapped centre minus the site's offset from its centre, and the two must differ
 * by the zero lattice vector.
 */
export function hopClass(cages: CageMap, map: SitePlaces, h: ClassifiedHop, scratch = new Float64Array(3)): JumpClass {
  const a = h.fromSite, b = h.toSite, c = cages.cageOf[a];
  if (c !== cages.cageOf[b]) return 'inter_cage';
  const L = map.lattice, Li = map.latticeInv, cf = cages.centreFrac, sf = map.frac;
  const delta = [h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]];
  displacement(L, sf[b * 3], sf[b * 3 + 1], sf[b * 3 + 2], cf[c * 3], cf[c * 3 + 1], cf[c * 3 + 2], scratch);
  for (let q = 0; q < 3; q++) delta[q] -= scratch[q];
  displacement(L, sf[a * 3], sf[a * 3 + 1], sf[a * 3 + 2], cf[c * 3], cf[c * 3 + 1], cf[c * 3 + 2], scratch);
  for (let q = 0; q < 3; q++) delta[q] += scratch[q];
  // delta: centre image reached − centre image left, a lattice vector.
  for (let q = 0; q < 3; q++) {
    if (Math.round(delta[0] * Li[q] + delta[1] * Li[3 + q] + delta[2] * Li[6 + q]) !== 0) return 'inter_cage';
  }
  return cages.partner[a] === b ? 'doublet' : 'intra_cage';
}

/**
 * Every jump's class, and one per ordered site pair for the `site_jumps` rows: the class of most
 * of the pair's jumps (a pair's jumps differ only where the cell is so small that a cage's own
 * image is a neighbour; ties go to the later class in doublet, intra_cage, inter_cage).
 */
export function classifyHops(cages: CageMap, map: SitePlaces, hops: readonly ClassifiedHop[]): { classes: JumpClass[]; pairClass(a: number, b: number): JumpClass | null } {
  const scratch = new Float64Array(3);
  const classes = hops.map((h) => hopClass(cages, map, h, scratch));
  const ORDER: readonly JumpClass[] = ['doublet', 'intra_cage', 'inter_cage'];
  const tally = new Map<number, number[]>();
  hops.forEach((h, i) => {
    const key = h.fromSite * map.k + h.toSite;
    const t = tally.get(key) ?? [0, 0, 0];
    t[ORDER.indexOf(classes[i])]++;
    tally.set(key, t);
  });
  return {
    classes,
    pairClass: (a, b) => {
      const t = tally.get(a * map.k + b);
      if (!t) return null;
      let best = 0;
      for (let q = 1; q < 3; q++) if (t[q] >= t[best]) best = q;
      return ORDER[best];
    },
  };
}

/** The species' vibration RMS per axis (Å) from the site map's weighted covariances. */
export function pooledRms(k: number, covs: Float64Array, weights: Float64Array): number {
  let trace = 0, w = 0;
  for (let j = 0; j < k; j++) {
    trace += weights[j] * (covs[j * 6] + covs[j * 6 + 1] + covs[j * 6 + 2]);
    w += weights[j];
  }
  return Math.sqrt(trace / w / 3);
}

/** Per-species cage descriptors: the number of cages and each class's share of the site jumps (null when unresolved). */
export type CageSummary = Pick<ElementDescriptors, 'cageCount' | 'completeCageCount' | 'doubletJumpFraction' | 'intraCageJumpFraction' | 'interCageJumpFraction'>;

export const NO_CAGES: CageSummary = { cageCount: null, completeCageCount: null, doubletJumpFraction: null, intraCageJumpFraction: null, interCageJumpFraction: null };

/** The summary of the classed jumps (`classes` null when there are no cages). */
export function cageSummary(cages: CageMap | null, classes: readonly JumpClass[] | null): CageSummary {
  if (!cages || !classes) return NO_CAGES;
  const total = classes.length;
  const by: Record<JumpClass, number> = { doublet: 0, intra_cage: 0, inter_cage: 0 };
  for (const c of classes) by[c]++;
  const frac = (x: number) => (total > 0 ? x / total : null);
  return {
    cageCount: cages.centres.length, completeCageCount: cages.complete,
    doubletJumpFraction: frac(by.doublet), intraCageJumpFraction: frac(by.intra_cage), interCageJumpFraction: frac(by.inter_cage),
  };
}
