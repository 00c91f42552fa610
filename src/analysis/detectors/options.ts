/**
 * Detector options from text (`NAME=VALUE`, as the CLI takes them), checked against the
 * detector's schema: unknown names and ill-typed values are errors that list what is accepted.
 */
import type { OptionSpec, OptionsSchema, OptionValue, OptionValues } from './detector.js';
import { DETECTORS, type DetectorName } from './registry.js';

export class DetectorOptionError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DetectorOptionError';
  }
}

/** How a type reads in help and errors: "number", "integer", "true|false", "a|b". */
export function typeLabel(spec: OptionSpec): string {
  if (typeof spec.type !== 'string') return spec.type.join('|');
  return spec.type === 'boolean' ? 'true|false' : spec.type;
}

/** `raw` as a value of `spec`'s type, or null when it is not one. */
export function parseOptionValue(spec: OptionSpec, raw: string): OptionValue | null {
  const t = spec.type;
  if (typeof t !== 'string') return t.includes(raw) ? raw : null;
  if (t === 'boolean') return raw === 'true' ? true : raw === 'false' ? false : null;
  const x = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(x)) return null;
  return t === 'integer' && !Number.isSafeInteger(x) ? null : x;
}

/** Checks already-typed values (e.g. from an API caller) against `schema`; throws DetectorOptionError. */
export function checkOptionValues(method: DetectorName, values: OptionValues): void {
  const schema: OptionsSchema = DETECTORS[method].options;
  for (const [name, v] of Object.entries(values)) {
    const spec = schema[name];
    if (!spec) throw new DetectorOptionError(unknownOption(method, name));
    if (parseOptionValue(spec, String(v)) !== v) {
      throw new DetectorOptionError(`${method} option ${name} expects ${typeLabel(spec)}, got ${JSON.stringify(v)}`);
    }
  }
}

function unknownOption(method: DetectorName, name: string): string {
  const known = Object.keys(DETECTORS[method].options);
  return `the ${method} detector has no option "${name}"; its options: ${known.length ? known.join(', ') : 'none'}`;
}

/** `NAME=VALUE` pairs for detector `method`, checked and typed; throws DetectorOptionError. */
export function parseDetectorOptions(method: DetectorName, pairs: readonly string[]): OptionValues {
  const schema: OptionsSchema = DETECTORS[method].options;
  const out: Record<string, OptionValue> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw new DetectorOptionError(`detector option "${pair}": expected NAME=VALUE`);
    const name = pair.slice(0, eq), raw = pair.slice(eq + 1);
    const spec = schema[name];
    if (!spec) throw new DetectorOptionError(unknownOption(method, name));
    const v = parseOptionValue(spec, raw);
    if (v === null) throw new DetectorOptionError(`${method} option ${name} expects ${typeLabel(spec)}, got "${raw}"`);
    out[name] = v;
  }
  return out;
}
