/**
 * Host geometries of the lattice model: a periodic cell, the framework (anion) atoms that only
 * vibrate, and the sublattice of mobile-ion sites with its neighbour graph (minimum image).
 *
 * The uniform geometries put all neighbours of a site at the same hop distance `d` (one hop
 * length per material), which keeps the analytic D = f·Γ_hop·d²/6 well defined. 'split-pair'
 * is the exception on purpose: close pairs of sites (1.6–2.0 Å) between longer jumps, the
 * split/paired sites of LGPS, LLZO and the argyrodites, with two edge classes and typed sites.
 */
import { fracToCart, inverse3, minimumImage } from '../trajectory/lattice.js';
import { Rng } from './rng.js';

export type UniformLatticeKind = 'sc' | 'bcc-tet' | 'hex-layer' | 'rhombo';
export type LatticeKind = UniformLatticeKind | 'split-pair';
/** The geometries with one hop distance and uniform coordination. */
export const LATTICE_KINDS: readonly UniformLatticeKind[] = ['sc', 'bcc-tet', 'hex-layer', 'rhombo'];

/** Edge classes of a model with two hop lengths (`edgeClass`). */
export const EDGE_JUMP = 0;
export const EDGE_PAIR = 1;

export interface LatticeModel {
  kind: LatticeKind;
  /** Lattice vectors as rows (Å), rounded to 1e-6 so the XDATCAR header is exact. */
  lattice: Float64Array;
  /** Human description of the cell (for manifest/README). */
  cellLabel: string;
  nSites: number;
  /** Site fractional coordinates, nSites·3. */
  sites: Float64Array;
  /** Site Cartesian coordinates (Å), nSites·3. */
  siteCart: Float64Array;
  nFramework: number;
  /** Framework fractional coordinates, nFramework·3. */
  framework: Float64Array;
  /** CSR neighbour graph: neighbours of site s are nbr[nbrStart[s] .. nbrStart[s+1]). */
  nbrStart: Int32Array;
  nbr: Int32Array;
  /** Cartesian minimum-image hop vector of each directed edge (Å), 3 per edge. */
  edgeVec: Float64Array;
  /** Unit vector ⟂ hop used to bow the transit path; the same for i→j and j→i (one curve per edge). */
  edgeNormal: Float64Array;
  /** Largest coordination number (for the null-event KMC). */
  zMax: number;
  /** Hop distance (Å). */
  hopDistanceA: number;
  /**
   * Single-vacancy tracer correlation factor f0 of the site network (c → 1 limit): sc 0.6531,
   * 2D triangular 0.5601 (exact lattice results); the z = 4 tetrahedral network uses the
   * 1 − 2/z estimate 0.5. NaN where no such value is known (split-pair).
   */
  f0: number;
  /** Two-length models only: class of each directed edge (EDGE_JUMP, EDGE_PAIR). */
  edgeClass?: Uint8Array;
  /** Two-length models only: the close-pair distance (Å). */
  pairDistanceA?: number;
  /** Typed models only: each site's type ('cage', 'pair-a', 'pair-b'). */
  siteTypes?: string[];
}

export interface LatticeSpec {
  kind: LatticeKind;
  /** Hop (nearest-neighbour site) distance, Å. */
  hopDistanceA: number;
  /** Repetitions: sc/rhombo n×n×n sites, bcc-tet m×m×m conventional cells, hex-layer m×m in plane. */
  rep: number;
  /** hex-layer only: number of Na layers (default 2). */
  layers?: number;
  /** rhombo only: the cell angle α = β = γ in degrees (default 75). */
  angleDeg?: number;
  /** split-pair only: distance between the two sites of a close pair, Å (hopDistanceA is the cage↔pair jump). */
  pairDistanceA?: number;
}

/** Neighbour shells beyond the single hop distance, for the two-length models. */
interface Shells {
  /** Edge lengths (Å); an edge of length within 2 % of shells[c] gets class c. */
  lengths: number[];
  siteTypes: string[];
}

