/**
 * Detector registry: name → detector (detection, shared models, cost per ion-frame, options).
 * Adding a method = one file exporting `detector` (named as its key: workers load it by name,
 * see load.ts) and one line in DETECTORS.
 */
import type { Detector } from './detector.js';
import { detector as defaultDetector } from './default.js';
import { detector as iondiffDetector } from './iondiff.js';

const entries = {
  default: defaultDetector,
  iondiff: iondiffDetector,
};

export type DetectorName = keyof typeof entries;

export const DETECTORS: Readonly<Record<DetectorName, Detector>> = entries;

/** Registered names, in registry order. */
export const DETECTOR_NAMES = Object.keys(entries) as DetectorName[];

/** The method when none is given. */
export const DEFAULT_DETECTOR: DetectorName = 'default';

export function isDetectorName(name: string): name is DetectorName {
  return Object.hasOwn(entries, name);
}

export class UnknownDetectorError extends Error {
  constructor(readonly method: string) {
    super(`unknown hop detector "${method}"; known: ${DETECTOR_NAMES.join(', ')}`);
    this.name = 'UnknownDetectorError';
  }
}

/** `name` as a DetectorName; throws UnknownDetectorError listing the known ones otherwise. */
export function detectorNamed(name: string): DetectorName {
  if (!isDetectorName(name)) throw new UnknownDetectorError(name);
  return name;
}
