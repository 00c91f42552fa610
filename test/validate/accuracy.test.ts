// Accuracy of the default detector on the embedded generated datasets (datasets/manifest.json),
// with the iondiff method reported beside it (not asserted).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nearestSite, scoreAgainstTruth } from '../../src/validate/accuracy.js';
import type { HopDetection } from '../../src/analysis/types.js';
import type { Truth } from '../../src/generate/truth.js';
import { inverse3 } from '../../src/trajectory/lattice.js';
import { accuracyTable, formatTable } from '../../src/validate/accuracy-table.js';
import { repoRoot } from '../helpers/real.js';

const datasets = join(repoRoot, 'datasets');
const hasDatasets = existsSync(join(datasets, 'manifest.json'));

function truthOf(hops: Truth['hops']): Truth {
  return {
    version: 1, seed: 0, material: 'x', mobile: 'Li', temperatureK: 300, frameIntervalFs: 50, nFrames: 100,
    lattice: [10, 0, 0, 0, 10, 0, 0, 0, 10], sites: [[0, 0, 0], [0.25, 0, 0], [0.5, 0, 0]],
    initialSites: {}, params: {}, hops, chains: [], dTracerAnalyticCm2s: null,
  };
}

describe('scoreAgainstTruth', () => {
  const truth = truthOf([
    { atom: 1, startFrame: 10, endFrame: 14, fromSite: 0, toSite: 1, chainId: 0, backHop: false },
    { atom: 1, startFrame: 40, endFrame: 43, fromSite: 1, toSite: 2, chainId: 1, backHop: false },
  ]);
  const det = (hops: HopDetection['hops']): HopDetection => ({ method: 't', hops, atoms: [] });
  it('maps centres by minimum image (unwrapped centres a lattice vector away still match)', () => {
    const L = truth.lattice, Li = inverse3(L);
    expect(nearestSite(9.9, 0.1, 0, L, Li, truth.sites)).toBe(0);
    expect(nearestSite(12.4, 10, -10, L, Li, truth.sites)).toBe(1);
  });
  it('counts tp / fp / fn with time tolerance and site identity, one-to-one', () => {
    const s = scoreAgainstTruth(det([
      { atom: 1, startFrame: 15, endFrame: 16, from: [10.1, 0, 0], to: [12.5, 0, 0] }, // within ±2 frames → tp
      { atom: 1, startFrame: 11, endFrame: 12, from: [0, 0, 0], to: [2.5, 0, 0] }, // duplicate of the same true hop → fp
      { atom: 1, startFrame: 40, endFrame: 41, from: [2.5, 0, 0], to: [2.4, 0, 0] }, // wrong target site → fp
      { atom: 2, startFrame: 40, endFrame: 41, from: [2.5, 0, 0], to: [5, 0, 0] }, // wrong atom → fp
    ]), truth);
    expect([s.tp, s.fp, s.fn]).toEqual([1, 3, 1]);
    expect(s.precision).toBeCloseTo(0.25);
    expect(s.recall).toBeCloseTo(0.5);
    expect(s.f1).toBeCloseTo(1 / 3);
    expect(scoreAgainstTruth(det([{ atom: 1, startFrame: 17, endFrame: 18, from: [0, 0, 0], to: [2.5, 0, 0] }]), truth).tp).toBe(0);
  });
});

describe.skipIf(!hasDatasets)('default detector on the generated ground truth', () => {
  it('F1 ≥ 0.97 on every embedded run with ≥ 5 true hops (iondiff reported beside it)', async () => {
    const rows = await accuracyTable(join(repoRoot, 'datasets'), !process.env.IONSIFT_SKIP_IONDIFF);
    console.log(formatTable(rows));
    for (const r of rows) if (r.nTrue >= 5) expect(r.defaultScore.f1, r.dir).toBeGreaterThanOrEqual(0.97);
  });
});
