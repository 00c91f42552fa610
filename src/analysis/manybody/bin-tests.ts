/**
 * Which (relation, lag) bins of related pairs are concerted (concerted.ts, module doc step 2): each
 * bin's reference from the run itself (the fill relation's refill hazard, the other relations'
 * long-lag level), its test against that and the null replicates, the bins bordering concerted
 * ones, and whether more replicates could change a decision.
 */
import { BINS_PER_CLASS, CLASSES, DURING, LONG_LAG_OCTAVES, N_BINS, N_LAG, lagEdge, type HopGeometry, type ManyBodyHop, type PairClass } from './pair-relations.js';
import { normalUpperTail, poissonUpperTail } from '../../stats/special.js';

/** Lag bins from here (x = lag/τ ≥ 1/8) to τ set each class's sequential-correlation level. */
export const PLATEAU_BIN = N_LAG - LONG_LAG_OCTAVES;
/** Index of the fill relation in CLASSES. */
const FILL = CLASSES.indexOf('fill');
const PUSH = CLASSES.indexOf('push');

/** One (class, lag) bin of related pairs: observed against the null. */
export interface PairBin {
  relation: PairClass;
  /** Lag range [lagLo, lagHi) in units of τ, the median residence between hops (frames: × tauFrames). Long-lag bins (≥ 1/8) but fill's have no expectation (NaN): only their observed level is used. */
  lagLo: number;
  lagHi: number;
  /** The DURING bin: B starts while A is in transit, at lags [lagLo, lagHi) = [1/8, 1) (pair-relations.ts). */
  during: boolean;
  observed: number;
  expected: number;
  expectedSd: number;
  pValue: number;
  concerted: boolean;
}

/** Mean and sample standard deviation. */
export function meanSd(xs: readonly number[]): [number, number] {
  if (xs.length === 0) return [NaN, NaN];
  let m = 0;
  for (const x of xs) m += x;
  m /= xs.length;
  let v = 0;
  for (const x of xs) v += (x - m) ** 2;
  return [m, xs.length > 1 ? Math.sqrt(v / (xs.length - 1)) : 0];
}

/**
 * The class's own rate (per unit of x) at long lags, over bin b's width: what sequential
 * correlations give there. `duringWidth`: the DURING bin's width in units of τ.
 */
function plateauLevel(observed: Float64Array, b: number, duringWidth: number): number {
  const c = Math.floor(b / BINS_PER_CLASS), k = b % BINS_PER_CLASS;
  const width = k === DURING ? duringWidth : lagEdge(k + 1 < N_LAG ? k + 1 : N_LAG) - lagEdge(k);
  // The DURING bin holds the long-lag pairs that overlap in time: they are part of the level.
  let plateau = observed[c * BINS_PER_CLASS + DURING];
  for (let v = PLATEAU_BIN; v < N_LAG; v++) plateau += observed[c * BINS_PER_CLASS + v];
  return (plateau * width) / (1 - lagEdge(PLATEAU_BIN));
}

/** The hops' median duration beyond τ/8, in units of τ: the DURING bin's window. */
export function durBeyondMedian(g: HopGeometry): number {
  const d = Array.from(g.durOf, (x) => Math.max(0, x / g.tauFrames - lagEdge(PLATEAU_BIN))).sort((x, y) => x - y);
  return d.length ? d[d.length >> 1] : 0;
}

/**
 * Bins that decideBins could call concerted, from the observed counts alone: a tested bin whose
 * count is at least twice both the long-lag level and the 1/K floor (its excess must be ≥ half
 * the count, and the reference is at least either).
 */
export function candidateBins(observed: Float64Array, K: number, level: Float64Array): Uint8Array {
  const out = new Uint8Array(N_BINS);
  for (let b = 0; b < N_BINS; b++) {
    const o = observed[b];
    if (!isTested(b)) continue;
    // The same expression as decideBins' (o − ref ≥ o/2), so no concerted bin is missed by rounding.
    out[b] = o > 0 && o - level[b] >= 0.5 * o && o - 1 / Math.max(1, K) >= 0.5 * o ? 1 : 0;
  }
  return out;
}

/**
 * Bins with a test: every fill bin (its reference is the refill hazard, refillLevels), and the
 * other relations' lags below τ/8 and DURING bins (their reference is the long-lag level).
 */
function isTested(b: number): boolean {
  const c = Math.floor(b / BINS_PER_CLASS), k = b % BINS_PER_CLASS;
  return c === FILL || k < PLATEAU_BIN || k === DURING;
}

/** The long-lag levels of every bin (plateauLevel), with the fill class's from refillLevels. */
export function referenceLevels(observed: Float64Array, duringWidth: number, fill: Float64Array): Float64Array {
  const out = new Float64Array(N_BINS);
  for (let b = 0; b < N_BINS; b++) out[b] = Math.floor(b / BINS_PER_CLASS) === FILL ? fill[b % BINS_PER_CLASS] : plateauLevel(observed, b, duringWidth);
  return out;
}

