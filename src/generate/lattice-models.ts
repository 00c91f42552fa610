/**
 * Host geometries of the lattice model: a periodic cell, the framework (anion) atoms that only
 * vibrate, and the sublattice of mobile-ion sites with its neighbour graph (minimum image).
 *
 * Every geometry is built so that all neighbours of a site are at the same hop distance `d`
 * (one hop length per material), which keeps the analytic D = f·Γ_hop·d²/6 well defined.
 */
import { fracToCart, inverse3, minimumImage } from '../trajectory/lattice.js';
import { Rng } from './rng.js';

export type LatticeKind = 'sc' | 'bcc-tet' | 'hex-layer' | 'rhombo';
export const LATTICE_KINDS: readonly LatticeKind[] = ['sc', 'bcc-tet', 'hex-layer', 'rhombo'];

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
   * 1 − 2/z estimate 0.5.
   */
  f0: number;
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
): LatticeModel {
  const lattice = Float64Array.from(L.map(round6));
  const nSites = sites.length;
  const sitesArr = Float64Array.from(sites.flat().map((x) => x - Math.floor(x)));
  const siteCart = new Float64Array(nSites * 3);
  for (let s = 0; s < nSites; s++) fracToCart(lattice, sitesArr[s * 3], sitesArr[s * 3 + 1], sitesArr[s * 3 + 2], siteCart, s * 3);
  // Neighbours: every other site within (1 + 2%) of the hop distance, minimum image.
  const tmp = new Float64Array(3);
  const lists: number[][] = Array.from({ length: nSites }, () => []);
  const vecs: number[][] = Array.from({ length: nSites }, () => []);
  const cut = d * 1.02;
  for (let i = 0; i < nSites; i++) {
    for (let j = 0; j < nSites; j++) {
      if (i === j) continue;
      minimumImage(lattice, sitesArr[j * 3] - sitesArr[i * 3], sitesArr[j * 3 + 1] - sitesArr[i * 3 + 1], sitesArr[j * 3 + 2] - sitesArr[i * 3 + 2], tmp, 0);
      const r = Math.hypot(tmp[0], tmp[1], tmp[2]);
      if (r < cut) {
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
  }
}

/** Sites the geometry has for a given rep (without building it), for sizing supercells. */
export function sitesFor(spec: LatticeSpec): number {
  const n = spec.rep;
  switch (spec.kind) {
    case 'sc': case 'rhombo': return n * n * n;
    case 'bcc-tet': return 12 * n * n * n;
    case 'hex-layer': return (spec.layers ?? 2) * n * n;
  }
}
