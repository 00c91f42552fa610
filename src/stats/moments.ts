/** Mean and sum of squared deviations from it (two passes, so no cancellation); NaN mean when empty. */
export function meanAndSquaredDeviations(xs: ArrayLike<number>): { mean: number; ss: number } {
  const n = xs.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += xs[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i] - m) ** 2;
  return { mean: m, ss: s };
}

/** Sample standard deviation (n − 1); NaN with fewer than 2 values. */
export function sampleStd(xs: ArrayLike<number>): number {
  return xs.length < 2 ? NaN : Math.sqrt(meanAndSquaredDeviations(xs).ss / (xs.length - 1));
}
