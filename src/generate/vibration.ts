/**
 * Thermal vibration: every atom carries three unit Ornstein–Uhlenbeck processes (time-correlated,
 * stationary variance 1) mapped to Å by a per-site 3×3 matrix M = rms·R·diag(a)/|a|, so the
 * displacement is anisotropic (principal axes R, factors a) with E|u|² = rms² exactly.
 * The exact discrete OU update ξ ← ρξ + √(1−ρ²)·η, ρ = exp(−Δt/τc), is used at the frame times,
 * so sampling is exact for any frame interval. The underdamped alternative (an oscillating
 * vibration, as in every-MD-step output) is the Langevin oscillator of langevin.ts.
 */
import { OscillatorField, type OscillatorParams } from './langevin.js';
import { Rng } from './rng.js';

/**
 * How the unit vibration evolves between frames: 'ou' (default; overdamped, correlation time
 * `vibTauFs`) or 'underdamped' (Langevin harmonic oscillator). The damping time is given at the
 * material's vibRefK and scales as vibRefK/T (phonon lifetimes from three-phonon scattering ∝ 1/T);
 * the period is harmonic, independent of T.
 */
export type VibrationSpec = { kind: 'ou' } | ({ kind: 'underdamped' } & OscillatorParams);

/** Unit-variance vibration of n atoms × 3 components, advanced one frame per step(). */
export interface VibrationField {
  readonly xi: Float64Array;
  step(): void;
}

/** The oscillator parameters at temperature T (damping ∝ 1/T, period fixed). */
export function oscillatorAt(v: OscillatorParams, refK: number, temperatureK: number): OscillatorParams {
  return { periodFs: v.periodFs, dampingFs: (v.dampingFs * refK) / temperatureK };
}

export function vibrationField(
  spec: { vibration?: VibrationSpec; vibTauFs: number; vibRefK: number },
  temperatureK: number, n: number, dtFs: number, rng: Rng,
): VibrationField {
  const v = spec.vibration;
  if (v?.kind === 'underdamped') return new OscillatorField(n, dtFs, oscillatorAt(v, spec.vibRefK, temperatureK), rng);
  return new OuField(n, dtFs, spec.vibTauFs, rng);
}

/** Random rotation (uniform unit quaternion) times diag(a)/|a|, row-major 3×3. */
export function anisotropicMatrix(rng: Rng, anisotropy: number): Float64Array {
  let qw = rng.normal(), qx = rng.normal(), qy = rng.normal(), qz = rng.normal();
  const qn = Math.hypot(qw, qx, qy, qz);
  qw /= qn; qx /= qn; qy /= qn; qz /= qn;
  const R = [
    1 - 2 * (qy * qy + qz * qz), 2 * (qx * qy - qz * qw), 2 * (qx * qz + qy * qw),
    2 * (qx * qy + qz * qw), 1 - 2 * (qx * qx + qz * qz), 2 * (qy * qz - qx * qw),
    2 * (qx * qz - qy * qw), 2 * (qy * qz + qx * qw), 1 - 2 * (qx * qx + qy * qy),
  ];
  const a = [1 + anisotropy, 1, 1 / (1 + anisotropy)];
  const an = Math.hypot(a[0], a[1], a[2]);
  const M = new Float64Array(9);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) M[i * 3 + j] = (R[i * 3 + j] * a[j]) / an;
  return M;
}

/** Exact OU state for n atoms × 3 components. */
export class OuField implements VibrationField {
  readonly xi: Float64Array;
  private readonly rho: number;
  private readonly kick: number;
  constructor(n: number, dtFs: number, tauFs: number, private readonly rng: Rng) {
    this.xi = new Float64Array(n * 3);
    for (let i = 0; i < this.xi.length; i++) this.xi[i] = rng.normal(); // start stationary
    this.rho = Math.exp(-dtFs / tauFs);
    this.kick = Math.sqrt(1 - this.rho * this.rho);
  }
  step(): void {
    const { xi, rho, kick, rng } = this;
    for (let i = 0; i < xi.length; i++) xi[i] = rho * xi[i] + kick * rng.normal();
  }
}

/** Vibration RMS (3D, Å) at temperature T: harmonic ⟨u²⟩ ∝ T, so rms ∝ √T. */
export function vibRmsAt(rmsRefA: number, refK: number, temperatureK: number): number {
  return rmsRefA * Math.sqrt(temperatureK / refK);
}
