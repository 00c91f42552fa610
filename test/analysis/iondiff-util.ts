import { seededRandom } from '../../src/analysis/kmeans.js';

/** Seeded standard normal generator (Box–Muller). */
export function gaussian(seed: number): () => number {
  const u = seededRandom(seed);
  return () => {
    let a = u();
    while (a <= 0) a = u();
    return Math.sqrt(-2 * Math.log(a)) * Math.cos(2 * Math.PI * u());
  };
}

/** n points around each centre (stride 3) with per-axis sd. Returns points and true labels. */
export function blobs(centres: number[][], perBlob: number, sd: number, seed: number): { points: Float64Array; truth: Int32Array } {
  const g = gaussian(seed);
  const n = centres.length * perBlob;
  const points = new Float64Array(n * 3), truth = new Int32Array(n);
  let i = 0;
  for (let c = 0; c < centres.length; c++) for (let p = 0; p < perBlob; p++, i++) {
    truth[i] = c;
    for (let d = 0; d < 3; d++) points[i * 3 + d] = centres[c][d] + sd * g();
  }
  return { points, truth };
}

/** True when two labelings are the same partition up to a relabelling. */
export function samePartition(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  const ab = new Map<number, number>(), ba = new Map<number, number>();
  for (let i = 0; i < a.length; i++) {
    const x = ab.get(a[i]), y = ba.get(b[i]);
    if (x === undefined) ab.set(a[i], b[i]); else if (x !== b[i]) return false;
    if (y === undefined) ba.set(b[i], a[i]); else if (y !== a[i]) return false;
  }
  return true;
}
