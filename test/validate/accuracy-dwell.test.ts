// Recall by the shorter of the two dwells around each true hop.
import { describe, expect, it } from 'vitest';
import type { HopDetection } from '../../src/analysis/types.js';
import type { Truth, TruthHop } from '../../src/generate/truth.js';
import { matchAgainstTruth, recallByDwell, scoreAgainstTruth, shorterDwells } from '../../src/validate/accuracy.js';

const hop = (atom: number, startFrame: number, endFrame: number, fromSite: number, toSite: number): TruthHop =>
  ({ atom, startFrame, endFrame, fromSite, toSite, chainId: 0, backHop: false });

function truthOf(hops: TruthHop[], nFrames: number): Truth {
  return {
    version: 1, seed: 0, material: 'x', mobile: 'Li', temperatureK: 300, frameIntervalFs: 1, nFrames,
    lattice: [10, 0, 0, 0, 10, 0, 0, 0, 10], sites: [[0, 0, 0], [0.25, 0, 0], [0.5, 0, 0]],
    initialSites: {}, params: {}, hops, chains: [], dTracerAnalyticCm2s: null,
  };
}

// atom 1: rests 0–99, hop A 100–104, rests 105–114 (10 frames), hop B 115–119, rests 120–419 (300),
//         hop C 420–424, rests to the end (frame 999: 575 frames).
// atom 2 (listed first, out of time order): hop D 600–609 after 600 frames at rest, then 390 to the end.
const truth = truthOf([
  hop(2, 600, 609, 2, 1),
  hop(1, 100, 104, 0, 1),
  hop(1, 115, 119, 1, 0),
  hop(1, 420, 424, 0, 1),
], 1000);

describe('recall by dwell', () => {
  it('takes the shorter dwell on either side, run edges included', () => {
    expect(Array.from(shorterDwells(truth))).toEqual([390, 10, 10, 300]);
  });

  it('bins found / true hops by that dwell (<20, 20–50, 50–100, 100–200, 200–500, ≥500)', () => {
    const rows = recallByDwell(truth, Uint8Array.from([1, 0, 1, 1]));
    expect(rows.map((r) => [r.minFrames, r.maxFrames, r.nTrue, r.nFound])).toEqual([
      [0, 20, 2, 1], [20, 50, 0, 0], [50, 100, 0, 0], [100, 200, 0, 0], [200, 500, 2, 2], [500, Infinity, 0, 0],
    ]);
    expect(rows[0].recall).toBe(0.5);
    expect(rows[4].recall).toBe(1);
    expect(rows[1].recall).toBeNaN();
    expect(() => recallByDwell(truth, new Uint8Array(3))).toThrow(/flags/);
  });

  it('matchAgainstTruth flags exactly the hops scoreAgainstTruth counts', () => {
    const det: HopDetection = {
      method: 't', atoms: [],
      hops: [
        { atom: 1, startFrame: 101, endFrame: 103, from: [0, 0, 0], to: [2.5, 0, 0] }, // A
        { atom: 1, startFrame: 421, endFrame: 423, from: [0, 0, 0], to: [5, 0, 0] }, // C, wrong target
        { atom: 2, startFrame: 600, endFrame: 608, from: [5, 0, 0], to: [2.5, 0, 0] }, // D
      ],
    };
    const m = matchAgainstTruth(det, truth);
    expect(Array.from(m.trueFound)).toEqual([1, 1, 0, 0]);
    expect(Array.from(m.detectedMatched)).toEqual([1, 0, 1]);
    expect(m.score).toEqual(scoreAgainstTruth(det, truth));
    expect(m.score.tp).toBe(2);
    const rows = recallByDwell(truth, m.trueFound);
    expect(rows[0].nFound).toBe(1); // A found, B (10-frame dwell) missed
    expect(rows[4].nFound).toBe(1); // D found, C missed
  });
});
