/**
 * Concerted hops, calibrated by the null model of independent hops (null-model.ts).
 *
 * 1. Related pairs of hops of different ions (pair-relations.ts: vacancy fill/push or neighbour
 *    shells, at lag x = Δstart / τ, τ the element's median residence between hops, in octave
 *    bins, plus the DURING bin: B starts while A is in transit, at 1/8 ≤ x < 1) are counted per
 *    (relation, lag) bin, in the observed run and in up to `nShifts` circularly shifted
 *    replicates, drawn in batches of 20 until no bin's decision can change (replicates count
 *    lags below τ/8, DURING, and every fill lag). Hops across a discontinuity (`breaks`) are
 *    left out.
 * 2. A bin is CONCERTED when its count is significantly above both the null (Poisson tail, and
 *    the replicates' spread where it is wider, at level `alpha` / number of bins) and a
 *    reference from the run itself, AND that excess is at least half the count: a pair there is
 *    more likely concerted than not. Once a relation has such a bin, the bins bordering a
 *    concerted one join it when their excess is at least half their count (the correlation is
 *    established; a follower whose detected start is jittered into a sparse neighbouring bin is
 *    more likely concerted than not). The reference absorbs SEQUENTIAL correlations:
 *    - fill (B is the first hop to reach the site A left): the refill hazard. A site can only be
 *      refilled once it is vacated, so even independent hops refill it in a burst just after
 *      (at 3/4 occupancy several times what the shifted null says, which ignores exclusion);
 *      the reference is the run's own refills per open vacancy-frame at lags ≥ τ/8, times the
 *      bin's open vacancy-frames (refillLevels). Every fill lag below τ is tested this way.
 *    - push, near1, near2: the relation's level at long lags (x ≥ 1/8, scaled to the bin's
 *      width); lags from τ/8 on are not tested, except the DURING bin.
 *    So only the ions that move together, within a small fraction of the time between hops, are
 *    grouped. No material-specific threshold: the clock is the element's own hop rhythm and
 *    which bins count is decided by the data.
 * 3. Pairs in concerted bins are edges, taken in time order; groups are the connected components
 *    with ≥ 2 ions, each holding at most one hop per ion (an edge that would put a second hop of
 *    an ion into a group is dropped).
 * 4. Every statistic (fraction of hops in groups, mean bodies per hop, the per-hop n-body and the
 *    group-size distributions) is computed on the observed run AND on every replicate with the
 *    same concerted bins: expected = replicate mean (± spread), excess = observed − expected.
 */
import { N_BINS, N_LAG, PairList, hopGeometry, relatedPairs, type HopGeometry, type ManyBodyHop } from './pair-relations.js';
import { PLATEAU_BIN, candidateBins, decideBins, decisionsSettled, durBeyondMedian, meanSd, referenceLevels, refillLevels, type PairBin } from './bin-tests.js';
import { shiftPlan, startsOf, type ShiftPlan } from './null-model.js';
import { normalUpperTail } from '../../stats/special.js';

/** Replicates per batch, and the fewest used. */
const MIN_SHIFTS = 20;

export type { PairBin } from './bin-tests.js';

export interface ConcertedOptions {
  /** Cell (9 numbers, rows, Å) for minimum-image distances and site identities. */
  lattice: ArrayLike<number>;
  /**
   * Most replicates of the null model. Default `defaultShifts(hops)`: 100, fewer for dense runs.
   * Replicates are drawn in batches of 20 and stop once no bin's decision can change (see
   * `decisionsSettled`); `ConcertedResult.nShifts` is the number used.
   */
  nShifts?: number;
  /** Fewest replicates (default 20); `minShifts = nShifts` draws all of them. */
  minShifts?: number;
  /** Seed of the shifts. Default 0. */
  seed?: number;
  /** Family-wise significance level over all bins. Default 0.01. */
  alpha?: number;
  /**
   * Frames f where the step f−1 → f is discontinuous (a restart boundary whose positions do not
   * follow on: the trajectory's `discontinuities`). A hop whose transit takes that step
   * (first ≤ f ≤ last + 1) has no measured timing or path: it is left out of the analysis (no
   * group, counted in `nExcluded`), else every ion that appears to move at the break is one group.
   */
  breaks?: readonly number[];
}

