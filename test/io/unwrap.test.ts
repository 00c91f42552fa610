// Unwrapping (src/trajectory/unwrap.ts) on reader output: straight lines across the boundary of a
// triclinic cell, and wrapped → unwrapped → wrapped identity on a real trajectory.
import { describe, expect, it } from 'vitest';
import { emptyMetadata, latticeAt, type Trajectory } from '../../src/trajectory/types.js';
import { inverse3 } from '../../src/trajectory/lattice.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { loadTrajectory } from '../../src/io/load.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';

function synthetic(L: number[], frames: number, r0: number[], v: number[]): Trajectory {
  const Li = inverse3(L);
  const frac = new Float64Array(frames * 2 * 3);
  for (let f = 0; f < frames; f++) {
    const r = [r0[0] + f * v[0], r0[1] + f * v[1], r0[2] + f * v[2]];
    for (let k = 0; k < 3; k++) {
      const x = r[0] * Li[k] + r[1] * Li[3 + k] + r[2] * Li[6 + k];
      frac[f * 6 + k] = x - Math.floor(x); // wrapped into [0, 1)
      frac[f * 6 + 3 + k] = 0.5; // a still atom
    }
  }
  return {
    nFrames: frames, nAtoms: 2, species: ['Li', 'S'], counts: [1, 1], speciesOf: Uint16Array.from([0, 1]),
    frac, lattice: Float64Array.from(L), variableCell: false,
    segments: [{ file: 'synthetic', startFrame: 0, nFrames: frames }], discontinuities: [], metadata: emptyMetadata('synthetic'), warnings: [],
  };
}

describe('unwrap', () => {
  it('turns straight-line motion across the periodic boundary of a triclinic cell into a straight line', () => {
    const L = [6, 0, 0, 2.5, 5.5, 0, 1.5, -1.2, 7];
    const v = [0.31, -0.23, 0.41];
    const t = synthetic(L, 300, [5.5, 0.3, 6.5], v);
    const u = unwrap(t);
    for (let f = 0; f < t.nFrames; f++) {
      for (let k = 0; k < 3; k++) expect(u[f * 6 + k] - u[k]).toBeCloseTo(f * v[k], 9);
    }
    const crossings = Array.from({ length: 299 }, (_, f) => Math.abs(t.frac[(f + 1) * 6] - t.frac[f * 6]) > 0.5).filter(Boolean).length;
    expect(crossings).toBeGreaterThan(5); // it really did cross the boundary repeatedly
  });

  it.skipIf(!hasRealData)(`wrapped → unwrapped → wrapped is the identity on a real trajectory (${realDataSkipReason})`, async () => {
    const t = await loadTrajectory(realCase('na3ps4_cubic_800k')); // monoclinic cell
    const u = unwrap(t);
    let worst = 0;
    for (let f = 0; f < t.nFrames; f++) {
      const Li = inverse3(latticeAt(t, f));
      for (let a = 0; a < t.nAtoms; a++) {
        const o = (f * t.nAtoms + a) * 3;
        for (let k = 0; k < 3; k++) {
          const x = u[o] * Li[k] + u[o + 1] * Li[3 + k] + u[o + 2] * Li[6 + k];
          const d = x - t.frac[o + k];
          worst = Math.max(worst, Math.abs(d - Math.round(d)));
        }
      }
    }
    expect(worst).toBeLessThan(1e-9);
  });
});
