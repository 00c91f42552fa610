/**
 * The framework's time-averaged positions, in the frame of the site map: every atom not of a
 * mobile species, unwrapped, the framework's drift removed (as `unwrap` removes it from the
 * mobile ions), averaged over frames and wrapped into the cell of frame 0. Computed in blocks of
 * atoms so a long run does not hold the whole framework trajectory.
 */
import { inverse3 } from '../../trajectory/lattice.js';
import { latticeAt, type Trajectory } from '../../trajectory/types.js';
import { frameworkDrift, unwrap } from '../../trajectory/unwrap.js';

export interface FrameworkAverage {
  /** Element of each framework atom (file order). */
  elements: string[];
  /** Time-averaged fractional positions in [0, 1), n × 3. */
  frac: Float64Array;
  /** Thermal spread of each atom about its mean, per axis (Å²: the mean of the three variances); absent when not measured. */
  varA2?: Float64Array;
}

/** Atoms unwrapped at a time (memory: frames × BLOCK × 3 doubles). */
const BLOCK = 64;

/**
 * The time-averaged framework of `t` (empty when the file holds only the mobile species).
 * `removeDrift`: as the mobile positions were unwrapped (`analyze`'s removeDrift option).
 */
export function frameworkAverage(t: Trajectory, mobile: readonly string[], removeDrift = true): FrameworkAverage {
  const mob = new Set(mobile);
  const fw: number[] = [];
  for (let i = 0; i < t.nAtoms; i++) if (!mob.has(t.species[t.speciesOf[i]])) fw.push(i);
  const n = fw.length, T = t.nFrames;
  const frac = new Float64Array(n * 3), varA2 = new Float64Array(n);
  if (n === 0) return { elements: [], frac, varA2 };
  // The mean of (position − drift) is the mean position − the mean drift.
  const meanDrift = [0, 0, 0];
  const drift = removeDrift ? frameworkDrift(t, Int32Array.from(fw)) : new Float64Array(T * 3);
  for (let f = 0; f < T; f++) for (let c = 0; c < 3; c++) meanDrift[c] += drift[f * 3 + c] / T;
  const Linv = inverse3(latticeAt(t, 0));
  for (let b0 = 0; b0 < n; b0 += BLOCK) {
    const atoms = Int32Array.from(fw.slice(b0, b0 + BLOCK));
    const m = atoms.length;
    const pos = unwrap(t, { atoms });
    for (let k = 0; k < m; k++) {
      let x = 0, y = 0, z = 0;
      for (let f = 0; f < T; f++) { const o = (f * m + k) * 3; x += pos[o]; y += pos[o + 1]; z += pos[o + 2]; }
      x = x / T - meanDrift[0]; y = y / T - meanDrift[1]; z = z / T - meanDrift[2];
      // The thermal spread about that mean (with the drift of each frame removed), for the site types' tolerance.
      let ss = 0;
      for (let f = 0; f < T; f++) {
        const o = (f * m + k) * 3;
        const dx = pos[o] - drift[f * 3] - x, dy = pos[o + 1] - drift[f * 3 + 1] - y, dz = pos[o + 2] - drift[f * 3 + 2] - z;
        ss += dx * dx + dy * dy + dz * dz;
      }
      varA2[b0 + k] = ss / T / 3;
      for (let c = 0; c < 3; c++) {
        const v = x * Linv[c] + y * Linv[3 + c] + z * Linv[6 + c];
        frac[(b0 + k) * 3 + c] = v - Math.floor(v);
      }
    }
  }
  return { elements: fw.map((i) => t.species[t.speciesOf[i]]), frac, varA2 };
}
