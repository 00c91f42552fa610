/**
 * The null model of independent hops: each ion's whole hop sequence is shifted circularly in
 * time by its own random offset (seeded). Every ion keeps its hop times relative to each other
 * (rate, residences, back-hops, durations) and every hop keeps its sites and geometry; only the
 * timing BETWEEN ions is randomised, which is exactly what concertedness is about.
 */
import { seededRandom } from '../random.js';
import type { ManyBodyHop } from './pair-relations.js';

/** Offsets (frames) per replicate and atom: `K` replicates, seeded; index [k][atom slot]. */
export interface ShiftPlan {
  /** Distinct atoms of the hops, ascending; `slotOf` maps an atom to its index here. */
  atoms: number[];
  slotOf: Map<number, number>;
  offsets: Int32Array[];
  /** Slot of each hop's atom (filled by startsOf on first use, for the hops the plan was made from). */
  slotOfHop?: Int32Array;
}

export function shiftPlan(hops: readonly ManyBodyHop[], nFrames: number, K: number, seed: number): ShiftPlan {
  const atoms = [...new Set(hops.map((h) => h.atom))].sort((a, b) => a - b);
  const slotOf = new Map(atoms.map((a, i) => [a, i]));
  const rng = seededRandom(seed);
  const offsets: Int32Array[] = [];
  for (let k = 0; k < K; k++) offsets.push(Int32Array.from(atoms, () => Math.floor(rng() * nFrames)));
  return { atoms, slotOf, offsets };
}

/** Start frames of the hops under replicate k (k = −1: observed). */
export function startsOf(hops: readonly ManyBodyHop[], plan: ShiftPlan, k: number, nFrames: number): Int32Array {
  const s = new Int32Array(hops.length);
  if (k < 0) { for (let i = 0; i < hops.length; i++) s[i] = hops[i].first % nFrames; return s; }
  const off = plan.offsets[k], slot = plan.slotOfHop ?? (plan.slotOfHop = Int32Array.from(hops, (h) => plan.slotOf.get(h.atom) as number));
  for (let i = 0; i < hops.length; i++) s[i] = (hops[i].first + off[slot[i]]) % nFrames;
  return s;
}