/** A statistic three ways: observed, expected under independence (± spread), excess (± error). */
export interface Measured {
  observed: number;
  expected: number;
  expectedSd: number;
  excess: number;
  excessErr: number;
  /** One-sided p-value of the excess (normal approximation). */
  pValue: number;
}

/** Row of a distribution over n (bodies per hop, or groups per size). */
export interface NBodyRow {
  nBodies: number;
  observed: number;
  expected: number;
  expectedSd: number;
  excess: number;
  excessErr: number;
}

export interface Group {
  /** Hop indices (input order). */
  members: number[];
  atoms: number[];
  startFrame: number;
  endFrame: number;
}

export interface ConcertedResult {
  /** Hops analysed (input hops minus `nExcluded`). */
  nHops: number;
  /** Hops left out because their transit crosses a discontinuity (`breaks`); groupOf −1, bodies 1. */
  nExcluded: number;
  nShifts: number;
  geometry: Pick<HopGeometry, 'lengthScaleA' | 'siteTolA' | 'tauFrames'>;
  pairBins: PairBin[];
  /** Group of each hop (index into `groups`) or −1. */
  groupOf: Int32Array;
  /** Distinct ions of each hop's group (1 when in none). */
  bodies: Int32Array;
  groups: Group[];
  concertedFraction: Measured;
  nBodiesMean: Measured;
  /** Hops per n-body value (n = 1 …). */
  hopDistribution: NBodyRow[];
  /** Groups per size; n = 1 counts hops in no group (isolated "chains" of one). */
  groupSizes: NBodyRow[];
}

interface Grouping { groupOf: Int32Array; bodies: Int32Array; groups: Group[] }

function findRoot(parent: Int32Array, i: number): number {
  while (parent[i] !== i) { parent[i] = parent[parent[i]]; i = parent[i]; }
  return i;
}

/**
 * Components of the concerted-bin pairs under the given start frames. `pairs`: flat triples
 * [a, b, bin] in relatedPairs' order (a superset of the concerted bins' pairs).
 */
function groupHops(hops: readonly ManyBodyHop[], starts: Int32Array, g: HopGeometry, concerted: Uint8Array, pairs: Int32Array): Grouping {
  const M = hops.length;
  const parent = new Int32Array(M);
  for (let i = 0; i < M; i++) parent[i] = i;
  // Atoms of each component (at its root): a group holds at most one hop per ion, so an ion
  // rattling back and forth with a neighbour does not chain a whole stretch of time into one group.
  const atomsAt = new Map<number, Set<number>>();
  const data = pairs, n = pairs.length / 3;
  for (let k = 0; k < n; k++) {
    if (!concerted[data[3 * k + 2]]) continue;
    const a = data[3 * k], b = data[3 * k + 1];
    let ra = findRoot(parent, a), rb = findRoot(parent, b);
    if (ra === rb) continue;
    let sa = atomsAt.get(ra) ?? new Set([g.atomOf[a]]), sb = atomsAt.get(rb) ?? new Set([g.atomOf[b]]);
    if (sa.size > sb.size) { [ra, rb] = [rb, ra]; [sa, sb] = [sb, sa]; }
    let shared = false;
    for (const x of sa) if (sb.has(x)) { shared = true; break; }
    if (shared) continue;
    for (const x of sa) sb.add(x);
    parent[ra] = rb;
    atomsAt.delete(ra);
    atomsAt.set(rb, sb);
  }
  // Components of ≥ 2 hops, in the order of their first hop (no entry per lone hop: most are).
  const root = new Int32Array(M), size = new Int32Array(M), compOf = new Int32Array(M).fill(-1);
  for (let i = 0; i < M; i++) { root[i] = findRoot(parent, i); size[root[i]]++; }
  const comps: number[][] = [];
  for (let i = 0; i < M; i++) {
    const r = root[i];
    if (size[r] < 2) continue;
    if (compOf[r] < 0) { compOf[r] = comps.length; comps.push([]); }
    comps[compOf[r]].push(i);
  }
  const raw: Group[] = [];
  for (const members of comps) {
    const atoms = [...new Set(members.map((i) => hops[i].atom))].sort((x, y) => x - y);
    if (atoms.length < 2) continue;
    let s = Infinity, e = -Infinity;
    for (const i of members) { s = Math.min(s, starts[i]); e = Math.max(e, starts[i] + hops[i].last - hops[i].first); }
    raw.push({ members, atoms, startFrame: s, endFrame: e });
  }
  raw.sort((x, y) => x.startFrame - y.startFrame || x.endFrame - y.endFrame || x.atoms[0] - y.atoms[0]);
  const groupOf = new Int32Array(M).fill(-1), bodies = new Int32Array(M).fill(1);
  raw.forEach((gr, id) => { for (const i of gr.members) { groupOf[i] = id; bodies[i] = gr.atoms.length; } });
  return { groupOf, bodies, groups: raw };
}

