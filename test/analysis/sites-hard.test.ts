// The site map in the hard regime (every-MD-step frames, underdamped 0.33 Å vibration, close
// pairs): a close pair's repeated ~100 fs transits make a density bump at the pair's midpoint,
// and the detector can hand over a transit cut in two as a residence. Neither is a site (no ion
// dwells there); before the dwell test both were kept and their jumps were false positives
// (site-jump precision 0.961 and 0.913 on these two runs).
import { describe, expect, it } from 'vitest';
import { detectHopsDefault } from '../../src/analysis/hops-default.js';
import { siteStage } from '../../src/analysis/sites/stage.js';
import { materialByName } from '../../src/generate/materials.js';
import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { volume } from '../../src/trajectory/lattice.js';
import { atomsOf } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { matchAgainstTruth } from '../../src/validate/accuracy.js';
import { truthSiteMatch, visitedTruthSites } from '../../src/validate/sites.js';
import { lengthConsistency } from '../../src/validate/consistency.js';
import type { RawHop } from '../../src/analysis/types.js';

function hardSites(name: string, seedOffset: number) {
  const spec = { ...materialByName(name), nFrames: 6000 };
  const T = spec.temperaturesK[0];
  const run = generateRun(spec, T, spec.seed + T + seedOffset);
  const traj = toTrajectory(run);
  const atoms = atomsOf(traj, [spec.mobile]);
  const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
  const detection = detectHopsDefault(u, traj.nFrames, atoms);
  const cell = traj.lattice.subarray(0, 9);
  const st = siteStage({
    element: spec.mobile, positions: u, nFrames: traj.nFrames, atoms, cell, volumeA3: volume(cell),
    seed: 0, frameIntervalFs: spec.potimFs * spec.nblock, detection,
  });
  return { run, st };
}

describe('site map in the hard regime: no site where ions only pass', () => {
  for (const [name, off] of [['Li-pair-1.8', 0], ['Li-pair-2.0', 2]] as const) {
    it(`${name} (seed offset ${off}): every site within 0.3 Å (or 4 stated errors) of a truth site, site jumps F1 ≥ 0.97`, () => {
      const { run, st } = hardSites(name, off);
      const sm = truthSiteMatch(st.map, run.truth);
      const L = st.map.lattice;
      // Distance of each site found to its nearest truth site (Å).
      const far: number[] = [];
      for (let j = 0; j < st.map.k; j++) {
        const t = run.truth.sites[sm.truthOf[j]];
        const d = [0, 1, 2].map((a) => { const x = st.map.frac[j * 3 + a] - t[a]; return x - Math.round(x); });
        const r = Math.hypot(d[0] * L[0] + d[1] * L[3] + d[2] * L[6], d[0] * L[1] + d[1] * L[4] + d[2] * L[7], d[0] * L[2] + d[1] * L[5] + d[2] * L[8]);
        // A site held once for a fraction of an oscillation is where its frames are, not where the
        // truth is (Li-pair-1.8 truth site 22: one 81-frame stay whose mean is 0.35 Å off): its
        // stated error says so. A passage site is ~1.1 Å from every truth site.
        if (r > Math.max(0.3, 4 * (st.sites[j].centreErrA ?? Infinity))) far.push(j);
      }
      expect(far).toEqual([]);
      const m = matchAgainstTruth({ method: 'sites', hops: st.hops ?? [], atoms: [] }, run.truth);
      expect(m.score.f1).toBeGreaterThanOrEqual(0.97);
      expect(m.score.precision).toBeGreaterThanOrEqual(0.97);
      const visited = [...visitedTruthSites(run.truth)];
      expect(visited.filter((t) => sm.distanceA[t] < 0.2).length / visited.length).toBeGreaterThanOrEqual(0.98);
      // Within 0.2 Å wherever the stated error is below 0.07 Å (0.2 Å ≈ 2.9σ), else within 4σ, once
      // the frame's offset is removed: the map's frame is the framework at frame 0, the truth's the
      // ideal lattice, one translation apart (the framework's centre-of-mass vibration at frame 0).
      const vec = (t: number): number[] => {
        const j = sm.nearest[t], s = run.truth.sites[t];
        const d = [0, 1, 2].map((a) => { const x = st.map.frac[j * 3 + a] - s[a]; return x - Math.round(x); });
        return [0, 1, 2].map((a) => d[0] * L[a] + d[1] * L[3 + a] + d[2] * L[6 + a]);
      };
      const frame = [0, 0, 0];
      let wo = 0;
      for (const t of visited) {
        const e = st.sites[sm.nearest[t]].centreErrA;
        if (e === null) continue;
        vec(t).forEach((x, a) => { frame[a] += x / e ** 2; });
        wo += 1 / e ** 2;
      }
      const bad: string[] = [];
      for (const t of visited) {
        const e = st.sites[sm.nearest[t]].centreErrA ?? Infinity;
        const r = Math.hypot(...vec(t).map((x, a) => x - frame[a] / wo));
        if (!(r < (e < 0.07 ? 0.2 : Math.max(0.2, 4 * e)))) bad.push(`truth ${t}: ${r.toFixed(3)} Å, error ${e.toFixed(3)} Å`);
      }
      expect(bad).toEqual([]);
    }, 60_000);
  }
});

describe('site jumps of a generated hard-regime run cut in two, each half with its own map', () => {
  // Li-pair-2.0, 8,000 frames: intact jumps found 96.6 % (whole → halves) and 90.5 % (halves →
  // whole); 89.1 % and 89.5 % without the dwell test, whose passage sites come and go between
  // fits. Not yet the detector's 97 % (BENCHMARKS.md: split and passage components of a
  // quarter-run map, transits timed > 2 frames apart at every-step frames).
  it('Li-pair-2.0: ≥ 95 % of the whole run\'s intact jumps found in the halves, ≥ 90 % the other way', () => {
    const spec = { ...materialByName('Li-pair-2.0'), nFrames: 8000 };
    const T0 = spec.temperaturesK[0];
    const traj = toTrajectory(generateRun(spec, T0, spec.seed + T0));
    const atoms = atomsOf(traj, [spec.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
    const cell = traj.lattice.subarray(0, 9), n = atoms.length, T = traj.nFrames;
    const jumps = (pos: Float64Array, frames: number, offset: number): RawHop[] => {
      const detection = detectHopsDefault(pos, frames, atoms);
      const st = siteStage({
        element: spec.mobile, positions: pos, nFrames: frames, atoms, cell, volumeA3: volume(cell),
        seed: 0, frameIntervalFs: spec.potimFs * spec.nblock, detection,
      });
      return (st.hops ?? []).map((h) => ({ ...h, startFrame: h.startFrame + offset, endFrame: h.endFrame + offset }));
    };
    const h = Math.floor(T / 2);
    const whole = jumps(u, T, 0);
    const halves = [...jumps(u.subarray(0, h * n * 3), h, 0), ...jumps(u.subarray(h * n * 3), T - h, h)];
    const c = lengthConsistency(whole, halves, [h], T);
    expect(c.intact.whole).toBeGreaterThan(100);
    expect(c.intact.wholeFound / c.intact.whole).toBeGreaterThanOrEqual(0.95);
    expect(c.intact.piecesFound / c.intact.pieces).toBeGreaterThanOrEqual(0.9);
  }, 120_000);
});
