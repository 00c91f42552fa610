// Concerted groups against the generator's truth, on the TRUE hops fed directly (grouping errors
// only; detection is tested in concerted-detected.test.ts): chains of geometric sizes and of at
// most two, fixed sizes 3 and 5, no chains; sparse sites and every-step close-site pairs.
import { describe, expect, it } from 'vitest';
import { concertedHops, type ConcertedResult } from '../../../src/analysis/manybody/concerted.js';
import { testExponentialLaw } from '../../../src/analysis/manybody/exponential-law.js';
import { materialByName } from '../../../src/generate/materials.js';
import { generateRun } from '../../../src/generate/run.js';
import type { MaterialSpec } from '../../../src/generate/material-spec.js';
import type { Truth } from '../../../src/generate/truth.js';
import { chiSquareHomogeneity, coLabelledPairs, precisionRecall, truthBodiesMean, truthChainSizes, truthHops } from './truth.js';

interface Case { truth: Truth; res: ConcertedResult; pr: ReturnType<typeof precisionRecall> }

function run(spec: MaterialSpec, seed = 11, withSiteIds = false): Case {
  const T = spec.temperaturesK[spec.temperaturesK.length - 1];
  const truth = generateRun(spec, T, seed).truth;
  const hops = truthHops(truth, withSiteIds);
  const res = concertedHops(hops, truth.nFrames, { lattice: truth.lattice, seed: 0 });
  const atoms = hops.map((h) => h.atom);
  const pr = precisionRecall(coLabelledPairs(res.groupOf, atoms), coLabelledPairs(truth.hops.map((h) => h.chainId), atoms));
  return { truth, res, pr };
}

const sparse = (name: string, over: Partial<MaterialSpec>): MaterialSpec => ({ ...materialByName(name), nFrames: 3000, ...over });
const hard = (name: string, over: Partial<MaterialSpec>): MaterialSpec => ({ ...materialByName(name), ...over });

