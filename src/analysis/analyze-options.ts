/**
 * The options of `analyze()` (apart from ./types.ts, which the detectors import: the detector
 * name is derived from their registry).
 */
import type { OptionValues } from './detectors/detector.js';
import type { DetectorName } from './detectors/registry.js';

export interface AnalyzeOptions {
  /** Hop detector, a name in DETECTORS (detectors/registry.ts); default 'default'. */
  method?: DetectorName;
  /** The detector's own options, checked against its schema (absent ones take their defaults). */
  detectorOptions?: OptionValues;
  /** Mobile species to analyse (default: sidecar `mobile`, else the lightest cation present among Li, Na, K, Ag, Cu, Mg, Zn). */
  species?: string[];
  /** Remove the framework's centre-of-mass drift before analysis (default true). */
  removeDrift?: boolean;
  /** Seed for every random choice (k-means seeding, random correlation reference, bootstrap). */
  seed?: number;
  /**
   * Events are the site map's site-to-site jumps instead of the detector's hops (default false:
   * the site jumps are not yet length-consistent — BENCHMARKS.md, "Site map"). The site map,
   * site_jumps and the site descriptors are computed either way.
   */
  siteJumps?: boolean;
  /**
   * Precision of the unwrapped positions the analysis holds: 'f64', 'f32' (half the memory; the
   * rounding is < 2⁻²⁴ of the distance from the origin, ≤ 3.8e-6 Å within 128 Å: < 1e-4 of the smallest vibration amplitude met), or
   * 'auto' (default): f32 from F32_MIN_ION_FRAMES ion-frames on, so short runs keep their numbers.
   */
  precision?: 'f64' | 'f32' | 'auto';
  /**
   * How the site map is fitted: `mixture` (default, EM from seeded components) or `density` (the
   * peaks of the smoothed position density, deterministic; BENCHMARKS.md, "Site map", 17:00).
   */
  siteMap?: 'mixture' | 'density';
}

/** From this many ion-frames of a species on, 'auto' precision stores its positions as float32 (≥ 120 MB in float64). */
export const F32_MIN_ION_FRAMES = 5_000_000;
