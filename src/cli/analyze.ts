/** `ionsift analyze PATH` — hops, correlations, descriptors and diffusion of one trajectory. */
import { parseArgs } from 'node:util';
import { loadTrajectory, type MetadataOverrides } from '../io/load.js';
import type { AnalysisResult } from '../analysis/types.js';
import { resultToJson } from '../store/json.js';
import { analyzeParallel, MIN_PARALLEL_MS } from '../parallel/analyze-parallel.js';

export const help = `usage: ionsift analyze PATH [options]

PATH is a trajectory file or a folder holding one trajectory (as for \`ionsift inspect\`).
Prints a summary: events, diffusion (tracer/collective D, Haven ratio, conductivity), the
n-body correlation fit and the descriptors of each mobile species.

options:
  --json                  every result as JSON: one array per table (events, atoms, …, element_descriptors)
                          with the table's column names (snake_case with units: start_frame, length_a, …)
  --method M              hop detector: default (time-aware segmentation) | iondiff (k-means)
  --species A,B           mobile species to analyse (default: sidecar "mobile", else the lightest
                          of Li, Na, Mg, K, Cu, Zn, Ag present)
  --no-drift-removal      keep the framework's centre-of-mass drift
  --seed N                seed for every random choice (default 0)
  --workers N|auto        threads for hop detection: N as given, or auto (default: all cores when
                          detection would take ≥ ${MIN_PARALLEL_MS / 1000} s on one core, else 1); results do not depend on it
  --frame-interval-fs X   time between frames (fs)
  --temperature-k T       temperature (K)
  -h, --help              this text`;

function fmt(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  return Math.abs(x) >= 1e-2 && Math.abs(x) < 1e4 ? x.toPrecision(digits) : x.toExponential(digits - 1);
}

export function summaryText(path: string, r: AnalysisResult): string {
  const lines = [`${path}`, `  method ${r.method}, ${r.durationPs.toFixed(2)} ps at ${r.frameIntervalFs} fs/frame`];
  for (const d of r.descriptors) {
    const diff = r.diffusion.find((x) => x.element === d.element);
    const fit = r.correlationFits.find((x) => x.element === d.element);
    lines.push(`  ${d.element}: ${d.nIons} ions, ${d.nEvents} hop events (${fmt(d.hopRatePerIonPs)} per ion per ps)`);
    if (diff) {
      lines.push(`    D tracer     ${fmt(diff.dTracerCm2s)} ± ${fmt(diff.dTracerErrCm2s, 2)} cm²/s (fit ${fmt(diff.fitStartPs)}–${fmt(diff.fitEndPs)} ps)`);
      lines.push(`    D collective ${fmt(diff.dCollectiveCm2s)} ± ${fmt(diff.dCollectiveErrCm2s, 2)} cm²/s, Haven ratio ${fmt(diff.havenRatio)}`);
      lines.push(`    D from hops  ${fmt(diff.dHopsCm2s)} cm²/s (Σ|hop|²/6Nt)`);
      lines.push(`    σ (Nernst–Einstein) ${fmt(diff.conductivitySCm)} ± ${fmt(diff.conductivityErrSCm, 2)} S/cm`);
    }
    lines.push(`    hop length ${fmt(d.hopLengthAMean)} Å, event duration ${fmt(d.eventDurationPsMean)} ps, residence ${fmt(d.residencePsMean)} ps, first hop after ${fmt(d.timeToFirstHopPsMean)} ps`);
    lines.push(`    concerted fraction ${fmt(d.concertedFraction)}, mean n-bodies ${fmt(d.nBodiesMean)}, back-hop fraction ${fmt(d.backHopFraction)}`);
    if (fit) lines.push(`    n-body fit y = ${fmt(fit.offset)} + ${fmt(fit.amplitude)}·exp(−${fmt(fit.decayRate)}·n), r² ${fmt(fit.r2)} (${fit.nPoints} points)`);
  }
  return lines.join('\n');
}

export async function run(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      json: { type: 'boolean', default: false },
      method: { type: 'string', default: 'default' },
      species: { type: 'string' },
      'no-drift-removal': { type: 'boolean', default: false },
      seed: { type: 'string' },
      'frame-interval-fs': { type: 'string' },
      'temperature-k': { type: 'string' },
      workers: { type: 'string', default: 'auto' },
    },
  });
  if (positionals.length !== 1) {
    console.error(help);
    return 2;
  }
  const method = values.method;
  if (method !== 'default' && method !== 'iondiff') {
    console.error(`ionsift analyze: --method must be default or iondiff, got "${method}"`);
    return 2;
  }
  const positive = (name: 'frame-interval-fs' | 'temperature-k'): number | undefined | null => {
    const v = values[name];
    if (v === undefined) return undefined;
    const x = Number(v);
    if (v.trim() === '' || !Number.isFinite(x) || x <= 0) {
      console.error(`ionsift analyze: --${name} expects a positive number, got "${v}"`);
      return null;
    }
    return x;
  };
  const overrides: MetadataOverrides = {};
  const fi = positive('frame-interval-fs'), tk = positive('temperature-k');
  if (fi === null || tk === null) return 2;
  if (fi !== undefined) overrides.frameIntervalFs = fi;
  if (tk !== undefined) overrides.temperatureK = tk;
  let seed: number | undefined;
  if (values.seed !== undefined) {
    seed = Number(values.seed);
    if (values.seed.trim() === '' || !Number.isSafeInteger(seed)) {
      console.error(`ionsift analyze: --seed expects an integer, got "${values.seed}"`);
      return 2;
    }
  }
  let workers: number | undefined;
  if (values.workers !== 'auto') {
    workers = Number(values.workers);
    if (!/^\s*\d+\s*$/.test(values.workers) || !Number.isSafeInteger(workers) || workers < 1) {
      console.error(`ionsift analyze: --workers expects a positive integer or auto, got "${values.workers}"`);
      return 2;
    }
  }
  const path = positionals[0];
  const t = await loadTrajectory(path, overrides);
  const r = await analyzeParallel(t, {
    method,
    species: values.species ? values.species.split(',').map((s) => s.trim()).filter(Boolean) : undefined,
    removeDrift: !values['no-drift-removal'],
    seed,
  }, { workers, minParallelMs: workers === undefined ? undefined : 0 }); // N given: N workers, however short the run
  if (values.json) console.log(JSON.stringify(resultToJson(r), (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)));
  else console.log(summaryText(path, r));
  for (const w of [...t.warnings, ...r.warnings]) console.error(`warning: ${w}`);
  return 0;
}
