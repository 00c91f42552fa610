// lengthConsistency: which hops count as away from the cuts, and when two hops are the same.
import { describe, expect, it } from 'vitest';
import { hopsAwayFromCuts, intactHops, lengthConsistency, sameHop } from '../../src/validate/consistency.js';
import type { RawHop } from '../../src/analysis/types.js';

const hop = (atom: number, s: number, e: number, dx: number): RawHop => ({ atom, startFrame: s, endFrame: e, from: [0, 0, 0], to: [dx, 0, 0] });

describe('length consistency helpers', () => {
  it('sameHop: same atom, overlap within the tolerance, vectors within half the length', () => {
    expect(sameHop(hop(1, 10, 12, 2), hop(1, 14, 15, 2.4))).toBe(true); // 2-frame gap, 20 % longer
    expect(sameHop(hop(1, 10, 12, 2), hop(1, 15, 16, 2))).toBe(false); // 3-frame gap
    expect(sameHop(hop(1, 10, 12, 2), hop(2, 10, 12, 2))).toBe(false); // other atom
    expect(sameHop(hop(1, 10, 12, 2), hop(1, 10, 12, -2))).toBe(false); // the other way
    expect(sameHop(hop(1, 10, 12, 2), hop(1, 10, 12, 3.1))).toBe(false); // 55 % longer
  });

  it('intact: both residences of a hop lie between cuts', () => {
    // atom 0 hops at 20, 60, 140; cut at 100: the 60-hop's next residence (61…139) is cut
    const hs = [hop(0, 20, 21, 2), hop(0, 60, 61, 2), hop(0, 140, 141, 2), hop(1, 90, 90, 2)];
    const kept = intactHops(hs, [100], 200).map((h) => `${h.atom}@${h.startFrame}`);
    expect(kept).toEqual(['0@20']);
    // near: only the hop's own distance to the cut counts
    expect(hopsAwayFromCuts(hs, [100]).map((h) => h.startFrame)).toEqual([20, 60, 140, 90]);
    expect(hopsAwayFromCuts([hop(2, 97, 98, 2)], [100])).toEqual([]);
  });

  it('counts found hops both ways', () => {
    const whole = [hop(0, 20, 21, 2), hop(0, 150, 151, 2), hop(1, 30, 30, 2), hop(2, 30, 30, 2), hop(2, 50, 50, 2), hop(2, 70, 70, 2)];
    const pieces = [hop(0, 21, 22, 2), hop(1, 31, 31, -2), hop(0, 152, 152, 2), hop(0, 170, 171, 2), hop(2, 50, 51, 2)];
    const c = lengthConsistency(whole, pieces, [100], 200);
    expect(c.near).toEqual({ whole: 6, wholeFound: 3, pieces: 5, piecesFound: 3 });
    // intact: atom 2's 30-hop (residences 0…50, not in the pieces) and 50-hop (30…70, found); every
    // other whole-run hop has a residence across 100 (atom 1's one hop: 0…199). In the pieces only
    // atom 0's 170-hop (152…199), which the whole run lacks.
    expect(c.intact).toEqual({ whole: 2, wholeFound: 1, pieces: 1, piecesFound: 0 });
  });
});