const round6 = (x: number): number => Math.round(x * 1e6) / 1e6 + 0; // + 0 turns −0 into 0

function build(
  kind: LatticeKind,
  L: number[],
  sites: number[][],
  framework: number[][],
  d: number,
  f0: number,
  cellLabel: string,
  seed: number,
  shells?: Shells,
): LatticeModel {
  const lattice = Float64Array.from(L.map(round6));
  const nSites = sites.length;
  const sitesArr = Float64Array.from(sites.flat().map((x) => x - Math.floor(x)));
  const siteCart = new Float64Array(nSites * 3);
  for (let s = 0; s < nSites; s++) fracToCart(lattice, sitesArr[s * 3], sitesArr[s * 3 + 1], sitesArr[s * 3 + 2], siteCart, s * 3);
  // Neighbours: every other site within (1 + 2%) of the hop distance (or within 2 % of one of
  // the shells), minimum image.
  const tmp = new Float64Array(3);
  const lists: number[][] = Array.from({ length: nSites }, () => []);
  const vecs: number[][] = Array.from({ length: nSites }, () => []);
  const classes: number[] = [];
  const cut = d * 1.02;
  const classOf = (r: number): number => (shells ? shells.lengths.findIndex((s) => Math.abs(r - s) < 0.02 * s) : r < cut ? 0 : -1);
  for (let i = 0; i < nSites; i++) {
    for (let j = 0; j < nSites; j++) {
      if (i === j) continue;
      minimumImage(lattice, sitesArr[j * 3] - sitesArr[i * 3], sitesArr[j * 3 + 1] - sitesArr[i * 3 + 1], sitesArr[j * 3 + 2] - sitesArr[i * 3 + 2], tmp, 0);
      const c = classOf(Math.hypot(tmp[0], tmp[1], tmp[2]));
      if (c >= 0) {
        classes.push(c);
        lists[i].push(j);
        vecs[i].push(tmp[0], tmp[1], tmp[2]);
      }
    }
  }
  const nbrStart = new Int32Array(nSites + 1);
  for (let i = 0; i < nSites; i++) nbrStart[i + 1] = nbrStart[i] + lists[i].length;
  const nbr = Int32Array.from(lists.flat());
  const edgeVec = Float64Array.from(vecs.flat());
  // One random bow direction per undirected edge, orthogonal to the hop.
  const rng = new Rng(seed, 7);
  const edgeNormal = new Float64Array(nbr.length * 3);
  const done = new Map<number, number>();
  for (let i = 0; i < nSites; i++) {
    for (let e = nbrStart[i]; e < nbrStart[i + 1]; e++) {
      const j = nbr[e];
      const rev = done.get(j * nSites + i);
      if (rev !== undefined) {
        edgeNormal.set(edgeNormal.subarray(rev * 3, rev * 3 + 3), e * 3);
        continue;
      }
      const dx = edgeVec[e * 3], dy = edgeVec[e * 3 + 1], dz = edgeVec[e * 3 + 2];
      const dl2 = dx * dx + dy * dy + dz * dz;
      let nx = 0, ny = 0, nz = 0, nl = 0;
      while (nl < 1e-3) {
        const gx = rng.normal(), gy = rng.normal(), gz = rng.normal();
        const p = (gx * dx + gy * dy + gz * dz) / dl2;
        nx = gx - p * dx; ny = gy - p * dy; nz = gz - p * dz;
        nl = Math.hypot(nx, ny, nz);
      }
      edgeNormal[e * 3] = nx / nl; edgeNormal[e * 3 + 1] = ny / nl; edgeNormal[e * 3 + 2] = nz / nl;
      done.set(i * nSites + j, e);
    }
  }
  let zMax = 0;
  for (let i = 0; i < nSites; i++) zMax = Math.max(zMax, nbrStart[i + 1] - nbrStart[i]);
  inverse3(lattice); // throws early on a degenerate cell
  return {
    kind, lattice, cellLabel, nSites, sites: sitesArr, siteCart,
    nFramework: framework.length,
    framework: Float64Array.from(framework.flat().map((x) => x - Math.floor(x))),
    nbrStart, nbr, edgeVec, edgeNormal, zMax, hopDistanceA: d, f0,
    ...(shells ? { edgeClass: Uint8Array.from(classes), pairDistanceA: shells.lengths[EDGE_PAIR], siteTypes: shells.siteTypes } : {}),
  };
}

