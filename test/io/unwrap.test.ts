// Unwrapping (src/trajectory/unwrap.ts) on reader output: straight lines across the boundary of a
// triclinic cell, and wrapped → unwrapped → wrapped identity on a real trajectory.
import { describe, expect, it } from 'vitest';
import { emptyMetadata, latticeAt, type Trajectory } from '../../src/trajectory/types.js';
import { inverse3, minimumImage } from '../../src/trajectory/lattice.js';
import { frameworkDrift, unwrap } from '../../src/trajectory/unwrap.js';
import { stepRms } from '../../src/io/run.js';
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

describe('unwrap: fast paths equal the plain minimum-image walk', () => {
  /** The plain walk: every step through the 27-image search, Math.round as written. */
  function reference(t: Trajectory, atoms: Int32Array): Float64Array {
    const n = atoms.length, out = new Float64Array(t.nFrames * n * 3), v = new Float64Array(3);
    for (let k = 0; k < n; k++) {
      const a = atoms[k] * 3, L = latticeAt(t, 0);
      for (let c = 0; c < 3; c++) out[k * 3 + c] = t.frac[a] * L[c] + t.frac[a + 1] * L[3 + c] + t.frac[a + 2] * L[6 + c];
    }
    for (let f = 1; f < t.nFrames; f++) {
      const L = latticeAt(t, f);
      for (let k = 0; k < n; k++) {
        const a = atoms[k] * 3, cur = f * t.nAtoms * 3, prev = (f - 1) * t.nAtoms * 3;
        minimumImage(L, t.frac[cur + a] - t.frac[prev + a], t.frac[cur + a + 1] - t.frac[prev + a + 1], t.frac[cur + a + 2] - t.frac[prev + a + 2], v, 0);
        for (let c = 0; c < 3; c++) out[(f * n + k) * 3 + c] = out[((f - 1) * n + k) * 3 + c] + v[c];
      }
    }
    return out;
  }

  it('bit for bit on a triclinic cell with steps of every size, and the drift is the mean of the walk', () => {
    const L = [6, 0, 0, 2.5, 5.5, 0, 1.5, -1.2, 7];
    const T = 400, nA = 5;
    let s = 12345;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    const frac = new Float64Array(T * nA * 3);
    for (let i = 0; i < nA * 3; i++) frac[i] = rnd();
    for (let f = 1; f < T; f++) for (let i = 0; i < nA * 3; i++) {
      // mostly small steps, some of ±0.5 exactly and some large (long vectors need the image search)
      const r = rnd(), step = r < 0.05 ? 0.5 : r < 0.1 ? -0.5 : r < 0.2 ? rnd() - 0.5 : 0.02 * (rnd() - 0.5);
      const x = frac[(f - 1) * nA * 3 + i] + step;
      frac[f * nA * 3 + i] = x - Math.floor(x);
    }
    const t: Trajectory = {
      nFrames: T, nAtoms: nA, species: ['Li', 'S'], counts: [2, 3], speciesOf: Uint16Array.from([0, 0, 1, 1, 1]),
      frac, lattice: Float64Array.from(L), variableCell: false,
      segments: [{ file: 'synthetic', startFrame: 0, nFrames: T }], discontinuities: [], metadata: emptyMetadata('synthetic'), warnings: [],
    };
    const all = Int32Array.from([0, 1, 2, 3, 4]);
    const u = unwrap(t);
    expect(Buffer.from(u.buffer).equals(Buffer.from(reference(t, all).buffer))).toBe(true);
    // Drift: mean over the framework of (u_f − u_0), from the reference walk.
    const fw = Int32Array.from([2, 3, 4]), r = reference(t, fw), d = new Float64Array(T * 3);
    for (let f = 0; f < T; f++) for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let k = 0; k < 3; k++) sum += r[(f * 3 + k) * 3 + c] - r[k * 3 + c];
      d[f * 3 + c] = sum / 3;
    }
    expect(Buffer.from(frameworkDrift(t, fw).buffer).equals(Buffer.from(d.buffer))).toBe(true);
    const mob = unwrap(t, { atoms: Int32Array.from([0, 1]), removeDriftExcept: ['Li'] });
    const ref = reference(t, Int32Array.from([0, 1]));
    for (let f = 0; f < T; f++) for (let k = 0; k < 2; k++) for (let c = 0; c < 3; c++) {
      expect(Object.is(mob[(f * 2 + k) * 3 + c], ref[(f * 2 + k) * 3 + c] - d[f * 3 + c])).toBe(true);
    }
  });

  it('float32: every value is the float64 result rounded once (no error accumulated along the path), on a SharedArrayBuffer when asked', () => {
    const L = [6, 0, 0, 2.5, 5.5, 0, 1.5, -1.2, 7];
    // a long random walk, so that rounding errors would accumulate if the path were summed in float32
    const t = synthetic(L, 20_000, [5.5, 0.3, 6.5], [0.011, -0.007, 0.013]);
    for (let f = 0; f < t.nFrames; f++) t.frac[f * 6 + 3 + (f % 3)] = (0.5 + 0.01 * Math.sin(f)) % 1; // a framework that wiggles
    const opts = { removeDriftExcept: ['Li'] };
    const u64 = unwrap(t, opts), u32 = unwrap(t, { ...opts, float32: true, shared: true });
    expect(u32).toBeInstanceOf(Float32Array);
    expect(u32.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(unwrap(t, opts).buffer).toBeInstanceOf(ArrayBuffer);
    let maxErr = 0, maxRel = 0;
    for (let i = 0; i < u64.length; i++) {
      expect(u32[i]).toBe(Math.fround(u64[i]));
      maxErr = Math.max(maxErr, Math.abs(u32[i] - u64[i]));
      if (u64[i] !== 0) maxRel = Math.max(maxRel, Math.abs(u32[i] - u64[i]) / Math.abs(u64[i]));
    }
    // half an ulp, relative: 2⁻²⁴ (the walk reaches ~270 Å, where that is 1.6e-5 Å)
    expect(maxErr).toBeGreaterThan(0);
    expect(maxRel).toBeLessThanOrEqual(2 ** -24);
  });

  it('stepRms: the inscribed-radius shortcut gives the 27-image search result', () => {
    const L = [6, 0, 0, 2.5, 5.5, 0, 1.5, -1.2, 7];
    const nA = 50, frac = new Float64Array(2 * nA * 3);
    let s = 7;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let i = 0; i < frac.length; i++) frac[i] = rnd();
    const t: Trajectory = {
      nFrames: 2, nAtoms: nA, species: ['Li'], counts: [nA], speciesOf: new Uint16Array(nA),
      frac, lattice: Float64Array.from(L), variableCell: false,
      segments: [], discontinuities: [], metadata: emptyMetadata('synthetic'), warnings: [],
    };
    const v = new Float64Array(3);
    let sum = 0;
    for (let a = 0; a < nA * 3; a += 3) {
      minimumImage(L, frac[nA * 3 + a] - frac[a], frac[nA * 3 + a + 1] - frac[a + 1], frac[nA * 3 + a + 2] - frac[a + 2], v, 0);
      sum += v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    }
    expect(stepRms(t, 0, 1)).toBe(Math.sqrt(sum / nA));
  });
});
