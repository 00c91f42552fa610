/**
 * Underdamped thermal vibration: a Langevin harmonic oscillator per atom and component,
 *   dx = v dt,   dv = −ω0² x dt − γ v dt + √(2γ) ω0 dW,
 * in units where x has stationary variance 1 (the caller scales by the RMS). With damping time
 * τ = 2/γ and observed period P = 2π/ω1 (ω1² = ω0² − 1/τ²), the position autocorrelation is the
 * damped cosine  C(t) = e^(−t/τ)·[cos ω1t + sin(ω1t)/(ω1τ)].
 *
 * Sampling is exact at any frame interval Δ: the state (x, w = v/ω0) moves by the 2×2 matrix
 * exponential Φ = exp(AΔ) plus Gaussian noise with the exact conditional covariance Q = I − ΦΦᵀ
 * (I is the stationary covariance in these units), so the stationary variance is exactly 1
 * whether Δ is one MD step or many periods. This is what AIMD frames written every step
 * (VASP NBLOCK = 1, most LAMMPS/MLIP runs) look like: strongly correlated, oscillating.
 */
import type { Rng } from './rng.js';

export interface OscillatorParams {
  /** Observed (damped) period P = 2π/ω1, fs. */
  periodFs: number;
  /** Amplitude damping time τ = 2/γ, fs: the autocorrelation envelope is e^(−t/τ). */
  dampingFs: number;
}

/** One-frame propagator: x' = a·x + b·w + l11·n1, w' = c·x + d·w + l21·n1 + l22·n2. */
export interface OscillatorStep {
  a: number; b: number; c: number; d: number;
  l11: number; l21: number; l22: number;
}

/** Normalized position autocorrelation of the stationary oscillator at lag t (fs). */
export function oscillatorAutocorrelation(tFs: number, p: OscillatorParams): number {
  const w1 = (2 * Math.PI) / p.periodFs;
  const t = Math.abs(tFs);
  return Math.exp(-t / p.dampingFs) * (Math.cos(w1 * t) + Math.sin(w1 * t) / (w1 * p.dampingFs));
}

/** Exact one-interval propagator and Cholesky factor of its noise covariance. */
export function oscillatorStep(dtFs: number, p: OscillatorParams): OscillatorStep {
  if (!(p.periodFs > 0 && p.dampingFs > 0 && dtFs > 0)) throw new Error(`oscillator needs period, damping and interval > 0 (got ${p.periodFs}, ${p.dampingFs}, ${dtFs})`);
  const w1 = (2 * Math.PI) / p.periodFs;
  const inv = 1 / p.dampingFs;
  const w0 = Math.sqrt(w1 * w1 + inv * inv);
  const e = Math.exp(-dtFs * inv);
  const cs = Math.cos(w1 * dtFs), sn = Math.sin(w1 * dtFs);
  // exp(AΔ) = e^(−Δ/τ)[cos·I + (sin/ω1)(A + I/τ)],  A = [[0, ω0], [−ω0, −2/τ]].
  const a = e * (cs + (sn * inv) / w1);
  const b = (e * w0 * sn) / w1;
  const c = -b;
  const d = e * (cs - (sn * inv) / w1);
  const q11 = 1 - a * a - b * b;
  const q21 = -(a * c + b * d);
  const q22 = 1 - c * c - d * d;
  // Q is O(Δ³) in x: below ~1e-4 of a period the subtraction loses its digits.
  if (!(q11 > 1e-12)) throw new Error(`frame interval ${dtFs} fs too short for an exact oscillator step (period ${p.periodFs} fs)`);
  const l11 = Math.sqrt(q11);
  const l21 = q21 / l11;
  const l22 = Math.sqrt(Math.max(0, q22 - l21 * l21));
  return { a, b, c, d, l11, l21, l22 };
}

/** Exact Langevin-oscillator state for n atoms × 3 components; `xi` holds the unit-variance positions. */
export class OscillatorField {
  readonly xi: Float64Array;
  private readonly w: Float64Array;
  private readonly s: OscillatorStep;
  constructor(n: number, dtFs: number, p: OscillatorParams, private readonly rng: Rng) {
    this.s = oscillatorStep(dtFs, p);
    this.xi = new Float64Array(n * 3);
    this.w = new Float64Array(n * 3);
    // Start stationary: x and w = v/ω0 are independent unit normals.
    for (let i = 0; i < this.xi.length; i++) { this.xi[i] = rng.normal(); this.w[i] = rng.normal(); }
  }
  step(): void {
    const { xi, w, rng } = this;
    const { a, b, c, d, l11, l21, l22 } = this.s;
    for (let i = 0; i < xi.length; i++) {
      const n1 = rng.normal(), n2 = rng.normal();
      const x = xi[i], v = w[i];
      xi[i] = a * x + b * v + l11 * n1;
      w[i] = c * x + d * v + l21 * n1 + l22 * n2;
    }
  }
}