/**
 * The fill relation's reference per lag bin, from the observed run's vacancies (module doc,
 * step 2): every hop A opens a vacancy on the site it leaves, which lasts until the first hop
 * reaching that site starts (another atom's: a refill; A's own return ends it too) or the run
 * ends. The refill hazard (refills per vacancy-frame) at lags ≥ τ/8, over every vacancy-frame
 * there, times each bin's vacancy-frames, is what the sublattice's own refill statistics put in
 * the bin. A vacancy can only be refilled once it exists, so refills of independent hops crowd
 * just after it opens (at 3/4 occupancy much faster than the shifted null says); the hazard
 * counts them against the vacancies still open, which the circular shifts cannot.
 *
 * With kinds of vacated site (`fromKind` on every hop: a site map's types) the hazard is each
 * kind's own, times that kind's vacancy-frames per bin, summed: fast-refilled vacancies close
 * early, so a pooled hazard over long lags weighs the slow kind more than the short lags do and
 * understates them (survivor bias). The exposure is not cut at τ: a cut leaves [τ/8, τ) alone,
 * where detected chain followers' refills also fall, and the reference then takes in the signal
 * it is meant to test (BENCHMARKS.md, 2026-12-03 19:05, the refill hazard's exposure).
 */
export function refillLevels(hops: readonly ManyBodyHop[], starts: Int32Array, g: HopGeometry, refillLag: Int32Array, refillOther: Uint8Array, nFrames: number): Float64Array {
  const kinds = hops.length > 0 && hops.every((h) => h.fromKind !== undefined) ? hops.map((h) => h.fromKind as number) : null;
  if (!kinds) return refillLevelsOf(hops.map((_, a) => a), starts, g, refillLag, refillOther, nFrames);
  const byKind = new Map<number, number[]>();
  kinds.forEach((k, a) => { const l = byKind.get(k); if (l) l.push(a); else byKind.set(k, [a]); });
  const out = new Float64Array(BINS_PER_CLASS);
  for (const members of byKind.values()) {
    const part = refillLevelsOf(members, starts, g, refillLag, refillOther, nFrames);
    for (let k = 0; k < BINS_PER_CLASS; k++) out[k] += part[k];
  }
  return out;
}

/** refillLevels over the vacancies the hops `members` open: their hazard times their vacancy-frames per bin. */
function refillLevelsOf(members: readonly number[], starts: Int32Array, g: HopGeometry, refillLag: Int32Array, refillOther: Uint8Array, nFrames: number): Float64Array {
  const lagBinOf = g.lagBinOf, nLag = lagBinOf.length;
  // First lag of each octave bin (lagBinOf does not decrease); binLo[N_LAG] = nLag.
  const binLo = new Int32Array(N_LAG + 1).fill(nLag);
  for (let l = nLag - 1; l >= 0; l--) binLo[lagBinOf[l]] = l;
  for (let k = N_LAG - 1; k >= 0; k--) binLo[k] = Math.min(binLo[k], binLo[k + 1]);
  const refFrom = binLo[PLATEAU_BIN];
  const risk = new Float64Array(BINS_PER_CLASS);
  let events = 0, exposure = 0;
  for (const a of members) {
    const life = refillLag[a] >= 0 ? refillLag[a] : nFrames - 1 - starts[a];
    if (life < 0) continue;
    if (refillLag[a] >= refFrom && refillOther[a]) events++;
    exposure += Math.max(0, life - refFrom + 1);
    const top = Math.min(life, nLag - 1), dA = g.durOf[a];
    for (let k = 0; k < N_LAG; k++) {
      const lo = binLo[k], hi = Math.min(binLo[k + 1] - 1, top);
      if (lo > top) break;
      if (hi < lo) continue;
      if (k >= PLATEAU_BIN) {
        const dHi = Math.min(hi, dA);
        if (dHi >= lo) { risk[DURING] += dHi - lo + 1; risk[k] += hi - dHi; } else risk[k] += hi - lo + 1;
      } else risk[k] += hi - lo + 1;
    }
  }
  const h = exposure > 0 ? events / exposure : 0;
  return risk.map((r) => r * h);
}

/**
 * Which (class, lag) bins neither chance nor a sequential correlation explains (module doc, step 2):
 * a bin is concerted when it is significant at alpha / N_BINS with an excess of at least half its
 * count, or, once its relation has such a bin, when it borders a concerted bin of that relation
 * (octave neighbours; DURING borders the octaves on either side of τ/8) and its excess is at
 * least half its count. `level`: each bin's reference from the run itself (referenceLevels).
 */
