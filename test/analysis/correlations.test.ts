import { describe, expect, it } from 'vitest';
import { analyzeCorrelations, correlationMatrix } from '../../src/analysis/correlations.js';
import { fitCorrelationDecay } from '../../src/analysis/correlation-decay.js';
import { randomReferenceThreshold } from '../../src/analysis/correlation-reference.js';
import { gaussianFilter1d, smoothedBlock } from '../../src/analysis/smoothing.js';
import { levenbergMarquardt } from '../../src/stats/nlfit.js';
import type { OccupancyRun } from '../../src/analysis/occupancy.js';
import { seededRandom } from '../../src/analysis/kmeans.js';

/** Dense Pearson (pandas semantics) of two columns. */
function pearsonDense(x: Float64Array, y: Float64Array): number {
  const n = x.length;
  let mx = 0, my = 0;
  for (let i = 0; i < n; i++) { mx += x[i]; my += y[i]; }
  mx /= n; my /= n;
  let sxy = 0, sxx = 0, syy = 0;
  for (let i = 0; i < n; i++) { sxy += (x[i] - mx) * (y[i] - my); sxx += (x[i] - mx) ** 2; syy += (y[i] - my) ** 2; }
  return sxy / Math.sqrt(sxx * syy);
}
const dense = (e: OccupancyRun, T: number, sigma: number) => {
  const c = new Float64Array(T);
  for (let f = e.first; f <= e.last; f++) c[f] = 1;
  return gaussianFilter1d(c, sigma);
};

describe('smoothing and correlation', () => {
  it('gaussianFilter1d matches scipy values (reflect, truncate 4)', () => {
    // radius int(4σ + 0.5) = 4; 'reflect' folds the kernel mass back at both ends
    const y = gaussianFilter1d([0, 0, 1, 0, 0, 0], 1);
    const w = (m: number) => Math.exp(-0.5 * m * m);
    let Z = 0;
    for (let m = -4; m <= 4; m++) Z += w(m);
    // frame 0 sees the 1 at distance 2 and its mirror image (index −3) at distance 3
    expect(y[0]).toBeCloseTo((w(2) + w(3)) / Z, 12);
    expect(y[2]).toBeCloseTo(w(0) / Z, 12);
    expect(y[5]).toBeCloseTo((w(3) + w(4)) / Z, 12); // mirror at index 6 is frame 5 itself: no block there
  });

  it('sparse smoothed blocks equal the dense filter, including near both ends and wider than T', () => {
    for (const [first, last, T, sigma] of [[10, 14, 60, 2.1], [0, 3, 30, 1.7], [25, 29, 30, 2.1], [1, 2, 6, 3.0], [3, 40, 50, 16]] as const) {
      const s = smoothedBlock(first, last, T, sigma);
      const d = dense({ atom: 0, first, last }, T, sigma);
      for (let f = 0; f < T; f++) {
        const v = f >= s.lo && f < s.lo + s.values.length ? s.values[f - s.lo] : 0;
        expect(Math.abs(v - d[f])).toBeLessThan(1e-14);
      }
    }
  });

  it('sparse Pearson matrix equals dense Pearson (overlapping and disjoint pairs)', () => {
    const T = 200;
    const ev: OccupancyRun[] = [
      { atom: 1, first: 10, last: 14 }, { atom: 2, first: 12, last: 20 }, { atom: 3, first: 100, last: 103 },
      { atom: 4, first: 0, last: 2 }, { atom: 5, first: 190, last: 199 },
    ];
    const C = correlationMatrix(ev, T);
    for (let i = 0; i < ev.length; i++) for (let j = 0; j < ev.length; j++) {
      const ri = ev[i].last - ev[i].first + 1, rj = ev[j].last - ev[j].first + 1;
      const ref = pearsonDense(dense(ev[i], T, ri / 2.355), dense(ev[j], T, rj / 2.355));
      expect(Math.abs(C[i * ev.length + j] - ref)).toBeLessThan(1e-12);
    }
  });

  it('random-reference threshold: deterministic with a seed, equals a dense brute-force mean', () => {
    const a = randomReferenceThreshold(6, 5, 80, 20, 3), b = randomReferenceThreshold(6, 5, 80, 20, 3);
    expect(a).toBe(b);
    expect(randomReferenceThreshold(6, 5, 80, 20, 4)).not.toBe(a);
    expect(randomReferenceThreshold(1, 5, 80)).toBeNaN();
    // brute force: same draws, dense smoothing, dense Pearson, mean off-diagonal, mean over layouts
    const rng = seededRandom(3);
    let tot = 0;
    for (let rep = 0; rep < 20; rep++) {
      const cols = Array.from({ length: 6 }, () => {
        const s0 = Math.floor(rng() * (80 - 5));
        return dense({ atom: 0, first: s0, last: s0 + 4 }, 80, 5 / 2.355);
      });
      let m = 0;
      for (let i = 0; i < 6; i++) for (let j = 0; j < 6; j++) if (i !== j) m += pearsonDense(cols[i], cols[j]);
      tot += m / 30;
    }
    expect(Math.abs(a - tot / 20)).toBeLessThan(1e-12);
  });
});

