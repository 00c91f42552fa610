/** Step 1: bottom-up contiguous merging of one ion's series, heap-driven (O(T log T)). */
import { inflationG } from './inflation.js';
import type { NoiseField } from './types.js';

/** Work buffers for one ion series of T frames, reused across passes and ions. */
export class Work {
  T = 0;
  len = new Int32Array(0); nxt = new Int32Array(0); prv = new Int32Array(0);
  sx = new Float64Array(0); sy = new Float64Array(0); sz = new Float64Array(0);
  /** Current merge key of the pair (a, next a); NaN when the pair must stay apart. */
  cur = new Float64Array(0);
  hKey = new Float64Array(0); hId = new Int32Array(0);
  /** Merge-test state of the current `segment` call (read by `mergeKey`). */
  field: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  pen = 0; kappa2 = 0;
  private buf = new Float64Array(0);
  private constant: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  buffer(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf;
  }
  /** A time-constant field of at least T frames (reused buffer). */
  constantField(T: number, s2: number, rho1: number, r: number): NoiseField {
    // a caller's ρ may give r = ρ(2)/ρ(1) ≥ 1 or ∞ (ρ(1) = 0), where g(n) has no closed form
    r = r >= 0 && r < 0.999 ? r : r >= 0.999 ? 0.999 : 0;
    if (this.constant.s2.length < T) this.constant = { s2: new Float64Array(T), rho1: new Float64Array(T), r: new Float64Array(T) };
    this.constant.s2.fill(s2); this.constant.rho1.fill(rho1); this.constant.r.fill(r);
    return this.constant;
  }
  ensure(T: number): void {
    if (this.T >= T) return;
    this.T = T;
    this.len = new Int32Array(T); this.nxt = new Int32Array(T); this.prv = new Int32Array(T);
    this.sx = new Float64Array(T); this.sy = new Float64Array(T); this.sz = new Float64Array(T);
    this.cur = new Float64Array(T);
    // each merge pushes at most 2 entries: T − 1 initial + 2(T − 1)
    this.hKey = new Float64Array(3 * T); this.hId = new Int32Array(3 * T);
  }
}

/**
 * Bottom-up segmentation (step 2). Returns segment starts (ascending) and lengths.
 * A segment is identified by its first frame. Heap entries are (key, left segment); an entry is
 * current when its key equals the stored key of that left segment's pair.
 */
export function segment(x: Float64Array, T: number, field: NoiseField, pen: number, kappa2: number, w: Work): { starts: Int32Array; lens: Int32Array } {
  w.ensure(T);
  const { len, nxt, prv, sx, sy, sz, cur, hKey, hId } = w;
  w.field = field; w.pen = pen; w.kappa2 = kappa2;
  for (let t = 0; t < T; t++) {
    len[t] = 1; nxt[t] = t + 1 < T ? t + 1 : -1; prv[t] = t - 1;
    sx[t] = x[3 * t]; sy[t] = x[3 * t + 1]; sz[t] = x[3 * t + 2];
  }
  let size = 0;
  for (let t = 0; t + 1 < T; t++) {
    const k = mergeKey(w, t, t + 1);
    cur[t] = k;
    if (k === k) { hKey[size] = k; hId[size] = t; size++; }
  }
  cur[T - 1] = NaN;
  // heapify
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(hKey, hId, i, size);
  let nSeg = T;
  while (size > 0) {
    const key = hKey[0], a = hId[0];
    size--;
    if (size > 0) { hKey[0] = hKey[size]; hId[0] = hId[size]; siftDown(hKey, hId, 0, size); }
    if (len[a] === 0 || cur[a] !== key) continue;
    const b = nxt[a];
    // merge b into a
    len[a] += len[b]; sx[a] += sx[b]; sy[a] += sy[b]; sz[a] += sz[b];
    len[b] = 0;
    const c = nxt[b];
    nxt[a] = c; if (c >= 0) prv[c] = a;
    nSeg--;
    const p = prv[a];
    if (p >= 0) { const k = mergeKey(w, p, a); cur[p] = k; if (k === k) siftUp(hKey, hId, size++, k, p); }
    if (c >= 0) { const k = mergeKey(w, a, c); cur[a] = k; if (k === k) siftUp(hKey, hId, size++, k, a); } else cur[a] = NaN;
  }
  const starts = new Int32Array(nSeg), lens = new Int32Array(nSeg);
  for (let t = 0, i = 0; t >= 0 && t < T; t = nxt[t], i++) { starts[i] = t; lens[i] = len[t]; }
  return { starts, lens };
}

// mergeKey and siftUp were closures inside `segment` (keyOf, push); V8 then recompiled them with
// TurboFan for every trajectory (52× for 52 in the indexer, the hottest code of the analysis).
// At module scope, taking their state explicitly, they are optimized once per isolate.

/**
 * Merge key of the adjacent segments (a, b), or NaN when the pair must stay apart. The noise
 * model is the field's at the boundary (frame b). Var(m₁ − m₂) = σ²[g(n₁)/n₁ + g(n₂)/n₂] − 2 Cov:
 * adjacent means of a positively correlated vibration co-vary,
 * Cov = σ² ρ(1) (1 − r^n₁)(1 − r^n₂) / ((1 − r)² n₁ n₂) for ρ(k) = ρ(1) r^(k−1).
 */
function mergeKey(w: Work, a: number, b: number): number {
  const { len, sx, sy, sz, field } = w;
  const na = len[a], nb = len[b];
  const dx = sx[a] / na - sx[b] / nb, dy = sy[a] / na - sy[b] / nb, dz = sz[a] / na - sz[b] / nb;
  const d2 = dx * dx + dy * dy + dz * dz;
  const s2 = field.s2[b], rho1 = field.rho1[b], r = field.r[b];
  // r⁰ = 1 exactly: single frames (every pair at first) skip the power, the costliest operation here
  const pa = na === 1 ? 1 : r ** (na - 1), pb = nb === 1 ? 1 : r ** (nb - 1);
  const ga = inflationG(na, rho1, r, pa) / na, gb = inflationG(nb, rho1, r, pb) / nb;
  const om = 1 - r;
  const cov = ((2 * rho1) / (om * om)) * ((1 - pa * r) / na) * ((1 - pb * r) / nb);
  const v = s2 * (ga + gb - cov);
  const s = d2 / Math.max(v, 0.05 * s2 * (ga + gb));
  return s <= w.pen || d2 <= w.kappa2 * s2 ? s : NaN;
}

/** Insert (k, v) into the min-heap key/id of size i (the caller then counts i + 1 entries). */
function siftUp(key: Float64Array, id: Int32Array, i: number, k: number, v: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (key[p] <= k) break;
    key[i] = key[p]; id[i] = id[p];
    i = p;
  }
  key[i] = k; id[i] = v;
}

function siftDown(key: Float64Array, id: Int32Array, i: number, n: number): void {
  const k = key[i], v = id[i];
  for (;;) {
    let j = 2 * i + 1;
    if (j >= n) break;
    if (j + 1 < n && key[j + 1] < key[j]) j++;
    if (key[j] >= k) break;
    key[i] = key[j]; id[i] = id[j];
    i = j;
  }
  key[i] = k; id[i] = v;
}
