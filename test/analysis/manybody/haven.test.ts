// The Haven ratio implied by the concerted groups.
import { describe, expect, it } from 'vitest';
import { havenFromGroups } from '../../../src/analysis/manybody/haven.js';
import type { ManyBodyHop } from '../../../src/analysis/manybody/pair-relations.js';

const hop = (atom: number, dx: number, dy = 0): ManyBodyHop => ({ atom, first: 0, last: 1, from: [0, 0, 0], to: [dx, dy, 0] });

describe('havenFromGroups', () => {
  it('independent hops: 1; parallel pairs: 1/2; perpendicular pairs: 1', () => {
    const solo = [hop(0, 1), hop(1, -1), hop(2, 1), hop(3, 1)];
    expect(havenFromGroups(solo, [-1, -1, -1, -1]).value).toBeCloseTo(1, 12);
    expect(havenFromGroups(solo, [-1, -1, -1, -1]).err).toBeCloseTo(0, 12);
    const pairs = [hop(0, 2), hop(1, 2), hop(2, -2), hop(3, -2)];
    expect(havenFromGroups(pairs, [0, 0, 1, 1]).value).toBeCloseTo(0.5, 12);
    const perp = [hop(0, 2), hop(1, 0, 2), hop(2, -2), hop(3, 0, -2)];
    expect(havenFromGroups(perp, [0, 0, 1, 1]).value).toBeCloseTo(1, 12);
  });

  it('mixed groups: a finite error that shrinks with the number of groups', () => {
    const mk = (n: number) => {
      const hops: ManyBodyHop[] = [], g: number[] = [];
      for (let k = 0; k < n; k++) { hops.push(hop(2 * k, 1), hop(2 * k + 1, k % 2 ? 1 : 0.2, k % 2 ? 0 : 1)); g.push(k, k); }
      return havenFromGroups(hops, g);
    };
    const small = mk(10), big = mk(1000);
    expect(small.value).toBeLessThan(1);
    expect(big.err).toBeLessThan(small.err / 5);
    expect(Number.isNaN(havenFromGroups([hop(0, 1)], [-1]).value)).toBe(true);
  });
});
