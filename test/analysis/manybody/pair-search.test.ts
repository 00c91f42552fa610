// The pair search through related edges (relatedPairs) against the plain scan it replaced (kept
// here as the reference): the same pairs, bins and order — the grouping depends on the order —
// on generated runs (true hops with and without site ids, detected hops, the every-step
// close-pair cases, a hexagonal cell) under observed and circularly shifted starts.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze.js';
import { DURING, LONG_LAG_OCTAVES, N_LAG, BINS_PER_CLASS, PairList, hopGeometry, pairClass, relatedPairs, type HopGeometry, type ManyBodyHop } from '../../../src/analysis/manybody/pair-relations.js';
import { shiftPlan, startsOf } from '../../../src/analysis/manybody/null-model.js';
import type { MaterialSpec } from '../../../src/generate/material-spec.js';
import { materialByName } from '../../../src/generate/materials.js';
import { generateRun, toTrajectory } from '../../../src/generate/run.js';
import { truthHops } from './truth.js';

/**
 * The scan relatedPairs made before: every later hop in the time window, then pairClass; a fill
 * pair only with the first hop to reach the site a leaves (at any lag below τ, whatever maxBin);
 * a push at lag 0 counts as a fill.
 */
function referencePairs(hops: readonly ManyBodyHop[], starts: Int32Array, g: HopGeometry, maxBin: number): Int32Array {
  const M = hops.length, out: number[] = [];
  const order = Array.from({ length: M }, (_, i) => i).sort((x, y) => starts[x] - starts[y] || x - y);
  const lagBinOf = g.lagBinOf;
  let lim = lagBinOf.length;
  while (lim > 0 && lagBinOf[lim - 1] >= maxBin) lim--;
  const longFrom = N_LAG - LONG_LAG_OCTAVES, nLag = lagBinOf.length;
  for (let p = 0; p < M; p++) {
    const a = order[p], sA = starts[a], dA = g.durOf[a];
    // The fill partner: only the first hop (any atom) reaching the site a leaves, at any lag below τ.
    let first = -1;
    for (let q = p + 1; q < M && first < 0; q++) if (g.toSite[order[q]] === g.fromSite[a]) first = order[q];
    for (let q = p + 1; q < M; q++) {
      const b = order[q], lag = starts[b] - sA, during = lag <= dA;
      if (lag >= nLag) break;
      if (g.atomOf[b] === g.atomOf[a]) continue;
      const k = lagBinOf[lag], bin = during && k >= longFrom ? DURING : k;
      const c = pairClass(g, a, b);
      if (c === 0) { if (b === first) out.push(a, b, bin); continue; }
      if (lag >= lim && !during) continue;
      if (bin >= maxBin && bin !== DURING) continue;
      if (c >= 0) out.push(a, b, (c === 1 && lag === 0 ? 0 : c) * BINS_PER_CLASS + bin);
    }
  }
  return Int32Array.from(out);
}

function compare(hops: readonly ManyBodyHop[], nFrames: number, lattice: ArrayLike<number>): number {
  const g = hopGeometry(hops, lattice);
  const plan = shiftPlan(hops, nFrames, 3, 7);
  const buf = new PairList();
  let total = 0;
  for (const k of [-1, 0, 1, 2]) {
    const s = startsOf(hops, plan, k, nFrames);
    for (const maxBin of [N_LAG, N_LAG - LONG_LAG_OCTAVES]) {
      const ref = referencePairs(hops, s, g, maxBin);
      const got = relatedPairs(hops, s, g, buf, maxBin);
      expect(got.n * 3).toBe(ref.length);
      expect(Array.from(got.data.subarray(0, 3 * got.n))).toEqual(Array.from(ref));
      total += got.n;
    }
  }
  return total;
}

const run = (spec: MaterialSpec) => generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], 11);

describe('relatedPairs through related edges = the plain scan', () => {
  const cases: [string, MaterialSpec][] = [
    ['Li-sc chains', { ...materialByName('Li-sc'), chainProb: 0.3, nFrames: 3000 }],
    ['Na-hex (hexagonal cell)', { ...materialByName('Na-hex'), chainProb: 0.4, chainMax: 2, nFrames: 3000 }],
    ['Li-pair-1.8 every-step close pairs', { ...materialByName('Li-pair-1.8'), chainProb: 0.5, chainMax: 2 }],
    ['Li-pair-1.8-fast every-step close pairs', { ...materialByName('Li-pair-1.8-fast'), chainProb: 0.4 }],
  ];
  for (const [name, spec] of cases) {
    it(`${name}: true hops, clustered sites and given site ids, observed and shifted`, () => {
      const t = run(spec).truth;
      expect(compare(truthHops(t), t.nFrames, t.lattice)).toBeGreaterThan(0);
      expect(compare(truthHops(t, true), t.nFrames, t.lattice)).toBeGreaterThan(0);
    }, 120_000);
  }
  it('Li-bcc: detected hops (analyze), observed and shifted', () => {
    const r = run({ ...materialByName('Li-bcc'), nFrames: 3000 });
    const traj = toTrajectory(r);
    const res = analyze(traj, {});
    const hops = res.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame, from: e.from, to: e.to }));
    expect(hops.length).toBeGreaterThan(100);
    expect(compare(hops, traj.nFrames, traj.lattice.slice(0, 9))).toBeGreaterThan(0);
  }, 300_000);
  it('a cell only a few length scales wide (grid axes of 1 and 2 cells wrap onto themselves)', () => {
    const L = [5, 0, 0, 1.5, 9, 0, 0.5, 0.7, 40];
    const hops: ManyBodyHop[] = [];
    let seed = 3;
    const rnd = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    for (let i = 0; i < 400; i++) {
      const f = [rnd() * 5, rnd() * 9, rnd() * 40];
      const first = Math.floor(rnd() * 2000);
      hops.push({ atom: i % 37, first, last: first + Math.floor(rnd() * 6), from: f, to: [f[0] + 2 * rnd() - 1, f[1] + 2 * rnd() - 1, f[2] + 2 * rnd() - 1] });
    }
    expect(compare(hops, 2000, L)).toBeGreaterThan(0);
  });
});
