import { latticeAt, type Positions, type Trajectory } from './types.js';
import { inscribedRadius, minimumImage } from './lattice.js';

export interface UnwrapOptions {
  /** Atoms to unwrap (default: all). */
  atoms?: Int32Array;
  /**
   * Remove the centre-of-mass drift of the framework (all atoms not of these elements,
   * equal weights) from every returned position. Default: no drift removal.
   */
  removeDriftExcept?: readonly string[];
  /**
   * Store the result as float32 (half the memory). Each atom's path is still accumulated in
   * float64 and only the stored value is rounded, so the error does not grow with the run: it
   * is half an ulp, < 2⁻²⁴ of the distance from the origin (≤ 1.9e-6 Å within 64 Å, 3.8e-6 Å within 128 Å).
   */
  float32?: boolean;
  /** Allocate the result on a SharedArrayBuffer (handed to worker threads without a copy). */
  shared?: boolean;
}

/** A typed array of `n` values, float32 or float64, on a SharedArrayBuffer when `shared`. */
export function positionsArray(n: number, float32: boolean, shared: boolean): Positions {
  const bytes = n * (float32 ? 4 : 8);
  const buf = shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
  return float32 ? new Float32Array(buf) : new Float64Array(buf);
}

/**
 * Unwrapped Cartesian positions (Å), frame-major `[frame][k][xyz]` for the selected atoms.
 * Each step is the minimum-image increment between consecutive frames (correct for triclinic
 * cells: the shortest of the 27 images), accumulated from frame 0's Cartesian position.
 * For a variable cell the increment is taken in the cell of the later frame.
 */
export function unwrap(t: Trajectory, opts?: UnwrapOptions & { float32?: false }): Float64Array;
export function unwrap(t: Trajectory, opts?: UnwrapOptions): Positions;
export function unwrap(t: Trajectory, opts: UnwrapOptions = {}): Positions {
  const atoms = opts.atoms ?? Int32Array.from({ length: t.nAtoms }, (_, i) => i);
  const n = atoms.length;
  const T = t.nFrames;
  let drift: Float64Array | null = null;
  if (opts.removeDriftExcept) {
    const mob = new Set(opts.removeDriftExcept);
    const fw: number[] = [];
    for (let i = 0; i < t.nAtoms; i++) if (!mob.has(t.species[t.speciesOf[i]])) fw.push(i);
    if (fw.length > 0) drift = frameworkDrift(t, Int32Array.from(fw));
  }
  const fixedR = fixedRadius(t);
  if (opts.float32) {
    // The running positions in float64 (n·3 values), each frame written rounded: the same
    // float64 values as below, rounded once.
    const out = positionsArray(T * n * 3, true, opts.shared ?? false);
    const cur = new Float64Array(n * 3);
    startPositions(t, atoms, cur);
    for (let f = 0; f < T; f++) {
      if (f > 0) step(t, atoms, f, cur, 0, cur, 0, null, null, fixedR);
      const dx = drift ? drift[f * 3] : 0, dy = drift ? drift[f * 3 + 1] : 0, dz = drift ? drift[f * 3 + 2] : 0;
      for (let k = 0, o = f * n * 3; k < n * 3; k += 3, o += 3) {
        out[o] = cur[k] - dx; out[o + 1] = cur[k + 1] - dy; out[o + 2] = cur[k + 2] - dz;
      }
    }
    return out;
  }
  const out = positionsArray(T * n * 3, false, opts.shared ?? false) as Float64Array;
  startPositions(t, atoms, out);
  for (let f = 1; f < T; f++) step(t, atoms, f, out, (f - 1) * n * 3, out, f * n * 3, null, null, fixedR);
  if (drift) {
    for (let f = 0; f < T; f++) {
      const dx = drift[f * 3], dy = drift[f * 3 + 1], dz = drift[f * 3 + 2];
      for (let o = f * n * 3, e = o + n * 3; o < e; o += 3) { out[o] -= dx; out[o + 1] -= dy; out[o + 2] -= dz; }
    }
  }
  return out;
}

