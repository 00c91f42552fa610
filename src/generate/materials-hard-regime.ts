/**
 * Materials of the hard regime, kept out of MATERIALS so the embedded datasets do not change:
 * every-MD-step output (POTIM 1 fs, NBLOCK 1), an underdamped vibration (period 150 fs, damping
 * 300 fs at 600 K: a ~7 THz Li rattling mode that rings for two periods) of 0.33 Å RMS, and
 * close pairs of sites 1.8 or 2.0 Å apart between 2.75 Å jumps (split-pair lattice).
 * 50 ions × 20,000 frames = 20 ps per run.
 *  - 'Li-pair-1.8', 'Li-pair-2.0': pair barrier 0.12 eV, jump 0.27 eV (at 600 K an ion on a pair
 *    changes site every ~1.4 ps, rattling back and forth with exponential dwells, so a few % of
 *    them are < 20 frames; a long jump per ion every ~10 ps, as in Li superionic conductors).
 *  - '-fast' variants: 0.06 / 0.18 eV, rattling every ~0.3 ps, i.e. an ion is in transit a
 *    quarter of the time (the limit where "vibration" and "hop" stop being separate time scales).
 *  - 'Li-sc-every-step': the uniform 2.5 Å sc lattice with the same vibration and sampling.
 */
import type { MaterialSpec } from './material-spec.js';

const everyStep = {
  mobile: 'Li', framework: 'S',
  nIons: 50,
  chainProb: 0, chainMax: 8, chainDelay: [0.2, 0.6] as [number, number],
  attemptTHz: 10,
  vibRmsA: 0.33, vibRefK: 600, frameworkVibScale: 0.7, anisotropy: 0.35,
  vibTauFs: 60,
  vibration: { kind: 'underdamped' as const, periodFs: 150, dampingFs: 300 },
  potimFs: 1, nblock: 1, nFrames: 20000,
  mobileFirst: true,
  temperaturesK: [600],
};

const pairs = {
  ...everyStep,
  activationEv: 0.27, pairActivationEv: 0.12,
  transitFs: 150, pairTransitFs: 100, arcFraction: 0.15,
};
const fast = { activationEv: 0.18, pairActivationEv: 0.06, pairTransitFs: 80 };
const pair18 = { kind: 'split-pair' as const, hopDistanceA: 2.75, pairDistanceA: 1.8, rep: 3 };
const pair20 = { ...pair18, pairDistanceA: 2.0 };

export const HARD_REGIME_MATERIALS: readonly MaterialSpec[] = [
  { ...pairs, name: 'Li-pair-1.8', lattice: pair18, seed: 5005 },
  { ...pairs, name: 'Li-pair-2.0', lattice: pair20, seed: 6006 },
  { ...pairs, ...fast, name: 'Li-pair-1.8-fast', lattice: pair18, seed: 5105 },
  { ...pairs, ...fast, name: 'Li-pair-2.0-fast', lattice: pair20, seed: 6106 },
  {
    ...everyStep, name: 'Li-sc-every-step',
    lattice: { kind: 'sc', hopDistanceA: 2.5, rep: 5 },
    activationEv: 0.3, transitFs: 150, arcFraction: 0.15,
    seed: 7007,
  },
];
