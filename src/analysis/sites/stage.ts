/**
 * The site stage of one species, after hop detection: the site map (with the detector's
 * residences as extra evidence for rarely visited sites), hops as site-to-site jumps, site
 * types and the jump network, as the rows of the `sites` and `site_jumps` tables and the
 * species' site descriptors. Runs in `concludeAnalysis`, on the whole species, so the result
 * does not depend on how detection was spread over workers.
 */
import type { HopDetection, SiteDescriptors, SiteJumpRow, SiteRow } from '../types.js';
import { jumpNetwork } from './network.js';
import { placesOf } from './places.js';
import type { SiteJump } from './segment.js';
import { fitSiteMap, type SiteMap, type SiteMapMethod } from './site-map.js';
import { segmentByDwellingSites } from './dwell.js';
import { siteTypes } from './site-types.js';
import { invertSym, quad } from './gmm.js';
import { CentreGrid } from './grid.js';
import { displacement } from './periodic.js';
import { cageSummary, classifyHops, findCages, NO_CAGES, type CageMap } from './cages.js';
import type { FrameworkAverage } from './cages-framework.js';
import { envSiteTypes } from './env-types.js';
import { errorsOf, estimateCentres } from './centre-error.js';
import type { Positions } from '../../trajectory/types.js';
import { observedDurationPs } from '../segments.js';

export type SiteSummary = SiteDescriptors;

export interface SiteStageResult {
  map: SiteMap;
  /** Site-to-site jumps (by atom, start frame); null when the map holds no site (keep the detector's hops). */
  hops: SiteJump[] | null;
  /** Places visited per column (null with `hops`). */
  nPlaces: Int32Array | null;
  sites: SiteRow[];
  jumps: SiteJumpRow[];
  summary: SiteSummary;
  /** Cages of sites around free framework atoms; null without (jump classes then null). */
  cages: CageMap | null;
  /** Site jumps left out per discontinuity frame (their transit takes the discontinuous step). */
  acrossBreaks: Map<number, number>;
  /**
   * The site whose 99 % ellipsoid (its own or the species' pooled one) holds an unwrapped
   * Cartesian centre, the nearest such; null when none does (a centre in transit) or without sites.
   */
  siteOf(centre: readonly number[]): number | null;
}

export interface SiteStageInput {
  element: string;
  /** Unwrapped positions (Å), frame-major [frame][column][xyz]. */
  positions: Positions;
  nFrames: number;
  atoms: Int32Array;
  cell: ArrayLike<number>;
  volumeA3: number;
  seed: number;
  frameIntervalFs: number;
  detection: HopDetection;
  /** The framework's time-averaged positions in the same frame (none: no cages, jump classes null). */
  framework?: FrameworkAverage;
  /** Discontinuous frames (segments.ts): no jump crosses one, no stay spans one, rates use the observed time. */
  breaks?: readonly number[];
  /** How the site map is fitted (default `mixture`). */
  siteMap?: SiteMapMethod;
}

const NONE: SiteSummary = {
  sitesPerIon: null, siteTypeCount: null, networkDimensionality: null,
  bottleneckFromSite: null, bottleneckToSite: null, returnFraction: null, jumpLengthAMean: null, ...NO_CAGES,
};