/** Mean unwrapped displacement of the given atoms from frame 0, per frame (length T·3). */
export function frameworkDrift(t: Trajectory, atoms: Int32Array): Float64Array {
  // The same walk as `unwrap`, but only the current frame is kept (the framework's unwrapped
  // trajectory is never needed whole): the displacement sums are taken as each frame is reached,
  // atom by atom in the same order, so the values are those of averaging `unwrap`'s output.
  const n = atoms.length, T = t.nFrames;
  const d = new Float64Array(T * 3);
  const first = new Float64Array(n * 3), cur = new Float64Array(n * 3);
  startPositions(t, atoms, first);
  cur.set(first);
  const fixedR = fixedRadius(t);
  // Frame 0: every displacement is x − x = 0.
  for (let f = 1; f < T; f++) {
    step(t, atoms, f, cur, 0, cur, 0, first, d, fixedR);
    d[f * 3] /= n; d[f * 3 + 1] /= n; d[f * 3 + 2] /= n;
  }
  return d;
}

/** Inscribed radius of a fixed cell, −1 for a variable one (then taken per frame). */
function fixedRadius(t: Trajectory): number {
  return t.variableCell ? -1 : inscribedRadius(latticeAt(t, 0));
}

/** Cartesian positions of `atoms` in frame 0 into `out[k·3…]`. */
function startPositions(t: Trajectory, atoms: Int32Array, out: Float64Array): void {
  const L0 = latticeAt(t, 0), frac = t.frac;
  for (let k = 0; k < atoms.length; k++) {
    const a = atoms[k] * 3;
    const fx = frac[a], fy = frac[a + 1], fz = frac[a + 2];
    out[k * 3] = fx * L0[0] + fy * L0[3] + fz * L0[6];
    out[k * 3 + 1] = fx * L0[1] + fy * L0[4] + fz * L0[7];
    out[k * 3 + 2] = fx * L0[2] + fy * L0[5] + fz * L0[8];
  }
}

/**
 * One unwrapping step f−1 → f of every atom: `dst[dOff + k·3…] = src[sOff + k·3…] + step_k`
 * (dst may be src). With `first` and `sums`: also adds each new position minus `first` into
 * `sums[f·3…]`, in atom order.
 */
function step(
  t: Trajectory, atoms: Int32Array, f: number, src: Float64Array, sOff: number, dst: Float64Array, dOff: number,
  first: Float64Array | null, sums: Float64Array | null, fixedR: number,
): void {
  const frac = t.frac, nAtoms = t.nAtoms, n = atoms.length;
  const L = latticeAt(t, f);
  const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
  // A vector shorter than the inscribed-sphere radius is its own minimum image, so the cheap
  // rounded step is exact for every ordinary MD step; only longer ones need the image search.
  // (A fixed cell's radius comes from the caller, computed once.)
  const r = fixedR >= 0 ? fixedR : inscribedRadius(L), r2 = r * r;
  const cur = f * nAtoms * 3, prev = (f - 1) * nAtoms * 3;
  let sx = 0, sy = 0, sz = 0;
  let tmp: Float64Array | null = null;
  for (let k = 0; k < n; k++) {
    const a = atoms[k] * 3;
    let dx = frac[cur + a] - frac[prev + a];
    let dy = frac[cur + a + 1] - frac[prev + a + 1];
    let dz = frac[cur + a + 2] - frac[prev + a + 2];
    // x − Math.round(x) is x + 0 for |x| < 0.5 (Math.round gives ±0; + 0 turns −0 into +0 as
    // the subtraction does), so the common case skips Math.round (the hot spot of this loop).
    dx = dx > -0.5 && dx < 0.5 ? dx + 0 : dx - Math.round(dx);
    dy = dy > -0.5 && dy < 0.5 ? dy + 0 : dy - Math.round(dy);
    dz = dz > -0.5 && dz < 0.5 ? dz + 0 : dz - Math.round(dz);
    let x = dx * L0 + dy * L3 + dz * L6;
    let y = dx * L1 + dy * L4 + dz * L7;
    let z = dx * L2 + dy * L5 + dz * L8;
    if (x * x + y * y + z * z >= r2) {
      tmp ??= new Float64Array(3);
      minimumImage(L, dx, dy, dz, tmp, 0);
      x = tmp[0]; y = tmp[1]; z = tmp[2];
    }
    const o = dOff + k * 3, p = sOff + k * 3;
    const nx = src[p] + x, ny = src[p + 1] + y, nz = src[p + 2] + z;
    dst[o] = nx; dst[o + 1] = ny; dst[o + 2] = nz;
    if (first !== null) { sx += nx - first[k * 3]; sy += ny - first[k * 3 + 1]; sz += nz - first[k * 3 + 2]; }
  }
  if (sums !== null) { sums[f * 3] = sx; sums[f * 3 + 1] = sy; sums[f * 3 + 2] = sz; }
}