interface Stats { fraction: number; mean: number; hopHist: number[]; sizeHist: number[] }

function statsOf(gr: Grouping, M: number): Stats {
  let inGroups = 0, sum = 0;
  const hopHist: number[] = [0, 0];
  for (let i = 0; i < M; i++) {
    if (gr.groupOf[i] >= 0) inGroups++;
    sum += gr.bodies[i];
    hopHist[gr.bodies[i]] = (hopHist[gr.bodies[i]] ?? 0) + 1;
  }
  const sizeHist: number[] = [0, M - inGroups];
  for (const g of gr.groups) sizeHist[g.atoms.length] = (sizeHist[g.atoms.length] ?? 0) + 1;
  return { fraction: M > 0 ? inGroups / M : NaN, mean: M > 0 ? sum / M : NaN, hopHist, sizeHist };
}

/** observed vs replicate values; `obsVar` is the sampling variance of the observed value itself. */
function measured(observed: number, replicates: readonly number[], obsVar: number): Measured {
  const [expected, expectedSd] = meanSd(replicates);
  const excess = observed - expected;
  const excessErr = Math.sqrt(expectedSd * expectedSd + Math.max(0, obsVar));
  return { observed, expected, expectedSd, excess, excessErr, pValue: excessErr > 0 ? normalUpperTail(excess / excessErr) : excess > 0 ? 0 : 1 };
}

function distribution(obs: readonly number[], reps: readonly (readonly number[])[], from: number): NBodyRow[] {
  let top = obs.length - 1;
  for (const r of reps) top = Math.max(top, r.length - 1);
  const rows: NBodyRow[] = [];
  for (let n = from; n <= top; n++) {
    const o = obs[n] ?? 0;
    const [e, sd] = meanSd(reps.map((r) => r[n] ?? 0));
    // Observed counts are Poisson-like; a zero count still carries an uncertainty of ~1.
    rows.push({ nBodies: n, observed: o, expected: e, expectedSd: sd, excess: o - e, excessErr: Math.sqrt(Math.max(o, 1) + sd * sd) });
  }
  return rows;
}

/** The calibrated many-body analysis of one element's hops (module doc). */
/**
 * Replicates of the null model: 100 up to 2,000 hops, then fewer, down to 20 at 10,000 hops and
 * more. The cost is replicates × related pairs, and pairs grow as hops² / frames; the replicates
 * set each bin's expectation and spread, which 20 replicates of a run that dense already pin
 * down (the Poisson tail, not the replicate spread, decides its bins). Measured: a Li-sc run of
 * 18,700 hops took 26 s with 100.
 */
export function defaultShifts(nHops: number): number {
  return Math.max(20, Math.min(100, Math.round((100 * 2000) / Math.max(1, nHops))));
}

export function concertedHops(hops: readonly ManyBodyHop[], nFrames: number, opts: ConcertedOptions): ConcertedResult {
  const breaks = opts.breaks ?? [];
  const crosses = (h: ManyBodyHop): boolean => breaks.some((f) => h.first <= f && f <= h.last + 1);
  const keep: number[] = [];
  hops.forEach((h, i) => { if (!crosses(h)) keep.push(i); });
  if (keep.length === hops.length) return concertedCore(hops, nFrames, opts);
  const r = concertedCore(keep.map((i) => hops[i]), nFrames, opts);
  const groupOf = new Int32Array(hops.length).fill(-1), bodies = new Int32Array(hops.length).fill(1);
  keep.forEach((i, k) => { groupOf[i] = r.groupOf[k]; bodies[i] = r.bodies[k]; });
  return {
    ...r, nExcluded: hops.length - keep.length, groupOf, bodies,
    groups: r.groups.map((g) => ({ ...g, members: g.members.map((k) => keep[k]) })),
  };
}