export function siteStage(inp: SiteStageInput): SiteStageResult {
  const { element, positions, nFrames: T, atoms, frameIntervalFs } = inp;
  const n = atoms.length;
  const dtPs = frameIntervalFs / 1000;
  const breaks = inp.breaks ?? [];
  const durationPs = breaks.length > 0 ? observedDurationPs(T, breaks, dtPs) : (T - 1) * dtPs;
  // The detector's atoms are in column order for a whole-species detection; map by atom index to be safe.
  const byAtom = new Map(inp.detection.atoms.map((a) => [a.atom, a]));
  const detAtoms = Array.from(atoms, (a) => byAtom.get(a)).filter((a) => a !== undefined);
  const places = detAtoms.length === n ? placesOf(detAtoms, positions, T) : [];
  const fitted = fitSiteMap(positions, T, n, inp.cell, inp.volumeA3, inp.seed, places, inp.siteMap,
    detAtoms.length === n ? detAtoms : undefined);
  if (fitted.k === 0) return { map: fitted, hops: null, nPlaces: null, sites: [], jumps: [], summary: NONE, cages: null, acrossBreaks: new Map(), siteOf: () => null };
  const { map: segMap, seg } = segmentByDwellingSites(fitted, positions, T, atoms, breaks.length > 0 ? { breaks } : {});
  // Centres from every core frame with their standard errors (centre-error.ts). They are reported
  // and typed by; the jumps keep the fitted centres (segmenting by the moved ones lost true jumps:
  // BENCHMARKS.md, "Site centres with honest errors"), which differ from them by about their error.
  const est = estimateCentres(fitted, positions, T, n, breaks);
  const centreErr = errorsOf(est, segMap, fitted);
  const map: SiteMap = { ...segMap, frac: centreErr.frac, cart: centreErr.cart };
  const net = jumpNetwork(segMap, seg.hops, durationPs, dtPs);
  const cages = inp.framework ? findCages(map.frac, map.k, map.lattice, inp.framework) : null;
  const envTypes = inp.framework ? envSiteTypes(map, inp.framework, centreErr.centreCov) : null;
  // Types by the framework when there is one (its atoms are there whether or not a site was visited).
  const types = envTypes ?? siteTypes(map, centreErr.centreCov);
  const sites: SiteRow[] = [];
  for (let j = 0; j < map.k; j++) {
    sites.push({
      element, siteId: j, siteType: types[j],
      fracX: map.frac[j * 3], fracY: map.frac[j * 3 + 1], fracZ: map.frac[j * 3 + 2],
      xA: map.cart[j * 3], yA: map.cart[j * 3 + 1], zA: map.cart[j * 3 + 2],
      covXxA2: map.covs[j * 6], covYyA2: map.covs[j * 6 + 1], covZzA2: map.covs[j * 6 + 2],
      covXyA2: map.covs[j * 6 + 3], covXzA2: map.covs[j * 6 + 4], covYzA2: map.covs[j * 6 + 5],
      occupancy: seg.basinFrames[j] / T,
      residencePsMean: seg.stayCount[j] > 0 ? (seg.stayFrames[j] / seg.stayCount[j]) * dtPs : null,
      centreErrA: Number.isFinite(centreErr.errA[j]) ? centreErr.errA[j] : null,
      envType: envTypes ? envTypes[j] : null,
      cageId: cages ? cages.cageOf[j] : null,
    });
  }
  const classed = cages ? classifyHops(cages, map, seg.hops) : null;
  const jumps: SiteJumpRow[] = net.pairs.map((p) => ({ element, ...p, jumpClass: classed ? classed.pairClass(p.fromSite, p.toSite) : null }));
  let len = 0;
  for (const h of seg.hops) len += Math.hypot(h.to[0] - h.from[0], h.to[1] - h.from[1], h.to[2] - h.from[2]);
  const summary: SiteSummary = {
    sitesPerIon: n > 0 ? map.k / n : null,
    siteTypeCount: new Set(types).size,
    networkDimensionality: net.dimensionality,
    bottleneckFromSite: net.bottleneck?.a ?? null,
    bottleneckToSite: net.bottleneck?.b ?? null,
    returnFraction: net.returnFraction,
    jumpLengthAMean: seg.hops.length > 0 ? len / seg.hops.length : null,
    ...cageSummary(cages, classed?.classes ?? null),
  };
  return { map, hops: seg.hops, nPlaces: seg.nPlaces, sites, jumps, summary, cages, acrossBreaks: seg.acrossBreaks, siteOf: siteLocator(segMap) };
}

/** χ²₃ quantile 0.99. */
const HOLD_CHI2 = 11.344866730144373;

function siteLocator(map: SiteMap): (centre: readonly number[]) => number | null {
  const inv = new Float64Array(map.k * 6), pooled = new Float64Array(6), pooledInv = new Float64Array(6);
  let w = 0;
  for (let j = 0; j < map.k; j++) {
    invertSym(map.covs, j * 6, inv);
    w += map.weights[j];
    for (let q = 0; q < 6; q++) pooled[q] += map.weights[j] * map.covs[j * 6 + q];
  }
  for (let q = 0; q < 6; q++) pooled[q] /= w;
  invertSym(pooled, 0, pooledInv);
  const grid = new CentreGrid(map.lattice, map.frac, map.k);
  const Li = map.latticeInv, L = map.lattice, v = new Float64Array(3);
  return (c) => {
    const f = [0, 1, 2].map((q) => c[0] * Li[q] + c[1] * Li[3 + q] + c[2] * Li[6 + q]);
    const j = grid.nearest(f[0], f[1], f[2]);
    if (j < 0) return null;
    displacement(L, f[0], f[1], f[2], map.frac[j * 3], map.frac[j * 3 + 1], map.frac[j * 3 + 2], v);
    return -2 * quad(inv, j * 6, v[0], v[1], v[2]) <= HOLD_CHI2 || -2 * quad(pooledInv, 0, v[0], v[1], v[2]) <= HOLD_CHI2 ? j : null;
  };
}
