/** Medians by selection: one-off (quickselect) and over a sliding window of origins. */

/** Median of a[0..m) by quickselect (reorders a): the value of rank ⌊m/2⌋. */
export function quickSelectMedian(arr: Float64Array, m: number): number {
  return quickSelect(arr, m, m >> 1);
}

/** The value of rank k (0-based) among a[0..m), by quickselect (reorders a). */
export function quickSelect(arr: Float64Array, m: number, k: number): number {
  let lo = 0, hi = m - 1;
  while (lo < hi) {
    const piv = arr[(lo + hi) >> 1];
    let i = lo, j = hi;
    while (i <= j) {
      while (arr[i] < piv) i++;
      while (arr[j] > piv) j--;
      if (i <= j) { const t = arr[i]; arr[i] = arr[j]; arr[j] = t; i++; j--; }
    }
    if (k <= j) hi = j; else if (k >= i) lo = i; else break;
  }
  return arr[k];
}

export function quickMedian(a: number[]): number {
  return a.length === 0 ? 0 : quickSelectMedian(Float64Array.from(a), a.length);
}

/**
 * Per frame f = 0…T−1, the median of m over the origins [lo, hi], hi = min(L − 1, f + W),
 * lo = max(0, min(f − W, hi − W)) for L = m.length: the 2W + 1 origins around f, clipped at the
 * start and at the end — where a long lag has fewer origins than frames, shifted back to keep at
 * least W + 1 (a window must never be empty or a handful of values). Both ends only move
 * forward with f, so one sorted window slides along: O(T·W) memmove at worst, not a quickselect
 * of 2W + 1 values per frame (few ions make W large). The value is the sorted window's element
 * ⌊count/2⌋, as quickSelectMedian returns.
 */
export function slidingMedians(m: Float64Array, T: number, W: number): Float64Array {
  const L = m.length;
  const out = new Float64Array(T);
  const win = new Float64Array(Math.min(L, 2 * W + 1) + 1);
  let count = 0, lo = 0, hi = -1; // the window holds m[lo..hi]
  for (let f = 0; f < T; f++) {
    const h = Math.min(L - 1, f + W), l = Math.max(0, Math.min(f - W, h - W));
    while (hi < h) count = sortedInsert(win, count, m[++hi]);
    while (lo < l) count = sortedRemove(win, count, m[lo++]);
    out[f] = win[count >> 1];
  }
  return out;
}

/** Inserts v into the ascending win[0..count); returns the new count. */
function sortedInsert(win: Float64Array, count: number, v: number): number {
  let a = 0, b = count;
  while (a < b) { const c = (a + b) >> 1; if (win[c] < v) a = c + 1; else b = c; }
  win.copyWithin(a + 1, a, count);
  win[a] = v;
  return count + 1;
}

/** Removes one value equal to v from the ascending win[0..count); returns the new count. */
function sortedRemove(win: Float64Array, count: number, v: number): number {
  let a = 0, b = count;
  while (a < b) { const c = (a + b) >> 1; if (win[c] < v) a = c + 1; else b = c; }
  win.copyWithin(a, a + 1, count);
  return count - 1;
}
