/**
 * What the lattice model predicts, for the truth file and the tests.
 *
 * Hop rate per ion (mean field):  Γ_hop = z·Γ·v·⟨s⟩, with Γ = ν·exp(−Ea/kB·T), v = (Ns−N)/(Ns−1)
 * the probability that a given neighbour site of an ion is vacant (exact for uniform occupancy),
 * and ⟨s⟩ the mean requested chain size (every initiating hop brings ⟨s⟩ − 1 followers).
 * It neglects the short busy/blocked windows (≈ Γ_hop·τ, a few % at the highest T) and chain
 * truncation (reported per run).
 *
 * Tracer D: each hop adds d² to |R|², so the hop-count ("uncorrelated") value is
 * D_u = Γ_hop·d²/6 = ⟨n_hops⟩·d²/(6t). Vacancy-mediated hops are correlated (a just-left site
 * is likely still empty: back hops), so D_tracer = f·D_u with f < 1. We use
 * f(c) ≈ (1 − αc)/(1 + αc), α = (1 − f0)/(1 + f0), which interpolates between f → 1 (c → 0)
 * and the single-vacancy factor f0 of the network (c → 1) — accurate to a few % for plain site
 * exclusion. Concerted chains change f in ways no closed form captures, so the generator also
 * reports `dTracerModelCm2s`: a long lattice-only KMC (same rules, no frames) whose block-
 * averaged MSD gives the model's tracer D with a small statistical error.
 */
import { hopRatePerFs, pairHopRatePerFs, runKmc, type KmcParams } from './kmc.js';
import { EDGE_PAIR, type LatticeModel } from './lattice-models.js';
import { Rng } from './rng.js';

/** Å²/fs → cm²/s. */
export const A2_PER_FS_TO_CM2_PER_S = 0.1;

/** Requested chain-size law: P(s) = (1−p)·p^(s−1) for s < sMax, the tail lumped into sMax. */
export function chainSizeProbabilities(p: number, sMax: number): number[] {
  const out: number[] = [];
  for (let s = 1; s < sMax; s++) out.push((1 - p) * p ** (s - 1));
  out.push(p ** (sMax - 1));
  return out;
}

export function meanChainSize(p: number, sMax: number): number {
  return chainSizeProbabilities(p, sMax).reduce((acc, q, i) => acc + q * (i + 1), 0);
}

/** The requested chain-size law of the parameters: geometric, or two-point {1, S} when chainFixedSize = S. */
export function requestedChainLaw(p: Pick<KmcParams, 'chainProb' | 'chainMax' | 'chainFixedSize'>): number[] {
  if (p.chainFixedSize === undefined) return chainSizeProbabilities(p.chainProb, p.chainMax);
  const law = new Array<number>(p.chainFixedSize).fill(0);
  law[0] += 1 - p.chainProb;
  law[p.chainFixedSize - 1] += p.chainProb;
  return law;
}

function requestedMeanChainSize(p: KmcParams): number {
  if (p.chainFixedSize === undefined) return meanChainSize(p.chainProb, p.chainMax);
  return requestedChainLaw(p).reduce((acc, q, i) => acc + q * (i + 1), 0);
}

export function meanCoordination(m: LatticeModel): number {
  return m.nbr.length / m.nSites;
}

export function correlationFactorApprox(f0: number, concentration: number): number {
  const alpha = (1 - f0) / (1 + f0);
  return (1 - alpha * concentration) / (1 + alpha * concentration);
}

export interface Prediction {
  /** Γ per ion per vacant neighbour (1/ps); of the long jumps on a two-length lattice. */
  gammaPerPs: number;
  /** Two-length lattices: Γ of the close-pair edges (1/ps). */
  gammaPairPerPs?: number;
  /** Expected hops per ion per ps. */
  hopRatePerIonPerPs: number;
  vacancyFactor: number;
  meanChainSize: number;
  correlationFactor: number;
  dUncorrelatedCm2s: number;
  /** null where no closed form exists (two-length lattices). */
  dTracerAnalyticCm2s: number | null;
}

