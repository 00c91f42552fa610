// Concerted groups on DETECTED hops (analyze(), default detector) against the generator's truth:
// what detection adds to the grouping errors of concerted-truth.test.ts. Detected transits are
// about half the true ones and start 1–2 frames late at these frame intervals; the lag clock
// (the median residence) does not depend on them. BENCHMARKS.md "Many-body" has the every-step
// close-site runs, where detection (extra rattling hops) costs much more recall.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../../src/analysis/analyze.js';
import { materialByName } from '../../../src/generate/materials.js';
import { generateRun, toTrajectory } from '../../../src/generate/run.js';
import type { MaterialSpec } from '../../../src/generate/material-spec.js';
import { coLabelledPairs, matchToTruth, precisionRecall, truthBodiesMean } from './truth.js';

function detected(spec: MaterialSpec) {
  const run = generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], 11);
  const r = analyze(toTrajectory(run), {});
  const t = run.truth;
  const ev = r.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame }));
  const m = matchToTruth(ev, t);
  const atoms = ev.map((e) => e.atom);
  // Truth pairs among the detected hops: the grouping's recall given what was detected.
  const pr = precisionRecall(
    coLabelledPairs(r.events.map((e) => e.groupId ?? -1), atoms),
    coLabelledPairs(Array.from(m, (k) => (k >= 0 ? t.hops[k].chainId : -1)), atoms),
  );
  return { r, t, pr, unmatched: m.filter((k) => k < 0).length };
}

describe('concerted groups on detected hops', () => {
  for (const [name, spec] of [
    ['bcc-tet, geometric chains', { ...materialByName('Li-bcc'), nFrames: 3000 }],
    ['hex layers, chains of at most two', { ...materialByName('Na-hex'), chainProb: 0.4, chainMax: 2, nFrames: 3000 }],
  ] as [string, MaterialSpec][]) {
    it(`${name}: precision ≥ 0.95, recall ≥ 0.9, n_bodies_mean within 10 %; the IonDiff count is kept beside it`, () => {
      const { r, t, pr, unmatched } = detected(spec);
      expect(unmatched).toBe(0);
      expect(pr.precision).toBeGreaterThanOrEqual(0.95);
      expect(pr.recall).toBeGreaterThanOrEqual(0.9);
      const d = r.descriptors[0];
      const nb = truthBodiesMean(t);
      expect(Math.abs((d.nBodiesMean as number) - nb) / nb).toBeLessThan(0.1);
      expect(d.concertedFractionExcess as number).toBeGreaterThan(5 * (d.concertedFractionExcessErr as number));
      // IonDiff's time-only count on the same hops: almost every hop "correlated".
      expect(d.iondiffConcertedFraction as number).toBeGreaterThan(0.9);
      expect(r.correlations.some((c) => c.method === 'iondiff')).toBe(true);
      expect(r.correlationFits.map((f) => f.method)).toEqual(['calibrated', 'iondiff']);
      // Every event of a group is in it; a group's size is its distinct atoms.
      for (const g of r.groups) expect(new Set(r.events.filter((e) => e.groupId === g.groupId).map((e) => e.atom)).size).toBe(g.nBodies);
    });
  }

  it('no chains, 3/4 of the sites occupied: nothing concerted, excess mean bodies ≤ 1.05', () => {
    const { r } = detected({ ...materialByName('Na-hex'), chainProb: 0, nFrames: 3000 });
    const d = r.descriptors[0];
    expect(d.concertedFraction as number).toBeLessThanOrEqual(0.05);
    expect(d.nBodiesMeanExcess as number).toBeLessThanOrEqual(1.05);
    expect(d.correlationLaw).toBe('too few groups');
    expect(d.decayRate).toBeNull();
  });
});
