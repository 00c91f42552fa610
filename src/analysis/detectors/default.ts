/**
 * The default detector (ionsift's time-aware segmentation, ../hops-default.ts) as a registry
 * entry. Its vibration model is pooled over all columns of a species: `sharedModels` computes it
 * once and each subset of the columns gets its slice, so a split over workers changes no hop.
 */
import { defaultNoiseModels, detectHopsDefault, type DefaultHopOptions, type IonNoise } from '../hops-default.js';
import type { Detector, OptionValues } from './detector.js';

/** Values checked against `detector.options`, whose names and types are DefaultHopOptions'. */
function hopOptions(options: OptionValues | undefined): DefaultHopOptions {
  return (options ?? {}) as DefaultHopOptions;
}

export const detector: Detector<IonNoise> = {
  description: 'time-aware segmentation with a vibration model pooled over the species',
  // Generated Li-sc, 500 ions × 12,500 frames on one core: 9–12 s (bench/pipeline.ts); short
  // runs cost more per frame (JIT warm-up), so they are, if anything, under-estimated.
  costUsPerIonFrame: 1.5,
  options: {
    alpha: { type: 'number', default: 1e-4, description: 'false-alarm probability of one merge test' },
    separationSigma: { type: 'number', default: 4.5, description: "minimum separation of two places, in units of the ion's vibration σ" },
    maxPasses: { type: 'integer', default: 6, description: 'maximum segmentation / re-estimation passes' },
    minResidenceEff: { type: 'number', default: 1.5, description: 'minimum effective number of independent frames of a residence' },
    pool: { type: ['species', 'ion'], default: 'species', description: 'one vibration model for the species, or each ion its own' },
  },
  detect(positions, nFrames, atoms, run) {
    const opts = hopOptions(run.options);
    return detectHopsDefault(positions, nFrames, atoms, run.shared ? { ...opts, noise: run.shared } : opts);
  },
  sharedModels(positions, nFrames, nCols, options) {
    return defaultNoiseModels(positions, nFrames, nCols, hopOptions(options));
  },
};
