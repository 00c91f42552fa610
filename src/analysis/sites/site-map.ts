/**
 * The site map of one mobile species: a periodic Gaussian mixture of its wrapped positions in the
 * framework's frame (unwrap removed the framework drift; files holding only the mobile species
 * give the cell frame). Fitted on a frame subsample (cost), every frame is assigned afterwards.
 */
import { inverse3 } from '../../trajectory/lattice.js';
import { fitPeriodicMixture } from './gmm.js';
import { displacement, wrap1 } from './periodic.js';
import { invertSym, quad, type Mixture } from './gmm.js';
import type { Positions } from '../../trajectory/types.js';
import { densityPeakMap } from './density-map.js';
import { CentreGrid, RadiusBins } from './grid.js';
import { symEigen3 } from './sure-radius.js';
import type { AtomCentres } from '../types.js';

/**
 * How the map is fitted: `mixture`, the over-seeded periodic Gaussian mixture (EM from k-means++
 * seeds); `density`, the peaks of the smoothed position density (deterministic, no seed).
 */
export type SiteMapMethod = 'mixture' | 'density';

/** A residence the hop detector found: unwrapped centre (Å) and its number of frames. */
export interface Place {
  x: number; y: number; z: number;
  frames: number;
  /** Covariance of its frames about the centre (Å²): xx, yy, zz, xy, xz, yz. */
  cov: ArrayLike<number>;
}

/**
 * The species' vibration covariance (Å²) from the detector's places: their frame-weighted mean
 * covariance, scaled to the frame-weighted median trace — a residence that lumps a close pair (the
 * detector's view of a doublet) is wider than the vibration and must not set its scale.
 */
function placesCovariance(places: readonly Place[]): Float64Array | null {
  const c = new Float64Array(6);
  let w = 0;
  const tr: { t: number; w: number }[] = [];
  for (const p of places) {
    w += p.frames;
    for (let q = 0; q < 6; q++) c[q] += p.frames * p.cov[q];
    tr.push({ t: p.cov[0] + p.cov[1] + p.cov[2], w: p.frames });
  }
  if (!(w > 0) || !(c[0] + c[1] + c[2] > 0)) return null;
  for (let q = 0; q < 6; q++) c[q] /= w;
  {
    tr.sort((a, b) => a.t - b.t);
    let acc = 0, med = tr[tr.length - 1].t;
    for (const x of tr) { acc += x.w; if (acc >= w / 2) { med = x.t; break; } }
    const f = med / (c[0] + c[1] + c[2]);
    for (let q = 0; q < 6; q++) c[q] *= f;
  }
  return c;
}

/** χ²₃ quantile 0.999: a place outside every site's ellipsoid at this level is a site the fit missed. */
const OUTSIDE_CHI2 = 16.26623619623813;
/** χ²₃ quantile 0.9. */
const CORE_CHI2 = 6.251388631170325;

/**
 * Largest |v| (Å) with −2·quad ≤ c for the inverse covariance at o: √(c / λmin), λmin lowered by
 * 1e-6 of the matrix norm and the result widened by 1e-6; Infinity when λmin is not positive.
 */
function ellipsoidReach(inv: Float64Array, o: number, c: number): number {
  const e = symEigen3(inv, o);
  let norm = 0;
  for (let q = 0; q < 6; q++) norm += (q < 3 ? 1 : 2) * inv[o + q] ** 2;
  const lo = e[0] - 1e-6 * Math.sqrt(norm);
  return lo > 0 ? Math.sqrt((c / lo) * (1 + 1e-6)) : Infinity;
}

/**
 * Sites the subsample missed (visited briefly, or late, so they hold too few subsampled frames to
 * be fitted) but the detector saw as residences: a place outside every site's ellipsoid becomes a
 * site, with the species' pooled vibration covariance; places inside each other's pooled
 * ellipsoid are one site (frame-weighted centre).
 */
