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
 * With `chainFixedSize` S the law is two-point instead: a hop starts a chain of exactly S hops
 * with probability `chainProb` (else it stays isolated), and an attempt whose chain cannot
 * complete is undone entirely (a null event), so every chain has size 1 or S.
 *
 * Two-length lattices (split-pair) give their close-pair edges their own barrier and transit
 * time: attempts run at the fastest edge rate and an edge of rate Γ_e is accepted with
 * probability Γ_e/Γ_max (still exact rates per edge).
 */
import { EDGE_PAIR, type LatticeModel } from './lattice-models.js';
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
  /** Two-point chain law: chains have exactly this many hops (see the file comment). */
  chainFixedSize?: number;
  /** Barrier (eV) of the close-pair edges of a two-length lattice (default: activationEv). */
  pairActivationEv?: number;
  /** Mean transit time (fs) of a close-pair hop (default: transitFs). */
  pairTransitFs?: number;
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

/** Largest chain the parameters allow. */
export function largestChain(p: Pick<KmcParams, 'chainMax' | 'chainFixedSize'>): number {
  return p.chainFixedSize ?? p.chainMax;
}

/** Longest time a chain can take, so callers can stop KMC before the last frame. */
export function maxChainSpanFs(p: KmcParams): number {
  const transit = Math.max(p.transitFs, p.pairTransitFs ?? 0);
  return (largestChain(p) - 1) * p.chainDelay[1] * p.transitFs + 1.25 * transit;
}

export function hopRatePerFs(p: Pick<KmcParams, 'activationEv' | 'attemptTHz' | 'temperatureK'>): number {
  return p.attemptTHz * 1e-3 * Math.exp(-p.activationEv / (KB_EV_PER_K * p.temperatureK));
}

/** Γ (per fs) of a close-pair edge. */
export function pairHopRatePerFs(p: KmcParams): number {
  return hopRatePerFs({ ...p, activationEv: p.pairActivationEv ?? p.activationEv });
}

/** Undo log of the state a chain attempt touched (fixed-size chains roll back when they cannot complete). */
class Journal {
  private readonly arrays: (Float64Array | Int32Array)[] = [];
  private readonly index: number[] = [];
  private readonly old: number[] = [];
  set(arr: Float64Array | Int32Array, i: number, v: number): void {
    this.arrays.push(arr); this.index.push(i); this.old.push(arr[i]);
    arr[i] = v;
  }
  rollback(): void {
    for (let k = this.arrays.length - 1; k >= 0; k--) this.arrays[k][this.index[k]] = this.old[k];
    this.clear();
  }
  clear(): void {
    this.arrays.length = 0; this.index.length = 0; this.old.length = 0;
  }
}

/** Occupation, busy/blocked windows and the hop list of one KMC run, changed only through the journal. */
class KmcState {
  readonly siteOcc: Int32Array;
  readonly siteBlockedUntil: Float64Array;
  readonly ionBusyUntil: Float64Array;
  readonly hops: KmcHop[] = [];
  readonly journal = new Journal();
  private readonly cand: number[] = [];

  constructor(private readonly m: LatticeModel, private readonly p: KmcParams, private readonly rng: Rng, readonly ionSite: Int32Array) {
    this.siteOcc = new Int32Array(m.nSites).fill(-1);
    for (let i = 0; i < ionSite.length; i++) this.siteOcc[ionSite[i]] = i;
    this.siteBlockedUntil = new Float64Array(m.nSites);
    this.ionBusyUntil = new Float64Array(ionSite.length);
  }

  private edgeIndex(from: number, to: number): number {
    const { nbrStart, nbr } = this.m;
    for (let e = nbrStart[from]; e < nbrStart[from + 1]; e++) if (nbr[e] === to) return e;
    throw new Error(`sites ${from} and ${to} are not neighbours`);
  }

  private hop(ion: number, from: number, to: number, t0: number, chainId: number, follower: boolean): void {
    const { p, journal: j, m } = this;
    const e = this.edgeIndex(from, to);
    const transit = m.edgeClass?.[e] === EDGE_PAIR ? (p.pairTransitFs ?? p.transitFs) : p.transitFs;
    const dur = transit * this.rng.uniform(0.8, 1.25);
    this.hops.push({ ion, from, to, tStartFs: t0, durationFs: dur, chainId, dx: m.edgeVec[e * 3], dy: m.edgeVec[e * 3 + 1], dz: m.edgeVec[e * 3 + 2] });
    j.set(this.siteOcc, from, -1);
    j.set(this.siteBlockedUntil, from, t0 + dur);
    j.set(this.siteOcc, to, ion);
    if (!follower) j.set(this.siteBlockedUntil, to, 0);
    j.set(this.ionSite, ion, to);
    j.set(this.ionBusyUntil, ion, t0 + dur);
  }

