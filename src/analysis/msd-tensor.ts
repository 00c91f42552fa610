/**
 * The tensor path of tracerMsd (msd.ts `tensor: true`): the mean MSD tensor ⟨Δr_a·Δr_b⟩ from the
 * summed cross spectra of each ion's coordinates, the per-ion linear forms of its six components
 * (msd-tensor-form.ts), optionally per-ion MSDs at chosen lags, and the same work split by ranges
 * of ions for threads.
 *
 * CHUNK SUMS: ions are processed in chunks of `chunkIons` consecutive ions (a fixed function of T
 * and n, never of how the work is split). Each chunk yields its own sums (`TracerChunkSums`:
 * cross spectra, S1 products, the forms of its ions); the totals add the chunks' sums in chunk
 * order (`TracerMsdSum`). So `tracerMsdPart` over any partition of the chunks into ranges, the
 * parts combined in chunk order, gives the very numbers `tracerMsd` gives, bit for bit.
 *
 * Layout: spectra are held in the bit-reversed order of `fftForwardBitReversed`; products of
 * real signals' spectra are symmetric under k ↔ N − k, so only the half indices are kept, compactly
 * (entry j for index half[j]: msd-kernels.ts `halfIndices`), and mirrored when transformed back.
 */
import { fftForwardBitReversed, fftFromBitReversed, fftPlan, nextPow2 } from './fft.js';
import type { Positions } from '../trajectory/types.js';
import { centreSignals, loadChunk, packPair, scratch } from './msd-chunks.js';
import { halfIndices, ionNorms, meanMsd, mirroredCopy, perIonS1, perIonS2, s1Sums, type TracerMsd } from './msd-kernels.js';
import { chunkTensorNormsForm, formKernel, yzForm, zThenXForm, type FormAcc } from './msd-tensor-form.js';

/** What every chunk of one tensor MSD shares: plain numbers and arrays, so it can go to a worker. */
export interface TracerMsdPlan {
  readonly nFrames: number;
  readonly nIons: number;
  /** FFT size, nextPow2(2T). */
  readonly fftSize: number;
  /** Ions per chunk (the last chunk may hold fewer). */
  readonly chunkIons: number;
  /** Lags and weights of the per-ion linear forms (`TracerMsd.perIonTensorForm`), or null. */
  readonly formLags: Int32Array | null;
  readonly formWeights: Float64Array | null;
}

/** The sums of one chunk of ions. */
export interface TracerChunkSums {
  /** Σ over the chunk's ions of the six Re(X̄_a·X_b) (xx, yy, zz, xy, xz, yz), half indices, 6 × H. */
  readonly cross: Float64Array;
  /** Σ over the chunk's ions of x_a(t)·x_b(t) (centred), 6 × T. */
  readonly dTensor: Float64Array;
  /** The chunk's ions' six forms each (ion-major, nc × 6); empty without forms. */
  readonly forms: Float64Array;
}

/** The plan of a tensor MSD of n ions × T frames (forms at `formLags` with `formWeights` when given). */
export function tracerMsdPlan(nFrames: number, nIons: number, formLags?: Int32Array, formWeights?: Float64Array): TracerMsdPlan {
  const T = nFrames, n = nIons;
  if (formLags && formWeights && formLags.length !== formWeights.length) throw new RangeError(`formLags (${formLags.length}) and formWeights (${formWeights.length}) differ in length`);
  const forms = formLags !== undefined && formWeights !== undefined && formLags.length > 0;
  // Ions are processed in chunks copied to [ion][axis][t]; ~24 MB of buffer, 8…64 ions.
  const chunkIons = Math.min(n, Math.max(8, Math.min(64, Math.floor((24 << 20) / (24 * T)))));
  return { nFrames: T, nIons: n, fftSize: nextPow2(2 * T), chunkIons, formLags: forms ? formLags : null, formWeights: forms ? formWeights : null };
}

