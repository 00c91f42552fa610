/**
 * Site types: sites equivalent by environment share a type id. Without framework positions in
 * the analysis stage, a site's environment is its own neighbourhood in the site map: the sorted
 * distances to its nearest sites. Two sites are one type when those distances agree within the
 * species' vibration RMS (the pooled covariance), a scale the data set, not a fixed Å.
 */
import type { SiteMap } from './site-map.js';

/** Neighbour distances compared per site. */
const SIGNATURE = 4;

/** Type id per site (0-based, in order of first appearance by site id). */
export function siteTypes(map: SiteMap): Int32Array {
  const k = map.k, L = map.lattice;
  if (k === 0) return new Int32Array(0);
  let trace = 0, w = 0;
  for (let j = 0; j < k; j++) {
    trace += map.weights[j] * (map.covs[j * 6] + map.covs[j * 6 + 1] + map.covs[j * 6 + 2]);
    w += map.weights[j];
  }
  const tol = Math.sqrt(trace / w / 3);
  const m = Math.min(SIGNATURE, k - 1);
  const sig = new Float64Array(k * Math.max(m, 1));
  const d = new Float64Array(k), top = new Float64Array(Math.max(m, 1));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j < k; j++) {
      let dx = map.frac[j * 3] - map.frac[i * 3], dy = map.frac[j * 3 + 1] - map.frac[i * 3 + 1], dz = map.frac[j * 3 + 2] - map.frac[i * 3 + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
      d[j] = j === i ? Infinity : Math.hypot(x, y, z);
    }
    // The m smallest distances in ascending order (the head of a full sort).
    top.fill(Infinity);
    for (let j = 0; j < k; j++) {
      const dj = d[j];
      if (!(dj < top[m - 1])) continue;
      let q = m - 1;
      while (q > 0 && top[q - 1] > dj) { top[q] = top[q - 1]; q--; }
      top[q] = dj;
    }
    for (let q = 0; q < m; q++) sig[i * m + q] = top[q];
  }
  return groupBySignature(sig, k, m, tol);
}

/**
 * Type id per item from signatures of `width` numbers each (`sig[i·width + q]`): an item joins the
 * first earlier type whose first member's signature agrees within `tol` everywhere; ids in order
 * of first appearance.
 */
export function groupBySignature(sig: Float64Array, k: number, width: number, tol: number): Int32Array {
  const types = new Int32Array(k).fill(-1);
  let next = 0;
  for (let i = 0; i < k; i++) {
    if (types[i] >= 0) continue;
    types[i] = next;
    for (let j = i + 1; j < k; j++) {
      if (types[j] >= 0) continue;
      let same = true;
      for (let q = 0; q < width && same; q++) if (Math.abs(sig[i * width + q] - sig[j * width + q]) > tol) same = false;
      if (same) types[j] = next;
    }
    next++;
  }
  return types;
}
