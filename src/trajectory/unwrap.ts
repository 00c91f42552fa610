import { latticeAt, type Trajectory } from './types.js';
import { inscribedRadius, minimumImage } from './lattice.js';

export interface UnwrapOptions {
  /** Atoms to unwrap (default: all). */
  atoms?: Int32Array;
  /**
   * Remove the centre-of-mass drift of the framework (all atoms not of these elements,
   * equal weights) from every returned position. Default: no drift removal.
   */
  removeDriftExcept?: readonly string[];
}

/**
 * Unwrapped Cartesian positions (Å), frame-major `[frame][k][xyz]` for the selected atoms.
 * Each step is the minimum-image increment between consecutive frames (correct for triclinic
 * cells: the shortest of the 27 images), accumulated from frame 0's Cartesian position.
 * For a variable cell the increment is taken in the cell of the later frame.
 */
export function unwrap(t: Trajectory, opts: UnwrapOptions = {}): Float64Array {
  const atoms = opts.atoms ?? Int32Array.from({ length: t.nAtoms }, (_, i) => i);
  const n = atoms.length;
  const T = t.nFrames;
  const out = new Float64Array(T * n * 3);
  const { frac, nAtoms } = t;
  const tmp = new Float64Array(3);
  const L0 = latticeAt(t, 0);
  for (let k = 0; k < n; k++) {
    const a = atoms[k] * 3;
    const fx = frac[a], fy = frac[a + 1], fz = frac[a + 2];
    out[k * 3] = fx * L0[0] + fy * L0[3] + fz * L0[6];
    out[k * 3 + 1] = fx * L0[1] + fy * L0[4] + fz * L0[7];
    out[k * 3 + 2] = fx * L0[2] + fy * L0[5] + fz * L0[8];
  }
  for (let f = 1; f < T; f++) {
    const L = latticeAt(t, f);
    // A vector shorter than the inscribed-sphere radius is its own minimum image, so the cheap
    // rounded step is exact for every ordinary MD step; only longer ones need the image search.
    const r = inscribedRadius(L), r2 = r * r;
    const cur = f * nAtoms * 3, prev = (f - 1) * nAtoms * 3;
    const o = f * n * 3, po = (f - 1) * n * 3;
    for (let k = 0; k < n; k++) {
      const a = atoms[k] * 3;
      let dx = frac[cur + a] - frac[prev + a];
      let dy = frac[cur + a + 1] - frac[prev + a + 1];
      let dz = frac[cur + a + 2] - frac[prev + a + 2];
      dx -= Math.round(dx); dy -= Math.round(dy); dz -= Math.round(dz);
      tmp[0] = dx * L[0] + dy * L[3] + dz * L[6];
      tmp[1] = dx * L[1] + dy * L[4] + dz * L[7];
      tmp[2] = dx * L[2] + dy * L[5] + dz * L[8];
      if (tmp[0] * tmp[0] + tmp[1] * tmp[1] + tmp[2] * tmp[2] >= r2) minimumImage(L, dx, dy, dz, tmp, 0);
      out[o + k * 3] = out[po + k * 3] + tmp[0];
      out[o + k * 3 + 1] = out[po + k * 3 + 1] + tmp[1];
      out[o + k * 3 + 2] = out[po + k * 3 + 2] + tmp[2];
    }
  }
  if (opts.removeDriftExcept) {
    const mob = new Set(opts.removeDriftExcept);
    const fw: number[] = [];
    for (let i = 0; i < t.nAtoms; i++) if (!mob.has(t.species[t.speciesOf[i]])) fw.push(i);
    if (fw.length > 0) {
      const drift = frameworkDrift(t, Int32Array.from(fw));
      for (let f = 0; f < T; f++) for (let k = 0; k < n; k++) {
        const o = (f * n + k) * 3;
        out[o] -= drift[f * 3]; out[o + 1] -= drift[f * 3 + 1]; out[o + 2] -= drift[f * 3 + 2];
      }
    }
  }
  return out;
}

/** Mean unwrapped displacement of the given atoms from frame 0, per frame (length T·3). */
export function frameworkDrift(t: Trajectory, atoms: Int32Array): Float64Array {
  const u = unwrap(t, { atoms });
  const n = atoms.length, T = t.nFrames;
  const d = new Float64Array(T * 3);
  for (let f = 0; f < T; f++) {
    let sx = 0, sy = 0, sz = 0;
    for (let k = 0; k < n; k++) {
      const o = (f * n + k) * 3, o0 = k * 3;
      sx += u[o] - u[o0]; sy += u[o + 1] - u[o0 + 1]; sz += u[o + 2] - u[o0 + 2];
    }
    d[f * 3] = sx / n; d[f * 3 + 1] = sy / n; d[f * 3 + 2] = sz / n;
  }
  return d;
}
