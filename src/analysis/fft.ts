/**
 * Iterative radix-4 (with one radix-2 stage when log2 n is odd) complex FFT over split
 * real/imaginary Float64Arrays, plus zero-padded autocorrelation.
 *
 * Two half-transforms are exported for the MSD hot loop: `fftForwardBitReversed` (decimation
 * in frequency, natural-order input, bit-reversed output) and `fftFromBitReversed`
 * (decimation in time, bit-reversed input, natural-order output). A power spectrum computed
 * between them never needs the bit-reversal permutation, which is ~25 % of a transform.
 * Plans (bit-reversal table, per-stage twiddles) are cached per size.
 */

export interface FftPlan {
  readonly n: number;
  readonly bits: number;
  /** bitrev[i] = i with its log2(n) bits reversed. */
  readonly bitrev: Uint32Array;
  /** Position (in bit-reversed order) of frequency n−k for the frequency held at position p. */
  readonly mirror: Uint32Array;
  /** Per-stage twiddles: tw[h + k] = exp(−iπk/h) for stage half-size h, 0 ≤ k < h. */
  readonly twr: Float64Array;
  readonly twi: Float64Array;
}

const plans = new Map<number, FftPlan>();

export function isPow2(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && (n & (n - 1)) === 0;
}

/** Smallest power of two ≥ n (n ≥ 1). */
export function nextPow2(n: number): number {
  let p = 1;
  while (p < n) p *= 2;
  return p;
}

export function fftPlan(n: number): FftPlan {
  if (!isPow2(n)) throw new RangeError(`FFT size must be a power of two, got ${n}`);
  let p = plans.get(n);
  if (p) return p;
  const bits = Math.round(Math.log2(n));
  const bitrev = new Uint32Array(n);
  for (let i = 1; i < n; i++) bitrev[i] = (bitrev[i >> 1] >> 1) | ((i & 1) << (bits - 1));
  const mirror = new Uint32Array(n);
  for (let q = 0; q < n; q++) mirror[q] = bitrev[(n - bitrev[q]) & (n - 1)];
  const twr = new Float64Array(Math.max(n, 2)), twi = new Float64Array(Math.max(n, 2));
  // Direct cos/sin per entry (no recurrence) keeps twiddles at ~1 ulp for large n.
  for (let h = 1; h < n; h <<= 1) {
    for (let k = 0; k < h; k++) {
      const a = (-Math.PI * k) / h;
      twr[h + k] = Math.cos(a);
      twi[h + k] = Math.sin(a);
    }
  }
  p = { n, bits, bitrev, mirror, twr, twi };
  if (plans.size > 16) plans.clear();
  plans.set(n, p);
  return p;
}

function checkPair(re: Float64Array, im: Float64Array): number {
  const n = re.length;
  if (im.length !== n) throw new RangeError('re and im must have the same length');
  if (!isPow2(n)) throw new RangeError(`FFT size must be a power of two, got ${n}`);
  return n;
}

// Each transform is a loop-free driver over one-loop-nest pass functions. With the passes inline,
// V8 OSR-compiled a transform inside its first big call, before the code after the main loop
// (radix-2 pass, 1/n scaling) had run; every later call then deoptimized there (type feedback
// missing) — 10+ bailouts per cold MSD. A pass function has run in full before it is optimized.

/**
 * Forward FFT (sign −i), natural-order input, output left in BIT-REVERSED order
 * (frequency bitrev[p] at position p). Decimation in frequency. `upperHalfZero` promises that
 * entries n/2 … n−1 are zero (zero-padded input) and skips reading them.
 */
