/**
 * Kinetic Monte Carlo of the mobile ions on the site graph, in continuous time.
 *
 * Null-event (rejection) scheme: attempts arrive at the constant total rate N·zMax·Γ; each picks
 * a random ion and neighbour slot and succeeds only if the ion is free and the target site is
 * vacant. That samples exactly rate Γ = ν·exp(−Ea/kB·T) per (free ion, vacant neighbour) pair,
 * with no rate bookkeeping.
 *
 * A hop takes a transit time τ (several frames), during which the ion is "busy" and its source
 * site stays blocked (nobody may jump into a site that is still being left), except for the
 * concerted follower below.
 *
 * Concerted chains: after an initiating hop i→j, with probability `chainProb` an ion on a
 * neighbouring site of the vacated i follows into i after a short delay (string / knock-on
 * motion), and so on, so chain sizes are geometric: P(s) = (1−p)·p^(s−1), capped at `chainMax`.
 * A chain stops early when no free ion neighbours the vacated site ("truncation", counted).
 */
import type { LatticeModel } from './lattice-models.js';
import { Rng } from './rng.js';

export const KB_EV_PER_K = 8.617333262e-5;

export interface KmcParams {
  nIons: number;
  activationEv: number;
  attemptTHz: number;
  temperatureK: number;
  /** Probability that a hop triggers one more hop in its chain. */
  chainProb: number;
  /** Largest chain size. */
  chainMax: number;
  /** Mean transit time (fs); each hop draws τ uniformly in [0.8, 1.25]·transitFs. */
  transitFs: number;
  /** Follower delay after the previous chain member's start, as a fraction of transitFs. */
  chainDelay: [number, number];
  /** Simulated time span (fs): no chain starts later than this. */
  tEndFs: number;
}

/** One hop, in continuous time (fs). `ion` is the mobile-ion index (0..nIons−1). */
export interface KmcHop {
  ion: number;
  from: number;
  to: number;
  tStartFs: number;
  durationFs: number;
  chainId: number;
  /** Displacement (Å) of the hop. */
  dx: number;
  dy: number;
  dz: number;
}

export interface KmcResult {
  /** Site of every ion at t = 0. */
  initialSites: Int32Array;
  /** Hops sorted by start time. */
  hops: KmcHop[];
  /** Size of every chain, indexed by chainId. */
  chainSizes: number[];
  /** Chains that stopped before their drawn size because no free neighbour ion existed. */
  chainTruncations: number;
  /** Γ (per fs) of one ion towards one vacant neighbour. */
  rateFs: number;
}

/** Longest time a chain can take, so callers can stop KMC before the last frame. */
export function maxChainSpanFs(p: KmcParams): number {
  return (p.chainMax - 1) * p.chainDelay[1] * p.transitFs + 1.25 * p.transitFs;
}

export function hopRatePerFs(p: Pick<KmcParams, 'activationEv' | 'attemptTHz' | 'temperatureK'>): number {
  return p.attemptTHz * 1e-3 * Math.exp(-p.activationEv / (KB_EV_PER_K * p.temperatureK));
}

export function runKmc(model: LatticeModel, p: KmcParams, rng: Rng): KmcResult {
  const { nSites, nbrStart, nbr, edgeVec, zMax } = model;
  const N = p.nIons;
  if (N < 1 || N >= nSites) throw new Error(`need 1 ≤ ions < sites (ions ${N}, sites ${nSites})`);
  // Random initial occupation (partial Fisher–Yates).
  const perm = Int32Array.from({ length: nSites }, (_, i) => i);
  for (let i = 0; i < N; i++) {
    const k = i + rng.int(nSites - i);
    const t = perm[i]; perm[i] = perm[k]; perm[k] = t;
  }
  const ionSite = perm.slice(0, N);
  const initialSites = ionSite.slice();
  const siteOcc = new Int32Array(nSites).fill(-1);
  for (let i = 0; i < N; i++) siteOcc[ionSite[i]] = i;
  const siteBlockedUntil = new Float64Array(nSites);
  const ionBusyUntil = new Float64Array(N);

  const gamma = hopRatePerFs(p);
  const totalRate = N * zMax * gamma;
  const hops: KmcHop[] = [];
  const chainSizes: number[] = [];
  let truncations = 0;
  const cand: number[] = [];

  const edgeIndex = (from: number, to: number): number => {
    for (let e = nbrStart[from]; e < nbrStart[from + 1]; e++) if (nbr[e] === to) return e;
    throw new Error(`sites ${from} and ${to} are not neighbours`);
  };
  const doHop = (ion: number, from: number, to: number, t0: number, chainId: number, follower: boolean): number => {
    const dur = p.transitFs * rng.uniform(0.8, 1.25);
    const e = edgeIndex(from, to);
    hops.push({ ion, from, to, tStartFs: t0, durationFs: dur, chainId, dx: edgeVec[e * 3], dy: edgeVec[e * 3 + 1], dz: edgeVec[e * 3 + 2] });
    siteOcc[from] = -1;
    siteBlockedUntil[from] = t0 + dur;
    siteOcc[to] = ion;
    if (!follower) siteBlockedUntil[to] = 0;
    ionSite[ion] = to;
    ionBusyUntil[ion] = t0 + dur;
    return dur;
  };

  let t = 0;
  if (gamma > 0) {
    for (;;) {
      t += rng.exponential(totalRate);
      if (t > p.tEndFs) break;
      const ion = rng.int(N);
      const slot = rng.int(zMax);
      if (ionBusyUntil[ion] > t) continue;
      const from = ionSite[ion];
      if (slot >= nbrStart[from + 1] - nbrStart[from]) continue;
      const to = nbr[nbrStart[from] + slot];
      if (siteOcc[to] >= 0 || siteBlockedUntil[to] > t) continue;
      // Draw the chain size first so truncation can be counted against the requested law.
      let want = 1;
      while (want < p.chainMax && rng.next() < p.chainProb) want++;
      const chainId = chainSizes.length;
      doHop(ion, from, to, t, chainId, false);
      let size = 1;
      let vacated = from;
      let last = ion;
      let tPrev = t;
      while (size < want) {
        const tf = tPrev + p.transitFs * rng.uniform(p.chainDelay[0], p.chainDelay[1]);
        cand.length = 0;
        for (let e = nbrStart[vacated]; e < nbrStart[vacated + 1]; e++) {
          const o = siteOcc[nbr[e]];
          if (o >= 0 && o !== last && ionBusyUntil[o] <= tf) cand.push(o);
        }
        if (cand.length === 0) { truncations++; break; }
        const f = cand[rng.int(cand.length)];
        const fFrom = ionSite[f];
        doHop(f, fFrom, vacated, tf, chainId, true);
        // The follower enters `vacated` while its previous owner is still leaving: allowed.
        siteBlockedUntil[vacated] = 0;
        vacated = fFrom;
        last = f;
        tPrev = tf;
        size++;
      }
      chainSizes.push(size);
    }
  }
  hops.sort((a, b) => a.tStartFs - b.tStartFs || a.ion - b.ion);
  return { initialSites, hops, chainSizes, chainTruncations: truncations, rateFs: gamma };
}