  /** Initiating hop plus up to want − 1 followers; returns the size reached. */
  chain(ion: number, from: number, to: number, t: number, want: number, chainId: number): number {
    const { p, m, rng, cand } = this;
    this.journal.clear();
    this.hop(ion, from, to, t, chainId, false);
    let size = 1, vacated = from, last = ion, tPrev = t;
    while (size < want) {
      const tf = tPrev + p.transitFs * rng.uniform(p.chainDelay[0], p.chainDelay[1]);
      cand.length = 0;
      for (let e = m.nbrStart[vacated]; e < m.nbrStart[vacated + 1]; e++) {
        const o = this.siteOcc[m.nbr[e]];
        if (o >= 0 && o !== last && this.ionBusyUntil[o] <= tf) cand.push(o);
      }
      if (cand.length === 0) break;
      const f = cand[rng.int(cand.length)];
      const fFrom = this.ionSite[f];
      this.hop(f, fFrom, vacated, tf, chainId, true);
      // The follower enters `vacated` while its previous owner is still leaving: allowed.
      this.journal.set(this.siteBlockedUntil, vacated, 0);
      vacated = fFrom;
      last = f;
      tPrev = tf;
      size++;
    }
    return size;
  }

  /** Undo the attempt the journal holds (its hops are the last `n` of the list). */
  undo(n: number): void {
    this.journal.rollback();
    this.hops.length -= n;
  }
}

export function runKmc(model: LatticeModel, p: KmcParams, rng: Rng): KmcResult {
  const { nSites, nbrStart, nbr, zMax, edgeClass } = model;
  const N = p.nIons;
  if (N < 1 || N >= nSites) throw new Error(`need 1 ≤ ions < sites (ions ${N}, sites ${nSites})`);
  // Random initial occupation (partial Fisher–Yates).
  const perm = Int32Array.from({ length: nSites }, (_, i) => i);
  for (let i = 0; i < N; i++) {
    const k = i + rng.int(nSites - i);
    const t = perm[i]; perm[i] = perm[k]; perm[k] = t;
  }
  const initialSites = perm.slice(0, N);
  const st = new KmcState(model, p, rng, perm.slice(0, N));
  const { siteOcc, siteBlockedUntil, ionBusyUntil, ionSite } = st;

  const gamma = hopRatePerFs(p);
  const gammaPair = edgeClass ? pairHopRatePerFs(p) : gamma;
  const gMax = Math.max(gamma, gammaPair);
  const totalRate = N * zMax * gMax;
  const chainSizes: number[] = [];
  let truncations = 0;

  let t = 0;
  if (gMax > 0) {
    for (;;) {
      t += rng.exponential(totalRate);
      if (t > p.tEndFs) break;
      const ion = rng.int(N);
      const slot = rng.int(zMax);
      if (ionBusyUntil[ion] > t) continue;
      const from = ionSite[ion];
      if (slot >= nbrStart[from + 1] - nbrStart[from]) continue;
      const e = nbrStart[from] + slot;
      const to = nbr[e];
      if (siteOcc[to] >= 0 || siteBlockedUntil[to] > t) continue;
      if (edgeClass) {
        const rate = edgeClass[e] === EDGE_PAIR ? gammaPair : gamma;
        if (rate < gMax && rng.next() * gMax >= rate) continue;
      }
      // Draw the chain size first so truncation can be counted against the requested law.
      let want = 1;
      if (p.chainFixedSize !== undefined) {
        if (rng.next() < p.chainProb) want = p.chainFixedSize;
      } else {
        while (want < p.chainMax && rng.next() < p.chainProb) want++;
      }
      const size = st.chain(ion, from, to, t, want, chainSizes.length);
      if (size < want) {
        truncations++;
        if (p.chainFixedSize !== undefined) { st.undo(size); continue; }
      }
      chainSizes.push(size);
    }
  }
  const hops = st.hops;
  hops.sort((a, b) => a.tStartFs - b.tStartFs || a.ion - b.ion);
  return { initialSites, hops, chainSizes, chainTruncations: truncations, rateFs: gamma };
}
