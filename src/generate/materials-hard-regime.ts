/**
 * Materials of the hard regime, kept out of MATERIALS so the embedded datasets do not change:
 * every-MD-step output (POTIM 1 fs, NBLOCK 1), an underdamped vibration (period 150 fs, damping
 * 300 fs at 600 K: a ~7 THz Li rattling mode that rings for two periods) of 0.33 Å RMS, and
 * close pairs of sites 1.8 or 2.0 Å apart between 2.75 Å jumps (split-pair lattice). The pair
 * barrier (0.06 eV) is well below the jump barrier (0.18 eV), so an ion on a pair rattles
 * between its two sites (dwells of a few to a few hundred frames) before it jumps on.
 * 50 ions × 20,000 frames = 20 ps per run.
 */
import type { MaterialSpec } from './run.js';

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
  activationEv: 0.18, pairActivationEv: 0.06,
  transitFs: 150, pairTransitFs: 80, arcFraction: 0.15,
};

export const HARD_REGIME_MATERIALS: readonly MaterialSpec[] = [
  { ...pairs, name: 'Li-pair-1.8', lattice: { kind: 'split-pair', hopDistanceA: 2.75, pairDistanceA: 1.8, rep: 3 }, seed: 5005 },
  { ...pairs, name: 'Li-pair-2.0', lattice: { kind: 'split-pair', hopDistanceA: 2.75, pairDistanceA: 2.0, rep: 3 }, seed: 6006 },
  {
    ...everyStep, name: 'Li-sc-every-step',
    lattice: { kind: 'sc', hopDistanceA: 2.5, rep: 5 },
    activationEv: 0.15, transitFs: 150, arcFraction: 0.15,
    seed: 7007,
  },
];
