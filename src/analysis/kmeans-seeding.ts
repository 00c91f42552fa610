/** Seeding of k-means as scikit-learn does it: Forgy ('random') and greedy k-means++. */

/** Uniform draws of one PRNG stream, read in order. */
export class Draws {
  private readonly a: Float64Array;
  private i = 0;
  constructor(size: number) {
    this.a = new Float64Array(size);
  }
  fill(rng: () => number): void {
    for (let j = 0; j < this.a.length; j++) this.a[j] = rng();
    this.i = 0;
  }
  next(): number {
    return this.a[this.i++];
  }
}

/** Squared distance of every point to each of the k centres, `out[i·k + j]` (as the assignment scans compute it). */
export function seedDistances(p: Float64Array, n: number, k: number, c: Float64Array, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    const x = p[i * 3], y = p[i * 3 + 1], z = p[i * 3 + 2];
    for (let j = 0; j < k; j++) {
      const dx = x - c[j * 3], dy = y - c[j * 3 + 1], dz = z - c[j * 3 + 2];
      out[i * k + j] = dx * dx + dy * dy + dz * dz;
    }
  }
}

/** Forgy: k distinct points chosen uniformly (partial Fisher–Yates over indices). */
export function seedForgy(p: Float64Array, n: number, k: number, rng: Draws, c: Float64Array): void {
  const idx = new Int32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  for (let j = 0; j < k; j++) {
    const r = j + Math.floor(rng.next() * (n - j));
    const t = idx[j]; idx[j] = idx[r]; idx[r] = t;
    const o = idx[j] * 3;
    c[j * 3] = p[o]; c[j * 3 + 1] = p[o + 1]; c[j * 3 + 2] = p[o + 2];
  }
}

/**
 * sklearn's greedy k-means++: 2 + ⌊ln k⌋ candidates per step, keep the one lowering the potential
 * most. `dist` (optional, n × k): receives every point's squared distance to each chosen centre.
 */
export function seedPlusPlus(p: Float64Array, n: number, k: number, rng: Draws, c: Float64Array, d2: Float64Array, dist: Float64Array | null): void {
  const trials = 2 + Math.floor(Math.log(k));
  const first = Math.floor(rng.next() * n) * 3;
  c[0] = p[first]; c[1] = p[first + 1]; c[2] = p[first + 2];
  let pot = 0;
  for (let i = 0; i < n; i++) {
    const dx = p[i * 3] - c[0], dy = p[i * 3 + 1] - c[1], dz = p[i * 3 + 2] - c[2];
    d2[i] = dx * dx + dy * dy + dz * dz;
    if (dist !== null) dist[i * k] = d2[i];
    pot += d2[i];
  }
  const cand = new Int32Array(trials);
  for (let j = 1; j < k; j++) {
    for (let t = 0; t < trials; t++) {
      // Sample ∝ D²; fall back to uniform when all points coincide with centres.
      let target = rng.next() * pot, i = 0;
      if (pot > 0) {
        for (; i < n - 1; i++) { target -= d2[i]; if (target < 0) break; }
      } else i = Math.floor(rng.next() * n);
      cand[t] = i;
    }
    let bestPot = Infinity, bestI = cand[0];
    for (let t = 0; t < trials; t++) {
      const o = cand[t] * 3;
      const cx = p[o], cy = p[o + 1], cz = p[o + 2];
      let s = 0;
      for (let i = 0; i < n; i++) {
        const dx = p[i * 3] - cx, dy = p[i * 3 + 1] - cy, dz = p[i * 3 + 2] - cz;
        const d = dx * dx + dy * dy + dz * dz;
        s += d < d2[i] ? d : d2[i];
      }
      if (s < bestPot) { bestPot = s; bestI = cand[t]; }
    }
    const o = bestI * 3;
    const cx = p[o], cy = p[o + 1], cz = p[o + 2];
    c[j * 3] = cx; c[j * 3 + 1] = cy; c[j * 3 + 2] = cz;
    pot = 0;
    for (let i = 0; i < n; i++) {
      const dx = p[i * 3] - cx, dy = p[i * 3 + 1] - cy, dz = p[i * 3 + 2] - cz;
      const d = dx * dx + dy * dy + dz * dz;
      if (dist !== null) dist[i * k + j] = d;
      if (d < d2[i]) d2[i] = d;
      pot += d2[i];
    }
  }
}
