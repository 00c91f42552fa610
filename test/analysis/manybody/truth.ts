// Generated truth as many-body input, and the scores of concerted groups against it.
import { inverse3, minimumImage } from '../../../src/trajectory/lattice.js';
import type { ManyBodyHop } from '../../../src/analysis/manybody/pair-relations.js';
import type { Truth } from '../../../src/generate/truth.js';
import { chiSquareUpperTail } from '../../../src/stats/special.js';

/**
 * The truth hops as many-body input: site centres (Cartesian Å), `to` the minimum image from `from`;
 * `withKinds`: the type of the site left (index into the truth's site types) as `fromKind`.
 */
export function truthHops(t: Truth, withSiteIds = false, withKinds = false): ManyBodyHop[] {
  const typeNames = [...new Set(t.siteTypes ?? [])];
  if (withKinds && !t.siteTypes) throw new Error('truthHops: the truth has no site types');
  const L = t.lattice;
  const cart = (s: number): number[] => {
    const f = t.sites[s];
    return [0, 1, 2].map((d) => f[0] * L[d] + f[1] * L[3 + d] + f[2] * L[6 + d]);
  };
  const inv = inverse3(L);
  const out = new Float64Array(3);
  return t.hops.map((h) => {
    const a = cart(h.fromSite), b = cart(h.toSite);
    const dx = b[0] - a[0], dy = b[1] - a[1], dz = b[2] - a[2];
    const fx = dx * inv[0] + dy * inv[3] + dz * inv[6], fy = dx * inv[1] + dy * inv[4] + dz * inv[7], fz = dx * inv[2] + dy * inv[5] + dz * inv[8];
    minimumImage(L, fx, fy, fz, out, 0);
    return {
      atom: h.atom, first: h.startFrame, last: h.endFrame,
      from: a, to: [a[0] + out[0], a[1] + out[1], a[2] + out[2]],
      ...(withSiteIds ? { fromSite: h.fromSite, toSite: h.toSite } : {}),
      ...(withKinds ? { fromKind: typeNames.indexOf((t.siteTypes as string[])[h.fromSite]) } : {}),
    };
  });
}

/** Unordered pairs (i < j, different atoms) of items sharing a label ≥ 0, as "i,j" keys. */
export function coLabelledPairs(labels: ArrayLike<number>, atoms: ArrayLike<number>): Set<string> {
  const by = new Map<number, number[]>();
  for (let i = 0; i < labels.length; i++) if (labels[i] >= 0) { const l = by.get(labels[i]); if (l) l.push(i); else by.set(labels[i], [i]); }
  const out = new Set<string>();
  for (const m of by.values()) for (let x = 0; x < m.length; x++) for (let y = x + 1; y < m.length; y++) {
    if (atoms[m[x]] !== atoms[m[y]]) out.add(`${Math.min(m[x], m[y])},${Math.max(m[x], m[y])}`);
  }
  return out;
}

export function precisionRecall(found: Set<string>, truth: Set<string>): { precision: number; recall: number; nFound: number; nTrue: number } {
  let tp = 0;
  for (const k of found) if (truth.has(k)) tp++;
  return { precision: found.size ? tp / found.size : NaN, recall: truth.size ? tp / truth.size : NaN, nFound: found.size, nTrue: truth.size };
}

/** Mean over hops of the size (distinct ions) of the hop's true chain. */
export function truthBodiesMean(t: Truth): number {
  const size = new Map(t.chains.map((c) => [c.chainId, new Set(c.atoms).size]));
  let s = 0;
  for (const h of t.hops) s += size.get(h.chainId) as number;
  return s / t.hops.length;
}

/** Histogram of true chain sizes (distinct ions), index = size. */
export function truthChainSizes(t: Truth): number[] {
  const h: number[] = [0];
  for (const c of t.chains) { const n = new Set(c.atoms).size; h[n] = (h[n] ?? 0) + 1; }
  return Array.from(h, (x) => x ?? 0);
}

/**
 * Two-sample χ² homogeneity test of two histograms (index = size), tail sizes pooled until every
 * expected count is ≥ 5. Returns the statistic, degrees of freedom and p-value.
 */
export function chiSquareHomogeneity(a: readonly number[], b: readonly number[]): { chi2: number; dof: number; p: number } {
  const n = Math.max(a.length, b.length);
  const A = Array.from({ length: n }, (_, i) => a[i] ?? 0), B = Array.from({ length: n }, (_, i) => b[i] ?? 0);
  const sa = A.reduce((s, v) => s + v, 0), sb = B.reduce((s, v) => s + v, 0), tot = sa + sb;
  // Pool from the top down so every cell's expectation is ≥ 5.
  const cells: [number, number][] = [];
  let ca = 0, cb = 0;
  for (let i = n - 1; i >= 0; i--) {
    ca += A[i]; cb += B[i];
    const m = ca + cb;
    if ((m * sa) / tot >= 5 && (m * sb) / tot >= 5) { cells.push([ca, cb]); ca = 0; cb = 0; }
  }
  if (ca + cb > 0 && cells.length > 0) { cells[cells.length - 1][0] += ca; cells[cells.length - 1][1] += cb; }
  let chi2 = 0;
  for (const [x, y] of cells) {
    const m = x + y, ea = (m * sa) / tot, eb = (m * sb) / tot;
    chi2 += (x - ea) ** 2 / ea + (y - eb) ** 2 / eb;
  }
  const dof = cells.length - 1;
  return { chi2, dof, p: dof > 0 ? chiSquareUpperTail(chi2, dof) : 1 };
}

/** Detected hop i → index of the truth hop of the same atom it overlaps most in frames, or −1. */
export function matchToTruth(det: readonly { atom: number; first: number; last: number }[], t: Truth): Int32Array {
  const byAtom = new Map<number, number[]>();
  t.hops.forEach((h, k) => { const l = byAtom.get(h.atom); if (l) l.push(k); else byAtom.set(h.atom, [k]); });
  return Int32Array.from(det, (d) => {
    let best = -1, bestOv = 0;
    for (const k of byAtom.get(d.atom) ?? []) {
      const h = t.hops[k];
      // Overlap of the transit windows, widened by a few frames for detector edge effects.
      const ov = Math.min(d.last, h.endFrame) - Math.max(d.first, h.startFrame) + 1 + 3;
      if (ov > bestOv) { bestOv = ov; best = k; }
    }
    return best;
  });
}
