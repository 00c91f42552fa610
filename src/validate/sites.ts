/**
 * A site map scored against the generator's truth sites: for every truth site the nearest site
 * found (minimum image, Å), and the reverse, so "all sites found, centres within x Å" and
 * "no spurious site" can both be read off.
 */
import type { Truth } from '../generate/truth.js';
import { minimumImage } from '../trajectory/lattice.js';
import type { SiteMap } from '../analysis/sites/site-map.js';

export interface TruthSiteMatch {
  /** Per truth site: index of the nearest site found and its distance (Å). */
  nearest: Int32Array;
  distanceA: Float64Array;
  /** Per site found: index of the nearest truth site. */
  truthOf: Int32Array;
  /** Largest truth-site → nearest-found distance (Å). */
  maxErrorA: number;
  /** Truth sites whose nearest found site has them as its nearest truth site too (one-to-one). */
  mutual: number;
}

export function truthSiteMatch(map: SiteMap, truth: Truth): TruthSiteMatch {
  const L = map.lattice, v = new Float64Array(3);
  const nT = truth.sites.length;
  const d = (t: number, j: number): number => {
    const s = truth.sites[t];
    minimumImage(L, s[0] - map.frac[j * 3], s[1] - map.frac[j * 3 + 1], s[2] - map.frac[j * 3 + 2], v, 0);
    return Math.hypot(v[0], v[1], v[2]);
  };
  const nearest = new Int32Array(nT).fill(-1), distanceA = new Float64Array(nT).fill(Infinity);
  const truthOf = new Int32Array(map.k).fill(-1), best = new Float64Array(map.k).fill(Infinity);
  for (let t = 0; t < nT; t++) {
    for (let j = 0; j < map.k; j++) {
      const x = d(t, j);
      if (x < distanceA[t]) { distanceA[t] = x; nearest[t] = j; }
      if (x < best[j]) { best[j] = x; truthOf[j] = t; }
    }
  }
  let maxErrorA = 0, mutual = 0;
  for (let t = 0; t < nT; t++) {
    maxErrorA = Math.max(maxErrorA, distanceA[t]);
    if (nearest[t] >= 0 && truthOf[nearest[t]] === t) mutual++;
  }
  return { nearest, distanceA, truthOf, maxErrorA, mutual };
}

/** Truth sites an ion occupies at some frame (initial sites and every hop's target). */
export function visitedTruthSites(truth: Truth): Set<number> {
  const out = new Set<number>(Object.values(truth.initialSites));
  for (const h of truth.hops) { out.add(h.fromSite); out.add(h.toSite); }
  return out;
}