/** Number of chunks of a plan. */
export function tracerChunkCount(plan: TracerMsdPlan): number {
  return Math.ceil(plan.nIons / plan.chunkIons);
}

/** Work buffers of one thread running chunks of a plan. */
class ChunkWork {
  readonly mirror: Uint32Array;
  readonly half: Uint32Array;
  readonly re: Float64Array;
  readonly im: Float64Array;
  readonly buf: Float64Array;
  readonly sums: Float64Array;
  /** x and y spectra of the current ion (half indices, re then im: 4 × H). */
  readonly spec: Float64Array;
  readonly form: FormAcc | null;
  /** Per-ion powers of the chunk's ions (half indices, nc × H), when per-ion MSDs are asked. */
  readonly pIon: Float64Array | null;
  readonly dIon: Float64Array;
  readonly q: Float64Array;

  constructor(plan: TracerMsdPlan, perIon: boolean) {
    const N = plan.fftSize, T = plan.nFrames, chunk = plan.chunkIons;
    this.mirror = fftPlan(N).mirror;
    this.half = halfIndices(this.mirror);
    const H = this.half.length;
    this.re = scratch('re', N);
    this.im = scratch('im', N);
    this.buf = scratch('buf', chunk * 3 * T);
    this.sums = new Float64Array(chunk * 3);
    this.spec = scratch('spec', 4 * H);
    this.form = plan.formLags !== null && plan.formWeights !== null
      ? formKernel(N, T, plan.formLags, plan.formWeights, this.mirror, this.half, chunk) : null;
    this.pIon = perIon ? scratch('pIon', chunk * H) : null;
    this.dIon = new Float64Array(perIon ? T : 0);
    this.q = new Float64Array(perIon ? T : 0);
  }
}

/** Per-ion MSDs at `lags` (ion-major rows of `perIon`) while the chunks run. */
interface PerIonOut { lags: Int32Array; perIon: Float64Array; lowQuarter: boolean }

/**
 * Chunk `ch` of the plan: its sums into `out` (zeroed here), and with `perIonOut` its ions' MSDs
 * at the lags. Needs the whole frame-major input `u` (n ions per frame).
 */
function runChunk(plan: TracerMsdPlan, w: ChunkWork, u: Positions, ch: number, out: TracerChunkSums, perIonOut: PerIonOut | null): void {
  const T = plan.nFrames, n = plan.nIons, i0 = ch * plan.chunkIons;
  const nc = Math.min(plan.chunkIons, n - i0);
  out.cross.fill(0);
  out.dTensor.fill(0);
  loadChunk(u, T, n * 3, i0, nc, w.buf, w.sums);
  centreSignals(w.buf, T, nc * 3, w.sums);
  chunkSpectraTensor(w.buf, T, nc, w.re, w.im, w.mirror, w.half, w.spec, out.cross, w.pIon, w.form);
  if (w.form !== null) chunkTensorNormsForm(w.buf, T, nc, out.dTensor, w.form, out.forms, 0);
  for (let c = 0; c < nc; c++) {
    if (w.form === null) tensorNorms(w.buf, T, c, out.dTensor);
    if (perIonOut === null) continue;
    const L = perIonOut.lags.length;
    ionNorms(w.buf, T, c, w.dIon);
    s1Sums(w.dIon, T, w.q);
    perIonS1(w.q, T, perIonOut.lags, perIonOut.perIon, (i0 + c) * L);
  }
  if (perIonOut !== null && w.pIon !== null) {
    const L = perIonOut.lags.length, sym = { mirror: w.mirror, half: w.half };
    for (let c = 0; c < nc; c += 2) perIonS2(w.pIon, c, nc, w.re, w.im, T, perIonOut.lags, perIonOut.perIon, (i0 + c) * L, sym, perIonOut.lowQuarter);
  }
}

