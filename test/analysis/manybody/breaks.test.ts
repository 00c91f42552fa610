// Hops across a discontinuity (a restart boundary whose positions do not follow on) are left out
// of the many-body analysis: in Li6PS5I-100p (run3 → run4) 73 "hops" at frames 299–300 made
// one group of 34 ions and one of 13 (BENCHMARKS.md "Many-body").
import { describe, expect, it } from 'vitest';
import { concertedHops } from '../../../src/analysis/manybody/concerted.js';
import { materialByName } from '../../../src/generate/materials.js';
import { generateRun } from '../../../src/generate/run.js';
import { truthHops } from './truth.js';

describe('concerted hops across a discontinuity', () => {
  const spec = { ...materialByName('Li-sc'), chainProb: 0, nFrames: 3000 };
  const truth = generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], 11).truth;
  const real = truthHops(truth);
  // Every ion "hops" at the break (frame 1500): a real hop's geometry, its time moved there.
  const atoms = [...new Set(real.map((h) => h.atom))];
  const fake = atoms.map((a) => ({ ...real.find((h) => h.atom === a)!, first: 1499, last: 1499 }));
  const hops = [...real, ...fake];

  it('without the break the spurious hops form a large group; with it they are excluded and the rest is unchanged', () => {
    const blind = concertedHops(hops, truth.nFrames, { lattice: truth.lattice });
    expect(Math.max(...blind.groups.map((g) => g.atoms.length))).toBeGreaterThanOrEqual(10);
    const r = concertedHops(hops, truth.nFrames, { lattice: truth.lattice, breaks: [1500] });
    const ref = concertedHops(real.filter((h) => !(h.first <= 1500 && 1500 <= h.last + 1)), truth.nFrames, { lattice: truth.lattice });
    expect(r.nExcluded).toBe(hops.length - ref.nHops);
    expect(r.nExcluded).toBeGreaterThanOrEqual(fake.length);
    expect(r.nHops).toBe(ref.nHops);
    expect(r.nBodiesMean).toEqual(ref.nBodiesMean);
    expect(r.concertedFraction.observed).toBeLessThanOrEqual(0.05);
    for (let i = real.length; i < hops.length; i++) { expect(r.groupOf[i]).toBe(-1); expect(r.bodies[i]).toBe(1); }
    // Group members index the input hops.
    for (const g of r.groups) for (const m of g.members) expect(r.groupOf[m]).toBe(r.groups.indexOf(g));
  });
});