export function fftForwardBitReversed(re: Float64Array, im: Float64Array, upperHalfZero = false): void {
  const n = checkPair(re, im);
  if (n <= 1) return;
  const { bits, twr, twi } = fftPlan(n);
  let h = n >> 2;
  if (upperHalfZero && h >= 1) {
    difFirstPassUpperZero(re, im, h, twr, twi);
    h >>= 2;
  }
  if (h >= 1 && (bits & 1)) {
    // Odd log2 n: the chain ends at h = 2; that pass and the radix-2 stage share one sweep.
    if (h > 2) difPasses(re, im, n, h, twr, twi, 8);
    difPass2ThenPairs(re, im, n, twr, twi);
    return;
  }
  if (h >= 4) difPasses(re, im, n, h, twr, twi, 4);
  if (h >= 1) difPass1(re, im, n, twr, twi);
  if (bits & 1) pairButterflies(re, im, n);
}

/** The first radix-4 DIF pass (size n = 4h) when x[t] = 0 for t ≥ n/2: no loads from the upper half. */
function difFirstPassUpperZero(re: Float64Array, im: Float64Array, h: number, twr: Float64Array, twi: Float64Array): void {
  for (let k = 0; k < h; k++) {
    const w2r = twr[2 * h + k], w2i = twi[2 * h + k];
    const w1r = twr[h + k], w1i = twi[h + k];
    const i0 = k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
    const a0r = re[i0], a0i = im[i0], a1r = re[i1], a1i = im[i1];
    const b2r = a0r * w2r - a0i * w2i, b2i = a0r * w2i + a0i * w2r;
    const e3r = a1r * w2r - a1i * w2i, e3i = a1r * w2i + a1i * w2r;
    const b3r = e3i, b3i = -e3r;
    re[i0] = a0r + a1r; im[i0] = a0i + a1i;
    let xr = a0r - a1r, xi = a0i - a1i;
    re[i1] = xr * w1r - xi * w1i; im[i1] = xr * w1i + xi * w1r;
    re[i2] = b2r + b3r; im[i2] = b2i + b3i;
    xr = b2r - b3r; xi = b2i - b3i;
    re[i3] = xr * w1r - xi * w1i; im[i3] = xr * w1i + xi * w1r;
  }
}

/** Radix-4 DIF passes of quarter sizes h, h/4, … ≥ hMin (each pass fuses stages 4h and 2h). */
function difPasses(re: Float64Array, im: Float64Array, n: number, h0: number, twr: Float64Array, twi: Float64Array, hMin: number): void {
  for (let h = h0; h >= hMin; h >>= 2) {
    const size = 4 * h;
    for (let st = 0; st < n; st += size) {
      for (let k = 0; k < h; k++) {
        const w2r = twr[2 * h + k], w2i = twi[2 * h + k];
        const w1r = twr[h + k], w1i = twi[h + k];
        const i0 = st + k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
        const a0r = re[i0], a0i = im[i0], a1r = re[i1], a1i = im[i1];
        const a2r = re[i2], a2i = im[i2], a3r = re[i3], a3i = im[i3];
        // Stage of size 4h: pairs (0,2) with w2, (1,3) with w2·(−i).
        const b0r = a0r + a2r, b0i = a0i + a2i;
        const b1r = a1r + a3r, b1i = a1i + a3i;
        const d2r = a0r - a2r, d2i = a0i - a2i;
        const d3r = a1r - a3r, d3i = a1i - a3i;
        const b2r = d2r * w2r - d2i * w2i, b2i = d2r * w2i + d2i * w2r;
        const e3r = d3r * w2r - d3i * w2i, e3i = d3r * w2i + d3i * w2r;
        const b3r = e3i, b3i = -e3r;
        // Stage of size 2h: pairs (0,1) and (2,3) with w1.
        re[i0] = b0r + b1r; im[i0] = b0i + b1i;
        let xr = b0r - b1r, xi = b0i - b1i;
        re[i1] = xr * w1r - xi * w1i; im[i1] = xr * w1i + xi * w1r;
        re[i2] = b2r + b3r; im[i2] = b2i + b3i;
        xr = b2r - b3r; xi = b2i - b3i;
        re[i3] = xr * w1r - xi * w1i; im[i3] = xr * w1i + xi * w1r;
      }
    }
  }
}

