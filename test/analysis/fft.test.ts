import { describe, expect, it } from 'vitest';
import { autocorrelation, fft, fftForwardBitReversed, fftFromBitReversed, nextPow2, rfft } from '../../src/analysis/fft.js';
import { mulberry32 } from '../../src/analysis/diffusion.js';

function dft(re: Float64Array, im: Float64Array): [Float64Array, Float64Array] {
  const n = re.length, or = new Float64Array(n), oi = new Float64Array(n);
  for (let k = 0; k < n; k++) for (let t = 0; t < n; t++) {
    const a = (-2 * Math.PI * ((k * t) % n)) / n;
    or[k] += re[t] * Math.cos(a) - im[t] * Math.sin(a);
    oi[k] += re[t] * Math.sin(a) + im[t] * Math.cos(a);
  }
  return [or, oi];
}

describe('fft', () => {
  const rng = mulberry32(7);
  it.each([1, 2, 4, 8, 16, 32, 64, 512, 1024])('matches the naive DFT and inverts (n=%i)', (n) => {
    const r0 = Float64Array.from({ length: n }, () => rng() - 0.5);
    const i0 = Float64Array.from({ length: n }, () => rng() - 0.5);
    const [er, ei] = dft(r0, i0);
    const re = r0.slice(), im = i0.slice();
    fft(re, im);
    for (let k = 0; k < n; k++) {
      expect(Math.abs(re[k] - er[k])).toBeLessThan(1e-10 * n);
      expect(Math.abs(im[k] - ei[k])).toBeLessThan(1e-10 * n);
    }
    fft(re, im, true);
    for (let k = 0; k < n; k++) {
      expect(Math.abs(re[k] - r0[k])).toBeLessThan(1e-13);
      expect(Math.abs(im[k] - i0[k])).toBeLessThan(1e-13);
    }
    // The bit-reversed pair round-trips too.
    const r2 = r0.slice(), i2 = i0.slice();
    fftForwardBitReversed(r2, i2);
    fftFromBitReversed(r2, i2, true);
    for (let k = 0; k < n; k++) expect(Math.abs(r2[k] - r0[k])).toBeLessThan(1e-13);
  });

  it('rejects sizes that are not powers of two', () => {
    expect(() => fft(new Float64Array(6), new Float64Array(6))).toThrow(/power of two/);
    expect(nextPow2(1000)).toBe(1024);
    expect(rfft([1, 2, 3]).re.length).toBe(4);
  });

  it('autocorrelation equals the direct sum', () => {
    const x = Float64Array.from({ length: 301 }, () => rng() * 4 - 2);
    const a = autocorrelation(x);
    for (let m = 0; m < x.length; m++) {
      let s = 0;
      for (let t = 0; t + m < x.length; t++) s += x[t] * x[t + m];
      expect(Math.abs(a[m] - s)).toBeLessThan(1e-10);
    }
  });
});

describe('fftFromBitReversed, low quarter only', () => {
  it('gives bit-for-bit the first n/4 outputs of the full transform (even and odd log2 n)', () => {
    for (const n of [16, 32, 64, 2048, 8192]) for (const inverse of [false, true]) {
      let seed = n;
      const rnd = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 - 0.5; };
      const re = Float64Array.from({ length: n }, rnd), im = Float64Array.from({ length: n }, rnd);
      const fr = re.slice(), fi = im.slice(), lr = re.slice(), li = im.slice();
      fftFromBitReversed(fr, fi, inverse);
      fftFromBitReversed(lr, li, inverse, true);
      expect(Array.from(lr.subarray(0, n / 4))).toEqual(Array.from(fr.subarray(0, n / 4)));
      expect(Array.from(li.subarray(0, n / 4))).toEqual(Array.from(fi.subarray(0, n / 4)));
    }
  });
});
