// The underdamped (Langevin oscillator) vibration: exact propagator, stationary variance and
// damped-cosine autocorrelation at every-step and coarse frame intervals.
import { describe, expect, it } from 'vitest';
import { OscillatorField, oscillatorAutocorrelation, oscillatorStep, type OscillatorParams } from '../../src/generate/langevin.js';
import { Rng } from '../../src/generate/rng.js';
import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { minimumImage } from '../../src/trajectory/lattice.js';
import { testSpec } from './helpers.js';

const osc: OscillatorParams = { periodFs: 150, dampingFs: 300 };

/** Ensemble autocorrelation ⟨x(t0)x(t0 + lag)⟩ of n unit series over `steps` frames, at the given lags. */
function simulate(dt: number, n: number, steps: number, lags: number[], seed: number): { variance: number; acf: number[] } {
  const field = new OscillatorField(n, dt, osc, new Rng(seed, 2));
  const m = n * 3;
  const hist = new Float64Array(steps * m);
  for (let f = 0; f < steps; f++) {
    if (f > 0) field.step();
    hist.set(field.xi, f * m);
  }
  let v = 0;
  for (let i = 0; i < hist.length; i++) v += hist[i] * hist[i];
  const acf = lags.map((lag) => {
    let s = 0, c = 0;
    for (let t0 = 0; t0 + lag < steps; t0 += Math.max(1, Math.floor(lag / 4))) {
      for (let i = 0; i < m; i++) s += hist[t0 * m + i] * hist[(t0 + lag) * m + i];
      c += m;
    }
    return s / c;
  });
  return { variance: v / hist.length, acf };
}

describe('underdamped vibration (Langevin oscillator)', () => {
  it('the propagator is exact: ΦΦᵀ + LLᵀ = I (stationary variance 1) and Φ(2Δ) = Φ(Δ)² at any interval', () => {
    for (const dt of [1, 2, 7.5, 40, 150, 1000, 5000]) {
      const s = oscillatorStep(dt, osc);
      // Q = LLᵀ with L = [[l11, 0], [l21, l22]]
      expect(s.a * s.a + s.b * s.b + s.l11 * s.l11).toBeCloseTo(1, 12);
      expect(s.c * s.c + s.d * s.d + s.l21 * s.l21 + s.l22 * s.l22).toBeCloseTo(1, 12);
      expect(s.a * s.c + s.b * s.d + s.l11 * s.l21).toBeCloseTo(0, 12);
      expect(s.a).toBeCloseTo(oscillatorAutocorrelation(dt, osc), 12);
      const t = oscillatorStep(2 * dt, osc);
      expect(t.a).toBeCloseTo(s.a * s.a + s.b * s.c, 12);
      expect(t.b).toBeCloseTo(s.a * s.b + s.b * s.d, 12);
      expect(t.d).toBeCloseTo(s.c * s.b + s.d * s.d, 12);
    }
    expect(() => oscillatorStep(1e-4, osc)).toThrow(/too short/);
  });

  it('the autocorrelation is the damped cosine e^(−t/τ)[cos ω1t + sin(ω1t)/(ω1τ)]', () => {
    expect(oscillatorAutocorrelation(0, osc)).toBe(1);
    // half a period: strongly negative (an OU process never is)
    expect(oscillatorAutocorrelation(75, osc)).toBeCloseTo(-Math.exp(-0.25), 12);
    expect(oscillatorAutocorrelation(150, osc)).toBeCloseTo(Math.exp(-0.5), 12);
  });

  for (const dt of [1, 2, 25]) {
    it(`simulated at Δ = ${dt} fs: variance 1 and the autocorrelation follows the damped cosine`, () => {
      const lagsFs = [dt, 25, 50, 75, 100, 150, 300];
      const lags = [...new Set(lagsFs.map((l) => Math.round(l / dt)))];
      const steps = Math.round(600 / dt) + 1;
      const r = simulate(dt, 1500, steps, lags, 11 + dt);
      expect(Math.abs(r.variance - 1)).toBeLessThan(0.03);
      lags.forEach((lag, i) => {
        expect(Math.abs(r.acf[i] - oscillatorAutocorrelation(lag * dt, osc)), `lag ${lag * dt} fs`).toBeLessThan(0.04);
      });
    });
  }

  it('a generated every-step run vibrates with the requested RMS, period and damping (resting ions)', () => {
    const spec = testSpec({
      nFrames: 2400, activationEv: 5, potimFs: 1, nblock: 1, vibRmsA: 0.33, vibRefK: 600,
      vibration: { kind: 'underdamped', periodFs: 120, dampingFs: 240 },
    });
    const run = generateRun(spec, 600, 5);
    expect(run.truth.hops.length).toBe(0);
    expect(run.truth.params.vibration).toBe('underdamped');
    expect(run.truth.params.vibPeriodFs).toBe(120);
    const traj = toTrajectory(run);
    const N = spec.nIons, F = run.nFrames, A = run.nAtoms;
    const u = new Float64Array(F * N * 3), v = new Float64Array(3);
    for (let f = 0; f < F; f++) for (let k = 0; k < N; k++) {
      const o = (f * A + k) * 3, site = run.model.sites.subarray(run.kmc.initialSites[k] * 3);
      minimumImage(run.model.lattice, traj.frac[o] - site[0], traj.frac[o + 1] - site[1], traj.frac[o + 2] - site[2], v, 0);
      u.set(v, (f * N + k) * 3);
    }
    const c = (lag: number): number => {
      let s = 0, n = 0;
      for (let f = 0; f + lag < F; f += 3) for (let i = 0; i < N * 3; i++) { s += u[f * N * 3 + i] * u[(f + lag) * N * 3 + i]; n++; }
      return (s / n) * 3; // ⟨u(t)·u(t+lag)⟩ over 3 components
    };
    const c0 = c(0);
    expect(Math.abs(Math.sqrt(c0) / 0.33 - 1)).toBeLessThan(0.05);
    for (const lag of [1, 30, 60, 120, 180]) {
      expect(Math.abs(c(lag) / c0 - oscillatorAutocorrelation(lag, { periodFs: 120, dampingFs: 240 })), `lag ${lag}`).toBeLessThan(0.08);
    }
  });

  it('damping scales as 1/T from its value at vibRefK; the period does not', () => {
    const spec = testSpec({ nFrames: 1200, activationEv: 5, potimFs: 1, nblock: 1, vibration: { kind: 'underdamped', periodFs: 120, dampingFs: 240 } });
    const run = generateRun(spec, 1200, 5);
    expect(run.truth.params.vibDampingFs).toBe(120);
    expect(run.truth.params.vibPeriodFs).toBe(120);
  });
});