// difPass1 / ditPass1: the passes of quarter size 1 (even log2 n) without the one-iteration twiddle
// loop: the same twiddles (read once) and the same operations as difPasses / ditPasses at h = 1.

/** DIF pass h = 1 (butterflies of 4 adjacent entries). */
function difPass1(re: Float64Array, im: Float64Array, n: number, twr: Float64Array, twi: Float64Array): void {
  const w2r = twr[2], w2i = twi[2], w1r = twr[1], w1i = twi[1];
  for (let i0 = 0; i0 < n; i0 += 4) {
    const i1 = i0 + 1, i2 = i0 + 2, i3 = i0 + 3;
    const a0r = re[i0], a0i = im[i0], a1r = re[i1], a1i = im[i1];
    const a2r = re[i2], a2i = im[i2], a3r = re[i3], a3i = im[i3];
    const b0r = a0r + a2r, b0i = a0i + a2i;
    const b1r = a1r + a3r, b1i = a1i + a3i;
    const d2r = a0r - a2r, d2i = a0i - a2i;
    const d3r = a1r - a3r, d3i = a1i - a3i;
    const b2r = d2r * w2r - d2i * w2i, b2i = d2r * w2i + d2i * w2r;
    const e3r = d3r * w2r - d3i * w2i, e3i = d3r * w2i + d3i * w2r;
    const b3r = e3i, b3i = -e3r;
    re[i0] = b0r + b1r; im[i0] = b0i + b1i;
    let xr = b0r - b1r, xi = b0i - b1i;
    re[i1] = xr * w1r - xi * w1i; im[i1] = xr * w1i + xi * w1r;
    re[i2] = b2r + b3r; im[i2] = b2i + b3i;
    xr = b2r - b3r; xi = b2i - b3i;
    re[i3] = xr * w1r - xi * w1i; im[i3] = xr * w1i + xi * w1r;
  }
}

/** DIT pass half = 1 (sign s as in ditPasses). */
function ditPass1(re: Float64Array, im: Float64Array, n: number, s: number, twr: Float64Array, twi: Float64Array): void {
  const w1r = twr[1], w1i = s * twi[1], w2r = twr[2], w2i = s * twi[2];
  for (let i0 = 0; i0 < n; i0 += 4) {
    const i1 = i0 + 1, i2 = i0 + 2, i3 = i0 + 3;
    const a0r = re[i0], a0i = im[i0];
    let r = re[i1], q = im[i1];
    const t1r = r * w1r - q * w1i, t1i = r * w1i + q * w1r;
    const a2r = re[i2], a2i = im[i2];
    r = re[i3]; q = im[i3];
    const t3r = r * w1r - q * w1i, t3i = r * w1i + q * w1r;
    const b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
    const b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
    const u2r = b2r * w2r - b2i * w2i, u2i = b2r * w2i + b2i * w2r;
    const v3r = b3r * w2r - b3i * w2i, v3i = b3r * w2i + b3i * w2r;
    const u3r = s * v3i, u3i = -s * v3r;
    re[i0] = b0r + u2r; im[i0] = b0i + u2i;
    re[i2] = b0r - u2r; im[i2] = b0i - u2i;
    re[i1] = b1r + u3r; im[i1] = b1i + u3i;
    re[i3] = b1r - u3r; im[i3] = b1i - u3i;
  }
}

/** The radix-2 stage of size 2 (odd log2 n): last pass of the DIF, first of the DIT. */
function pairButterflies(re: Float64Array, im: Float64Array, n: number): void {
  for (let i = 0; i < n; i += 2) {
    const xr = re[i + 1], xi = im[i + 1];
    re[i + 1] = re[i] - xr; im[i + 1] = im[i] - xi;
    re[i] += xr; im[i] += xi;
  }
}

// difPass2ThenPairs / pairsThenDitPass2: the radix-4 pass of quarter size 2 and the radix-2 stage
// in one sweep over groups of 8 (both stay inside a group). The same butterflies on the same
// values in the same order as the separate passes: bit-for-bit the same transform, one memory
// sweep fewer.

