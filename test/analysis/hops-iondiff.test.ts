import { describe, expect, it } from 'vitest';
import { detectHopsIondiff, iondiffEventBoundaries } from '../../src/analysis/hops-iondiff.js';
import { occupancyColumn, occupancyRuns } from '../../src/analysis/occupancy.js';
import { gaussian } from './iondiff-util.js';

const se = (b: { start: number; end: number }[]) => b.map((x) => [x.start, x.end]);

describe('IonDiff event boundaries (reference §2 Step D)', () => {
  it('normal transit: [first, last] non-vibrating frame', () => {
    const labels = [0, 0, 0, 0, 0, 1, 1, 1, 1, 1];
    const vib = [1, 1, 1, 0, 0, 0, 0, 1, 1, 1];
    expect(se(iondiffEventBoundaries(labels, vib))).toEqual([[3, 6]]);
    expect(se(iondiffEventBoundaries(labels, vib, true))).toEqual([[3, 6]]);
  });

  it('frame t_c−1 vibrating: start jumps back to the start of that vibrating run', () => {
    const labels = [0, 0, 0, 0, 1, 1, 1, 1, 1, 1];
    const vib = [1, 1, 1, 0, 0, 0, 1, 1, 1, 1]; // t_c = 3, frame 2 vibrates
    expect(se(iondiffEventBoundaries(labels, vib))).toEqual([[0, 5]]);
    // t_c vibrating too: the end extends to the end of that vibrating run
    const vib2 = [0, 1, 1, 1, 1, 0, 0, 1, 1, 1];
    expect(se(iondiffEventBoundaries(labels, vib2))).toEqual([[1, 4]]);
  });

  it('t_c = 1 gives start 0', () => {
    expect(se(iondiffEventBoundaries([0, 0, 1, 1, 1, 1], [0, 0, 0, 1, 1, 1]))).toEqual([[0, 2]]);
    expect(se(iondiffEventBoundaries([0, 0, 1, 1, 1, 1], [1, 0, 0, 1, 1, 1]))).toEqual([[0, 2]]);
  });

  it('t_c = 0: compat reproduces the numpy quirk [16, 1, 1]; fixed gives start 0', () => {
    const labels = [1, 0, 0, 0, 0], vib = [0, 0, 1, 1, 1];
    expect(se(iondiffEventBoundaries(labels, vib, true))).toEqual([[1, 1]]);
    expect(se(iondiffEventBoundaries(labels, vib, false))).toEqual([[0, 1]]);
    // +1 occupancy rule: [16, 1, 1] flags nothing (frames 2..1), the fixed [16, 0, 1] flags frame 1
    expect(occupancyRuns([{ atom: 16, start: 1, end: 1 }], 5, { compat: true })).toEqual([]);
    expect(occupancyRuns([{ atom: 16, start: 0, end: 1 }], 5)).toEqual([{ atom: 16, first: 1, last: 1 }]);
  });

  it('run to the last frame: e = −1 in compat (and vanishes from occupancy), T−1 when fixed', () => {
    const labels = [0, 0, 0, 0, 1, 1], vib = [1, 1, 0, 0, 0, 0];
    expect(se(iondiffEventBoundaries(labels, vib, true))).toEqual([[2, -1]]);
    expect(se(iondiffEventBoundaries(labels, vib))).toEqual([[2, 5]]);
    expect(occupancyRuns([{ atom: 3, start: 2, end: -1 }], 6, { compat: true })).toEqual([]);
    expect(occupancyRuns([{ atom: 3, start: 2, end: -1 }], 6)).toEqual([{ atom: 3, first: 3, last: 5 }]);
    expect(Array.from(occupancyColumn([{ atom: 3, start: 2, end: 5 }], 3, 6))).toEqual([0, 0, 0, 1, 1, 1]);
  });

  it('label flickers: exact duplicates dropped, overlapping-but-different kept; first/last change recorded', () => {
    const labels = [0, 0, 0, 1, 0, 1, 1, 1], vib = [1, 1, 0, 0, 0, 0, 1, 1];
    const b = iondiffEventBoundaries(labels, vib);
    expect(se(b)).toEqual([[0, 5], [2, 5]]);
    expect([b[1].tcFirst, b[1].tcLast]).toEqual([3, 4]);
  });

  it("'separate' occupancy merges overlapping/adjacent events of one atom, ordered by atom then time", () => {
    const runs = occupancyRuns([
      { atom: 5, start: 10, end: 14 }, { atom: 2, start: 0, end: 3 }, { atom: 5, start: 2, end: 6 },
      { atom: 5, start: 6, end: 9 }, { atom: 2, start: 30, end: 31 },
    ], 40);
    expect(runs).toEqual([
      { atom: 2, first: 1, last: 3 }, { atom: 2, first: 31, last: 31 },
      { atom: 5, first: 3, last: 9 }, { atom: 5, first: 11, last: 14 }, // frame 10 is a start frame: not flagged
    ]);
  });
});