function emptySums(plan: TracerMsdPlan, H: number, nc: number): TracerChunkSums {
  return { cross: new Float64Array(6 * H), dTensor: new Float64Array(6 * plan.nFrames), forms: new Float64Array(plan.formLags !== null ? nc * 6 : 0) };
}

/**
 * The sums of chunks c0 … c1−1 of the plan (pure: reads `u`, allocates its outputs). For threads:
 * any split of 0 … tracerChunkCount(plan) into ranges, the results fed to one `TracerMsdSum` in
 * chunk order, gives the numbers `tracerMsd(u, T, n, [], { tensor: true, formLags, formWeights })`
 * gives. Each chunk's sums hold 6·(N/2 + 1) + 6·T values (N = plan.fftSize).
 */
export function tracerMsdPart(plan: TracerMsdPlan, u: Positions, c0: number, c1: number): TracerChunkSums[] {
  const nChunks = tracerChunkCount(plan);
  if (!(Number.isInteger(c0) && Number.isInteger(c1) && 0 <= c0 && c0 <= c1 && c1 <= nChunks)) throw new RangeError(`chunk range ${c0}…${c1} outside 0…${nChunks}`);
  if (u.length !== plan.nFrames * plan.nIons * 3) throw new RangeError(`positions length ${u.length} ≠ nFrames·nIons·3 = ${plan.nFrames * plan.nIons * 3}`);
  const w = new ChunkWork(plan, false);
  const out: TracerChunkSums[] = [];
  for (let ch = c0; ch < c1; ch++) {
    const s = emptySums(plan, w.half.length, Math.min(plan.chunkIons, plan.nIons - ch * plan.chunkIons));
    runChunk(plan, w, u, ch, s, null);
    out.push(s);
  }
  return out;
}

/** Adds chunks' sums in chunk order and turns the totals into the mean MSD tensor. */
export class TracerMsdSum {
  private readonly cross: Float64Array;
  private readonly dTensor: Float64Array;
  private readonly forms: Float64Array;
  private next = 0;

  constructor(private readonly plan: TracerMsdPlan) {
    const H = halfIndices(fftPlan(plan.fftSize).mirror).length;
    this.cross = new Float64Array(6 * H);
    this.dTensor = new Float64Array(6 * plan.nFrames);
    this.forms = new Float64Array(plan.formLags !== null ? plan.nIons * 6 : 0);
  }

  /** The sums of the next chunk (chunks must come in order 0, 1, …). */
  add(s: TracerChunkSums): void {
    const ch = this.next;
    if (ch >= tracerChunkCount(this.plan)) throw new RangeError(`all ${ch} chunks were already added`);
    if (s.cross.length !== this.cross.length || s.dTensor.length !== this.dTensor.length) throw new RangeError(`chunk ${ch}: sums of another plan`);
    addInto(this.cross, s.cross);
    addInto(this.dTensor, s.dTensor);
    if (this.forms.length > 0) this.forms.set(s.forms, ch * this.plan.chunkIons * 6);
    this.next++;
  }

  /** The tensor MSD once every chunk is in (perIon empty). */
  result(): TracerMsd {
    const nChunks = tracerChunkCount(this.plan);
    if (this.next !== nChunks) throw new RangeError(`${this.next} of ${nChunks} chunks added`);
    const { nFrames: T, nIons: n, fftSize: N } = this.plan;
    const tensor = tensorMsds(this.cross, this.dTensor, T, n, N);
    const msd = new Float64Array(T);
    for (let m = 0; m < T; m++) msd[m] = tensor[0][m] + tensor[1][m] + tensor[2][m];
    return { msd, perIonLags: new Int32Array(0), perIon: new Float64Array(0), tensor, perIonTensorForm: this.forms };
  }
}

/** a += b elementwise. */
function addInto(a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < a.length; i++) a[i] += b[i];
}

/** The parts of `tracerMsdPart` (in chunk order) combined. */
export function combineTracerMsd(plan: TracerMsdPlan, parts: readonly (readonly TracerChunkSums[])[]): TracerMsd {
  const sum = new TracerMsdSum(plan);
  for (const p of parts) for (const s of p) sum.add(s);
  return sum.result();
}

