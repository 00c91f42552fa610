/** Options and results of the k-means engines (kmeans.ts, kmeans-ml.ts). */

export type KMeansInit = 'random' | 'k-means++';

export interface KMeansOptions {
  /** Seeding (default 'k-means++'). */
  init?: KMeansInit;
  /** Number of seeded runs; default 10 for 'random' (IonDiff), 1 for 'k-means++' (sklearn's n_init='auto'). */
  nInit?: number;
  /** Max Lloyd iterations per run (default 300). */
  maxIter?: number;
  /** Relative tolerance (default 1e-4, sklearn semantics). */
  tol?: number;
  /** PRNG seed (default 0). */
  seed?: number;
  /** 'fast' (default) or the 'ml-kmeans' package. */
  engine?: 'fast' | 'ml-kmeans';
  /**
   * Fast engine only: 'hamerly' (default) skips the points whose nearest centre provably did not
   * change (Hamerly's bounds, tested with a safety margin far above rounding), so it returns the
   * same labels, centres, inertia and iteration count as 'lloyd', bit for bit, in a fraction of
   * the time; 'lloyd' evaluates every point–centre distance (the plain reference).
   */
  algorithm?: 'hamerly' | 'lloyd';
}

export interface KMeansResult {
  k: number;
  /** Cluster of every point, 0..k−1. */
  labels: Int32Array;
  /** k × 3 centres. */
  centres: Float64Array;
  /** Sum of squared distances to the assigned centre. */
  inertia: number;
  /** Lloyd iterations of the winning run. */
  nIter: number;
}
