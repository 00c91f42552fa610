/**
 * Site types when the file holds only the mobile species (no framework to type by: env-types.ts
 * is used otherwise). A site's environment is then its neighbourhood in the site map: the sorted
 * distances to its nearest sites. Sites are grouped where these agree within their uncertainty
 * (type-clusters.ts): no Å tolerance.
 *
 * Each distance's variance is the two centres' errors along it (centre-error.ts) plus the
 * neighbour's vibration along it, the analogue of the framework atom's thermal spread in
 * env-types.ts: the scale on which an ion cannot tell two environments apart. Without that floor
 * the centre errors alone (falling as 1/√frames, no systematic part) made the number of types grow
 * with run length, resolving static few-0.01 Å differences between sites of one class (LGPS 650 K:
 * 10 types). The m distances share site i's centre error (u_qᵀ C_i u_r between distances q and r),
 * so each site's signature carries its full covariance into the grouping (with the floor the
 * shared part is a median 0.3–3 % of each distance's variance, but up to 70 % for a site held briefly).
 * Types depend on which neighbours were found, so a map with unvisited sites splits
 * equivalent sites; the framework signature does not have that weakness.
 */
import type { SiteMap } from './site-map.js';
import { displacement } from './periodic.js';
import { clusterSignatures } from './type-clusters.js';

/** Neighbour distances compared per site. */
const SIGNATURE = 4;

/** uᵀ c u for a symmetric 3×3 stored as xx, yy, zz, xy, xz, yz at c[o..o+6). */
function along(c: ArrayLike<number>, o: number, ux: number, uy: number, uz: number): number {
  return c[o] * ux * ux + c[o + 1] * uy * uy + c[o + 2] * uz * uz + 2 * (c[o + 3] * ux * uy + c[o + 4] * ux * uz + c[o + 5] * uy * uz);
}

/** Type id per site (0-based, in order of first appearance by site id). `centreCov`: k × 6 (Å², NaN where unknown). */
export function siteTypes(map: SiteMap, centreCov?: Float64Array): Int32Array {
  const k = map.k, L = map.lattice;
  if (k === 0) return new Int32Array(0);
  const m = Math.min(SIGNATURE, k - 1);
  if (m < 1) return new Int32Array(k);
  // A centre without an error is known to within its vibration.
  const C = (j: number): Float64Array => (centreCov && Number.isFinite(centreCov[j * 6]) ? centreCov : map.covs);
  const sig = new Float64Array(k * m), variance = new Float64Array(k * m), v = new Float64Array(3);
  // Site i's centre error enters all its m distances: Cov(d_q, d_r) includes u_qᵀ C_i u_r.
  const cov = new Float64Array(k * m * m), u = new Float64Array(m * 3);
  const near: { d: number; j: number; x: number; y: number; z: number }[] = [];
  for (let i = 0; i < k; i++) {
    near.length = 0;
    for (let j = 0; j < k; j++) {
      if (j === i) continue;
      displacement(L, map.frac[j * 3], map.frac[j * 3 + 1], map.frac[j * 3 + 2], map.frac[i * 3], map.frac[i * 3 + 1], map.frac[i * 3 + 2], v);
      near.push({ d: Math.hypot(v[0], v[1], v[2]), j, x: v[0], y: v[1], z: v[2] });
    }
    near.sort((a, b) => a.d - b.d || a.j - b.j);
    for (let q = 0; q < m; q++) {
      const { d, j, x, y, z } = near[q];
      const ux = x / d, uy = y / d, uz = z / d;
      const errors = along(C(i), i * 6, ux, uy, uz) + along(C(j), j * 6, ux, uy, uz);
      sig[i * m + q] = d;
      variance[i * m + q] = Math.max(errors + along(map.covs, j * 6, ux, uy, uz), 1e-12);
      u[q * 3] = ux; u[q * 3 + 1] = uy; u[q * 3 + 2] = uz;
    }
    const c = C(i), o = i * 6, base = i * m * m;
    for (let q = 0; q < m; q++) {
      cov[base + q * m + q] = variance[i * m + q];
      for (let r = q + 1; r < m; r++) {
        const a0 = u[q * 3], a1 = u[q * 3 + 1], a2 = u[q * 3 + 2], b0 = u[r * 3], b1 = u[r * 3 + 1], b2 = u[r * 3 + 2];
        cov[base + q * m + r] = cov[base + r * m + q] = c[o] * a0 * b0 + c[o + 1] * a1 * b1 + c[o + 2] * a2 * b2
          + c[o + 3] * (a0 * b1 + a1 * b0) + c[o + 4] * (a0 * b2 + a2 * b0) + c[o + 5] * (a1 * b2 + a2 * b1);
      }
    }
  }
  return clusterSignatures(sig, variance, k, m, undefined, cov);
}
