// The refill hazard with two kinds of vacated site and no correlation: vacancies of one kind are
// refilled 5× faster than the other's, the refill times independent of anything else. The fast
// ones close before τ/8, so a hazard pooled over long lags is the slow kind's and understates
// what independent refills put at short lags; the per-kind hazard (fromKind) does not.
import { describe, expect, it } from 'vitest';
import { PLATEAU_BIN, refillLevels } from '../../../src/analysis/manybody/bin-tests.js';
import { concertedHops } from '../../../src/analysis/manybody/concerted.js';
import { BINS_PER_CLASS, CLASSES, PairList, hopGeometry, relatedPairs, type ManyBodyHop } from '../../../src/analysis/manybody/pair-relations.js';
import { mulberry32 } from '../../../src/analysis/random.js';

const N_FRAMES = 20000, SPACING = 12, SIDE = 8;
const LATTICE = [SIDE * SPACING, 0, 0, 0, SIDE * SPACING, 0, 0, 0, SIDE * SPACING];

/** Deterministic uniform numbers in [0, 1). */
const rng = mulberry32;

/**
 * One vacancy per grid point: atom 2i leaves site s_i (kind 0 or 1) for a sink, atom 2i+1 comes
 * from a source site into s_i after an exponential wait of mean 1,000 (kind 0) or 5,000 frames
 * (kind 1), when that is within the run. Source sites are never refilled (kind 2).
 */
function twoKindRun(seed: number, kinds: boolean): ManyBodyHop[] {
  const u = rng(seed), hops: ManyBodyHop[] = [];
  for (let i = 0; i < SIDE ** 3; i++) {
    const p = [i % SIDE, Math.floor(i / SIDE) % SIDE, Math.floor(i / SIDE ** 2)].map((x) => x * SPACING + 1);
    const kind = i % 2, t0 = Math.floor(u() * (N_FRAMES - 3));
    hops.push({ atom: 2 * i, first: t0, last: t0 + 2, from: p, to: [p[0] + 3, p[1], p[2]], ...(kinds ? { fromKind: kind } : {}) });
    const t1 = t0 + 1 + Math.floor(-Math.log(1 - u()) * (kind === 0 ? 1000 : 5000));
    if (t1 + 2 < N_FRAMES) hops.push({ atom: 2 * i + 1, first: t1, last: t1 + 2, from: [p[0], p[1] + 3, p[2]], to: p, ...(kinds ? { fromKind: 2 } : {}) });
  }
  return hops.sort((a, b) => a.first - b.first || a.atom - b.atom);
}

/** Fill pairs observed below τ/8, and the refill reference there. */
function shortLagFills(hops: ManyBodyHop[]): { observed: number; reference: number } {
  const g = hopGeometry(hops, LATTICE);
  const starts = Int32Array.from(hops, (h) => h.first);
  const buf = relatedPairs(hops, starts, g, new PairList());
  let observed = 0;
  const fill = CLASSES.indexOf('fill');
  for (let k = 0; k < buf.n; k++) { const b = buf.data[3 * k + 2]; if (Math.floor(b / BINS_PER_CLASS) === fill && b % BINS_PER_CLASS < PLATEAU_BIN) observed++; }
  const ref = refillLevels(hops, starts, g, buf.refillLag, buf.refillOther, N_FRAMES);
  let reference = 0;
  for (let k = 0; k < PLATEAU_BIN; k++) reference += ref[k];
  return { observed, reference };
}

describe('refill hazard with two kinds of vacated site (no correlation)', () => {
  it('a pooled hazard understates the short-lag refills; the per-kind one matches them', () => {
    const pooled = shortLagFills(twoKindRun(1, false)), perKind = shortLagFills(twoKindRun(1, true));
    expect(pooled.observed).toBe(perKind.observed);
    expect(pooled.observed).toBeGreaterThan(100);
    expect(pooled.reference).toBeLessThan(0.6 * pooled.observed);
    // Poisson error of ~150 refills: ±8%; the fast kind's hazard rests on its few late refills.
    expect(perKind.reference / perKind.observed).toBeGreaterThan(0.75);
    expect(perKind.reference / perKind.observed).toBeLessThan(1.33);
  });
  it('with the kinds given, no fill bin is concerted and the concerted fraction stays ≤ 0.05', () => {
    for (const seed of [1, 2, 3]) {
      const r = concertedHops(twoKindRun(seed, true), N_FRAMES, { lattice: LATTICE, seed });
      expect(r.pairBins.filter((b) => b.relation === 'fill' && b.concerted)).toEqual([]);
      expect(r.concertedFraction.observed).toBeLessThanOrEqual(0.05);
    }
  });
});
