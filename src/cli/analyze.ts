/** `ionsift analyze PATH` — hops, correlations, descriptors and diffusion of one trajectory. */
import { loadTrajectory, type MetadataOverrides } from '../io/load.js';
import type { Trajectory } from '../trajectory/types.js';
import type { MobileFramesRequest } from '../trajectory/mobile-frames.js';
import { chooseMobile, defaultMobile, useFloat32 } from '../analysis/analyze.js';
import type { AnalyzeOptions } from '../analysis/analyze-options.js';
import type { AnalysisResult, DiffusionResult } from '../analysis/types.js';
import { resultToJson } from '../store/json.js';
import { analyzeParallel, MIN_PARALLEL_MS } from '../parallel/analyze-parallel.js';
import { F32_MIN_ION_FRAMES } from '../analysis/analyze-options.js';
import { DEFAULT_DETECTOR, detectorNamed } from '../analysis/detectors/registry.js';
import { parseDetectorOptions } from '../analysis/detectors/options.js';
import { detectorOptionsHelp, methodChoices, methodLines } from './detector-help.js';
import { errorMessage, integerOption, listOption, parseCommandArgs, positiveOption, UsageError, withUsage } from './args.js';

export const help = `usage: ionsift analyze PATH [options]

PATH is a trajectory file or a folder holding one trajectory (as for \`ionsift inspect\`).
Prints a summary: events, diffusion (tracer D and its tensor, collective D, Haven ratio, Nernst–Einstein
and charge conductivity; "not resolved" where a value is not above 2σ), the
n-body correlation fit and the descriptors of each mobile species.

options:
  --json                  every result as JSON: one array per table (events, atoms, …, element_descriptors)
                          with the table's column names (snake_case with units: start_frame, length_a, …)
  --method M              hop detector: ${methodChoices()} (default ${DEFAULT_DETECTOR})
${methodLines('                            ')}
  --detector-option NAME=VALUE
                          an option of the chosen detector (repeatable; see below)
  --species A,B           mobile species to analyse (default: sidecar "mobile", else the lightest
                          of Li, Na, Mg, K, Cu, Zn, Ag present)
  --no-drift-removal      keep the framework's centre-of-mass drift
  --seed N                seed for every random choice (default 0)
  --workers N|auto        threads for hop detection: N as given, or auto (default: all cores when
                          detection would take ≥ ${MIN_PARALLEL_MS / 1000} s on one core, else 1); results do not depend on it
  --precision P           positions held as f64, f32 (half the memory; rounding ≤ 3.8e-6 Å within 128 Å of the origin) or auto
                          (default: f32 from ${F32_MIN_ION_FRAMES / 1e6} M ion-frames of a species on)
  --all-frames            keep every atom's frames while reading (default: a one-file XDATCAR whose
                          positions are f32 keeps only the mobile species unwrapped and what the
                          analysis uses of the framework; the same results in less memory)
  --frame-interval-fs X   time between frames (fs)
  --temperature-k T       temperature (K)
  -h, --help              this text

detector options (--detector-option NAME=VALUE; absent ones take the default shown):
${detectorOptionsHelp('  ')}`;

function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= 1e-2 && Math.abs(x) < 1e4 ? x.toPrecision(digits) : x.toExponential(digits - 1);
}

/** value ± error, or "not resolved (fit ± error)" when the run does not resolve it. */
function resolvedText(ok: boolean, x: number, err: number, unit: string): string {
  const v = `${fmt(x)} ± ${fmt(err, 2)}${unit}`;
  return ok ? v : `not resolved (fit ${v}, not above 2σ)`;
}

/** The diffusion lines of one element (tracer and collective D, tensor, Haven ratio, both conductivities). */
export function diffusionLines(d: DiffusionResult): string[] {
  const t = d.tracerTensor;
  const lines = [`    D tracer     ${resolvedText(d.dTracerResolved, d.dTracerCm2s, d.dTracerErrCm2s, ' cm²/s')} (fit ${fmt(d.fitStartPs)}–${fmt(d.fitEndPs)} ps, ${d.fitMethod})`];
  if (d.dTracerResolved) {
    lines.push(`      along x, y, z ${fmt(t.components[0])}, ${fmt(t.components[1])}, ${fmt(t.components[2])} cm²/s; principal ${Array.from(t.principal, (v) => (v > 0 ? fmt(v) : '≤ 0')).join(', ')} ` +
      `along (${Array.from(t.axes.slice(0, 3), (v) => v.toFixed(2)).join(', ')}), …; anisotropy ${fmt(t.anisotropyRatio)}, fractional ${fmt(t.fractionalAnisotropy)}`);
  }
  lines.push(`    D collective ${resolvedText(d.dCollectiveResolved, d.dCollectiveCm2s, d.dCollectiveErrCm2s, ' cm²/s')}`);
  lines.push(`    Haven ratio  ${d.dTracerResolved && d.dCollectiveResolved ? `${fmt(d.havenRatio)} ± ${fmt(d.havenRatioErr, 2)}` : 'not resolved'}`);
  lines.push(`    D from hops  ${fmt(d.dHopsCm2s)} cm²/s (Σ|hop|²/6Nt)`);
  lines.push(`    σ Nernst–Einstein (tracer D)  ${d.dTracerResolved ? `${fmt(d.conductivityNeSCm)} ± ${fmt(d.conductivityNeErrSCm, 2)} S/cm` : 'not resolved'}`);
  lines.push(`    σ charge (collective D)       ${d.dCollectiveResolved ? `${fmt(d.conductivitySCm)} ± ${fmt(d.conductivityErrSCm, 2)} S/cm` : 'not resolved'}`);
  return lines;
}

