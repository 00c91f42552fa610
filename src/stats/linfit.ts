/**
 * Straight-line least squares y = a + b·x, ordinary or weighted, with the parameter
 * covariance. Sums are taken about the weighted mean of x so that fits far from x = 0
 * (e.g. 1/T in Arrhenius plots) do not lose precision.
 */

export interface LineFit {
  slope: number;
  intercept: number;
  /** Standard errors (√ of the covariance diagonal); NaN when not estimable. */
  slopeErr: number;
  interceptErr: number;
  /** Covariance matrix entries of (intercept, slope). */
  varIntercept: number;
  varSlope: number;
  covInterceptSlope: number;
  /** Coefficient of determination (weighted when weights are given). */
  r2: number;
  /** Number of points used. */
  n: number;
  /** Weighted sum of squared residuals Σ w (y − a − b x)². */
  chi2: number;
}

export interface LineFitOptions {
  /**
   * Per-point weights, normally 1/σ². Omitted: all 1 (ordinary least squares).
   */
  weights?: ArrayLike<number>;
  /**
   * How parameter errors are obtained:
   * - `'scaled'` (default): covariance (XᵀWX)⁻¹ scaled by χ²/(n−2), i.e. weights are relative
   *   and the scatter of the residuals sets the error (NaN when n = 2);
   * - `'absolute'`: weights are exactly 1/σ², covariance (XᵀWX)⁻¹ (defined for n = 2);
   * - `'max'`: the larger of the two variances per entry (never claims more precision than
   *   either the stated σ or the observed scatter supports; NaN when n = 2).
   */
  errors?: 'scaled' | 'absolute' | 'max';
}

/** Fit y = intercept + slope·x. Throws when fewer than 2 points or all x equal. */
export function fitLine(x: ArrayLike<number>, y: ArrayLike<number>, opts: LineFitOptions = {}): LineFit {
  const n = x.length;
  if (y.length !== n) throw new RangeError(`x and y lengths differ (${n} vs ${y.length})`);
  if (n < 2) throw new RangeError(`a line fit needs at least 2 points, got ${n}`);
  const w = opts.weights;
  if (w && w.length !== n) throw new RangeError(`weights length ${w.length} differs from ${n}`);
  let sw = 0, swx = 0, swy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (!(wi >= 0) || !Number.isFinite(wi)) throw new RangeError(`weight ${i} is ${wi}; weights must be finite and ≥ 0`);
    sw += wi; swx += wi * x[i]; swy += wi * y[i];
  }
  if (!(sw > 0)) throw new RangeError('all weights are zero');
  const xm = swx / sw, ym = swy / sw;
  let sxx = 0, sxy = 0, syy = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const dx = x[i] - xm, dy = y[i] - ym;
    sxx += wi * dx * dx; sxy += wi * dx * dy; syy += wi * dy * dy;
  }
  if (!(sxx > 0)) throw new RangeError('all x values are equal; the slope is undefined');
  const slope = sxy / sxx;
  const intercept = ym - slope * xm;
  let chi2 = 0;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    const r = y[i] - intercept - slope * x[i];
    chi2 += wi * r * r;
  }
  // (XᵀWX)⁻¹ in the centred basis, then mapped back to (intercept, slope).
  const vSlope0 = 1 / sxx;
  const vInt0 = 1 / sw + (xm * xm) / sxx;
  const cov0 = -xm / sxx;
  const mode = opts.errors ?? 'scaled';
  let scale: number;
  const scaled = n > 2 ? chi2 / (n - 2) : NaN;
  if (mode === 'absolute') scale = 1;
  else if (mode === 'scaled') scale = scaled;
  else scale = Number.isNaN(scaled) ? NaN : Math.max(1, scaled);
  const varSlope = vSlope0 * scale, varIntercept = vInt0 * scale, covInterceptSlope = cov0 * scale;
  const r2 = syy > 0 ? 1 - chi2 / syy : NaN;
  return {
    slope, intercept,
    slopeErr: Math.sqrt(varSlope), interceptErr: Math.sqrt(varIntercept),
    varSlope, varIntercept, covInterceptSlope,
    r2, n, chi2,
  };
}

/**
 * Weights c such that the OLS slope of y on x is Σ c_i y_i (the slope is linear in y).
 * Used to fit many curves sharing one x grid (per-ion MSDs, bootstrap replicates) cheaply,
 * and exactly consistently with `fitLine`.
 */
export function slopeWeights(x: ArrayLike<number>): Float64Array {
  const n = x.length;
  if (n < 2) throw new RangeError(`a line fit needs at least 2 points, got ${n}`);
  let xm = 0;
  for (let i = 0; i < n; i++) xm += x[i];
  xm /= n;
  let sxx = 0;
  for (let i = 0; i < n; i++) sxx += (x[i] - xm) ** 2;
  if (!(sxx > 0)) throw new RangeError('all x values are equal; the slope is undefined');
  const c = new Float64Array(n);
  for (let i = 0; i < n; i++) c[i] = (x[i] - xm) / sxx;
  return c;
}