/** Build the geometry; `seed` only fixes the bow direction of each edge's transit path. */
export function buildLattice(spec: LatticeSpec, seed: number): LatticeModel {
  const d = spec.hopDistanceA;
  const n = spec.rep;
  if (!(n >= 2)) throw new Error(`lattice rep must be ≥ 2 (got ${n})`);
  switch (spec.kind) {
    case 'sc': {
      if (n < 3) throw new Error('sc needs rep ≥ 3 so that ±a neighbours are distinct sites');
      // Mobile sites on a simple-cubic grid; anions in every second cube centre (a sparse host).
      const A = n * d;
      const sites: number[][] = [];
      const fw: number[][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
        sites.push([i / n, j / n, k / n]);
        if (i % 2 === 0 && j % 2 === 0 && k % 2 === 0) fw.push([(i + 0.5) / n, (j + 0.5) / n, (k + 0.5) / n]);
      }
      return build('sc', [A, 0, 0, 0, A, 0, 0, 0, A], sites, fw, d, 0.6531, `cubic a=${round6(A)} Å (sc sites ${n}³)`, seed);
    }
    case 'bcc-tet': {
      // bcc anion framework with the mobile ions on its 12 tetrahedral sites per cell (the
      // Li10GeP2S12 / Li7P3S11 picture): a z = 4 network of face-sharing tetrahedra, d = a√2/4.
      const a = (4 * d) / Math.SQRT2;
      const A = n * a;
      const tet: number[][] = [
        [0, 0.5, 0.25], [0, 0.5, 0.75], [0.5, 0, 0.25], [0.5, 0, 0.75],
        [0.25, 0, 0.5], [0.75, 0, 0.5], [0, 0.25, 0.5], [0, 0.75, 0.5],
        [0.5, 0.25, 0], [0.5, 0.75, 0], [0.25, 0.5, 0], [0.75, 0.5, 0],
      ];
      const sites: number[][] = [];
      const fw: number[][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
        fw.push([i / n, j / n, k / n], [(i + 0.5) / n, (j + 0.5) / n, (k + 0.5) / n]);
        for (const t of tet) sites.push([(i + t[0]) / n, (j + t[1]) / n, (k + t[2]) / n]);
      }
      return build('bcc-tet', [A, 0, 0, 0, A, 0, 0, 0, A], sites, fw, d, 0.5, `cubic a=${round6(A)} Å (bcc anions ${n}³ cells, tetrahedral sites)`, seed);
    }
    case 'hex-layer': {
      // Hexagonal cell (γ = 120°): 2D triangular layers of mobile sites (β-alumina-like
      // conduction planes) separated by anion layers; layer spacing 1.35·d so no inter-layer hops.
      const layers = spec.layers ?? 2;
      const A = n * d;
      const C = layers * 1.35 * d;
      const L = [A, 0, 0, -A / 2, (A * Math.sqrt(3)) / 2, 0, 0, 0, C];
      const sites: number[][] = [];
      const fw: number[][] = [];
      for (let l = 0; l < layers; l++) {
        const shift = l % 2 === 0 ? [0, 0] : [1 / 3, 2 / 3];
        for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) {
          sites.push([(i + shift[0]) / n, (j + shift[1]) / n, (l + 0.5) / layers]);
          if (i % 2 === 0 && j % 2 === 0) {
            const o = l % 2 === 0 ? [1 / 3, 2 / 3] : [2 / 3, 1 / 3];
            fw.push([(i + o[0]) / n, (j + o[1]) / n, l / layers]);
          }
        }
      }
      return build('hex-layer', L, sites, fw, d, 0.5601, `hexagonal a=${round6(A)} c=${round6(C)} Å γ=120° (${layers} triangular layers ${n}×${n})`, seed);
    }
    case 'rhombo': {
      if (n < 3) throw new Error('rhombo needs rep ≥ 3');
      // Rhombohedral (all three angles α ≠ 90°): a fully non-orthogonal cell whose sites form a
      // sheared simple-cubic network (z = 6, f0 as sc). α > 60° keeps a−b longer than a.
      const alpha = ((spec.angleDeg ?? 75) * Math.PI) / 180;
      const A = n * d;
      const ca = Math.cos(alpha), sa = Math.sin(alpha);
      const cy = (ca - ca * ca) / sa;
      const cz = Math.sqrt(1 - ca * ca - cy * cy);
      const L = [A, 0, 0, A * ca, A * sa, 0, A * ca, A * cy, A * cz];
      const sites: number[][] = [];
      const fw: number[][] = [];
      for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
        sites.push([i / n, j / n, k / n]);
        if ((i + j + k) % 3 === 0) fw.push([(i + 0.5) / n, (j + 0.5) / n, (k + 0.5) / n]);
      }
      return build('rhombo', L, sites, fw, d, 0.6531, `rhombohedral a=${round6(A)} Å α=β=γ=${spec.angleDeg ?? 75}° (sites ${n}³)`, seed);
    }
    case 'split-pair': return splitPair(spec, seed);
  }
}

