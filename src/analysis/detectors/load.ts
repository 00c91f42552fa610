/**
 * One detector alone, for worker threads: loads only its module (the registry imports every
 * detector; iondiff's k-means, with the ml-kmeans package, need not load for the default one).
 */
import type { Detector } from './detector.js';
import type { DetectorName } from './registry.js';

export async function loadDetector(name: DetectorName): Promise<Detector> {
  // The file of each detector is named as its registry key (a test checks every name); the
  // specifier is resolved at run time (vite-ignore: vitest need not expand it at build time).
  const mod = (await import(/* @vite-ignore */ `./${name}.js`)) as { detector: Detector };
  return mod.detector;
}