/**
 * tracerMsd's tensor path on one thread: the chunks in order through one reused set of sums,
 * optionally with per-ion MSDs at `perIonLags` (validated by the caller).
 */
export function tensorTracerMsd(u: Positions, nFrames: number, nIons: number, perIonLags: Int32Array, formLags?: Int32Array, formWeights?: Float64Array): TracerMsd {
  const plan = tracerMsdPlan(nFrames, nIons, formLags, formWeights);
  const L = perIonLags.length;
  let maxLag = 0;
  for (let j = 0; j < L; j++) maxLag = Math.max(maxLag, perIonLags[j]);
  const perIonOut = L > 0 ? { lags: perIonLags, perIon: new Float64Array(nIons * L), lowQuarter: maxLag < plan.fftSize >> 2 } : null;
  const w = new ChunkWork(plan, perIonOut !== null);
  const sum = new TracerMsdSum(plan);
  const s = emptySums(plan, w.half.length, plan.chunkIons);
  const nChunks = tracerChunkCount(plan);
  for (let ch = 0; ch < nChunks; ch++) {
    const nc = Math.min(plan.chunkIons, nIons - ch * plan.chunkIons);
    const sc = s.forms.length === nc * 6 ? s : { ...s, forms: s.forms.subarray(0, nc * 6) };
    runChunk(plan, w, u, ch, sc, perIonOut);
    sum.add(sc);
  }
  const r = sum.result();
  return perIonOut !== null ? { ...r, perIonLags: perIonLags.slice(), perIon: perIonOut.perIon } : r;
}

/**
 * Forward transforms of the chunk's signals, two per FFT: each packed FFT is split into the
 * spectra of its two real signals (A_k = (Z_k + Z̄_{N−k})/2, B_k = (Z_k − Z̄_{N−k})/2i) in the same
 * pass that adds an ion's six Re(X̄_a·X_b) into `cross` and its power |X|²+|Y|²+|Z|² into pIon
 * (when asked). Signals run ion-major (x, y, z of ion 0, then ion 1 …), so pairs come in three
 * kinds by s mod 3: (x_c, y_c) kept in `spec`; (z_c, x_{c+1}): ion c completed, x_{c+1} kept;
 * (y_c, z_c): ion c completed.
 */
function chunkSpectraTensor(
  buf: Float64Array, T: number, nc: number, re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array,
  spec: Float64Array, cross: Float64Array, pIon: Float64Array | null, form: FormAcc | null,
): void {
  const nSig = nc * 3;
  if (form !== null) form.acc.fill(0);
  for (let s = 0; s < nSig; s += 2) {
    packPair(buf, T, s, nSig, re, im);
    fftForwardBitReversed(re, im, true);
    const kind = s % 3, c = (s / 3) | 0;
    if (kind === 0) keepXY(re, im, mirror, half, spec);
    else if (kind === 2) zThenX(re, im, mirror, half, spec, cross, pIon, c, s + 1 < nSig, form);
    else yz(re, im, mirror, half, spec, cross, pIon, c, form);
  }
}

/** Pair (x_c, y_c): both spectra into spec (x at 0…2H, y at 2H…4H; re then im; half indices). */
function keepXY(re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array): void {
  const H = half.length;
  for (let j = 0; j < H; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    spec[j] = 0.5 * (zr + wr); spec[H + j] = 0.5 * (zi - wi);
    spec[2 * H + j] = 0.5 * (zi + wi); spec[3 * H + j] = -0.5 * (zr - wr);
  }
}

