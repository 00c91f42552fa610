// The split-pair lattice (close pairs of sites between longer jumps) and the hard-regime materials.
import { describe, expect, it } from 'vitest';
import { runKmc } from '../../src/generate/kmc.js';
import { buildLattice, EDGE_JUMP, EDGE_PAIR } from '../../src/generate/lattice-models.js';
import { HARD_REGIME_MATERIALS } from '../../src/generate/materials-hard-regime.js';
import { MATERIALS, materialByName } from '../../src/generate/materials.js';
import { Rng } from '../../src/generate/rng.js';
import { generateRun, kmcParamsOf } from '../../src/generate/run.js';
import type { Truth } from '../../src/generate/truth.js';
import { minimumImage } from '../../src/trajectory/lattice.js';
import { testSpec } from './helpers.js';

/** Minimum-image distance (Å) between two truth sites. */
function siteDistance(t: Truth, i: number, j: number): number {
  const v = new Float64Array(3);
  minimumImage(t.lattice, t.sites[j][0] - t.sites[i][0], t.sites[j][1] - t.sites[i][1], t.sites[j][2] - t.sites[i][2], v, 0);
  return Math.hypot(v[0], v[1], v[2]);
}

describe('split-pair lattice', () => {
  for (const pair of [1.6, 1.8, 2.0]) {
    it(`pairs ${pair} Å apart next to 2.75 Å jumps: every edge is one or the other, typed sites`, () => {
      const n = 3;
      const m = buildLattice({ kind: 'split-pair', hopDistanceA: 2.75, pairDistanceA: pair, rep: n }, 1);
      expect(m.nSites).toBe(7 * n ** 3);
      const types = m.siteTypes!;
      expect(types.filter((t) => t === 'cage').length).toBe(n ** 3);
      expect(types.filter((t) => t === 'pair-a').length).toBe(3 * n ** 3);
      expect(types.filter((t) => t === 'pair-b').length).toBe(3 * n ** 3);
      for (let s = 0; s < m.nSites; s++) {
        const edges = Array.from({ length: m.nbrStart[s + 1] - m.nbrStart[s] }, (_, i) => m.nbrStart[s] + i);
        const pairEdges = edges.filter((e) => m.edgeClass![e] === EDGE_PAIR);
        if (types[s] === 'cage') {
          expect(edges.length).toBe(6);
          expect(pairEdges.length).toBe(0);
        } else {
          // one partner of the other pair type, one cage
          expect(edges.length).toBe(2);
          expect(pairEdges.length).toBe(1);
          expect(types[m.nbr[pairEdges[0]]]).toBe(types[s] === 'pair-a' ? 'pair-b' : 'pair-a');
          expect(types[m.nbr[edges.find((e) => m.edgeClass![e] === EDGE_JUMP)!]]).toBe('cage');
        }
        for (const e of edges) {
          const len = Math.hypot(m.edgeVec[e * 3], m.edgeVec[e * 3 + 1], m.edgeVec[e * 3 + 2]);
          expect(len).toBeCloseTo(m.edgeClass![e] === EDGE_PAIR ? pair : 2.75, 5);
        }
      }
    });
  }

  it('refuses a pair as long as the jump', () => {
    expect(() => buildLattice({ kind: 'split-pair', hopDistanceA: 2.75, pairDistanceA: 2.7, rep: 2 }, 1)).toThrow(/too alike/);
    expect(() => buildLattice({ kind: 'split-pair', hopDistanceA: 2.75, rep: 2 }, 1)).toThrow(/pairDistanceA/);
  });

  it('pair and jump edges hop at their own rates (null-event acceptance Γ_e/Γ_max)', () => {
    // One ion, transits of 1 fs: from a pair site it goes to its partner with P = Γp/(Γp + Γj).
    const spec = testSpec({ lattice: { kind: 'split-pair', hopDistanceA: 2.75, pairDistanceA: 1.8, rep: 2 }, nIons: 1, activationEv: 0.15, pairActivationEv: 0.08, transitFs: 1, pairTransitFs: 1 });
    const model = buildLattice(spec.lattice, 1);
    const T = 600;
    const res = runKmc(model, kmcParamsOf(spec, T, 5e6), new Rng(3, 1));
    const types = model.siteTypes!;
    let fromPair = 0, toPartner = 0;
    for (const h of res.hops) {
      if (types[h.from] === 'cage') continue;
      fromPair++;
      if (types[h.to] !== 'cage') toPartner++;
    }
    const kT = 8.617333262e-5 * T;
    const gp = Math.exp(-0.08 / kT), gj = Math.exp(-0.15 / kT);
    const want = gp / (gp + gj);
    expect(fromPair).toBeGreaterThan(2000);
    const sd = Math.sqrt((want * (1 - want)) / fromPair);
    expect(Math.abs(toPartner / fromPair - want)).toBeLessThan(4 * sd);
  });
});