/** DIF pass h = 2, then the radix-2 stage, group by group. */
function difPass2ThenPairs(re: Float64Array, im: Float64Array, n: number, twr: Float64Array, twi: Float64Array): void {
  const h = 2;
  for (let st = 0; st < n; st += 8) {
    for (let k = 0; k < h; k++) {
      const w2r = twr[2 * h + k], w2i = twi[2 * h + k];
      const w1r = twr[h + k], w1i = twi[h + k];
      const i0 = st + k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
      const a0r = re[i0], a0i = im[i0], a1r = re[i1], a1i = im[i1];
      const a2r = re[i2], a2i = im[i2], a3r = re[i3], a3i = im[i3];
      const b0r = a0r + a2r, b0i = a0i + a2i;
      const b1r = a1r + a3r, b1i = a1i + a3i;
      const d2r = a0r - a2r, d2i = a0i - a2i;
      const d3r = a1r - a3r, d3i = a1i - a3i;
      const b2r = d2r * w2r - d2i * w2i, b2i = d2r * w2i + d2i * w2r;
      const e3r = d3r * w2r - d3i * w2i, e3i = d3r * w2i + d3i * w2r;
      const b3r = e3i, b3i = -e3r;
      re[i0] = b0r + b1r; im[i0] = b0i + b1i;
      let xr = b0r - b1r, xi = b0i - b1i;
      re[i1] = xr * w1r - xi * w1i; im[i1] = xr * w1i + xi * w1r;
      re[i2] = b2r + b3r; im[i2] = b2i + b3i;
      xr = b2r - b3r; xi = b2i - b3i;
      re[i3] = xr * w1r - xi * w1i; im[i3] = xr * w1i + xi * w1r;
    }
    for (let i = st; i < st + 8; i += 2) {
      const xr = re[i + 1], xi = im[i + 1];
      re[i + 1] = re[i] - xr; im[i + 1] = im[i] - xi;
      re[i] += xr; im[i] += xi;
    }
  }
}

/** The radix-2 stage, then DIT pass half = 2 (sign s as in ditPasses), group by group. */
function pairsThenDitPass2(re: Float64Array, im: Float64Array, n: number, s: number, twr: Float64Array, twi: Float64Array): void {
  const h = 2;
  for (let st = 0; st < n; st += 8) {
    for (let i = st; i < st + 8; i += 2) {
      const xr = re[i + 1], xi = im[i + 1];
      re[i + 1] = re[i] - xr; im[i + 1] = im[i] - xi;
      re[i] += xr; im[i] += xi;
    }
    for (let k = 0; k < h; k++) {
      const w1r = twr[h + k], w1i = s * twi[h + k];
      const w2r = twr[2 * h + k], w2i = s * twi[2 * h + k];
      const i0 = st + k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
      const a0r = re[i0], a0i = im[i0];
      let r = re[i1], q = im[i1];
      const t1r = r * w1r - q * w1i, t1i = r * w1i + q * w1r;
      const a2r = re[i2], a2i = im[i2];
      r = re[i3]; q = im[i3];
      const t3r = r * w1r - q * w1i, t3i = r * w1i + q * w1r;
      const b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
      const b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
      const u2r = b2r * w2r - b2i * w2i, u2i = b2r * w2i + b2i * w2r;
      const v3r = b3r * w2r - b3i * w2i, v3i = b3r * w2i + b3i * w2r;
      const u3r = s * v3i, u3i = -s * v3r;
      re[i0] = b0r + u2r; im[i0] = b0i + u2i;
      re[i2] = b0r - u2r; im[i2] = b0i - u2i;
      re[i1] = b1r + u3r; im[i1] = b1i + u3i;
      re[i3] = b1r - u3r; im[i3] = b1i - u3i;
    }
  }
}