function concertedCore(hops: readonly ManyBodyHop[], nFrames: number, opts: ConcertedOptions): ConcertedResult {
  const M = hops.length, K = opts.nShifts ?? defaultShifts(M), alpha = opts.alpha ?? 0.01;
  const g = hopGeometry(hops, opts.lattice);
  const plan: ShiftPlan = shiftPlan(hops, nFrames, K, opts.seed ?? 0);
  const buf = new PairList();
  // The replicates count only the short lags (bins below PLATEAU_BIN), DURING and the fill
  // relation (one pair per hop), the only ones tested against them: the long-lag level is the
  // observed run's own. (~8× fewer pairs to visit.)
  // One pair pass per replicate: it counts the bins and keeps the pairs of the bins that can be
  // concerted at all, for the grouping once the bins are decided. A bin can be concerted only if
  // its count is at least twice the class's long-lag level (decideBins), which the observed run
  // alone gives: the candidates are known before the replicates.
  let candidate: Uint8Array = new Uint8Array(N_BINS).fill(1);
  const countBins = (starts: Int32Array, maxBin: number): [Float64Array, Int32Array] => {
    const c = new Float64Array(N_BINS);
    const { data, n } = relatedPairs(hops, starts, g, buf, maxBin);
    let kept = 0;
    for (let k = 0; k < n; k++) { const b = data[3 * k + 2]; c[b]++; if (candidate[b]) kept++; }
    const out = new Int32Array(3 * kept);
    for (let k = 0, o = 0; k < n; k++) if (candidate[data[3 * k + 2]]) { out[o++] = data[3 * k]; out[o++] = data[3 * k + 1]; out[o++] = data[3 * k + 2]; }
    return [c, out];
  };
  const obsStarts = startsOf(hops, plan, -1, nFrames);
  const [obsCounts, obsPairs] = countBins(obsStarts, N_LAG);
  const level = referenceLevels(obsCounts, durBeyondMedian(g), refillLevels(hops, obsStarts, g, buf.refillLag, buf.refillOther, nFrames));
  candidate = candidateBins(obsCounts, K, level);
  const repStarts: Int32Array[] = [];
  const repCounts: Float64Array[] = [];
  const repPairs: Int32Array[] = [];
  // Replicates in batches of MIN_SHIFTS until every candidate bin's decision is settled (or K):
  // a run with no candidate bin, or with bins far from the line, needs no more to decide them,
  // and its expectations keep the spread of the replicates done (reported, not hidden).
  const minShifts = opts.minShifts ?? MIN_SHIFTS;
  for (let k = 0; k < K; k++) {
    if (k >= minShifts && k % MIN_SHIFTS === 0 && decisionsSettled(obsCounts, repCounts, candidate, alpha, level, K)) break;
    const s = startsOf(hops, plan, k, nFrames);
    const [c, pairs] = countBins(s, PLATEAU_BIN);
    repStarts.push(s); repCounts.push(c); repPairs.push(pairs);
  }
  const occupied = new Uint8Array(N_LAG);
  for (const k of g.lagBinOf) occupied[k] = 1;
  const pairBins = decideBins(obsCounts, repCounts, alpha, level, K, occupied);
  const concerted = Uint8Array.from(pairBins, (b) => (b.concerted ? 1 : 0));

  const obs = groupHops(hops, obsStarts, g, concerted, obsPairs);
  const so = statsOf(obs, M);
  const reps = repStarts.map((s, k) => statsOf(groupHops(hops, s, g, concerted, repPairs[k]), M));
  let varBodies = 0;
  for (let i = 0; i < M; i++) varBodies += (obs.bodies[i] - so.mean) ** 2;
  varBodies = M > 1 ? varBodies / (M - 1) : 0;
  return {
    nHops: M, nExcluded: 0, nShifts: repStarts.length,
    geometry: { lengthScaleA: g.lengthScaleA, siteTolA: g.siteTolA, tauFrames: g.tauFrames },
    pairBins,
    groupOf: obs.groupOf, bodies: obs.bodies, groups: obs.groups,
    concertedFraction: measured(so.fraction, reps.map((r) => r.fraction), M > 0 ? (so.fraction * (1 - so.fraction)) / M : NaN),
    nBodiesMean: measured(so.mean, reps.map((r) => r.mean), M > 0 ? varBodies / M : NaN),
    hopDistribution: distribution(so.hopHist, reps.map((r) => r.hopHist), 1),
    groupSizes: distribution(so.sizeHist, reps.map((r) => r.sizeHist), 1),
  };
}
