/**
 * What defines a "material" of the lattice model: geometry, ions, barriers, chains, transit,
 * vibration and sampling (the embedded datasets' MATERIALS and the hard-regime materials).
 */
import type { LatticeSpec } from './lattice-models.js';
import type { VibrationSpec } from './vibration.js';

/** Everything that defines a "material" of the lattice model. */
export interface MaterialSpec {
  name: string;
  /** Mobile element, e.g. "Li". */
  mobile: string;
  /** Framework (anion) element. */
  framework: string;
  lattice: LatticeSpec;
  nIons: number;
  activationEv: number;
  attemptTHz: number;
  chainProb: number;
  chainMax: number;
  /** Two-point chain law: a hop starts a chain of exactly this many hops with probability chainProb. */
  chainFixedSize?: number;
  /** split-pair lattices: barrier (eV) and mean transit (fs) of the close-pair hops. */
  pairActivationEv?: number;
  pairTransitFs?: number;
  /** Mean transit time of a hop (fs); must be ≥ 2.5 frame intervals so every hop spans ≥ 2 frames. */
  transitFs: number;
  /** Follower start delay after the previous chain member, fraction of transitFs. */
  chainDelay: [number, number];
  /** Mobile-ion 3D vibration RMS (Å) at `vibRefK`; scales as √T. */
  vibRmsA: number;
  vibRefK: number;
  /** Framework RMS relative to the mobile ions (heavier, stiffer). */
  frameworkVibScale: number;
  /** OU correlation time (fs); unused when `vibration` is underdamped. */
  vibTauFs: number;
  /** Vibration process (default OU with vibTauFs). */
  vibration?: VibrationSpec;
  /** Anisotropy of the vibration ellipsoid: principal factors 1+a, 1, 1/(1+a). */
  anisotropy: number;
  /** Transit-path bow height as a fraction of the hop distance. */
  arcFraction: number;
  potimFs: number;
  nblock: number;
  nFrames: number;
  /** Species order in the file: mobile first (true) or framework first. */
  mobileFirst: boolean;
  /** Temperatures of the embedded dataset. */
  temperaturesK: number[];
  /** Base seed of the material (geometry and per-temperature seeds derive from it). */
  seed: number;
}
