import { describe, expect, it } from 'vitest';
import { kmeans3, kmeansMulti, seededRandom } from '../../src/analysis/kmeans.js';
import { sampledSilhouetteScores, sampleRows, silhouetteScore, silhouetteScores, silhouetteScoresBelow } from '../../src/analysis/silhouette.js';
import { blobs, samePartition } from './iondiff-util.js';

/** Brute-force sklearn silhouette with a full T×T distance matrix. */
function bruteSilhouette(P: Float64Array, n: number, l: Int32Array, k: number): number {
  const D = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++)
    D[i * n + j] = Math.hypot(P[i * 3] - P[j * 3], P[i * 3 + 1] - P[j * 3 + 1], P[i * 3 + 2] - P[j * 3 + 2]);
  const size = new Array<number>(k).fill(0);
  for (let i = 0; i < n; i++) size[l[i]]++;
  let tot = 0;
  for (let i = 0; i < n; i++) {
    if (size[l[i]] <= 1) continue;
    const s = new Array<number>(k).fill(0);
    for (let j = 0; j < n; j++) s[l[j]] += D[i * n + j];
    const a = s[l[i]] / (size[l[i]] - 1);
    let b = Infinity;
    for (let c = 0; c < k; c++) if (c !== l[i] && size[c] > 0) b = Math.min(b, s[c] / size[c]);
    tot += (b - a) / Math.max(a, b);
  }
  return tot / n;
}

describe('silhouette', () => {
  it('equals the brute-force T×T version to 1e-12 (several k at once, random clusters)', () => {
    const { points } = blobs([[0, 0, 0], [2, 0, 0], [0, 2.5, 1], [3, 3, 3]], 60, 0.6, 7);
    const n = 240, ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
    const fits = ks.map((k) => kmeans3(points, n, k, { seed: 3 }).labels);
    const s = silhouetteScores(points, n, fits, ks);
    ks.forEach((k, m) => expect(Math.abs(s[m] - bruteSilhouette(points, n, fits[m], k))).toBeLessThan(1e-12));
    // Arbitrary labels (not k-means), incl. a singleton and an unused label.
    const rng = seededRandom(11);
    const lab = Int32Array.from({ length: n }, () => Math.floor(rng() * 4));
    lab[5] = 4; // singleton cluster 4; cluster 5 unused
    expect(Math.abs(silhouetteScore(points, n, lab, 6) - bruteSilhouette(points, n, lab, 6))).toBeLessThan(1e-12);
  });

  it('is NaN for a single used cluster; sampled == exact when the sample covers all points', () => {
    const { points } = blobs([[0, 0, 0]], 50, 1, 1);
    expect(silhouetteScore(points, 50, new Int32Array(50), 2)).toBeNaN();
    const l = Int32Array.from({ length: 50 }, (_, i) => (i < 20 ? 0 : 1));
    expect(sampledSilhouetteScores(points, 50, [l], [2], 50)[0]).toBe(silhouetteScore(points, 50, l, 2));
  });

  it('sampled silhouette is deterministic and close to exact on a long cloud', () => {
    const { points } = blobs([[0, 0, 0], [3, 0, 0], [0, 3, 0]], 1000, 0.5, 2);
    const n = 3000, l = kmeans3(points, n, 3).labels;
    const exact = silhouetteScore(points, n, l, 3);
    const a = sampledSilhouetteScores(points, n, [l], [3], 500, 9)[0];
    const b = sampledSilhouetteScores(points, n, [l], [3], 500, 9)[0];
    expect(a).toBe(b);
    expect(Math.abs(a - exact)).toBeLessThan(0.03);
  });
});

describe('kmeans3', () => {
  const centres = [[0, 0, 0], [5, 0, 0], [0, 5, 0], [0, 0, 5]];
  const { points, truth } = blobs(centres, 80, 0.3, 42);
  const n = 320;

  for (const init of ['k-means++', 'random'] as const) {
    it(`${init}: same partition as ml-kmeans and as the truth on separated blobs`, () => {
      const fast = kmeans3(points, n, 4, { init, seed: 1 });
      const ml = kmeans3(points, n, 4, { init, seed: 1, engine: 'ml-kmeans' });
      expect(samePartition(fast.labels, ml.labels)).toBe(true);
      expect(samePartition(fast.labels, truth)).toBe(true);
      expect(Math.abs(fast.inertia - ml.inertia) / ml.inertia).toBeLessThan(1e-9);
    });
  }

  it('is deterministic for a seed and labels are nearest-centre assignments (as sklearn)', () => {
    const a = kmeans3(points, n, 7, { seed: 5 }), b = kmeans3(points, n, 7, { seed: 5 });
    expect(Array.from(a.labels)).toEqual(Array.from(b.labels));
    expect(a.inertia).toBe(b.inertia);
    for (let i = 0; i < n; i++) {
      const d = (c: number) => Math.hypot(points[i * 3] - a.centres[c * 3], points[i * 3 + 1] - a.centres[c * 3 + 1], points[i * 3 + 2] - a.centres[c * 3 + 2]);
      for (let c = 0; c < 7; c++) expect(d(a.labels[i])).toBeLessThanOrEqual(d(c) + 1e-12);
    }
  });

  it('handles k = n, and identical points (fewer distinct clusters, as sklearn warns)', () => {
    const p = new Float64Array(5 * 3); // all at the origin
    for (const init of ['random', 'k-means++'] as const) {
      const r = kmeans3(p, 5, 3, { init });
      expect(r.inertia).toBe(0);
      expect(r.labels.every((l) => l >= 0 && l < 3)).toBe(true);
      expect(silhouetteScore(p, 5, r.labels, 3)).toBeNaN(); // one used cluster → undefined
    }
    expect(kmeans3(points, 4, 4).inertia).toBe(0);
  });
});