describe('analyzeCorrelations', () => {
  it('two events at identical times have 2 bodies each and form one group', () => {
    const ev: OccupancyRun[] = [{ atom: 3, first: 50, last: 55 }, { atom: 8, first: 50, last: 55 }];
    const r = analyzeCorrelations(ev, 300, 'Li');
    expect(Array.from(r.bodies)).toEqual([2, 2]);
    expect(r.groups).toEqual([{ groupId: 0, element: 'Li', nBodies: 2, nHops: 2, startFrame: 50, endFrame: 55, atoms: [3, 8] }]);
    expect(Array.from(r.groupOf)).toEqual([0, 0]);
    const t = { method: 'iondiff', counted: 'hops', expected: NaN, expectedSd: NaN, excess: NaN, excessErr: NaN };
    expect(r.bins).toEqual([
      { element: 'Li', nBodies: 1, count: 0, fraction: 0, ...t }, { element: 'Li', nBodies: 2, count: 2, fraction: 1, ...t },
    ]);
  });

  it('far-apart events have 1 body each and no group', () => {
    const ev: OccupancyRun[] = [{ atom: 3, first: 20, last: 25 }, { atom: 8, first: 200, last: 205 }];
    const r = analyzeCorrelations(ev, 300, 'Li');
    expect(Array.from(r.bodies)).toEqual([1, 1]);
    expect(r.groups).toEqual([]);
    expect(r.bins).toEqual([{ element: 'Li', nBodies: 1, count: 2, fraction: 1, method: 'iondiff', counted: 'hops', expected: NaN, expectedSd: NaN, excess: NaN, excessErr: NaN }]);
    expect(r.fit.nPoints).toBe(0);
    expect(r.fit.decayRate).toBeNaN();
  });

  it('bodies equal a dense count against the same threshold, also for a negative threshold', () => {
    const T = 150, ev: OccupancyRun[] = [];
    for (let i = 0; i < 12; i++) ev.push({ atom: i, first: (i * 37) % 140, last: ((i * 37) % 140) + 2 + (i % 4) });
    for (const threshold of [0.2, -0.05, undefined]) {
      const r = analyzeCorrelations(ev, T, 'Li', threshold === undefined ? {} : { threshold });
      const C = correlationMatrix(ev, T);
      for (let j = 0; j < ev.length; j++) {
        let n = 1;
        for (let i = 0; i < ev.length; i++) if (i !== j && C[i * ev.length + j] > r.threshold) n++;
        expect(r.bodies[j]).toBe(n);
      }
    }
  });

  it('compat uses the first event’s width for every event', () => {
    const ev: OccupancyRun[] = [{ atom: 1, first: 10, last: 11 }, { atom: 2, first: 13, last: 40 }];
    const own = correlationMatrix(ev, 100)[1];
    const compat = correlationMatrix(ev, 100, { compat: true })[1];
    expect(own).not.toBeCloseTo(compat, 6);
  });
});

describe('Levenberg–Marquardt and the decay fit', () => {
  it('recovers A, B, C of exact exponential data', () => {
    const x = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];
    const y = x.map((n) => 0.02 + 0.9 * Math.exp(-0.45 * n));
    const r = levenbergMarquardt(
      (t, p) => p[0] + p[1] * Math.exp(-p[2] * t),
      (t, p, out) => { const e = Math.exp(-p[2] * t); out[0] = 1; out[1] = e; out[2] = -p[1] * t * e; },
      x, y, [0.01, 0.1, 0.1],
    );
    expect(r.params[0]).toBeCloseTo(0.02, 8);
    expect(r.params[1]).toBeCloseTo(0.9, 8);
    expect(r.params[2]).toBeCloseTo(0.45, 8);
    expect(r.r2).toBeCloseTo(1, 12);
    expect(r.stdErr[2]).toBeLessThan(1e-6);
  });

  it('fitCorrelationDecay drops the 1-body bin, normalises, and reports errors', () => {
    const bins = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => ({ nBodies: n, count: n === 1 ? 1000 : Math.round(1e6 * (0.001 + Math.exp(-0.7 * n))) }));
    const f = fitCorrelationDecay(bins, 'Li');
    expect(f.nPoints).toBe(7);
    expect(f.decayRate).toBeCloseTo(0.7, 3);
    expect(f.r2).toBeGreaterThan(0.999999);
    expect(Number.isFinite(f.decayRateErr)).toBe(true);
    // 3 points: parameters but no errors; 2 points: nothing
    const three = fitCorrelationDecay(bins.slice(0, 4), 'Li');
    expect(three.nPoints).toBe(3);
    expect(three.decayRateErr).toBeNaN();
    expect(fitCorrelationDecay(bins.slice(0, 3), 'Li').decayRate).toBeNaN();
  });
});
