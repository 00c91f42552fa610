import { describe, expect, it } from 'vitest';
import { backHopFlags, findChains, ionPaths, isBackHop } from '../../src/analysis/paths.js';
import type { RawHop } from '../../src/analysis/types.js';

const L = Float64Array.from([10, 0, 0, 0, 10, 0, 0, 0, 10]);
const hop = (atom: number, s: number, e: number, from: number[], to: number[]): RawHop =>
  ({ atom, startFrame: s, endFrame: e, from: from as [number, number, number], to: to as [number, number, number] });

describe('paths', () => {
  const A = [1, 1, 1], B = [3, 1, 1], C = [1, 3, 1];
  const hops: RawHop[] = [
    hop(0, 30, 32, B, [1.1, 1, 1]),          // 0: ion 0 goes back B → A (back-hop)
    hop(0, 10, 12, A, B),                     // 1: ion 0 leaves A
    hop(5, 13, 15, [11, 3, 1], [11, 1, 1]),   // 2: ion 5 (another image) fills A from C: chain after hop 1
    hop(7, 16, 18, [1, 5, 1], [1, 3, 1]),     // 3: ion 7 fills C right after ion 5 left it
    hop(9, 80, 82, [5, 5, 5], [7, 5, 5]),     // 4: unrelated
  ];

  it('back-hops use time order and the minimum image', () => {
    expect(Array.from(backHopFlags(hops, L))).toEqual([1, 0, 0, 0, 0]);
    expect(isBackHop(hops[1], hops[0], L)).toBe(true);
    expect(isBackHop(undefined, hops[1], L)).toBe(false);
    expect(isBackHop(hops[1], hops[2], L)).toBe(false); // different ion
    // a return to the left site's periodic image is still a back-hop
    expect(isBackHop(hops[1], hop(0, 30, 32, B, [11, 1, 1]), L)).toBe(true);
  });

  it('per-ion site sequences with frames', () => {
    const p = ionPaths(hops, 100, L);
    expect(p.map((x) => x.atom)).toEqual([0, 5, 7, 9]);
    expect(p[0].hops).toEqual([1, 0]);
    expect(p[0].visits.map((v) => [v.site, v.fromFrame, v.toFrame])).toEqual([[0, 0, 9], [1, 13, 29], [0, 33, 99]]);
  });

  it('chains: B fills the site A just left (minimum image), linked into A → B → C', () => {
    const c = findChains(hops, L, { windowFrames: 5 });
    expect(c.links.map((l) => [l.leader, l.follower])).toEqual([[1, 2], [2, 3]]);
    expect(c.links[0].vacancyFrom).toEqual(A);
    expect(c.links[0].vacancyTo).toEqual([11, 3, 1]);
    expect(c.chains).toEqual([[1, 2, 3]]);
    // outside the window → no link
    expect(findChains([hops[1], hop(5, 40, 42, C, [11, 1, 1])], L, { windowFrames: 5 }).links).toEqual([]);
  });
});

describe('MinImage', () => {
  it('equals the 27-image search on a skewed cell, short and long vectors', async () => {
    const { MinImage } = await import('../../src/analysis/paths.js');
    const { inverse3, minimumImage } = await import('../../src/trajectory/lattice.js');
    const S = [6, 0, 0, 2.5, 5.5, 0, 1.5, -1.2, 7];
    const inv = inverse3(S), mi = new MinImage(S), v = new Float64Array(3);
    let s = 99;
    const rnd = () => ((s = (Math.imul(s, 1103515245) + 12345) >>> 0) / 2 ** 32);
    for (let q = 0; q < 2000; q++) {
      const span = q % 2 ? 30 : 3;
      const a = [rnd() * span, rnd() * span, rnd() * span], b = [rnd() * span, rnd() * span, rnd() * span];
      const d = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
      minimumImage(S, d[0] * inv[0] + d[1] * inv[3] + d[2] * inv[6], d[0] * inv[1] + d[1] * inv[4] + d[2] * inv[7], d[0] * inv[2] + d[1] * inv[5] + d[2] * inv[8], v, 0);
      expect(mi.distance(a, b)).toBe(Math.hypot(v[0], v[1], v[2]));
    }
  });
});