function addPlaces(mix: Mixture, places: readonly Place[], L: Float64Array, Linv: Float64Array, ionFrames: number): Mixture {
  if (places.length === 0 || mix.k === 0) return mix;
  const pooled = new Float64Array(6), pooledInv = new Float64Array(6), inv = new Float64Array(mix.k * 6);
  let w = 0;
  for (let j = 0; j < mix.k; j++) {
    w += mix.weights[j];
    for (let q = 0; q < 6; q++) pooled[q] += mix.weights[j] * mix.covs[j * 6 + q];
    invertSym(mix.covs, j * 6, inv);
  }
  for (let q = 0; q < 6; q++) pooled[q] /= w;
  invertSym(pooled, 0, pooledInv);
  const v = new Float64Array(3);
  const insideOf = (j: number, f: number[]): boolean => {
    displacement(L, f[0], f[1], f[2], mix.means[j * 3], mix.means[j * 3 + 1], mix.means[j * 3 + 2], v);
    return -2 * quad(inv, j * 6, v[0], v[1], v[2]) <= OUTSIDE_CHI2 || -2 * quad(pooledInv, 0, v[0], v[1], v[2]) <= OUTSIDE_CHI2;
  };
  // Only centres within reach can hold a place (speed only: the same answers as trying all, in
  // the same order where order matters). An ellipsoid at χ² c holds a displacement v only if
  // |v|² ≤ c / λmin(Σ⁻¹) (bound widened by 1e-6); a component without a finite reach, or one far
  // wider than the others, is always tried.
  const pooledReach = ellipsoidReach(pooledInv, 0, OUTSIDE_CHI2);
  const reach = Float64Array.from({ length: mix.k }, (_, j) => Math.max(ellipsoidReach(inv, j * 6, OUTSIDE_CHI2), pooledReach));
  const finite = Array.from(reach).filter((r) => Number.isFinite(r)).sort((a, b) => a - b);
  const cap = finite.length > 0 ? 2 * finite[finite.length >> 1] : Infinity;
  let binReach = 0;
  for (const r of finite) if (r <= cap && r > binReach) binReach = r;
  const always: number[] = [];
  const centres = new RadiusBins(L, binReach > 0 ? binReach : Infinity);
  for (let j = 0; j < mix.k; j++) {
    if (reach[j] <= binReach) centres.set(j, mix.means[j * 3], mix.means[j * 3 + 1], mix.means[j * 3 + 2]);
    else always.push(j);
  }
  const grid = new CentreGrid(L, mix.means, mix.k);
  const added: { f: number[]; frames: number }[] = [];
  const addedBins = new RadiusBins(L, pooledReach);
  const cand: number[] = [];
  for (const p of places) {
    // A residence scatters like the species' vibration, tr(Σ_pooled⁻¹ Σ_place) ≈ 3; a transit cut
    // in two (the detector's false place) is spread along its path and is not a site.
    const c = p.cov, pi = pooledInv;
    const spread = pi[0] * c[0] + pi[1] * c[1] + pi[2] * c[2] + 2 * (pi[3] * c[3] + pi[4] * c[4] + pi[5] * c[5]);
    if (!(spread <= CORE_CHI2)) continue;
    const f = [0, 1, 2].map((c) => wrap1(p.x * Linv[c] + p.y * Linv[3 + c] + p.z * Linv[6 + c]));
    // Inside some site's ellipsoid: the nearest centre first (it almost always holds the place), then those within reach.
    const near = grid.nearest(f[0], f[1], f[2]);
    let inside = near >= 0 && insideOf(near, f);
    if (!inside) {
      cand.length = 0;
      centres.near(f[0], f[1], f[2], cand);
      for (const j of always) cand.push(j);
      for (const j of cand) if (j !== near && insideOf(j, f)) { inside = true; break; }
    }
    if (inside) continue;
    // The first added place (in order of adding) whose pooled ellipsoid holds this one.
    cand.length = 0;
    addedBins.near(f[0], f[1], f[2], cand);
    let first = -1;
    for (const i of cand) {
      if (first >= 0 && i > first) continue;
      const a = added[i];
      displacement(L, f[0], f[1], f[2], a.f[0], a.f[1], a.f[2], v);
      if (-2 * quad(pooledInv, 0, v[0], v[1], v[2]) <= OUTSIDE_CHI2) first = i;
    }
    if (first >= 0) {
      const same = added[first];
      displacement(L, f[0], f[1], f[2], same.f[0], same.f[1], same.f[2], v);
      const t = p.frames / (same.frames + p.frames);
      for (let c = 0; c < 3; c++) same.f[c] = wrap1(same.f[c] + t * (v[0] * Linv[c] + v[1] * Linv[3 + c] + v[2] * Linv[6 + c]));
      same.frames += p.frames;
      addedBins.set(first, same.f[0], same.f[1], same.f[2]);
    } else {
      added.push({ f, frames: p.frames });
      addedBins.set(added.length - 1, f[0], f[1], f[2]);
    }
  }
  if (added.length === 0) return mix;
  const k = mix.k + added.length;
  const means = new Float64Array(k * 3), covs = new Float64Array(k * 6), weights = new Float64Array(k);
  means.set(mix.means); covs.set(mix.covs); weights.set(mix.weights);
  added.forEach((a, i) => {
    const j = mix.k + i;
    means.set(a.f, j * 3);
    covs.set(pooled, j * 6);
    weights[j] = a.frames / ionFrames;
  });
  return { ...mix, k, means, covs, weights };
}

/** Points handed to the mixture fit per ion (~15 per over-seeded component), within these bounds (cost). */
const POINTS_PER_ION = 60;
const MIN_POINTS = 6000;
const MAX_POINTS = 16000;


export interface SiteMap {
  /** Number of sites. */
  k: number;
  lattice: Float64Array;
  latticeInv: Float64Array;
  /** Fractional centres in [0, 1), k × 3. */
  frac: Float64Array;
  /** Cartesian centres in the cell (Å), k × 3. */
  cart: Float64Array;
  /** Vibration covariance (Å²), k × 6: xx, yy, zz, xy, xz, yz. */
  covs: Float64Array;
  /** Mixture weight of each site and of the transit background. */
  weights: Float64Array;
  background: number;
  /** Frame stride of the fit's subsample. */
  stride: number;
}

