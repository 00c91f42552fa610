/** Step 1: bottom-up contiguous merging of one ion's series, heap-driven (O(T log T)). */
import { inflationG } from './inflation.js';
import type { NoiseField } from './types.js';

/** Work buffers for one ion series of T frames, reused across passes and ions. */
export class Work {
  T = 0;
  len = new Int32Array(0); nxt = new Int32Array(0); prv = new Int32Array(0);
  sx = new Float64Array(0); sy = new Float64Array(0); sz = new Float64Array(0);
  /**
   * Indexed min-heap of the pairs that may merge: entry i is the pair (hId[i], next) with merge
   * key hKey[i]; pos[a] is the entry of a's pair, −1 when a's pair must stay apart (or a is gone).
   */
  hKey = new Float64Array(0); hId = new Int32Array(0); pos = new Int32Array(0);
  /** Merge-test state of the current `segment` call (read by `mergeKey`). */
  field: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  pen = 0; kappa2 = 0;
  private buf = new Float64Array(0);
  private ser = new Float64Array(0);
  private constant: NoiseField = { s2: new Float64Array(0), rho1: new Float64Array(0), r: new Float64Array(0) };
  buffer(n: number): Float64Array {
    if (this.buf.length < n) this.buf = new Float64Array(n);
    return this.buf;
  }
  /** The series being segmented (whitened copy of the input; valid until the next ion). */
  series(n: number): Float64Array {
    if (this.ser.length < n) this.ser = new Float64Array(n);
    return this.ser.subarray(0, n);
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
    this.hKey = new Float64Array(T); this.hId = new Int32Array(T); this.pos = new Int32Array(T);
  }
}

/**
 * Bottom-up segmentation (step 2). Returns segment starts (ascending) and lengths.
 * A segment is identified by its first frame; the pair (a, next a) by a. The pair of smallest
 * merge key merges first; equal keys, the earlier pair first. The heap holds every pair that may
 * merge exactly once and is updated in place when a merge changes a neighbour's key: a heap of
 * pushed keys with stale entries skipped when popped (the former scheme) popped three entries per
 * merge, two of them stale.
 */
export function segment(x: Float64Array, T: number, field: NoiseField, pen: number, kappa2: number, w: Work): { starts: Int32Array; lens: Int32Array } {
  w.ensure(T);
  w.field = field; w.pen = pen; w.kappa2 = kappa2;
  initSegments(x, T, w);
  const nSeg = mergeAll(w, initHeap(w, T), T);
  return collect(w, T, nSeg);
}

// Each loop of `segment` is a function of its own: V8 optimizes a long loop on-stack while it
// runs, and that code deoptimized at the first statement after the loop (no type feedback yet
// from the first call) on later calls, again and again. A function that ends with its loop has
// nothing left to miss.

/** One segment per frame. */
function initSegments(x: Float64Array, T: number, w: Work): void {
  const { len, nxt, prv, sx, sy, sz } = w;
  for (let t = 0; t < T; t++) {
    len[t] = 1; nxt[t] = t + 1 < T ? t + 1 : -1; prv[t] = t - 1;
    sx[t] = x[3 * t]; sy[t] = x[3 * t + 1]; sz[t] = x[3 * t + 2];
  }
}

/** Keys of the T − 1 adjacent pairs, heapified; returns the heap size. */
function initHeap(w: Work, T: number): number {
  const { hKey, hId, pos } = w;
  let size = 0;
  for (let t = 0; t + 1 < T; t++) {
    const k = mergeKey(w, t, t + 1);
    if (k === k) { hKey[size] = k; hId[size] = t; pos[t] = size; size++; } else pos[t] = -1;
  }
  pos[T - 1] = -1;
  for (let i = (size >> 1) - 1; i >= 0; i--) siftDown(hKey, hId, pos, i, size);
  return size;
}

