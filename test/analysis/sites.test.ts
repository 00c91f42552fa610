// The site map and site-to-site jumps on the embedded generated datasets (truth with site ids),
// the periodic rank of the jump network, and site types.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectHopsDefault } from '../../src/analysis/hops-default.js';
import { periodicRank } from '../../src/analysis/sites/network.js';
import { siteStage } from '../../src/analysis/sites/stage.js';
import { siteTypes } from '../../src/analysis/sites/site-types.js';
import type { SiteMap } from '../../src/analysis/sites/site-map.js';
import type { Truth } from '../../src/generate/truth.js';
import { loadTrajectory } from '../../src/io/load.js';
import { inverse3, volume } from '../../src/trajectory/lattice.js';
import { atomsOf } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { scoreAgainstTruth } from '../../src/validate/accuracy.js';
import { truthSiteMatch, visitedTruthSites } from '../../src/validate/sites.js';

const datasets = resolve(import.meta.dirname, '../../datasets');

async function stageOn(dir: string) {
  const truth = JSON.parse(readFileSync(resolve(datasets, dir, 'truth.json'), 'utf8')) as Truth;
  const traj = await loadTrajectory(resolve(datasets, dir));
  const atoms = atomsOf(traj, [truth.mobile]);
  const u = unwrap(traj, { atoms, removeDriftExcept: [truth.mobile] });
  const det = detectHopsDefault(u, traj.nFrames, atoms);
  const cell = traj.lattice.subarray(0, 9);
  const st = siteStage({
    element: truth.mobile, positions: u, nFrames: traj.nFrames, atoms, cell, volumeA3: volume(cell), seed: 0,
    frameIntervalFs: traj.metadata.frameIntervalFs!, detection: det,
  });
  return { truth, st, u, n: atoms.length, T: traj.nFrames };
}

describe('site map and site jumps on generated runs', () => {
  // Measured (bench/sites.ts --datasets): F1 1.000 on 11 of the 12 runs, 0.994 on Na-hex/750K.
  for (const dir of ['Li-sc/600K', 'Li-bcc/600K', 'Na-hex/750K', 'Na-rhombo/1000K']) {
    it(`${dir}: jumps F1 ≥ 0.97; every visited truth site found within 0.2 Å, one-to-one`, async () => {
      const { truth, st } = await stageOn(dir);
      expect(st.hops).not.toBeNull();
      const score = scoreAgainstTruth({ method: 'sites', hops: st.hops!, atoms: [] }, truth);
      expect(score.f1).toBeGreaterThanOrEqual(0.97);
      const m = truthSiteMatch(st.map, truth);
      for (const t of visitedTruthSites(truth)) {
        expect(m.distanceA[t], `truth site ${t}`).toBeLessThan(0.2);
        expect(m.truthOf[m.nearest[t]], `truth site ${t}`).toBe(t);
      }
    }, 120_000);
  }

  it('hop vectors telescope: each jump starts at the site (and image) the previous one reached', async () => {
    const { st, n } = await stageOn('Li-bcc/600K');
    const hops = st.hops!;
    let chained = 0;
    for (let i = 1; i < hops.length; i++) {
      if (hops[i].atom !== hops[i - 1].atom) continue;
      expect(hops[i].fromSite).toBe(hops[i - 1].toSite);
      expect(hops[i].from).toEqual(hops[i - 1].to);
      chained++;
    }
    expect(chained).toBeGreaterThan(100);
    // the tables: occupancies sum to the ions at rest, jumps per pair add up to all jumps
    expect(st.jumps.reduce((s, j) => s + j.count, 0)).toBe(hops.length);
    const occ = st.sites.reduce((s, x) => s + x.occupancy, 0);
    expect(occ).toBeGreaterThan(0.9 * n);
    expect(occ).toBeLessThanOrEqual(n + 1e-9);
    expect(st.summary.networkDimensionality).toBe(3);
  }, 120_000);
});

describe('periodic rank of the jump network', () => {
  const e = (a: number, b: number, off: [number, number, number]) => ({ a, b, off, count: 1 });
  it('a finite cluster is 0-D, a chain through the cell 1-D, a plane 2-D, a cubic net 3-D', () => {
    expect(periodicRank(3, [e(0, 1, [0, 0, 0]), e(1, 2, [0, 0, 0]), e(2, 0, [0, 0, 0])])).toBe(0);
    expect(periodicRank(2, [e(0, 1, [0, 0, 0]), e(1, 0, [0, 0, 1])])).toBe(1);
    expect(periodicRank(1, [e(0, 0, [1, 0, 0]), e(0, 0, [0, 1, 0]), e(0, 0, [1, 1, 0])])).toBe(2);
    expect(periodicRank(1, [e(0, 0, [1, 0, 0]), e(0, 0, [0, 1, 0]), e(0, 0, [0, 0, 1])])).toBe(3);
    // two separate 1-D channels along different axes: the max over components is 1, not 2
    expect(periodicRank(2, [e(0, 0, [1, 0, 0]), e(1, 1, [0, 1, 0])])).toBe(1);
  });
});

describe('site types', () => {
  it('sites with the same neighbour distances share a type; a site with other neighbours does not', () => {
    // a square of 4 sites in a 4 × 4 × 100 Å cell (all alike), plus one site far off the plane
    const L = Float64Array.from([4, 0, 0, 0, 4, 0, 0, 0, 100]);
    const frac = Float64Array.from([0, 0, 0, 0.5, 0, 0, 0, 0.5, 0, 0.5, 0.5, 0, 0.25, 0.25, 0.3]);
    const k = 5;
    const covs = new Float64Array(k * 6);
    for (let j = 0; j < k; j++) covs.set([0.01, 0.01, 0.01, 0, 0, 0], j * 6);
    const cart = new Float64Array(k * 3);
    for (let j = 0; j < k * 3; j++) cart[j] = frac[j] * L[(j % 3) * 4];
    const map: SiteMap = { k, lattice: L, latticeInv: inverse3(L), frac, cart, covs, weights: new Float64Array(k).fill(0.2), background: 0.01, stride: 1 };
    expect(Array.from(siteTypes(map))).toEqual([0, 0, 0, 0, 1]);
  });
});