export function predict(m: LatticeModel, p: KmcParams): Prediction {
  if (m.edgeClass) return predictTwoLength(m, m.edgeClass, p);
  const gamma = p.attemptTHz * Math.exp(-p.activationEv / (8.617333262e-5 * p.temperatureK)); // 1/ps
  const v = (m.nSites - p.nIons) / (m.nSites - 1);
  const s = requestedMeanChainSize(p);
  const rate = meanCoordination(m) * gamma * v * s;
  const d2 = m.hopDistanceA ** 2;
  const dU = ((rate * 1e-3 * d2) / 6) * A2_PER_FS_TO_CM2_PER_S;
  const f = correlationFactorApprox(m.f0, p.nIons / m.nSites);
  return { gammaPerPs: gamma, hopRatePerIonPerPs: rate, vacancyFactor: v, meanChainSize: s, correlationFactor: f, dUncorrelatedCm2s: dU, dTracerAnalyticCm2s: f * dU };
}

/**
 * Mean field on a lattice with two edge classes: per ion Γ_hop = (Σ_edges Γ_e / N_sites)·v·⟨s⟩
 * and D_u = (Σ_edges Γ_e d_e² / N_sites)·v·⟨s⟩/6 (uniform occupancy). No correlation factor is
 * known for it: the tracer D is the model KMC's only.
 */
function predictTwoLength(m: LatticeModel, cls: Uint8Array, p: KmcParams): Prediction {
  const gJump = hopRatePerFs(p) * 1e3, gPair = pairHopRatePerFs(p) * 1e3; // 1/ps
  let sumG = 0, sumGd2 = 0;
  for (let e = 0; e < cls.length; e++) {
    const g = cls[e] === EDGE_PAIR ? gPair : gJump;
    sumG += g;
    sumGd2 += g * (m.edgeVec[e * 3] ** 2 + m.edgeVec[e * 3 + 1] ** 2 + m.edgeVec[e * 3 + 2] ** 2);
  }
  const v = (m.nSites - p.nIons) / (m.nSites - 1);
  const s = requestedMeanChainSize(p);
  const rate = (sumG / m.nSites) * v * s;
  const dU = (((sumGd2 / m.nSites) * v * s * 1e-3) / 6) * A2_PER_FS_TO_CM2_PER_S;
  return { gammaPerPs: gJump, gammaPairPerPs: gPair, hopRatePerIonPerPs: rate, vacancyFactor: v, meanChainSize: s, correlationFactor: NaN, dUncorrelatedCm2s: dU, dTracerAnalyticCm2s: null };
}

export interface ModelD {
  dCm2s: number;
  errCm2s: number;
  hops: number;
}

/**
 * Tracer D of the lattice model by a long frame-less KMC: the run is cut into B blocks of
 * ~`hopsPerBlock` hops per ion; every (ion, block) displacement is one sample of |R|²
 * (D = ⟨|R|²⟩/(6·t_block), error from the sample spread). Costs ~N·B·hopsPerBlock hops.
 */
export function latticeModelD(m: LatticeModel, p: KmcParams, seed: number, blocks = 30, hopsPerBlock = 40): ModelD {
  const pred = predict(m, p);
  const rateFs = pred.hopRatePerIonPerPs * 1e-3;
  if (!(rateFs > 0)) return { dCm2s: 0, errCm2s: 0, hops: 0 };
  // Bound the cost for big benchmark systems (≤ ~4e5 hops).
  const B = Math.max(8, Math.min(blocks, Math.floor(4e5 / (p.nIons * hopsPerBlock))));
  const tBlock = hopsPerBlock / rateFs;
  const res = runKmc(m, { ...p, tEndFs: B * tBlock }, new Rng(seed, 9));
  const N = p.nIons;
  const R = new Float64Array(N * B * 3);
  for (const h of res.hops) {
    const b = Math.min(B - 1, Math.floor(h.tStartFs / tBlock));
    const o = (b * N + h.ion) * 3;
    R[o] += h.dx; R[o + 1] += h.dy; R[o + 2] += h.dz;
  }
  let sum = 0, sum2 = 0;
  const n = N * B;
  for (let k = 0; k < n; k++) {
    const r2 = R[k * 3] ** 2 + R[k * 3 + 1] ** 2 + R[k * 3 + 2] ** 2;
    sum += r2; sum2 += r2 * r2;
  }
  const mean = sum / n;
  const sd = Math.sqrt(Math.max(0, sum2 / n - mean * mean));
  const scale = A2_PER_FS_TO_CM2_PER_S / (6 * tBlock);
  return { dCm2s: mean * scale, errCm2s: (sd / Math.sqrt(n)) * scale, hops: res.hops.length };
}