/**
 * FFT of BIT-REVERSED-order input to natural-order output (decimation in time).
 * `inverse` uses sign +i and divides by n.
 */
export function fftFromBitReversed(re: Float64Array, im: Float64Array, inverse = false, lowQuarterOnly = false): void {
  const n = checkPair(re, im);
  if (n <= 1) return;
  if (lowQuarterOnly && n >= 16) { fftFromBitReversedLowQuarter(re, im, n, inverse); return; }
  const { bits, twr, twi } = fftPlan(n);
  let half = 1;
  if (bits & 1) {
    if (n >= 8) {
      // Odd log2 n: the radix-2 stage and the pass of quarter size 2 share one sweep.
      pairsThenDitPass2(re, im, n, inverse ? -1 : 1, twr, twi);
      half = 8;
    } else {
      pairButterflies(re, im, n);
      half = 2;
    }
  }
  if (half === 1 && n >= 4) { ditPass1(re, im, n, inverse ? -1 : 1, twr, twi); half = 4; }
  if (half < n) ditPasses(re, im, n, half, inverse ? -1 : 1, twr, twi);
  if (inverse) scaleBoth(re, im, 1 / n);
}

/**
 * fftFromBitReversed when only outputs 0 … n/4 − 1 are read (`lowQuarterOnly`, n ≥ 16): the last
 * radix-4 pass (quarter size n/4) computes just its first output of each butterfly, with the same
 * operations as the full pass; the rest of re/im is left holding intermediate values.
 */
function fftFromBitReversedLowQuarter(re: Float64Array, im: Float64Array, n: number, inverse: boolean): void {
  const { bits, twr, twi } = fftPlan(n);
  const s = inverse ? -1 : 1;
  let half = 1;
  if (bits & 1) { pairsThenDitPass2(re, im, n, s, twr, twi); half = 8; } else { ditPass1(re, im, n, s, twr, twi); half = 4; }
  if (half < n >> 2) ditPasses(re, im, n, half, s, twr, twi, n >> 2);
  ditLastPassLowQuarter(re, im, n, s, twr, twi);
  if (inverse) { const f = 1 / n; for (let i = 0; i < n >> 2; i++) { re[i] *= f; im[i] *= f; } }
}

/** The DIT pass of quarter size h = n/4, outputs i0 = k < h only (as in ditPasses). */
function ditLastPassLowQuarter(re: Float64Array, im: Float64Array, n: number, s: number, twr: Float64Array, twi: Float64Array): void {
  const h = n >> 2;
  for (let k = 0; k < h; k++) {
    const w1r = twr[h + k], w1i = s * twi[h + k];
    const w2r = twr[2 * h + k], w2i = s * twi[2 * h + k];
    const i0 = k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
    const a0r = re[i0], a0i = im[i0];
    let r = re[i1], q = im[i1];
    const t1r = r * w1r - q * w1i, t1i = r * w1i + q * w1r;
    const a2r = re[i2], a2i = im[i2];
    r = re[i3]; q = im[i3];
    const t3r = r * w1r - q * w1i, t3i = r * w1i + q * w1r;
    const b0r = a0r + t1r, b0i = a0i + t1i;
    const b2r = a2r + t3r, b2i = a2i + t3i;
    const u2r = b2r * w2r - b2i * w2i, u2i = b2r * w2i + b2i * w2r;
    re[i0] = b0r + u2r; im[i0] = b0i + u2i;
  }
}

