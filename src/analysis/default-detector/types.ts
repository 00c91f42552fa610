/** The default detector's public types: options, noise models, per-ion answers. */
import type { HopDetection } from '../types.js';

export interface DefaultHopOptions {
  /** False-alarm probability of one merge test (default 1e-4). */
  alpha?: number;
  /** Minimum separation of two places in units of the ion's vibration σ (default 4.5). */
  separationSigma?: number;
  /** Maximum number of segmentation / re-estimation passes (default 6). */
  maxPasses?: number;
  /** Minimum effective number of independent frames n/g(n) of a residence (default 1.5). */
  minResidenceEff?: number;
  /**
   * Noise models to use instead of estimating them, one per column (e.g. those of a longer run
   * of the same ions, `DefaultHopDetection.noise`); the segmentation is then a single pass.
   */
  noise?: readonly IonNoise[];
  /**
   * 'species' (default): one vibration amplitude and memory for all columns (their medians),
   * each ion keeping its own anisotropy — pass columns of one species. 'ion': each ion's own.
   */
  pool?: 'species' | 'ion';
}

/** Noise model of one ion, as estimated from its own residuals. */
export interface IonNoise {
  /** Per-component vibrational variance (Å²). */
  sigma2: number;
  /** Autocorrelation ρ(k), k = 1…K (index k−1); empty = uncorrelated. */
  rho: Float64Array;
  /** Integrated autocorrelation time g(∞) = 1 + 2 Σ ρ(k) (frames). */
  tauInt: number;
  passes: number;
  /** Whitening W (3×3 row-major, lower-triangular) and the variance in whitened units. */
  whitening: Float64Array;
  sigma2Whitened: number;
  /**
   * The model frame by frame (whitened units) when it varies in time — the pooled 'species'
   * model is estimated in a sliding window — for a series of exactly `field.s2.length` frames;
   * a series of another length uses the scalars above.
   */
  field?: NoiseField;
}

/**
 * Vibration model per frame: σ² (per component), ρ(1) and the ratio r of ρ(k) = ρ(1) r^(k−1).
 * A decision about a boundary uses the model at that frame, so cutting the run changes the
 * model only near the cut (within one estimation window and the longest lag).
 */
export interface NoiseField {
  s2: Float64Array;
  rho1: Float64Array;
  r: Float64Array;
  /**
   * False when even the longest variogram lags the run allows (≤ T/4) stay within the
   * vibration's memory (ρ ≥ 0.9): frames far shorter than a vibration period in a run too short
   * to reach its plateau, so σ is underestimated and small wiggles may count as hops.
   */
  resolved?: boolean;
}

export interface DefaultHopDetection extends HopDetection {
  /** The noise model estimated (or given) per column. */
  noise: IonNoise[];
  /** What makes these hops doubtful (e.g. a vibration the run cannot resolve). */
  warnings: string[];
}

/** One ion's answer: residences, centres and hops in frames of its own series. */
export interface IonSegmentation {
  noise: IonNoise;
  /** Per frame: centre index or −1 (transit). */
  labels: Int16Array;
  /** nCentres × 3, Å. */
  centres: Float64Array;
  nCentres: number;
  /** Hops as [startFrame, endFrame, fromCentre, toCentre]. */
  hops: [number, number, number, number][];
  /** Per hop: from (x, y, z) and to (x, y, z) in Å — the means of the residences left and reached. */
  hopEnds: Float64Array;
}