describe('kmeans: the bounded (Hamerly) iteration is Lloyd bit for bit', () => {
  const same = (a: ReturnType<typeof kmeansMulti>, b: ReturnType<typeof kmeansMulti>) => {
    expect(a.length).toBe(b.length);
    for (let m = 0; m < a.length; m++) {
      expect(a[m].nIter).toBe(b[m].nIter);
      expect(Object.is(a[m].inertia, b[m].inertia)).toBe(true);
      expect(Array.from(a[m].labels)).toEqual(Array.from(b[m].labels));
      expect(Buffer.from(a[m].centres.buffer).equals(Buffer.from(b[m].centres.buffer))).toBe(true);
    }
  };
  const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('on clustered, diffuse and degenerate clouds, both seedings, several restarts', () => {
    const clouds: [Float64Array, number][] = [
      [blobs([[0, 0, 0], [2, 0, 0], [0, 2.5, 1], [3, 3, 3]], 60, 0.6, 7).points, 240],
      [blobs([[0, 0, 0]], 700, 0.5, 3).points, 700], // one thermal cloud split k ways (IonDiff's usual case)
      [blobs([[0, 0, 0], [0.3, 0, 0]], 40, 0.01, 5).points, 80],
    ];
    // Many duplicate points: empty clusters get relocated.
    const dup = new Float64Array(60 * 3);
    for (let i = 0; i < 60; i++) dup[i * 3] = i % 3;
    clouds.push([dup, 60]);
    for (const [p, n] of clouds) {
      for (const init of ['k-means++', 'random'] as const) {
        for (const nInit of [1, 3]) {
          const kk = ks.filter((k) => k <= n);
          same(kmeansMulti(p, n, kk, { init, nInit, seed: 11, algorithm: 'hamerly' }), kmeansMulti(p, n, kk, { init, nInit, seed: 11, algorithm: 'lloyd' }));
        }
      }
      // Few iterations: stops on the iteration cap, so the final labels come from a last E-step.
      same(kmeansMulti(p, n, [2, 5], { maxIter: 2 }), kmeansMulti(p, n, [2, 5], { maxIter: 2, algorithm: 'lloyd' }));
    }
  });
});

describe('silhouette with early exit', () => {
  it('stops on a single cloud with bounds ≥ the scores and below the threshold; otherwise equals the exact scores', () => {
    const ks = [2, 3, 4, 5, 6, 7, 8, 9, 10];
    const one = blobs([[0, 0, 0]], 600, 0.5, 9).points;
    const fits = kmeansMulti(one, 600, ks).map((r) => r.labels);
    const exact = silhouetteScores(one, 600, fits, ks);
    const b = silhouetteScoresBelow(one, 600, fits, ks, 0.7);
    expect(b.exact).toBe(false);
    expect(b.rowsDone).toBeLessThan(600);
    for (let m = 0; m < ks.length; m++) {
      expect(b.scores[m]).toBeGreaterThanOrEqual(exact[m]);
      expect(b.scores[m]).toBeLessThan(0.7);
    }
    // Two clear sites: a score reaches 0.7, so every row is evaluated and the values are exact.
    const two = blobs([[0, 0, 0], [4, 0, 0]], 300, 0.3, 4).points;
    const f2 = kmeansMulti(two, 600, ks).map((r) => r.labels);
    const b2 = silhouetteScoresBelow(two, 600, f2, ks, 0.7);
    expect(b2.exact).toBe(true);
    expect(b2.rowsDone).toBe(600);
    expect(Array.from(b2.scores)).toEqual(Array.from(silhouetteScores(two, 600, f2, ks)));
    // Sampled rows: the same rules over the sample.
    const rows = sampleRows(600, 200, 3);
    const b3 = silhouetteScoresBelow(one, 600, fits, ks, 0.7, rows);
    const e3 = silhouetteScores(one, 600, fits, ks, rows);
    expect(b3.exact).toBe(false);
    for (let m = 0; m < ks.length; m++) expect(b3.scores[m]).toBeGreaterThanOrEqual(e3[m]);
  });
});