/** Radix-4 DIT passes of quarter sizes half, 4·half, … < halfEnd (default n); s = −1 conjugates the twiddles. */
function ditPasses(re: Float64Array, im: Float64Array, n: number, half0: number, s: number, twr: Float64Array, twi: Float64Array, halfEnd = n): void {
  for (let half = half0; half < halfEnd; half <<= 2) {
    const h = half, size = 4 * h;
    for (let st = 0; st < n; st += size) {
      for (let k = 0; k < h; k++) {
        const w1r = twr[h + k], w1i = s * twi[h + k];
        const w2r = twr[2 * h + k], w2i = s * twi[2 * h + k];
        const i0 = st + k, i1 = i0 + h, i2 = i1 + h, i3 = i2 + h;
        const a0r = re[i0], a0i = im[i0];
        let r = re[i1], q = im[i1];
        const t1r = r * w1r - q * w1i, t1i = r * w1i + q * w1r;
        const a2r = re[i2], a2i = im[i2];
        r = re[i3]; q = im[i3];
        const t3r = r * w1r - q * w1i, t3i = r * w1i + q * w1r;
        const b0r = a0r + t1r, b0i = a0i + t1i, b1r = a0r - t1r, b1i = a0i - t1i;
        const b2r = a2r + t3r, b2i = a2i + t3i, b3r = a2r - t3r, b3i = a2i - t3i;
        const u2r = b2r * w2r - b2i * w2i, u2i = b2r * w2i + b2i * w2r;
        const v3r = b3r * w2r - b3i * w2i, v3i = b3r * w2i + b3i * w2r;
        // ×(−i) forward, ×(+i) inverse.
        const u3r = s * v3i, u3i = -s * v3r;
        re[i0] = b0r + u2r; im[i0] = b0i + u2i;
        re[i2] = b0r - u2r; im[i2] = b0i - u2i;
        re[i1] = b1r + u3r; im[i1] = b1i + u3i;
        re[i3] = b1r - u3r; im[i3] = b1i - u3i;
      }
    }
  }
}

/** re *= f, im *= f. */
function scaleBoth(re: Float64Array, im: Float64Array, f: number): void {
  for (let i = 0; i < re.length; i++) { re[i] *= f; im[i] *= f; }
}

/** Bit-reversal permutation in place (its own inverse). */
export function bitReverse(re: Float64Array, im: Float64Array): void {
  const n = checkPair(re, im);
  const { bitrev } = fftPlan(n);
  for (let i = 0; i < n; i++) {
    const j = bitrev[i];
    if (j > i) {
      let t = re[i]; re[i] = re[j]; re[j] = t;
      t = im[i]; im[i] = im[j]; im[j] = t;
    }
  }
}

/**
 * In-place complex FFT of (re, im), natural order in and out, length a power of two.
 * `inverse` uses the +i sign and divides by n, so `fft(fft(x), inverse)` returns x.
 */
export function fft(re: Float64Array, im: Float64Array, inverse = false): void {
  bitReverse(re, im);
  fftFromBitReversed(re, im, inverse);
}

/**
 * FFT of a real signal x zero-padded to length n (a power of two ≥ x.length).
 * Returns the full complex spectrum (re, im) of length n in natural order.
 */
export function rfft(x: ArrayLike<number>, n = nextPow2(x.length)): { re: Float64Array; im: Float64Array } {
  if (n < x.length || !isPow2(n)) throw new RangeError(`FFT size ${n} must be a power of two ≥ ${x.length}`);
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < x.length; i++) re[i] = x[i];
  fft(re, im);
  return { re, im };
}

/**
 * Linear (non-circular) autocorrelation A(m) = Σ_{t=0}^{T−1−m} x(t)·x(t+m) for m < T,
 * by zero padding to a power of two ≥ 2T (Wiener–Khinchin). O(T log T).
 */
export function autocorrelation(x: ArrayLike<number>): Float64Array {
  const T = x.length;
  const out = new Float64Array(T);
  if (T === 0) return out;
  const n = nextPow2(2 * T);
  const re = new Float64Array(n), im = new Float64Array(n);
  for (let i = 0; i < T; i++) re[i] = x[i];
  fftForwardBitReversed(re, im, true);
  for (let k = 0; k < n; k++) { re[k] = re[k] * re[k] + im[k] * im[k]; im[k] = 0; }
  fftFromBitReversed(re, im, true);
  for (let m = 0; m < T; m++) out[m] = re[m];
  return out;
}
