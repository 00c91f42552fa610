/**
 * Correlation coefficients (Pearson, Spearman) over the pairs where both values are finite.
 * Pure functions, no I/O.
 */

export interface Correlation {
  r: number;
  n: number;
}

/** Pearson correlation over the pairs where both values are finite. */
export function pearson(x: readonly (number | null)[], y: readonly (number | null)[]): Correlation {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = y[i];
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) { xs.push(a); ys.push(b); }
  }
  return { r: pearsonFinite(xs, ys), n: xs.length };
}

function pearsonFinite(x: readonly number[], y: readonly number[]): number {
  const n = x.length;
  if (n < 2) return NaN;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - mx, dy = y[i] - my;
    sxy += dx * dy; sxx += dx * dx; syy += dy * dy;
  }
  return sxx > 0 && syy > 0 ? sxy / Math.sqrt(sxx * syy) : NaN;
}

/** Ranks with ties sharing their mean rank (1-based). */
export function ranks(x: readonly number[]): number[] {
  const idx = x.map((_, i) => i).sort((a, b) => x[a] - x[b]);
  const out = new Array<number>(x.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && x[idx[j + 1]] === x[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]] = r;
    i = j + 1;
  }
  return out;
}

/** Spearman rank correlation (Pearson of tie-averaged ranks) over finite pairs. */
export function spearman(x: readonly (number | null)[], y: readonly (number | null)[]): Correlation {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < x.length; i++) {
    const a = x[i], b = y[i];
    if (a !== null && b !== null && Number.isFinite(a) && Number.isFinite(b)) { xs.push(a); ys.push(b); }
  }
  return { r: pearsonFinite(ranks(xs), ranks(ys)), n: xs.length };
}
