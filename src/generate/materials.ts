/**
 * The four "materials" of the embedded datasets. Choices (see datasets/README.md):
 * - frame intervals 25–50 fs (POTIM × NBLOCK as in production AIMD), transit times 150–250 fs
 *   (5–6 frames; barrier crossings in Li/Na conductors take ~0.1–0.3 ps), OU correlation time
 *   60–80 fs (a ~10 THz rattling mode), vibration RMS 0.12–0.25 Å;
 * - Ea/ν/T chosen so the mean residence time (1/Γ_hop ≥ 2 ps) is ≫ the transit time at the
 *   highest T, and each run has ~5–20 hops at the lowest T and hundreds at the highest.
 */
import { sitesFor, type LatticeSpec } from './lattice-models.js';
import { HARD_REGIME_MATERIALS } from './materials-hard-regime.js';
import type { MaterialSpec } from './material-spec.js';

const common = {
  chainMax: 8,
  chainDelay: [0.2, 0.6] as [number, number],
  vibRefK: 600,
  frameworkVibScale: 0.7,
  anisotropy: 0.35,
};

export const MATERIALS: readonly MaterialSpec[] = [
  {
    ...common,
    name: 'Li-sc',
    mobile: 'Li', framework: 'S',
    lattice: { kind: 'sc', hopDistanceA: 2.5, rep: 4 },
    nIons: 24,
    activationEv: 0.3, attemptTHz: 6,
    chainProb: 0.15,
    transitFs: 200, arcFraction: 0.15,
    vibRmsA: 0.2, vibTauFs: 60,
    potimFs: 2, nblock: 20, nFrames: 1000,
    mobileFirst: true,
    temperaturesK: [450, 600, 800],
    seed: 1001,
  },
  {
    ...common,
    name: 'Li-bcc',
    mobile: 'Li', framework: 'S',
    lattice: { kind: 'bcc-tet', hopDistanceA: 1.65, rep: 2 },
    nIons: 32,
    activationEv: 0.2, attemptTHz: 6,
    chainProb: 0.4,
    transitFs: 150, arcFraction: 0.2,
    vibRmsA: 0.15, vibTauFs: 60,
    potimFs: 1, nblock: 25, nFrames: 1000,
    mobileFirst: false,
    temperaturesK: [300, 400, 600],
    seed: 2002,
  },
  {
    ...common,
    name: 'Na-hex',
    mobile: 'Na', framework: 'O',
    lattice: { kind: 'hex-layer', hopDistanceA: 3.0, rep: 4, layers: 2 },
    nIons: 24,
    activationEv: 0.25, attemptTHz: 6,
    chainProb: 0.25,
    transitFs: 250, arcFraction: 0.25,
    vibRmsA: 0.22, vibTauFs: 80,
    potimFs: 2, nblock: 25, nFrames: 1000,
    mobileFirst: true,
    temperaturesK: [400, 550, 750],
    seed: 3003,
  },
  {
    ...common,
    name: 'Na-rhombo',
    mobile: 'Na', framework: 'Se',
    lattice: { kind: 'rhombo', hopDistanceA: 3.1, rep: 3, angleDeg: 75 },
    nIons: 18,
    activationEv: 0.4, attemptTHz: 12,
    chainProb: 0,
    transitFs: 180, arcFraction: 0.1,
    vibRmsA: 0.2, vibTauFs: 70,
    potimFs: 1.5, nblock: 20, nFrames: 1200,
    mobileFirst: false,
    temperaturesK: [600, 800, 1000],
    seed: 4004,
  },
];

/** A material of MATERIALS or of the hard regime (HARD_REGIME_MATERIALS), by name (case-insensitive). */
export function materialByName(name: string): MaterialSpec {
  const all = [...MATERIALS, ...HARD_REGIME_MATERIALS];
  const m = all.find((x) => x.name.toLowerCase() === name.toLowerCase());
  if (!m) throw new Error(`unknown material "${name}" (known: ${all.map((x) => x.name).join(', ')})`);
  return m;
}

/**
 * The same material at another size: keep the ion/site concentration and grow the supercell
 * until `nIons` fit (benchmarks: e.g. 500 ions × 50,000 frames).
 */
export function scaledMaterial(base: MaterialSpec, nIons: number, nFrames?: number): MaterialSpec {
  const conc = base.nIons / sitesFor(base.lattice);
  let lattice: LatticeSpec = { ...base.lattice };
  for (let rep = 2; rep < 200; rep++) {
    const cand: LatticeSpec = { ...base.lattice, rep };
    if (cand.kind === 'hex-layer') cand.layers = 2 * Math.max(1, Math.round((3 * rep) / 8));
    if ((cand.kind === 'sc' || cand.kind === 'rhombo') && rep < 3) continue;
    lattice = cand;
    if (sitesFor(cand) * conc >= nIons && sitesFor(cand) > nIons) break;
  }
  return { ...base, lattice, nIons, nFrames: nFrames ?? base.nFrames };
}