describe('concerted groups on true hops', () => {
  const chained: [string, MaterialSpec, number][] = [
    ['sparse sc, geometric chains (p = 0.3)', sparse('Li-sc', { chainProb: 0.3 }), 0.9],
    ['sparse bcc-tet, geometric chains (p = 0.4)', sparse('Li-bcc', {}), 0.9],
    ['sparse hex layers, chains of at most two', sparse('Na-hex', { chainProb: 0.4, chainMax: 2 }), 0.9],
    ['every-step, 2.0 Å close pairs, chains of at most two', hard('Li-pair-2.0', { chainProb: 0.5, chainMax: 2 }), 0.85],
    ['every-step, 1.8 Å close pairs, chains of at most two', hard('Li-pair-1.8', { chainProb: 0.5, chainMax: 2 }), 0.85],
  ];
  for (const [name, spec, bar] of chained) {
    it(`${name}: pair precision and recall ≥ ${bar}, n_bodies_mean within 10 %, chain sizes recovered`, () => {
      const { truth, res, pr } = run(spec);
      expect(pr.precision).toBeGreaterThanOrEqual(bar);
      expect(pr.recall).toBeGreaterThanOrEqual(bar);
      const nb = truthBodiesMean(truth);
      expect(Math.abs(res.nBodiesMean.observed - nb) / nb).toBeLessThan(0.1);
      // Groups of n ions (n = 1: hops in none) against the true chain sizes.
      const found = res.groupSizes.map((r) => r.observed);
      expect(chiSquareHomogeneity([0, ...found], truthChainSizes(truth)).p).toBeGreaterThan(0.01);
      // The correlation is real: its excess is many standard errors above independence.
      expect(res.concertedFraction.pValue).toBeLessThan(1e-6);
    });
  }

  it('geometric chains pass the exponential law; fixed sizes 3 and 5 do not', () => {
    expect(testExponentialLaw(run(sparse('Li-bcc', {})).res.groupSizes).verdict).toBe('exponential');
    for (const size of [3, 5]) {
      const { res, truth } = run(sparse('Li-sc', { chainProb: 0.4, chainFixedSize: size }));
      expect(testExponentialLaw(res.groupSizes).verdict).toBe('not exponential');
      // The most common group is the true chain size.
      const groups = res.groupSizes.filter((r) => r.nBodies >= 2);
      expect(groups.reduce((m, r) => (r.observed > m.observed ? r : m)).nBodies).toBe(size);
      expect(truth.chains.every((c) => c.size === 1 || c.size === size)).toBe(true);
    }
  });

  it('rattling close pairs (τ ~ 250 frames, chain delays 30–90 frames): followers that start during the leader\'s transit are grouped', () => {
    // Before the DURING bin the chain delays fell at x ≈ 0.1–0.3, in the long-lag level: recall 0.
    const { truth, res, pr } = run(hard('Li-pair-1.8-fast', { chainProb: 0.4 }));
    expect(res.geometry.tauFrames).toBeGreaterThan(150);
    expect(pr.precision).toBeGreaterThanOrEqual(0.95);
    expect(pr.recall).toBeGreaterThanOrEqual(0.85);
    const nb = truthBodiesMean(truth);
    expect(Math.abs(res.nBodiesMean.observed - nb) / nb).toBeLessThan(0.1);
    const during = res.pairBins.filter((b) => b.during && b.concerted).map((b) => b.relation);
    expect(during).toEqual(['fill']);
  });

  const independent: [string, MaterialSpec][] = [
    ['sparse sc', sparse('Li-sc', { chainProb: 0 })],
    ['dense hex layers (3/4 of the sites occupied)', sparse('Na-hex', { chainProb: 0 })],
    ['every-step, 2.0 Å close pairs', hard('Li-pair-2.0', { chainProb: 0 })],
    ['every-step, 1.8 Å close pairs, fast rattling', hard('Li-pair-1.8-fast', { chainProb: 0 })],
  ];
  for (const [name, spec] of independent) {
    it(`no chains (${name}): excess consistent with zero, concerted_fraction ≤ 0.05, excess mean bodies ≤ 1.05`, () => {
      const { res } = run(spec);
      expect(res.concertedFraction.observed).toBeLessThanOrEqual(0.05);
      expect(res.nBodiesMean.excess + 1).toBeLessThanOrEqual(1.05);
      expect(Math.abs(res.nBodiesMean.excess)).toBeLessThan(3 * res.nBodiesMean.excessErr + 1e-9);
      expect(testExponentialLaw(res.groupSizes).verdict).toBe('too few groups');
    });
  }

  it('no chains at 3/4 occupancy: refills crowd just after a site is vacated, far above the shifted null, yet no fill bin is concerted (the refill hazard is their reference)', () => {
    const { res } = run(sparse('Na-hex', { chainProb: 0 }));
    const fill = res.pairBins.filter((b) => b.relation === 'fill' && Number.isFinite(b.expected));
    // Site exclusion: a site is refilled only once vacated, which the circular shifts ignore.
    expect(fill.some((b) => b.observed > 20 && b.observed > 3 * b.expected)).toBe(true);
    expect(fill.filter((b) => b.concerted)).toEqual([]);
    expect(res.groups).toEqual([]);
  });

  it('replicates stop at 20 once no bin\'s decision can change; the groups and expectations agree with all 100', () => {
    const spec = sparse('Li-sc', { chainProb: 0.3 });
    const truth = generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], 11).truth;
    const hops = truthHops(truth);
    const quick = concertedHops(hops, truth.nFrames, { lattice: truth.lattice });
    const full = concertedHops(hops, truth.nFrames, { lattice: truth.lattice, minShifts: 100 });
    expect(quick.nShifts).toBe(20);
    expect(full.nShifts).toBe(100);
    expect(Array.from(quick.groupOf)).toEqual(Array.from(full.groupOf));
    // The 20-replicate mean is within 4 standard errors of the 100-replicate one.
    const e = full.nBodiesMean;
    expect(Math.abs(quick.nBodiesMean.expected - e.expected)).toBeLessThan(4 * e.expectedSd / Math.sqrt(20));
  });

  it('site ids from a site map give the groups the wrapped centres give; the seed fixes the result', () => {
    const spec = sparse('Li-bcc', { nFrames: 1500 });
    const a = run(spec, 5, false), b = run(spec, 5, true), c = run(spec, 5, false);
    expect(Array.from(b.res.groupOf)).toEqual(Array.from(a.res.groupOf));
    expect(c.res).toEqual(a.res);
    expect(Number.isNaN(b.res.geometry.siteTolA)).toBe(true);
  });
});
