/**
 * The `ml-kmeans` package as a k-means engine, for cross-checking the fast path.
 * `ml-kmeans` is a runtime dependency only for this: the faithful IonDiff baseline can run on it
 * (iondiff detector option engine=ml-kmeans); nothing else uses it.
 */
import { kmeans as mlKmeans } from 'ml-kmeans';
import type { KMeansInit, KMeansResult } from './kmeans-types.js';

export function kmeansMl(p: Float64Array, n: number, k: number, init: KMeansInit, nInit: number, maxIter: number, tolAbs: number, seed: number): KMeansResult {
  const data: number[][] = new Array(n);
  for (let i = 0; i < n; i++) data[i] = [p[i * 3], p[i * 3 + 1], p[i * 3 + 2]];
  let best: KMeansResult | null = null;
  for (let r = 0; r < nInit; r++) {
    const res = mlKmeans(data, k, {
      initialization: init === 'random' ? 'random' : 'kmeans++',
      seed: (seed + r) >>> 0,
      maxIterations: maxIter,
      tolerance: tolAbs,
    });
    const labels = Int32Array.from(res.clusters);
    const centres = new Float64Array(k * 3);
    for (let j = 0; j < k; j++) for (let d = 0; d < 3; d++) centres[j * 3 + d] = res.centroids[j][d];
    let inertia = 0;
    for (let i = 0; i < n; i++) {
      const l = labels[i];
      for (let d = 0; d < 3; d++) { const e = p[i * 3 + d] - centres[l * 3 + d]; inertia += e * e; }
    }
    if (best === null || inertia < best.inertia) best = { k, labels, centres, inertia, nIter: res.iterations };
  }
  return best as KMeansResult;
}
