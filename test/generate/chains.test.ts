// Concerted chains of a fixed size, geometric chains and no chains.
import { describe, expect, it } from 'vitest';
import { runKmc } from '../../src/generate/kmc.js';
import { buildLattice } from '../../src/generate/lattice-models.js';
import { Rng } from '../../src/generate/rng.js';
import { generateRun, kmcParamsOf } from '../../src/generate/run.js';
import { requestedChainLaw } from '../../src/generate/theory.js';
import { testSpec } from './helpers.js';

describe('chain laws', () => {
  for (const size of [2, 3, 5]) {
    it(`fixed size ${size}: every chain has exactly ${size} hops (sc and split-pair)`, () => {
      for (const lattice of [
        { kind: 'sc' as const, hopDistanceA: 2.5, rep: 4 },
        { kind: 'split-pair' as const, hopDistanceA: 2.75, pairDistanceA: 1.8, rep: 2 },
      ]) {
        const spec = testSpec({ lattice, nIons: 40, chainProb: 1, chainFixedSize: size, nFrames: 800, activationEv: 0.2 });
        const run = generateRun(spec, 800, 4);
        const t = run.truth;
        expect(t.chains.length).toBeGreaterThan(10);
        for (const c of t.chains) {
          expect(c.size).toBe(size);
          expect(t.hops.filter((h) => h.chainId === c.chainId).length).toBe(size);
          expect(c.atoms.length).toBe(size);
        }
        expect(t.params.chainFixedSize).toBe(size);
      }
    });
  }

  it('fixed size with chainProb p: chains of size 1 or S only, S with frequency ≈ p', () => {
    const spec = testSpec({ nIons: 56, chainProb: 0.4, chainFixedSize: 3, transitFs: 150 });
    const model = buildLattice(spec.lattice, spec.seed);
    const res = runKmc(model, kmcParamsOf(spec, 700, 3e6), new Rng(8, 1));
    const n = res.chainSizes.length;
    expect(n).toBeGreaterThan(2000);
    expect(res.chainSizes.every((s) => s === 1 || s === 3)).toBe(true);
    const frac = res.chainSizes.filter((s) => s === 3).length / n;
    // undone attempts (no free follower) remove a little weight from S
    expect(Math.abs(frac - 0.4)).toBeLessThan(4 * Math.sqrt(0.24 / n) + 0.02);
    expect(requestedChainLaw(kmcParamsOf(spec, 700, 1))).toEqual([0.6, 0, 0.4]);
  });

  it('no chains: every chain is one isolated hop, nothing truncated', () => {
    const spec = testSpec({ nIons: 40, chainProb: 0, nFrames: 800, activationEv: 0.2 });
    const run = generateRun(spec, 800, 4);
    expect(run.truth.hops.length).toBeGreaterThan(50);
    expect(run.truth.chains.every((c) => c.size === 1)).toBe(true);
    expect(run.truth.params.chainTruncations).toBe(0);
  });

  it('geometric chains stay geometric (sizes beyond 2 occur, the law is the capped geometric one)', () => {
    const spec = testSpec({ nIons: 48, chainProb: 0.5, nFrames: 800, activationEv: 0.2 });
    const run = generateRun(spec, 800, 4);
    expect(Math.max(...run.truth.chains.map((c) => c.size))).toBeGreaterThan(2);
    expect(run.truth.params.chainFixedSize).toBeUndefined();
    expect((run.truth.params.chainSizeProbabilities as number[]).length).toBe(spec.chainMax);
  });
});
