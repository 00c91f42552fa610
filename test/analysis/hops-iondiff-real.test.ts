import { describe, expect, it } from 'vitest';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';
import { loadTrajectory } from '../../src/io/load.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { atomsOf } from '../../src/trajectory/types.js';
import { detectHopsIondiff } from '../../src/analysis/hops-iondiff.js';
import { occupancyRuns } from '../../src/analysis/occupancy.js';
import { analyzeCorrelations } from '../../src/analysis/correlations.js';
import { backHopFlags, findChains } from '../../src/analysis/paths.js';

describe.skipIf(!hasRealData)(`real argyrodite Li6PS5Cl 50p 500 K (${hasRealData ? '' : realDataSkipReason})`, () => {
  it('detectHopsIondiff on the 192 Li: event count and runtime', async () => {
    const traj = await loadTrajectory(realCase('argyrodite_li6ps5cl_50p_500k'));
    const atoms = atomsOf(traj, ['Li']);
    expect(atoms.length).toBe(192);
    expect(traj.nFrames).toBe(700);
    const u = unwrap(traj, { atoms });

    const t0 = performance.now(), c0 = process.cpuUsage();
    const r = detectHopsIondiff(u, traj.nFrames, atoms);
    const ms = performance.now() - t0, cpuMs = process.cpuUsage(c0).user / 1000;
    const multi = r.atoms.filter((a) => a.nCentres > 1).length;
    const best = Math.max(...r.atoms.map((a) => a.score).filter((s) => !Number.isNaN(s)));

    // Same clustering, original boundary semantics: only e = −1 ↔ T−1 may differ.
    const c = detectHopsIondiff(u, traj.nFrames, atoms, { compat: true, init: 'k-means++', nInit: 1 });
    expect(r.events).toEqual(c.events.map((e) => ({ ...e, end: e.end < 0 ? traj.nFrames - 1 : e.end })));
    const vanished = c.events.filter((e) => e.end === -1).length;

    const runs = occupancyRuns(r.events, traj.nFrames);
    const t1 = performance.now();
    const corr = analyzeCorrelations(runs, traj.nFrames, 'Li');
    const corrMs = performance.now() - t1;
    const L = traj.lattice;
    const back = backHopFlags(r.hops, L).reduce((s, v) => s + v, 0);
    const chains = findChains(r.hops, L);

    console.log(
      `[iondiff] argyrodite Cl-50p, 192 Li × 700 frames: ${r.events.length} events on ${multi} ions ` +
      `(${vanished} with e = −1 that the original drops), best silhouette ${best.toFixed(3)}, ` +
      `${ms.toFixed(0)} ms wall / ${cpuMs.toFixed(0)} ms CPU (IonDiff Python: 54 s); correlations ${corrMs.toFixed(0)} ms, ` +
      `threshold ${corr.threshold.toFixed(4)}, bins ${JSON.stringify(corr.bins.map((b) => [b.nBodies, b.count]))}, ` +
      `groups ${corr.groups.length}; back-hops ${back}; chain links ${chains.links.length}`,
    );
    // The faithful method on this run: 11 events on 9 ions (deterministic: seeded k-means).
    expect(r.events.length).toBe(11);
    expect(multi).toBe(9);
    expect(vanished).toBe(2);
    // Runtime: the published Python code takes 54 s here; CPU time, so a loaded machine does not
    // fail it, with a wide margin (about 1 s measured on one core).
    expect(cpuMs).toBeLessThan(15_000);
    expect(r.hops.length).toBe(r.events.length);
    for (const h of r.hops) {
      expect(atoms.includes(h.atom)).toBe(true);
      expect(h.startFrame).toBeLessThanOrEqual(h.endFrame);
    }
    // Deterministic.
    expect(detectHopsIondiff(u, traj.nFrames, atoms).events).toEqual(r.events);
  }, 120_000);
});
