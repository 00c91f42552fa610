/**
 * Site types from the framework environment: a site's signature is, per framework element (in
 * alphabetical order), the sorted distances to its nearest atoms of that element in the
 * time-averaged framework. Two sites are one type when every distance agrees within the species'
 * vibration RMS (the pooled covariance: a scale the data set, not a fixed Å), as `siteTypes`
 * groups by the site map's own neighbour distances. Null for files holding only the mobile species.
 */
import type { FrameworkAverage } from './cages-framework.js';
import { distance2 } from './periodic.js';
import { pooledRms } from './cages.js';
import { groupBySignature } from './site-types.js';

/** Nearest atoms of each framework element in a signature (a tetrahedral/octahedral shell and a bit). */
const PER_ELEMENT = 4;

export interface EnvSites {
  k: number;
  lattice: ArrayLike<number>;
  /** Fractional centres, k × 3. */
  frac: Float64Array;
  /** Covariances (Å²), k × 6, and weights, k: the pooled vibration sets the tolerance. */
  covs: Float64Array;
  weights: Float64Array;
}

/** The signature of every site: k × width distances (Å), and its width. */
export function envSignatures(map: EnvSites, fw: FrameworkAverage): { sig: Float64Array; width: number } {
  const elements = [...new Set(fw.elements)].sort();
  const members = elements.map((e) => fw.elements.flatMap((x, i) => (x === e ? [i] : [])));
  const widths = members.map((m) => Math.min(PER_ELEMENT, m.length));
  const width = widths.reduce((a, b) => a + b, 0);
  const sig = new Float64Array(map.k * width);
  const L = map.lattice, f = fw.frac, s = map.frac;
  for (let j = 0; j < map.k; j++) {
    let o = j * width;
    members.forEach((m, e) => {
      const d = m.map((i) => Math.sqrt(distance2(L, s[j * 3], s[j * 3 + 1], s[j * 3 + 2], f[i * 3], f[i * 3 + 1], f[i * 3 + 2]))).sort((a, b) => a - b);
      for (let q = 0; q < widths[e]; q++) sig[o + q] = d[q];
      o += widths[e];
    });
  }
  return { sig, width };
}

/** Environment type id per site (0-based, in order of first appearance by site id); null without a framework. */
export function envSiteTypes(map: EnvSites, fw: FrameworkAverage): Int32Array | null {
  const k = map.k;
  if (fw.elements.length === 0 || k === 0) return null;
  const tol = pooledRms(k, map.covs, map.weights);
  const { sig, width } = envSignatures(map, fw);
  return groupBySignature(sig, k, width, tol);
}