/** Merges the pair of smallest key until none may merge; returns the number of segments. */
function mergeAll(w: Work, size: number, T: number): number {
  const { len, nxt, prv, sx, sy, sz, hKey, hId, pos } = w;
  let nSeg = T;
  while (size > 0) {
    const a = hId[0];
    size = removeAt(hKey, hId, pos, 0, size);
    const b = nxt[a];
    // merge b into a; b's pair (b, c) goes with it
    if (pos[b] >= 0) size = removeAt(hKey, hId, pos, pos[b], size);
    len[a] += len[b]; sx[a] += sx[b]; sy[a] += sy[b]; sz[a] += sz[b];
    len[b] = 0;
    const c = nxt[b];
    nxt[a] = c; if (c >= 0) prv[c] = a;
    nSeg--;
    const p = prv[a];
    if (p >= 0) size = setKey(hKey, hId, pos, p, mergeKey(w, p, a), size);
    if (c >= 0) size = setKey(hKey, hId, pos, a, mergeKey(w, a, c), size);
  }
  return nSeg;
}

function collect(w: Work, T: number, nSeg: number): { starts: Int32Array; lens: Int32Array } {
  const { len, nxt } = w;
  const starts = new Int32Array(nSeg), lens = new Int32Array(nSeg);
  for (let t = 0, i = 0; t >= 0 && t < T; t = nxt[t], i++) { starts[i] = t; lens[i] = len[t]; }
  return { starts, lens };
}

// mergeKey and the heap operations were closures inside `segment` (keyOf, push); V8 then
// recompiled them with TurboFan for every trajectory (once per trajectory in the indexer, the
// hottest code of the analysis). At module scope, taking their state explicitly, they are optimized once.

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

/** Heap order: smaller key first, then the earlier pair (a strict total order: no ties). */
function before(k1: number, a1: number, k2: number, a2: number): boolean {
  return k1 < k2 || (k1 === k2 && a1 < a2);
}

/** Sets the key of a's pair (NaN: may not merge) and restores the heap; returns its size. */
function setKey(key: Float64Array, id: Int32Array, pos: Int32Array, a: number, k: number, n: number): number {
  const i = pos[a];
  if (k !== k) return i >= 0 ? removeAt(key, id, pos, i, n) : n;
  if (i < 0) { key[n] = k; id[n] = a; pos[a] = n; siftUp(key, id, pos, n); return n + 1; }
  const old = key[i];
  key[i] = k;
  if (before(k, a, old, a)) siftUp(key, id, pos, i); else siftDown(key, id, pos, i, n);
  return n;
}

/** Removes entry i of the heap of n entries; returns n − 1. */
function removeAt(key: Float64Array, id: Int32Array, pos: Int32Array, i: number, n: number): number {
  pos[id[i]] = -1;
  const last = n - 1;
  if (i === last) return last;
  const k = key[last], v = id[last];
  key[i] = k; id[i] = v; pos[v] = i;
  if (i > 0 && before(k, v, key[(i - 1) >> 1], id[(i - 1) >> 1])) siftUp(key, id, pos, i); else siftDown(key, id, pos, i, last);
  return last;
}

function siftUp(key: Float64Array, id: Int32Array, pos: Int32Array, i: number): void {
  const k = key[i], v = id[i];
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (!before(k, v, key[p], id[p])) break;
    key[i] = key[p]; id[i] = id[p]; pos[id[i]] = i;
    i = p;
  }
  key[i] = k; id[i] = v; pos[v] = i;
}

function siftDown(key: Float64Array, id: Int32Array, pos: Int32Array, i: number, n: number): void {
  const k = key[i], v = id[i];
  for (;;) {
    let j = 2 * i + 1;
    if (j >= n) break;
    if (j + 1 < n && before(key[j + 1], id[j + 1], key[j], id[j])) j++;
    if (!before(key[j], id[j], k, v)) break;
    key[i] = key[j]; id[i] = id[j]; pos[id[i]] = i;
    i = j;
  }
  key[i] = k; id[i] = v; pos[v] = i;
}
