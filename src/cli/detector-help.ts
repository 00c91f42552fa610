/** The hop detectors as the CLI help lists them, from the registry (a new detector shows up by itself). */
import { typeLabel } from '../analysis/detectors/options.js';
import { DETECTOR_NAMES, DETECTORS } from '../analysis/detectors/registry.js';

/** "default | iondiff". */
export function methodChoices(): string {
  return DETECTOR_NAMES.join(' | ');
}

/** One line per detector, "name  description", indented by `indent`. */
export function methodLines(indent: string): string {
  const w = Math.max(...DETECTOR_NAMES.map((n) => n.length));
  return DETECTOR_NAMES.map((n) => `${indent}${n.padEnd(w)}  ${DETECTORS[n].description}`).join('\n');
}

/** Each detector's options schema: "name (type, default d)  description", grouped by detector. */
export function detectorOptionsHelp(indent: string): string {
  const lines: string[] = [];
  for (const n of DETECTOR_NAMES) {
    const opts = Object.entries(DETECTORS[n].options);
    lines.push(`${indent}${n}:${opts.length ? '' : ' none'}`);
    for (const [name, spec] of opts) {
      lines.push(`${indent}  ${name}=${typeLabel(spec)} (default ${String(spec.default)})  ${spec.description}`);
    }
  }
  return lines.join('\n');
}
