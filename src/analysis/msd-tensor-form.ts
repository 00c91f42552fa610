/**
 * Per-ion linear forms of the six MSD tensor components (tracerMsd's `formLags`/`formWeights`),
 * accumulated from the spectra tracerMsd computes anyway: the per-ion tensor slopes behind the
 * errors of D along x, y, z and of the principal values (diffusion.ts).
 */
import { fftForwardBitReversed } from './fft.js';

/**
 * A linear form Σ_j g_j·MSD_ab(m_j) per ion (g_j = w_j/(T − m_j) applied to the unnormalised sums):
 * MSD_ab(m)·(T − m) = S1_ab(m) − 2·Σ_s x_a(s)·x_b(s+m) (symmetrised), and Σ_j g_j·ACF(m_j) =
 * Σ_f Re(X̄_a·X_b)(f)·h(f), h(f) = (1/N)·Σ_j g_j·cos(2πf·m_j/N) (weight 2 off the mirror-symmetric
 * frequencies: only half are visited). acc: that spectral part per ion of the chunk (× 6).
 */
export interface FormAcc {
  /** h at the half indices, compact (entry j for index half[j]). */
  h: Float64Array;
  acc: Float64Array;
  /** Running form sums of the chunk's ions between tiles (chunkTensorNormsForm), chunk × 6. */
  part: Float64Array;
  /** k(t) = Σ_j g_j·([t ≤ T−1−m_j] + [t ≥ m_j]): Σ_j g_j·S1_ab(m_j) = Σ_t x_a(t)·x_b(t)·k(t), the same for every ion. */
  k: Float64Array;
}

export function formKernel(N: number, T: number, lags: Int32Array, w: Float64Array, mirror: Uint32Array, half: Uint32Array, chunk: number): FormAcc {
  const re = new Float64Array(N), im = new Float64Array(N);
  const d = new Float64Array(T + 1);
  for (let j = 0; j < lags.length; j++) {
    const m = lags[j], g = w[j] / (T - m);
    re[m] += g;
    d[0] += g; d[T - m] -= g; // t ∈ [0, T−1−m]
    d[m] += g; d[T] -= g; // t ∈ [m, T−1]
  }
  const k = new Float64Array(T);
  let run = 0;
  for (let t = 0; t < T; t++) { run += d[t]; k[t] = run; }
  fftForwardBitReversed(re, im, true);
  const h = new Float64Array(half.length);
  for (let j = 0; j < half.length; j++) { const q = half[j]; h[j] = (mirror[q] === q ? 1 : 2) * re[q] / N; }
  return { h, acc: new Float64Array(chunk * 6), part: new Float64Array(chunk * 6), k };
}

/**
 * msd-tensor.ts's tensorNorms (x_a·x_b of every chunk ion added into dTensor, 6 × T) fused
 * with each ion's six forms: out[o0 + 6c …] = Σ_t x_a·x_b·k(t) − 2·(spectral part in form.acc),
 * centred coordinates. Tiles of NORM_TILE frames, all chunk ions per tile: the dTensor tile stays
 * in cache instead of six T-long streams being read and written once per ion. Every dTensor entry
 * still adds the ions in ascending order and every form sum its frames in ascending order (the
 * running sums are parked in `part` between tiles), so the numbers are the same.
 */
export function chunkTensorNormsForm(buf: Float64Array, T: number, nc: number, dTensor: Float64Array, form: FormAcc, out: Float64Array, o0: number): void {
  const part = form.part;
  part.fill(0, 0, nc * 6);
  for (let t0 = 0; t0 < T; t0 += NORM_TILE) {
    const t1 = Math.min(T, t0 + NORM_TILE);
    for (let c = 0; c < nc; c++) normTile(buf, T, c, t0, t1, dTensor, form.k, part);
  }
  const a = form.acc;
  for (let p = 0; p < nc * 6; p++) out[o0 + p] = part[p] - 2 * a[p];
}

/** Frames of one tile of chunkTensorNormsForm. */
const NORM_TILE = 2048;

