/**
 * Site types from the framework environment: a site's signature is, per framework element (in
 * alphabetical order), the sorted distances from its centre to its nearest atoms of that element
 * in the time-averaged framework. Framework atoms are there whether or not an ion visited the
 * neighbourhood, so the signature does not change with which sites were found (the site map's
 * own neighbour distances do). Each distance is uncertain by the centre's error along it (the
 * centre covariance, centre-error.ts) and by the framework atom's thermal spread (the scale on
 * which two environments cannot be told apart by the ion); sites are grouped where their
 * signatures agree within that (type-clusters.ts): no Å tolerance, the number of types set by
 * the data. Null for files holding only the mobile species.
 */
import type { FrameworkAverage } from './cages-framework.js';
import { displacement } from './periodic.js';
import { clusterSignatures } from './type-clusters.js';

/** Nearest atoms of each framework element in a signature (a tetrahedral/octahedral shell and a bit). */
const PER_ELEMENT = 4;

export interface EnvSites {
  k: number;
  lattice: ArrayLike<number>;
  /** Fractional centres, k × 3. */
  frac: Float64Array;
  /** Vibration covariances (Å²), k × 6: a centre without an error is known to within its vibration. */
  covs: Float64Array;
}

/**
 * The signature of every site: k × width distances (Å), their variances (Å²), and the width.
 * `centreCov`: the centres' covariances (Å², k × 6; NaN where unknown).
 */
export function envSignatures(map: EnvSites, fw: FrameworkAverage, centreCov?: Float64Array): { sig: Float64Array; variance: Float64Array; width: number } {
  const elements = [...new Set(fw.elements)].sort();
  const members = elements.map((e) => fw.elements.flatMap((x, i) => (x === e ? [i] : [])));
  const widths = members.map((m) => Math.min(PER_ELEMENT, m.length));
  // Thermal spread per element: the mean per-axis variance of its atoms.
  const thermal = members.map((m) => (fw.varA2 ? m.reduce((s, i) => s + fw.varA2![i], 0) / m.length : 0));
  const width = widths.reduce((a, b) => a + b, 0);
  const sig = new Float64Array(map.k * width), variance = new Float64Array(map.k * width);
  const L = map.lattice, f = fw.frac, s = map.frac, v = new Float64Array(3);
  for (let j = 0; j < map.k; j++) {
    const C = centreCov && Number.isFinite(centreCov[j * 6]) ? centreCov.subarray(j * 6, j * 6 + 6) : map.covs.subarray(j * 6, j * 6 + 6);
    let o = j * width;
    members.forEach((m, e) => {
      const near = m.map((i) => {
        displacement(L, f[i * 3], f[i * 3 + 1], f[i * 3 + 2], s[j * 3], s[j * 3 + 1], s[j * 3 + 2], v);
        const d = Math.hypot(v[0], v[1], v[2]);
        const ux = v[0] / d, uy = v[1] / d, uz = v[2] / d;
        const along = C[0] * ux * ux + C[1] * uy * uy + C[2] * uz * uz + 2 * (C[3] * ux * uy + C[4] * ux * uz + C[5] * uy * uz);
        return { d, along };
      }).sort((a, b) => a.d - b.d);
      for (let q = 0; q < widths[e]; q++) {
        sig[o + q] = near[q].d;
        variance[o + q] = Math.max(near[q].along + thermal[e], 1e-12);
      }
      o += widths[e];
    });
  }
  return { sig, variance, width };
}

/** Environment type id per site (0-based, in order of first appearance by site id); null without a framework. */
export function envSiteTypes(map: EnvSites, fw: FrameworkAverage, centreCov?: Float64Array): Int32Array | null {
  const k = map.k;
  if (fw.elements.length === 0 || k === 0) return null;
  const { sig, variance, width } = envSignatures(map, fw, centreCov);
  return clusterSignatures(sig, variance, k, width);
}