/**
 * Fit the site map of `nCols` ions from unwrapped positions (frame-major [frame][col][xyz], Å).
 * `cell`: lattice rows (Å). Sites are sorted by fractional x, y, z so their ids read in order.
 */
export function fitSiteMap(positions: Positions, nFrames: number, nCols: number, cell: ArrayLike<number>, volumeA3: number, seed: number, places?: readonly Place[], method: SiteMapMethod = 'mixture', residences?: readonly AtomCentres[]): SiteMap {
  const L = Float64Array.from(cell);
  const Linv = inverse3(L);
  const pooled = method === 'density' && places ? placesCovariance(places) : null;
  if (pooled) {
    const dm = densityPeakMap({ positions, nFrames, nCols, lattice: L, latticeInv: Linv, pooled, residences });
    // Every frame enters the density, so rarely visited sites are there already: the detector's
    // places are not added (they made the pieces' maps differ: LGPS 2-piece consistency 79 → 89 %).
    return ordered(dm, L, Linv, 1);
  }
  const budget = Math.min(MAX_POINTS, Math.max(MIN_POINTS, POINTS_PER_ION * nCols));
  const stride = Math.max(1, Math.ceil((nFrames * nCols) / budget));
  const nSub = Math.ceil(nFrames / stride);
  // Grouped by ion (a track of its subsampled frames), so each point starts from its predecessor's site.
  const points = new Float64Array(nSub * nCols * 3);
  for (let c = 0; c < nCols; c++) {
    for (let s = 0; s < nSub; s++) {
      const o = (s * stride * nCols + c) * 3, q = (c * nSub + s) * 3;
      const x = positions[o], y = positions[o + 1], z = positions[o + 2];
      points[q] = wrap1(x * Linv[0] + y * Linv[3] + z * Linv[6]);
      points[q + 1] = wrap1(x * Linv[1] + y * Linv[4] + z * Linv[7]);
      points[q + 2] = wrap1(x * Linv[2] + y * Linv[5] + z * Linv[8]);
    }
  }
  // Over-seeded: a few components per ion, merged back down by the BIC test.
  const mix = addPlaces(fitPeriodicMixture({ points, trackLength: nSub, lattice: L, volumeA3, k0: 4 * nCols + 8, seed }), places ?? [], L, Linv, nFrames * nCols);
  return ordered(mix, L, Linv, stride);
}

/** The mixture's components as a site map, sorted by fractional x, y, z so their ids read in order. */
function ordered(mix: Mixture, L: Float64Array, Linv: Float64Array, stride: number): SiteMap {
  const order = Array.from({ length: mix.k }, (_, j) => j);
  const key = (j: number, a: number) => Math.round(mix.means[j * 3 + a] * 1e6);
  order.sort((a, b) => key(a, 0) - key(b, 0) || key(a, 1) - key(b, 1) || key(a, 2) - key(b, 2));
  const k = mix.k;
  const frac = new Float64Array(k * 3), cart = new Float64Array(k * 3), covs = new Float64Array(k * 6), weights = new Float64Array(k);
  order.forEach((j, o) => {
    const fx = mix.means[j * 3], fy = mix.means[j * 3 + 1], fz = mix.means[j * 3 + 2];
    frac[o * 3] = fx; frac[o * 3 + 1] = fy; frac[o * 3 + 2] = fz;
    cart[o * 3] = fx * L[0] + fy * L[3] + fz * L[6];
    cart[o * 3 + 1] = fx * L[1] + fy * L[4] + fz * L[7];
    cart[o * 3 + 2] = fx * L[2] + fy * L[5] + fz * L[8];
    covs.set(mix.covs.subarray(j * 6, j * 6 + 6), o * 6);
    weights[o] = mix.weights[j];
  });
  return { k, lattice: L, latticeInv: Linv, frac, cart, covs, weights, background: mix.background, stride };
}

/** The sites with keep[j] = 1, in their order; the weight of the others goes to the background. */
export function subsetMap(map: SiteMap, keep: Uint8Array): SiteMap {
  const idx: number[] = [];
  for (let j = 0; j < map.k; j++) if (keep[j]) idx.push(j);
  const k = idx.length;
  const frac = new Float64Array(k * 3), cart = new Float64Array(k * 3), covs = new Float64Array(k * 6), weights = new Float64Array(k);
  let background = map.background;
  for (let j = 0; j < map.k; j++) if (!keep[j]) background += map.weights[j];
  idx.forEach((j, o) => {
    frac.set(map.frac.subarray(j * 3, j * 3 + 3), o * 3);
    cart.set(map.cart.subarray(j * 3, j * 3 + 3), o * 3);
    covs.set(map.covs.subarray(j * 6, j * 6 + 6), o * 6);
    weights[o] = map.weights[j];
  });
  return { ...map, k, frac, cart, covs, weights, background };
}
