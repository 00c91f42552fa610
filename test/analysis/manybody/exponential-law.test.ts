// The exponential law is a test with a verdict, not a fit that is always produced.
import { describe, expect, it } from 'vitest';
import type { NBodyRow } from '../../../src/analysis/manybody/concerted.js';
import { testExponentialLaw } from '../../../src/analysis/manybody/exponential-law.js';
import { chiSquareUpperTail, gammaQ, lnGamma, normalUpperTail, poissonUpperTail } from '../../../src/stats/special.js';
import { seededRandom } from '../../../src/analysis/random.js';

/** Group counts per size n = 1… as rows with no null expectation (excess = observed, Poisson errors). */
function rows(counts: number[]): NBodyRow[] {
  return counts.map((c, i) => ({ nBodies: i + 1, observed: c, expected: 0, expectedSd: 0, excess: c, excessErr: Math.sqrt(Math.max(c, 1)) }));
}

function poisson(mu: number, rng: () => number): number {
  let k = 0, p = Math.exp(-mu), s = p;
  const u = rng();
  while (u > s && k < 10000) { k++; p *= mu / k; s += p; }
  return k;
}

describe('special functions', () => {
  it('match known values', () => {
    expect(lnGamma(5)).toBeCloseTo(Math.log(24), 12);
    expect(lnGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 12);
    expect(normalUpperTail(1.959964)).toBeCloseTo(0.025, 6);
    expect(chiSquareUpperTail(3.841459, 1)).toBeCloseTo(0.05, 6);
    expect(chiSquareUpperTail(18.307038, 10)).toBeCloseTo(0.05, 6);
    expect(gammaQ(3, 0)).toBe(1);
    // P(X ≥ 3 | μ = 1) = 1 − e⁻¹(1 + 1 + 1/2)
    expect(poissonUpperTail(3, 1)).toBeCloseTo(1 - Math.exp(-1) * 2.5, 12);
    expect(poissonUpperTail(0, 2)).toBe(1);
    expect(poissonUpperTail(60, 1)).toBeGreaterThan(0);
  });
});

describe('testExponentialLaw', () => {
  it('geometric group sizes: exponential, the decay rate recovered within its error, p-values calibrated', () => {
    const rng = seededRandom(3);
    const C = 0.9, A = 400;
    let pass = 0, within = 0;
    const N = 200;
    for (let k = 0; k < N; k++) {
      const counts = [1000];
      for (let n = 2; n <= 12; n++) counts.push(poisson(A * Math.exp(-C * (n - 2)), rng));
      const f = testExponentialLaw(rows(counts));
      if (f.verdict === 'exponential') pass++;
      if (Math.abs(f.decayRate - C) < 2 * f.decayRateErr) within++;
    }
    // At the 1 % level about 99 % pass (the χ² is approximate for the small tail counts).
    expect(pass / N).toBeGreaterThan(0.93);
    expect(within / N).toBeGreaterThan(0.9);
  });

  it('one dominant size (fixed chains) is not exponential; a growing law is not either', () => {
    expect(testExponentialLaw(rows([500, 3, 240, 1, 0])).verdict).toBe('not exponential');
    expect(testExponentialLaw(rows([500, 20, 40, 80, 160])).verdict).toBe('not exponential');
  });

  it('too few groups or sizes: no verdict on the law, and no numbers', () => {
    const few = testExponentialLaw(rows([300, 4, 2, 1]));
    expect(few.verdict).toBe('too few groups');
    expect(Number.isNaN(few.decayRate)).toBe(true);
    expect(testExponentialLaw(rows([300, 200])).verdict).toBe('too few groups');
    expect(testExponentialLaw(rows([300])).verdict).toBe('too few groups');
  });
});
