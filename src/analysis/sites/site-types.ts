/**
 * Site types when the file holds only the mobile species (no framework to type by: env-types.ts
 * is used otherwise). A site's environment is then its neighbourhood in the site map: the sorted
 * distances to its nearest sites, each uncertain by both centres' errors along it (centre-error.ts).
 * Sites are grouped where these agree within that uncertainty (type-clusters.ts): no Å tolerance.
 * The signature depends on which neighbours were found, so a map with unvisited sites splits
 * equivalent sites; the framework signature does not have that weakness.
 */
import type { SiteMap } from './site-map.js';
import { displacement } from './periodic.js';
import { clusterSignatures } from './type-clusters.js';

/** Neighbour distances compared per site. */
const SIGNATURE = 4;

/** Type id per site (0-based, in order of first appearance by site id). `centreCov`: k × 6 (Å², NaN where unknown). */
export function siteTypes(map: SiteMap, centreCov?: Float64Array): Int32Array {
  const k = map.k, L = map.lattice;
  if (k === 0) return new Int32Array(0);
  const m = Math.min(SIGNATURE, k - 1);
  if (m < 1) return new Int32Array(k);
  const C = (j: number): Float64Array => (centreCov && Number.isFinite(centreCov[j * 6]) ? centreCov : map.covs).subarray(j * 6, j * 6 + 6);
  const sig = new Float64Array(k * m), variance = new Float64Array(k * m), v = new Float64Array(3);
  const near: { d: number; j: number; x: number; y: number; z: number }[] = [];
  for (let i = 0; i < k; i++) {
    near.length = 0;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      displacement(L, map.frac[j * 3], map.frac[j * 3 + 1], map.frac[j * 3 + 2], map.frac[i * 3], map.frac[i * 3 + 1], map.frac[i * 3 + 2], v);
      near.push({ d: Math.hypot(v[0], v[1], v[2]), j, x: v[0], y: v[1], z: v[2] });
    }
    near.sort((a, b) => a.d - b.d || a.j - b.j);
    const Ci = C(i);
    for (let q = 0; q < m; q++) {
      const { d, j, x, y, z } = near[q], Cj = C(j);
      const ux = x / d, uy = y / d, uz = z / d;
      let along = 0;
      for (const c of [Ci, Cj]) along += c[0] * ux * ux + c[1] * uy * uy + c[2] * uz * uz + 2 * (c[3] * ux * uy + c[4] * ux * uz + c[5] * uy * uz);
      sig[i * m + q] = d;
      variance[i * m + q] = Math.max(along, 1e-12);
    }
  }
  return clusterSignatures(sig, variance, k, m);
}
