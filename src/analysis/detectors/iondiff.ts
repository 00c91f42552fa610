/**
 * The IonDiff detector (per-ion k-means with a silhouette test, ../hops-iondiff.ts) as a
 * registry entry. Its ions are independent (same seed for each), so it shares no model.
 */
import { detectHopsIondiff, type IondiffOptions } from '../hops-iondiff.js';
import type { Detector } from './detector.js';

export const detector: Detector<never> = {
  description: "IonDiff's k-means baseline (per ion, k = 2…10, silhouette ≥ 0.7)",
  // Generated Li-sc, 500 ions × 12,500 frames on one core: ~14 s (bench/pipeline.ts); runs
  // below 5,000 frames (exact silhouettes) cost more per frame and stay on one thread anyway.
  costUsPerIonFrame: 3,
  options: {
    distanceThdA: { type: 'number', default: 0.4, description: 'vibration threshold: distance to the own centre (Å)' },
    silhouetteThd: { type: 'number', default: 0.7, description: 'minimum silhouette to accept k ≥ 2 centres' },
    maxClusters: { type: 'integer', default: 10, description: 'largest k tried (k = 2…maxClusters)' },
    init: { type: ['k-means++', 'random'], default: 'k-means++', description: "k-means seeding (under compat: random, IonDiff's)" },
    maxIter: { type: 'integer', default: 300, description: 'maximum Lloyd iterations per k-means run' },
    tol: { type: 'number', default: 1e-4, description: 'relative k-means tolerance (scikit-learn semantics)' },
    engine: { type: ['fast', 'ml-kmeans'], default: 'fast', description: 'k-means engine: the fast one, or the ml-kmeans package (cross-check)' },
    exactMaxFrames: { type: 'integer', default: 5000, description: 'above this many frames the silhouette is sampled' },
    compat: { type: 'boolean', default: false, description: "reproduce the original's quirks (Forgy seeding ×10, no shortcut)" },
  },
  detect(positions, nFrames, atoms, run) {
    // checked against `options` above, whose names and types are IondiffOptions'
    const opts = (run.options ?? {}) as IondiffOptions;
    return detectHopsIondiff(positions, nFrames, atoms, { ...opts, seed: run.seed });
  },
};