/** Frames t0 … t1−1 of chunk ion c: products into dTensor, weighted by k into part[6c …]. */
function normTile(buf: Float64Array, T: number, c: number, t0: number, t1: number, dTensor: Float64Array, k: Float64Array, part: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T, p = c * 6;
  let sxx = part[p], syy = part[p + 1], szz = part[p + 2], sxy = part[p + 3], sxz = part[p + 4], syz = part[p + 5];
  for (let t = t0; t < t1; t++) {
    const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t], w = k[t];
    const xx = x * x, yy = y * y, zz = z * z, xy = x * y, xz = x * z, yzp = y * z;
    dTensor[t] += xx; dTensor[T + t] += yy; dTensor[2 * T + t] += zz;
    dTensor[3 * T + t] += xy; dTensor[4 * T + t] += xz; dTensor[5 * T + t] += yzp;
    sxx += xx * w; syy += yy * w; szz += zz * w; sxy += xy * w; sxz += xz * w; syz += yzp * w;
  }
  part[p] = sxx; part[p + 1] = syy; part[p + 2] = szz; part[p + 3] = sxy; part[p + 4] = sxz; part[p + 5] = syz;
}

// zThenXForm / yzForm: msd-tensor.ts's zThenX / yz (cross spectra, per-ion power; half indices,
// compact) with the spectral part
// of the forms accumulated in the same pass: one read of the spectra instead of two. The products are the very expressions
// formSpectral evaluates (same operands, same order), so every sum is bit-for-bit the same.

/** zThenX and the spectral part of ion c's six forms (x, y from spec; z from the pair) into form.acc[c·6 …]. */
export function zThenXForm(
  re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array,
  pIon: Float64Array | null, c: number, hasNext: boolean, form: FormAcc,
): void {
  const H = half.length, pOff = c * H, h = form.h;
  let sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0;
  for (let j = 0; j < H; j++) {
    const k = half[j], q = mirror[k], w = h[j];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    const ar = spec[j], ai = spec[H + j], br = spec[2 * H + j], bi = spec[3 * H + j];
    const cr = 0.5 * (zr + wr), ci = 0.5 * (zi - wi);
    const xx = ar * ar + ai * ai, yy = br * br + bi * bi, zz = cr * cr + ci * ci;
    const xy = ar * br + ai * bi, xz = ar * cr + ai * ci, yzp = br * cr + bi * ci;
    cross[j] += xx; cross[H + j] += yy; cross[2 * H + j] += zz;
    cross[3 * H + j] += xy; cross[4 * H + j] += xz; cross[5 * H + j] += yzp;
    if (pIon !== null) pIon[pOff + j] = xx + yy + zz;
    sxx += xx * w; syy += yy * w; szz += zz * w; sxy += xy * w; sxz += xz * w; syz += yzp * w;
    if (hasNext) { spec[j] = 0.5 * (zi + wi); spec[H + j] = -0.5 * (zr - wr); }
  }
  const a = form.acc, o = c * 6;
  a[o] = sxx; a[o + 1] = syy; a[o + 2] = szz; a[o + 3] = sxy; a[o + 4] = sxz; a[o + 5] = syz;
}

/** yz and the spectral part of ion c's six forms (x from spec; y, z from the pair) into form.acc[c·6 …]. */
export function yzForm(
  re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array,
  pIon: Float64Array | null, c: number, form: FormAcc,
): void {
  const H = half.length, pOff = c * H, h = form.h;
  let sxx = 0, syy = 0, szz = 0, sxy = 0, sxz = 0, syz = 0;
  for (let j = 0; j < H; j++) {
    const k = half[j], q = mirror[k], w = h[j];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    const ar = spec[j], ai = spec[H + j];
    const br = 0.5 * (zr + wr), bi = 0.5 * (zi - wi), cr = 0.5 * (zi + wi), ci = -0.5 * (zr - wr);
    const xx = ar * ar + ai * ai, yy = br * br + bi * bi, zz = cr * cr + ci * ci;
    const xy = ar * br + ai * bi, xz = ar * cr + ai * ci, yzp = br * cr + bi * ci;
    cross[j] += xx; cross[H + j] += yy; cross[2 * H + j] += zz;
    cross[3 * H + j] += xy; cross[4 * H + j] += xz; cross[5 * H + j] += yzp;
    if (pIon !== null) pIon[pOff + j] = xx + yy + zz;
    sxx += xx * w; syy += yy * w; szz += zz * w; sxy += xy * w; sxz += xz * w; syz += yzp * w;
  }
  const a = form.acc, o = c * 6;
  a[o] = sxx; a[o + 1] = syy; a[o + 2] = szz; a[o + 3] = sxy; a[o + 4] = sxz; a[o + 5] = syz;
}