export function summaryText(path: string, r: AnalysisResult): string {
  const lines = [`${path}`, `  method ${r.method}, ${r.durationPs.toFixed(2)} ps at ${r.frameIntervalFs} fs/frame`];
  for (const d of r.descriptors) {
    const diff = r.diffusion.find((x) => x.element === d.element);
    const fit = r.correlationFits.find((x) => x.element === d.element && x.method === 'calibrated');
    lines.push(`  ${d.element}: ${d.nIons} ions, ${d.nEvents} hop events (${fmt(d.hopRatePerIonPs)} per ion per ps)`);
    if (diff) lines.push(...diffusionLines(diff));
    lines.push(`    hop length ${fmt(d.hopLengthAMean)} Å, event duration ${fmt(d.eventDurationPsMean)} ps, residence ${fmt(d.residencePsMean)} ps, first hop after ${fmt(d.timeToFirstHopPsMean)} ps`);
    lines.push(`    concerted fraction ${fmt(d.concertedFraction)} (independent hops: ${fmt(d.concertedFractionExpected)}), mean n-bodies ${fmt(d.nBodiesMean)} (excess ${fmt(d.nBodiesMeanExcess)} ± ${fmt(d.nBodiesMeanExcessErr, 2)}), back-hop fraction ${fmt(d.backHopFraction)}`);
    lines.push(`    IonDiff time-only: concerted fraction ${fmt(d.iondiffConcertedFraction)}, mean n-bodies ${fmt(d.iondiffNBodiesMean)}`);
    if (fit) lines.push(`    n-body law: ${fit.verdict}${fit.verdict === 'too few groups' ? '' : `, groups ∝ exp(−${fmt(fit.decayRate)}·n), χ²/dof ${fmt(fit.chi2Reduced)}, p ${fmt(fit.pValue, 2)}`}`);
  }
  return lines.join('\n');
}

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean', default: false },
    method: { type: 'string', default: DEFAULT_DETECTOR },
    'detector-option': { type: 'string', multiple: true },
    species: { type: 'string' },
    'no-drift-removal': { type: 'boolean', default: false },
    seed: { type: 'string' },
    'frame-interval-fs': { type: 'string' },
    'temperature-k': { type: 'string' },
    workers: { type: 'string', default: 'auto' },
    precision: { type: 'string', default: 'auto' },
    'all-frames': { type: 'boolean', default: false },
  });
  if (positionals.length !== 1) throw new UsageError('expected one PATH');
  let method, detectorOptions;
  try {
    method = detectorNamed(values.method);
    const pairs = values['detector-option'] ?? [];
    detectorOptions = pairs.length > 0 ? parseDetectorOptions(method, pairs) : undefined;
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  const overrides: MetadataOverrides = {};
  const fi = positiveOption('frame-interval-fs', values['frame-interval-fs']);
  const tk = positiveOption('temperature-k', values['temperature-k']);
  if (fi !== undefined) overrides.frameIntervalFs = fi;
  if (tk !== undefined) overrides.temperatureK = tk;
  const seed = integerOption('seed', values.seed);
  let workers: number | undefined;
  if (values.workers !== 'auto') {
    workers = Number(values.workers);
    if (!/^\s*\d+\s*$/.test(values.workers) || !Number.isSafeInteger(workers) || workers < 1) {
      throw new UsageError(`--workers expects a positive integer or auto, got "${values.workers}"`);
    }
  }
  const precision = values.precision;
  if (precision !== 'auto' && precision !== 'f32' && precision !== 'f64') throw new UsageError(`--precision expects f64, f32 or auto, got "${precision}"`);
  const path = positionals[0];
  const opts: AnalyzeOptions = { method, detectorOptions, species: listOption(values.species), removeDrift: !values['no-drift-removal'], seed, precision };
  let t = await loadTrajectory(path, overrides, { mobileFrames: values['all-frames'] || precision === 'f64' ? undefined : mobileFramesFor(opts) });
  // The reader chose before knowing the run's metadata and exact length: when the analysis would
  // not take the reduced frames (another species, or f64 after all), read it again whole.
  if (t.reduced && !takesReduced(t, opts)) t = await loadTrajectory(path, overrides);
  const r = await analyzeParallel(t, opts, {
    workers, minParallelMs: workers === undefined ? undefined : 0, // N given: N workers, however short the run
    releaseFrames: true, // t's frames are not needed after unwrapping
  });
  if (values.json) console.log(JSON.stringify(resultToJson(r), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  else console.log(summaryText(path, r));
  for (const w of [...t.warnings, ...r.warnings]) console.error(`warning: ${w}`);
  return 0;
}

/** What the reader keeps of a long run for `opts` (the species `chooseMobile` would take; f32 as `useFloat32` decides). */
function mobileFramesFor(opts: AnalyzeOptions): MobileFramesRequest {
  return {
    mobile: (species, preferred) => {
      const want = opts.species && opts.species.length > 0 ? opts.species : preferred;
      if (want && want.length > 0) return [...want];
      const found = defaultMobile(species);
      return found ? [found] : null;
    },
    removeDrift: opts.removeDrift ?? true,
    minIonFrames: opts.precision === 'f32' ? 0 : F32_MIN_ION_FRAMES,
  };
}

/** Whether the analysis of `t` with `opts` takes the frames as reduced (else they are read again whole). */
function takesReduced(t: Trajectory, opts: AnalyzeOptions): boolean {
  const r = t.reduced!;
  let mobile: string[];
  try {
    mobile = chooseMobile(t, opts.species);
  } catch {
    return false;
  }
  return mobile.join(',') === r.mobile.join(',') && r.removeDrift === (opts.removeDrift ?? true) && useFloat32(t, mobile, opts);
}

export const run = withUsage('analyze', help, runCommand);
