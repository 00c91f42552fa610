/**
 * The Haven ratio H = D_tracer / D_collective of a (material, element) for display, with its error or "not
 * resolved". The collective D of a short AIMD run is often no better than ± 100 %, and a ratio
 * over a denominator that is not resolved from zero is not a number worth printing: notebook 02
 * teaches that H < 1 means correlated motion, so "H = 3.92" over Dσ = 4.9 ± 13.6 misleads.
 */
import type { HavenRunRow } from './types.js';

export interface HavenEstimate {
  /** Inverse-variance mean of the resolved runs' H at one temperature (the highest with any), or null. */
  value: number | null;
  err: number | null;
  /** How it was obtained, or why it is not resolved. */
  note: string;
}

/** A collective D counts as resolved when it is positive and at least twice its standard error. */
export const MIN_COLLECTIVE_SIGNIFICANCE = 2;

function runHaven(r: HavenRunRow): { h: number; err: number } | string {
  const dt = r.d_tracer_cm2_s;
  const dc = r.d_collective_cm2_s;
  if (dt === null || !(dt > 0)) return 'tracer D not resolved';
  if (dc === null || !Number.isFinite(dc)) return 'collective D not resolved';
  if (r.d_collective_err === null || !Number.isFinite(r.d_collective_err)) return 'collective D has no error';
  if (!(dc > 0) || dc < MIN_COLLECTIVE_SIGNIFICANCE * r.d_collective_err) {
    return `collective D ${dc.toExponential(1)} ± ${r.d_collective_err.toExponential(1)} cm²/s not resolved from zero`;
  }
  const h = dt / dc;
  // No tracer error: the ratio keeps its value but has no error (NaN), rather than a too small one.
  const relT = r.d_tracer_err !== null && Number.isFinite(r.d_tracer_err) ? r.d_tracer_err / dt : NaN;
  const relC = r.d_collective_err / dc;
  return { h, err: h * Math.hypot(relT, relC) };
}

/**
 * Combine the runs of one (material, element). H depends on temperature, so runs are pooled only
 * at one temperature (replicas): the highest one with a resolved run, named in the note.
 */
export function havenEstimate(runs: readonly HavenRunRow[]): HavenEstimate {
  const ok: { h: number; err: number; t: number | null }[] = [];
  const why: string[] = [];
  for (const r of runs) {
    const e = runHaven(r);
    if (typeof e === 'string') why.push(`${r.temperature_k ?? '?'} K: ${e}`);
    else ok.push({ ...e, t: r.temperature_k });
  }
  if (ok.length === 0) {
    return { value: null, err: null, note: runs.length ? `not resolved (${why.join('; ')})` : 'not resolved (no run)' };
  }
  const key = (t: number | null): number => (t === null ? -Infinity : Math.round(t));
  const top = Math.max(...ok.map((o) => key(o.t)));
  const at = ok.filter((o) => key(o.t) === top);
  const withErr = at.every((o) => o.err > 0 && Number.isFinite(o.err));
  let sw = 0;
  let swh = 0;
  for (const o of at) {
    const w = withErr ? 1 / o.err ** 2 : 1;
    sw += w;
    swh += w * o.h;
  }
  const value = swh / sw;
  const err = withErr ? Math.sqrt(1 / sw) : null;
  const tLabel = top === -Infinity ? 'unknown T' : `${top} K`;
  const others = ok.length - at.length;
  const note = `at ${tLabel}: ${at.length} run${at.length === 1 ? '' : 's'} resolved; ${ok.length} of ${runs.length} resolved at any T${others ? ' (H depends on T: the others are not pooled)' : ''}`;
  return { value, err, note };
}

/** "0.42 ± 0.10" or "not resolved". */
export function formatHaven(e: { value: number | null; err: number | null }): string {
  if (e.value === null) return 'not resolved';
  return e.err === null ? e.value.toFixed(2) : `${e.value.toFixed(2)} ± ${e.err.toFixed(2)}`;
}