/** Unwrapped positions [frame][ion][xyz] of ions given as functions of the frame. */
function synth(T: number, ions: ((f: number) => number[])[], sd: number, seed: number): Float64Array {
  const g = gaussian(seed), n = ions.length, u = new Float64Array(T * n * 3);
  for (let f = 0; f < T; f++) for (let k = 0; k < n; k++) {
    const p = ions[k](f);
    for (let d = 0; d < 3; d++) u[(f * n + k) * 3 + d] = p[d] + sd * g();
  }
  return u;
}

describe('detectHopsIondiff on synthetic ions', () => {
  const A = [5, 5, 5], B = [9, 5, 5];
  const T = 200;
  const hopper = (f: number) => {
    if (f < 100) return A;
    if (f >= 110) return B;
    const x = (f - 99) / 11;
    return [A[0] + x * (B[0] - A[0]), 5, 5];
  };
  const still = () => [1, 2, 3];
  const u = synth(T, [still, hopper], 0.1, 123);
  const atoms = Int32Array.from([17, 42]);

  for (const init of ['k-means++', 'random'] as const) {
    it(`one hop A→B with the right frames and centres (${init})`, () => {
      const r = detectHopsIondiff(u, T, atoms, { init });
      expect(r.hops.length).toBe(1);
      const h = r.hops[0];
      expect(h.atom).toBe(42);
      expect(Math.abs(h.startFrame - 100)).toBeLessThanOrEqual(1);
      expect(Math.abs(h.endFrame - 109)).toBeLessThanOrEqual(1);
      expect(Math.hypot(h.from[0] - A[0], h.from[1] - A[1], h.from[2] - A[2])).toBeLessThan(0.2);
      expect(Math.hypot(h.to[0] - B[0], h.to[1] - B[1], h.to[2] - B[2])).toBeLessThan(0.2);
      expect(r.events).toEqual([{ atom: 42, start: h.startFrame, end: h.endFrame }]);
      const c = r.atoms[1];
      expect(c.atom).toBe(42);
      expect(c.nCentres).toBe(2);
      expect(c.score).toBeGreaterThan(0.7);
      expect(c.labels[0]).not.toBe(c.labels[T - 1]);
      expect(c.labels[105]).toBe(-1); // mid-transit: not vibrating
      // never-moving ion: no event, one centre
      expect(r.atoms[0].nCentres).toBe(1);
      expect(r.atoms[0].labels.every((l) => l === 0 || l === -1)).toBe(true);
    });
  }

  it('an ion that never moves gives no event, with or without the small-radius shortcut', () => {
    const u1 = synth(300, [still], 0.1, 9);
    const a = detectHopsIondiff(u1, 300, Int32Array.from([3]));
    expect(a.hops).toEqual([]);
    expect(a.skipped[0]).toBe(1);
    expect(a.atoms[0].score).toBeNaN();
    const b = detectHopsIondiff(u1, 300, Int32Array.from([3]), { skipRadiusA: 0 });
    expect(b.hops).toEqual([]);
    expect(b.skipped[0]).toBe(0);
    expect(b.atoms[0].score).toBeLessThan(0.7);
  });

  it('compat keeps e = −1 for a hop that ends at the last frame; fixed uses T−1', () => {
    const T2 = 120;
    // Leaves A slowly (frames 100–103 still labelled A but > 0.4 Å away), then runs away fast:
    // the label change sits inside a non-vibrating run that reaches the last frame.
    const late = (f: number) => (f < 100 ? A : f < 104 ? [A[0] + 0.6 + 0.3 * (f - 100), 5, 5] : [A[0] + 6 + 1.2 * (f - 104), 5, 5]);
    const u2 = synth(T2, [late], 0.1, 5);
    const c = detectHopsIondiff(u2, T2, Int32Array.from([0]), { compat: true });
    // Same clustering as compat (Forgy ×10, no shortcut); only the boundary semantics differ.
    const f = detectHopsIondiff(u2, T2, Int32Array.from([0]), { init: 'random', skipRadiusA: 0 });
    expect(f.events).toEqual(c.events.map((e) => ({ ...e, end: e.end < 0 ? T2 - 1 : e.end })));
    expect(c.events.length).toBeGreaterThan(0);
    expect(c.events.some((e) => e.end === -1)).toBe(true);
    expect(f.events.every((e) => e.end >= 0)).toBe(true);
    expect(f.hops.some((h) => h.endFrame === T2 - 1)).toBe(true);
    // compat occupancy drops it, fixed keeps it
    expect(occupancyRuns(c.events.filter((e) => e.end === -1), T2, { compat: true })).toEqual([]);
    expect(occupancyRuns(f.events, T2).length).toBeGreaterThan(0);
  });

  it('silhouettes only bounded for a still ion give the same answers as full ones', () => {
    const still2 = () => [2, 3, 4];
    const u3 = synth(T, [still, hopper, still2], 0.1, 77);
    const a3 = Int32Array.from([1, 2, 3]);
    const fast = detectHopsIondiff(u3, T, a3, { skipRadiusA: 0 });
    const full = detectHopsIondiff(u3, T, a3, { skipRadiusA: 0, exactSilhouettes: true });
    expect(fast.events).toEqual(full.events);
    expect(fast.hops).toEqual(full.hops);
    expect(fast.atoms.map((c) => [c.nCentres, Array.from(c.centres), Array.from(c.labels)])).toEqual(full.atoms.map((c) => [c.nCentres, Array.from(c.centres), Array.from(c.labels)]));
    expect(Array.from(full.silhouetteExact)).toEqual([1, 1, 1]);
    expect(Array.from(fast.silhouetteExact)).toEqual([0, 1, 0]); // the hopper needs its exact scores
    const nK = fast.silhouettes.length / 3;
    for (let i = 0; i < fast.silhouettes.length; i++) {
      if (fast.silhouetteExact[Math.floor(i / nK)]) expect(fast.silhouettes[i]).toBe(full.silhouettes[i]);
      else {
        expect(fast.silhouettes[i]).toBeGreaterThanOrEqual(full.silhouettes[i]);
        expect(fast.silhouettes[i]).toBeLessThan(0.7);
      }
    }
    expect(fast.atoms[0].score).toBeLessThan(0.7);
  });

  it('ml-kmeans engine gives the same events', () => {
    const a = detectHopsIondiff(u, T, atoms);
    const b = detectHopsIondiff(u, T, atoms, { engine: 'ml-kmeans' });
    expect(b.events).toEqual(a.events);
  });
});

describe('runIndexOfEvents', () => {
  it('maps every event to the separate run holding it (−1 when it flags nothing)', async () => {
    const { runIndexOfEvents } = await import('../../src/analysis/occupancy.js');
    const ev = [{ atom: 5, start: 2, end: 6 }, { atom: 5, start: 6, end: 9 }, { atom: 2, start: 0, end: 3 }, { atom: 2, start: 4, end: 4 }];
    const runs = occupancyRuns(ev, 20);
    expect(runs).toEqual([{ atom: 2, first: 1, last: 3 }, { atom: 5, first: 3, last: 9 }]);
    expect(Array.from(runIndexOfEvents(ev, runs, 20))).toEqual([1, 1, 0, -1]);
  });
});