/**
 * Cages on a simple-cubic grid; every cage–cage bond holds a close pair of sites on the bond
 * line: cage —s— pair-a —p— pair-b —s— cage, so the cube edge is 2s + p. Cages have z = 6
 * (all jumps), pair sites z = 2 (their partner and one cage). Anions sit in the cube centres,
 * ≥ A/√2 from every site (a host that only vibrates).
 */
function splitPair(spec: LatticeSpec, seed: number): LatticeModel {
  const s = spec.hopDistanceA, p = spec.pairDistanceA, n = spec.rep;
  if (p === undefined || !(p > 0)) throw new Error('split-pair needs pairDistanceA > 0');
  if (!(Math.abs(p - s) > 0.1 * s)) throw new Error(`split-pair: pair ${p} Å and jump ${s} Å too alike to tell the edges apart`);
  const a = 2 * s + p;
  const A = n * a;
  const sites: number[][] = [];
  const types: string[] = [];
  const fw: number[][] = [];
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) for (let k = 0; k < n; k++) {
    sites.push([i / n, j / n, k / n]); types.push('cage');
    for (let ax = 0; ax < 3; ax++) {
      for (const [off, type] of [[s / a, 'pair-a'], [(s + p) / a, 'pair-b']] as const) {
        const f = [i / n, j / n, k / n];
        f[ax] += off / n;
        sites.push(f); types.push(type);
      }
    }
    fw.push([(i + 0.5) / n, (j + 0.5) / n, (k + 0.5) / n]);
  }
  const m = build('split-pair', [A, 0, 0, 0, A, 0, 0, 0, A], sites, fw, s, NaN,
    `cubic a=${round6(A)} Å (cages ${n}³, close pairs ${p} Å on every cage bond, jumps ${s} Å)`, seed,
    { lengths: [s, p], siteTypes: types });
  // Other site–site distances (s√2, …) must not fall into a shell: check the coordination.
  for (let i = 0; i < m.nSites; i++) {
    if (m.nbrStart[i + 1] - m.nbrStart[i] !== (types[i] === 'cage' ? 6 : 2)) throw new Error(`split-pair: jump ${s} Å and pair ${p} Å give extra neighbours`);
  }
  return m;
}

/** Sites the geometry has for a given rep (without building it), for sizing supercells. */
export function sitesFor(spec: LatticeSpec): number {
  const n = spec.rep;
  switch (spec.kind) {
    case 'sc': case 'rhombo': return n * n * n;
    case 'bcc-tet': return 12 * n * n * n;
    case 'hex-layer': return (spec.layers ?? 2) * n * n;
    case 'split-pair': return 7 * n * n * n;
  }
}
