/**
 * Sites grouped into types by signatures with uncertainties: two sites are one type when their
 * signatures agree within their combined uncertainty (a χ² test), and the number of types is what
 * the data support — no Å tolerance. Deterministic: sites are taken best-determined first, each
 * joins the group whose inverse-variance mean it fits best (or starts one), then every site is
 * reassigned to its best-fitting group until nothing moves, and groups whose means agree are
 * merged.
 */
import { chiSquareUpperTail } from '../../stats/special.js';

/** A site that fails this χ² tail probability against every group starts a type of its own. */
export const TYPE_ALPHA = 1e-3;
const MAX_ROUNDS = 20;

/** The χ² value whose upper tail with `dof` degrees of freedom is `alpha` (bisection). */
export function chiSquareQuantileUpper(alpha: number, dof: number): number {
  let lo = 0, hi = dof + 20 * Math.sqrt(2 * dof) + 50;
  while (chiSquareUpperTail(hi, dof) > alpha) hi *= 2;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (chiSquareUpperTail(mid, dof) > alpha) lo = mid; else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Group: mean, its per-number variance, and (with full covariances) its covariance `V` (w × w). */
interface Group { mean: Float64Array; varMean: Float64Array; V?: Float64Array; members: number[] }

/** Inverse of a w × w symmetric positive definite matrix (Gauss–Jordan); null if singular. */
function inverse(A: Float64Array, w: number): Float64Array | null {
  const a = A.slice(), inv = new Float64Array(w * w);
  for (let q = 0; q < w; q++) inv[q * w + q] = 1;
  for (let c = 0; c < w; c++) {
    let p = c;
    for (let r = c + 1; r < w; r++) if (Math.abs(a[r * w + c]) > Math.abs(a[p * w + c])) p = r;
    if (!(Math.abs(a[p * w + c]) > 0)) return null;
    if (p !== c) for (let q = 0; q < w; q++) { [a[c * w + q], a[p * w + q]] = [a[p * w + q], a[c * w + q]]; [inv[c * w + q], inv[p * w + q]] = [inv[p * w + q], inv[c * w + q]]; }
    const d = a[c * w + c];
    for (let q = 0; q < w; q++) { a[c * w + q] /= d; inv[c * w + q] /= d; }
    for (let r = 0; r < w; r++) {
      if (r === c) continue;
      const f = a[r * w + c];
      if (f === 0) continue;
      for (let q = 0; q < w; q++) { a[r * w + q] -= f * a[c * w + q]; inv[r * w + q] -= f * inv[c * w + q]; }
    }
  }
  return inv;
}

/** dᵀ (A + B)⁻¹ d for w × w matrices; Infinity if singular. */
function mahalanobis(d: Float64Array, A: Float64Array, B: Float64Array, w: number): number {
  const S = new Float64Array(w * w);
  for (let q = 0; q < w * w; q++) S[q] = A[q] + B[q];
  const I = inverse(S, w);
  if (!I) return Infinity;
  let s = 0;
  for (let q = 0; q < w; q++) for (let r = 0; r < w; r++) s += d[q] * I[q * w + r] * d[r];
  return s;
}

/**
 * Type id per item (0-based, in order of first appearance by item index). `sig[i·w + q]` is
 * item i's signature, `variance[i·w + q]` the variance of that number (> 0). `covariance`
 * (optional, k × w × w, diagonal = `variance`): each item's full covariance where its numbers share
 * an error; group means are then generalised least squares and every χ² uses the full matrices.
 */
export function clusterSignatures(sig: Float64Array, variance: Float64Array, k: number, w: number, alpha = TYPE_ALPHA, covariance?: Float64Array): Int32Array {
  const types = new Int32Array(k);
  if (k === 0) return types;
  if (w === 0) return types;
  const crit = chiSquareQuantileUpper(alpha, w);
  // Per item: its covariance and precision (full path only).
  const itemCov = (i: number): Float64Array => covariance!.subarray(i * w * w, (i + 1) * w * w);
  const precision: (Float64Array | null)[] = covariance ? Array.from({ length: k }, (_, i) => inverse(itemCov(i), w)) : [];
  const dv = new Float64Array(w);
  const chi2 = (i: number, g: Group): number => {
    if (g.V) {
      for (let q = 0; q < w; q++) dv[q] = sig[i * w + q] - g.mean[q];
      return mahalanobis(dv, itemCov(i), g.V, w);
    }
    let s = 0;
    for (let q = 0; q < w; q++) { const d = sig[i * w + q] - g.mean[q]; s += (d * d) / (variance[i * w + q] + g.varMean[q]); }
    return s;
  };
  const update = (g: Group): void => {
    if (covariance) {
      const P = new Float64Array(w * w), b = new Float64Array(w);
      for (const i of g.members) {
        const Pi = precision[i];
        if (!Pi) continue;
        for (let q = 0; q < w; q++) for (let r = 0; r < w; r++) { P[q * w + r] += Pi[q * w + r]; b[q] += Pi[q * w + r] * sig[i * w + r]; }
      }
      const V = inverse(P, w);
      if (V) {
        g.V = V;
        for (let q = 0; q < w; q++) { let m = 0; for (let r = 0; r < w; r++) m += V[q * w + r] * b[r]; g.mean[q] = m; g.varMean[q] = V[q * w + q]; }
        return;
      }
      g.V = undefined;
    }
    const num = new Float64Array(w), den = new Float64Array(w);
    for (const i of g.members) for (let q = 0; q < w; q++) { const p = 1 / variance[i * w + q]; num[q] += p * sig[i * w + q]; den[q] += p; }
    for (let q = 0; q < w; q++) { g.mean[q] = num[q] / den[q]; g.varMean[q] = 1 / den[q]; }
  };
  const single = (i: number): Group => {
    const g: Group = { mean: new Float64Array(w), varMean: new Float64Array(w), members: [i] };
    update(g);
    return g;
  };
  const best = (i: number, groups: Group[]): [number, number] => {
    let bi = -1, bc = Infinity;
    groups.forEach((g, gi) => { const c = chi2(i, g); if (c < bc) { bc = c; bi = gi; } });
    return [bi, bc];
  };
  // Best determined first (smallest total variance), ties by index.
  const order = Array.from({ length: k }, (_, i) => i);
  const totalVar = (i: number): number => { let s = 0; for (let q = 0; q < w; q++) s += variance[i * w + q]; return s; };
  order.sort((a, b) => totalVar(a) - totalVar(b) || a - b);
  let groups: Group[] = [];
  for (const i of order) {
    const [gi, c] = best(i, groups);
    if (gi >= 0 && c <= crit) { groups[gi].members.push(i); update(groups[gi]); } else groups.push(single(i));
  }
  // Reassign until stable: a site takes the group it fits best now that every mean is known.
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const assign = new Int32Array(k);
    groups.forEach((g, gi) => { for (const i of g.members) assign[i] = gi; });
    let moved = false;
    const next: number[][] = groups.map(() => []);
    const fresh: number[][] = [];
    for (const i of order) {
      const [gi, c] = best(i, groups);
      const to = c <= crit ? gi : -1;
      if (to < 0) { if (groups[assign[i]].members.length > 1) { fresh.push([i]); moved = true; } else next[assign[i]].push(i); continue; }
      if (to !== assign[i]) moved = true;
      next[to].push(i);
    }
    const rebuilt: Group[] = [];
    for (const m of [...next, ...fresh]) if (m.length > 0) { const g: Group = { mean: new Float64Array(w), varMean: new Float64Array(w), members: m }; update(g); rebuilt.push(g); }
    groups = rebuilt;
    if (!moved) break;
  }
  // Merge groups whose means agree within their combined error (closest pair first).
  for (;;) {
    let ba = -1, bb = -1, bc = Infinity;
    for (let a = 0; a < groups.length; a++) {
      for (let b = a + 1; b < groups.length; b++) {
        let s = 0;
        const Va = groups[a].V, Vb = groups[b].V;
        if (Va && Vb) {
          for (let q = 0; q < w; q++) dv[q] = groups[a].mean[q] - groups[b].mean[q];
          s = mahalanobis(dv, Va, Vb, w);
        } else for (let q = 0; q < w; q++) { const d = groups[a].mean[q] - groups[b].mean[q]; s += (d * d) / (groups[a].varMean[q] + groups[b].varMean[q]); }
        if (s < bc) { bc = s; ba = a; bb = b; }
      }
    }
    if (ba < 0 || bc > crit) break;
    groups[ba].members.push(...groups[bb].members);
    update(groups[ba]);
    groups.splice(bb, 1);
  }
  // Ids in order of first appearance by item index.
  const raw = new Int32Array(k);
  groups.forEach((g, gi) => { for (const i of g.members) raw[i] = gi; });
  const id = new Map<number, number>();
  for (let i = 0; i < k; i++) {
    if (!id.has(raw[i])) id.set(raw[i], id.size);
    types[i] = id.get(raw[i])!;
  }
  return types;
}