export function decideBins(observed: Float64Array, reps: readonly Float64Array[], alpha: number, level: Float64Array, kMax: number, occupied: Uint8Array): PairBin[] {
  const out: PairBin[] = [];
  const pure = new Uint8Array(N_BINS);
  for (let b = 0; b < N_BINS; b++) {
    const c = Math.floor(b / BINS_PER_CLASS), k = b % BINS_PER_CLASS;
    const during = k === DURING;
    const lagLo = during ? lagEdge(PLATEAU_BIN) : lagEdge(k), lagHi = during ? 1 : lagEdge(k + 1 < N_LAG ? k + 1 : N_LAG);
    const o = observed[b];
    // Replicates do not count long lags (concertedHops) but for fill: no expectation there.
    if (!isTested(b)) {
      out.push({ relation: CLASSES[c], lagLo, lagHi, during, observed: o, expected: NaN, expectedSd: NaN, pValue: NaN, concerted: false });
      continue;
    }
    const [mu, sd] = meanSd(reps.map((r) => r[b]));
    const t = binTest(o, mu, sd, level[b], alpha, kMax);
    pure[b] = t.pure ? 1 : 0;
    out.push({ relation: CLASSES[c], lagLo, lagHi, during, observed: o, expected: mu, expectedSd: sd, pValue: t.p, concerted: t.concerted });
  }
  extendConcerted(out, pure, occupied);
  return out;
}

/**
 * Bins bordering bin b (decideBins): the nearest octave bins below and above of the same relation
 * that hold pairs (`present`: a bin no whole-frame lag falls in, or that no pair fell in, has
 * nothing to group, so it does not break the run of lags — with τ = 44 frames, lag 1 is already
 * at x = 1/44); DURING borders the octaves on either side of τ/8. Fill and push are one relation
 * at opposite signs of the lag (who starts first: the one leaving, or the one arriving), so the
 * lowest bins of the two border each other.
 */
function neighbours(b: number, present: (b: number) => boolean): number[] {
  const c = Math.floor(b / BINS_PER_CLASS), base = c * BINS_PER_CLASS, k = b % BINS_PER_CLASS;
  const below = (from: number): number => { for (let j = from; j >= 0; j--) if (present(base + j)) return j; return -1; };
  const above = (from: number): number => { for (let j = from; j < N_LAG; j++) if (present(base + j)) return j; return -1; };
  const out: number[] = [];
  if (k === DURING) {
    for (const j of [below(PLATEAU_BIN - 1), above(PLATEAU_BIN)]) if (j >= 0) out.push(base + j);
    return out;
  }
  const lo = below(k - 1), hi = above(k + 1);
  if (lo >= 0) out.push(base + lo);
  if (hi >= 0) out.push(base + hi);
  if (lo < PLATEAU_BIN && (k >= PLATEAU_BIN || hi >= PLATEAU_BIN || hi < 0)) out.push(base + DURING);
  if (lo < 0 && (c === FILL || c === PUSH)) {
    const mirror = (c === FILL ? PUSH : FILL) * BINS_PER_CLASS;
    for (let j = 0; j < N_LAG; j++) if (present(mirror + j)) { out.push(mirror + j); break; }
  }
  return out;
}

/** Marks pure bins bordering concerted ones as concerted, until none is added (decideBins). */
function extendConcerted(bins: PairBin[], pure: Uint8Array, occupied: Uint8Array): void {
  const present = (b: number): boolean => occupied[b % BINS_PER_CLASS] === 1 && bins[b].observed > 0;
  for (let changed = true; changed;) {
    changed = false;
    for (let b = 0; b < N_BINS; b++) {
      if (bins[b].concerted || !pure[b]) continue;
      if (neighbours(b, present).some((x) => bins[x].concerted)) { bins[b].concerted = true; changed = true; }
    }
  }
}

/**
 * One bin's test: its count `o` against the reference max(null mean `mu`, long-lag level, 1/kMax)
 * (a bin no replicate ever filled has an expectation below 1/kMax, not 0), Poisson tail or the
 * replicates' spread where wider. Pure: the excess is at least half the count (a pair there is
 * more likely concerted than not); concerted: pure and significant at alpha / N_BINS.
 */
function binTest(o: number, mu: number, sd: number, plateau: number, alpha: number, kMax: number): { p: number; pure: boolean; concerted: boolean } {
  const ref = Math.max(mu, plateau, 1 / Math.max(1, kMax));
  let p = poissonUpperTail(o, ref);
  if (sd * sd > ref && sd > 0) p = Math.max(p, normalUpperTail((o - ref) / sd));
  const pure = o > 0 && o - ref >= 0.5 * o;
  return { p, pure, concerted: pure && p < alpha / N_BINS };
}

/**
 * Whether more replicates could change any candidate bin's decision: the test is repeated with the
 * null mean at its 3-standard-error bounds (at least the Poisson error of a mean over n
 * replicates, so an empty bin after n replicates is not taken as certainly empty).
 */
export function decisionsSettled(observed: Float64Array, reps: readonly Float64Array[], candidate: Uint8Array, alpha: number, level: Float64Array, kMax: number): boolean {
  const n = reps.length;
  for (let b = 0; b < N_BINS; b++) {
    if (!candidate[b]) continue;
    const [mu, sd] = meanSd(reps.map((r) => r[b]));
    const se = 3 * Math.max(sd / Math.sqrt(n), Math.sqrt((mu + 1 / n) / n));
    const plateau = level[b];
    const lo = binTest(observed[b], Math.max(0, mu - se), sd, plateau, alpha, kMax);
    const hi = binTest(observed[b], mu + se, sd, plateau, alpha, kMax);
    if (lo.concerted !== hi.concerted || lo.pure !== hi.pure) return false;
  }
  return true;
}