/** Pair (z_c, x_{c+1}): ion c's products with its z; then x_{c+1} replaces x_c in spec (same j: read before write). */
function zThenX(
  re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array,
  pIon: Float64Array | null, c: number, hasNext: boolean, form: FormAcc | null,
): void {
  if (form !== null) { zThenXForm(re, im, mirror, half, spec, cross, pIon, c, hasNext, form); return; }
  const H = half.length, pOff = c * H;
  for (let j = 0; j < H; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    const cr = 0.5 * (zr + wr), ci = 0.5 * (zi - wi);
    addProducts(spec[j], spec[H + j], spec[2 * H + j], spec[3 * H + j], cr, ci, cross, H, j, pIon, pOff);
    if (hasNext) { spec[j] = 0.5 * (zi + wi); spec[H + j] = -0.5 * (zr - wr); }
  }
}

/** Pair (y_c, z_c): ion c's products with x from spec. */
function yz(re: Float64Array, im: Float64Array, mirror: Uint32Array, half: Uint32Array, spec: Float64Array, cross: Float64Array, pIon: Float64Array | null, c: number, form: FormAcc | null): void {
  if (form !== null) { yzForm(re, im, mirror, half, spec, cross, pIon, c, form); return; }
  const H = half.length, pOff = c * H;
  for (let j = 0; j < H; j++) {
    const k = half[j], q = mirror[k];
    const zr = re[k], zi = im[k], wr = re[q], wi = im[q];
    addProducts(spec[j], spec[H + j], 0.5 * (zr + wr), 0.5 * (zi - wi), 0.5 * (zi + wi), -0.5 * (zr - wr), cross, H, j, pIon, pOff);
  }
}

/** cross[·H + j] += the six Re(X̄_a·X_b) of one ion at half index j; its power into pIon[pOff + j]. */
function addProducts(
  ar: number, ai: number, br: number, bi: number, cr: number, ci: number,
  cross: Float64Array, H: number, j: number, pIon: Float64Array | null, pOff: number,
): void {
  const xx = ar * ar + ai * ai, yy = br * br + bi * bi, zz = cr * cr + ci * ci;
  cross[j] += xx;
  cross[H + j] += yy;
  cross[2 * H + j] += zz;
  cross[3 * H + j] += ar * br + ai * bi;
  cross[4 * H + j] += ar * cr + ai * ci;
  cross[5 * H + j] += br * cr + bi * ci;
  if (pIon !== null) pIon[pOff + j] = xx + yy + zz;
}

/** Chunk ion c: x_a(t)·x_b(t) added into dTensor (6 × T), centred coordinates. */
function tensorNorms(buf: Float64Array, T: number, c: number, dTensor: Float64Array): void {
  const ox = c * 3 * T, oy = ox + T, oz = oy + T;
  for (let t = 0; t < T; t++) {
    const x = buf[ox + t], y = buf[oy + t], z = buf[oz + t];
    dTensor[t] += x * x; dTensor[T + t] += y * y; dTensor[2 * T + t] += z * z;
    dTensor[3 * T + t] += x * y; dTensor[4 * T + t] += x * z; dTensor[5 * T + t] += y * z;
  }
}

/** The six mean MSD components from the summed cross spectra (half indices) and S1 terms (3 inverse FFTs, two real spectra each). */
function tensorMsds(cross: Float64Array, dTensor: Float64Array, T: number, n: number, N: number): Float64Array[] {
  const { mirror } = fftPlan(N);
  const half = halfIndices(mirror), H = half.length;
  const re = scratch('re', N), im = scratch('im', N), q = new Float64Array(T);
  const out: Float64Array[] = [];
  for (let c = 0; c < 6; c += 2) {
    mirroredCopy(cross, c * H, re, mirror, half);
    mirroredCopy(cross, (c + 1) * H, im, mirror, half);
    fftFromBitReversed(re, im, true);
    s1Sums(dTensor.subarray(c * T, (c + 1) * T), T, q);
    out.push(meanMsd(q, re, T, n));
    s1Sums(dTensor.subarray((c + 1) * T, (c + 2) * T), T, q);
    out.push(meanMsd(q, im, T, n));
  }
  return out;
}
