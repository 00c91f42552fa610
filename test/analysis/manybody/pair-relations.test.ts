// The pair relations' time bins on hand-made hops: octaves of x = lag/τ, and the DURING bin for a
// pair whose follower starts while the leader is still in transit at a long lag.
import { describe, expect, it } from 'vitest';
import { BINS_PER_CLASS, DURING, N_LAG, PairList, hopGeometry, relatedPairs, type ManyBodyHop } from '../../../src/analysis/manybody/pair-relations.js';

const L = [20, 0, 0, 0, 20, 0, 0, 0, 20];
// Sites on a line 2 Å apart; hop from site i to i+1 or back.
const at = (i: number): number[] => [2 * i, 10, 10];
const hop = (atom: number, first: number, last: number, from: number, to: number): ManyBodyHop => ({ atom, first, last, from: at(from), to: at(to) });

function pairsOf(hops: ManyBodyHop[], maxBin = N_LAG): [number, number, number][] {
  const g = hopGeometry(hops, L);
  const out = relatedPairs(hops, Int32Array.from(hops, (h) => h.first), g, new PairList(), maxBin);
  return Array.from({ length: out.n }, (_, k) => [out.data[3 * k], out.data[3 * k + 1], out.data[3 * k + 2]]);
}

describe('relatedPairs time bins', () => {
  // Atoms 0 and 1 rest 100 frames between hops (τ = 100); atom 2 fills the site atom 0 leaves at frame 1400.
  const base = [
    hop(1, 5000, 5000, 7, 8), hop(1, 5100, 5100, 8, 7), hop(1, 5200, 5200, 7, 8),
    hop(0, 1000, 1000, 0, 1), hop(0, 1100, 1100, 1, 0), hop(0, 1200, 1200, 0, 1), hop(0, 1300, 1300, 1, 0),
  ];
  it('a fill at x = 0.4 by a follower that starts after the leader ended: octave bin, kept when long lags are excluded (fill pairs are one per hop)', () => {
    const hops = [...base, hop(0, 1400, 1400, 0, 1), hop(2, 1440, 1450, 3, 0)];
    const g = hopGeometry(hops, L);
    expect(g.tauFrames).toBe(100);
    const fill = pairsOf(hops).filter(([a, b]) => a === 7 && b === 8);
    expect(fill).toEqual([[7, 8, 0 * BINS_PER_CLASS + (N_LAG - 2)]]); // [1/4, 1/2)
    expect(pairsOf(hops, N_LAG - 3).filter(([a, b]) => a === 7 && b === 8)).toEqual(fill);
  });
  it('only the first arrival at the vacated site is its fill: a later one refills a vacancy someone else made', () => {
    // Atom 2 refills site 0 at frame 1420 and leaves it at 1430; atom 3 arrives at 1440.
    const hops = [...base, hop(0, 1400, 1400, 0, 1), hop(2, 1420, 1422, 3, 0), hop(2, 1430, 1432, 0, 3), hop(3, 1440, 1442, 5, 0)];
    const [a, first, , later] = [7, 8, 9, 10];
    const fills = pairsOf(hops).filter(([x, , bin]) => x === a && Math.floor(bin / BINS_PER_CLASS) === 0);
    expect(fills.map(([, y]) => y)).toEqual([first]);
    expect(pairsOf(hops).some(([x, y]) => x === a && y === later)).toBe(false);
    // The vacancy atom 2 left at 1430 is atom 3's to fill.
    expect(pairsOf(hops).filter(([x, y, bin]) => x === 9 && y === later && bin < BINS_PER_CLASS)).toHaveLength(1);
    // A vacancy its own ion returns to first has no fill partner.
    const back = [...base, hop(0, 1400, 1400, 0, 1), hop(0, 1410, 1412, 1, 0), hop(2, 1440, 1450, 3, 0)];
    expect(pairsOf(back).some(([x, , bin]) => x === 7 && bin < BINS_PER_CLASS)).toBe(false);
  });
  it('the same fill while the leader is still in transit (its hop lasts 60 frames): the DURING bin, kept when long lags are excluded', () => {
    const hops = [...base, hop(0, 1400, 1460, 0, 1), hop(2, 1440, 1450, 3, 0)];
    const a = hops.length - 2, b = hops.length - 1;
    const bin = 0 * BINS_PER_CLASS + DURING;
    expect(pairsOf(hops).filter(([x, y]) => x === a && y === b)).toEqual([[a, b, bin]]);
    expect(pairsOf(hops, N_LAG - 3).filter(([x, y]) => x === a && y === b)).toEqual([[a, b, bin]]);
  });
  it('an overlapping pair at a short lag keeps its octave bin', () => {
    const hops = [...base, hop(0, 1400, 1460, 0, 1), hop(2, 1405, 1450, 3, 0)];
    const a = hops.length - 2, b = hops.length - 1;
    expect(pairsOf(hops).filter(([x, y]) => x === a && y === b)).toEqual([[a, b, 0 * BINS_PER_CLASS + (N_LAG - 5)]]); // 5/100 in [1/32, 1/16)
  });
});