describe('hard-regime materials', () => {
  it('are reachable by name, apart from MATERIALS (the embedded datasets stay as they are)', () => {
    for (const m of HARD_REGIME_MATERIALS) {
      expect(materialByName(m.name)).toBe(m);
      expect(MATERIALS.some((x) => x.name === m.name)).toBe(false);
      expect(m.potimFs * m.nblock).toBeLessThanOrEqual(2); // every MD step
      expect(m.vibration?.kind).toBe('underdamped');
    }
    expect(materialByName('li-pair-1.8').lattice.pairDistanceA).toBe(1.8);
    expect(materialByName('Li-pair-2.0').lattice.pairDistanceA).toBe(2.0);
  });

  for (const name of ['Li-pair-1.8', 'Li-pair-2.0']) {
    it(`${name}: truth records site types; pair hops have the pair spacing; the ions rattle`, () => {
      const spec = materialByName(name);
      const run = generateRun(spec, 600, 12);
      const t = run.truth;
      expect(t.siteTypes!.length).toBe(t.sites.length);
      expect(t.params.pairDistanceA).toBe(spec.lattice.pairDistanceA);
      const pairHops = t.hops.filter((h) => t.siteTypes![h.fromSite] !== 'cage' && t.siteTypes![h.toSite] !== 'cage');
      const jumps = t.hops.filter((h) => !pairHops.includes(h));
      expect(pairHops.length).toBeGreaterThan(100);
      expect(jumps.length).toBeGreaterThan(20);
      for (const h of pairHops) expect(siteDistance(t, h.fromSite, h.toSite)).toBeCloseTo(spec.lattice.pairDistanceA!, 4);
      for (const h of jumps) expect(siteDistance(t, h.fromSite, h.toSite)).toBeCloseTo(2.75, 4);
      // rattling: most pair hops return to the site just left, and some dwells are < 20 frames
      expect(pairHops.filter((h) => h.backHop).length / pairHops.length).toBeGreaterThan(0.5);
      const byAtom = new Map<number, typeof t.hops>();
      for (const h of t.hops) byAtom.set(h.atom, [...(byAtom.get(h.atom) ?? []), h]);
      let short = 0;
      for (const hs of byAtom.values()) for (let i = 1; i < hs.length; i++) if (hs[i].startFrame - hs[i - 1].endFrame - 1 < 20) short++;
      expect(short).toBeGreaterThan(5);
      // no analytic D for two hop lengths; the model KMC gives one
      expect(t.dTracerAnalyticCm2s).toBeNull();
      expect(t.dTracerModelCm2s!).toBeGreaterThan(0);
    });
  }

  it('determinism by seed: same seed → identical truth and frames; another seed differs', () => {
    const spec = { ...materialByName('Li-pair-1.8'), nFrames: 1500 };
    const digest = (seed: number): { truth: string; frames: number } => {
      const run = generateRun(spec, 600, seed);
      let h = 0;
      for (const fr of run.frames()) for (let i = 0; i < fr.length; i += 7) h = (h * 31 + Math.round(fr[i] * 1e8)) % 1e9;
      return { truth: JSON.stringify(run.truth), frames: h };
    };
    const a = digest(9), b = digest(9), c = digest(10);
    expect(a).toEqual(b);
    expect(c.truth).not.toBe(a.truth);
    expect(c.frames).not.toBe(a.frames);
  });
});
