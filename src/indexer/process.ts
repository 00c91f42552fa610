/**
 * The default work of an indexer worker: read one trajectory, analyse it, and return what the
 * store needs. Runs inside a worker thread (see worker.ts); also callable in-process.
 */
import { analyze, chargeOf } from '../analysis/analyze.js';
import type { AnalyzeOptions } from '../analysis/analyze-options.js';
import { IonsiftError } from '../io/errors.js';
import { durationPs, loadDiscovered, type MetadataOverrides } from '../io/load.js';
import { basename, dirname } from 'node:path';
import type { Trajectory } from '../trajectory/types.js';
import { latticeAt } from '../trajectory/types.js';
import type { ProcessTask, Stage, TrajectoryMeta, WorkOutput, WorkTask } from './types.js';

function det3(m: Float64Array): number {
  return (
    m[0] * (m[4] * m[8] - m[5] * m[7]) -
    m[1] * (m[3] * m[8] - m[5] * m[6]) +
    m[2] * (m[3] * m[7] - m[4] * m[6])
  );
}

/** Cell volume (Å³); the mean over frames for a variable cell. */
export function volumeA3(t: Trajectory): number | null {
  if (t.lattice.length < 9) return null;
  if (!t.variableCell) return Math.abs(det3(t.lattice));
  let s = 0;
  for (let f = 0; f < t.nFrames; f++) s += Math.abs(det3(latticeAt(t, f)));
  return t.nFrames ? s / t.nFrames : null;
}

/**
 * Pauling electronegativities of the elements solid electrolytes are made of: a formula lists
 * the most electropositive element first (Li2S, Li6PS5Cl, Li7La3Zr2O12), as chemists write it.
 */
const ELECTRONEGATIVITY: Record<string, number> = {
  H: 2.2, Li: 0.98, Be: 1.57, B: 2.04, C: 2.55, N: 3.04, O: 3.44, F: 3.98, Na: 0.93, Mg: 1.31, Al: 1.61,
  Si: 1.9, P: 2.19, S: 2.58, Cl: 3.16, K: 0.82, Ca: 1.0, Sc: 1.36, Ti: 1.54, V: 1.63, Cr: 1.66, Mn: 1.55,
  Fe: 1.83, Co: 1.88, Ni: 1.91, Cu: 1.9, Zn: 1.65, Ga: 1.81, Ge: 2.01, As: 2.18, Se: 2.55, Br: 2.96,
  Rb: 0.82, Sr: 0.95, Y: 1.22, Zr: 1.33, Nb: 1.6, Mo: 2.16, Ag: 1.93, Cd: 1.69, In: 1.78, Sn: 1.96,
  Sb: 2.05, Te: 2.1, I: 2.66, Cs: 0.79, Ba: 0.89, La: 1.1, Ce: 1.12, Hf: 1.3, Ta: 1.5, W: 2.36, Pb: 2.33, Bi: 2.02,
};

/**
 * Reduced formula from the species counts (S8Li24 → Li3S): elements by increasing
 * electronegativity, file order among equals and for elements not in the table (last).
 */
export function reducedFormula(t: Trajectory): string | null {
  const counts = new Map<string, number>();
  t.species.forEach((el, i) => counts.set(el, (counts.get(el) ?? 0) + t.counts[i]));
  if (counts.size === 0) return null;
  const gcd = (a: number, b: number): number => (b ? gcd(b, a % b) : a);
  const g = [...counts.values()].reduce(gcd);
  const en = (el: string): number => ELECTRONEGATIVITY[el] ?? Number.POSITIVE_INFINITY;
  return [...counts]
    .sort((a, b) => en(a[0]) - en(b[0]))
    .map(([el, n]) => `${el}${n / g === 1 ? '' : n / g}`)
    .join('');
}

/**
 * Material name when no sidecar gives one: the trajectory's folder, skipping folders that only
 * name a temperature or a run (`Li3PS4/600K/XDATCAR` → Li3PS4).
 */
export function materialFromPath(file: string): string | null {
  let dir = dirname(file);
  for (let i = 0; i < 3; i++) {
    const name = basename(dir);
    if (!name || name === dir) return null;
    if (!/^(\d+(\.\d+)?\s*k|run[._-]?\d*|\d+|md[._-]?\d*|restart[._-]?\d*)$/i.test(name)) return name;
    dir = dirname(dir);
  }
  return null;
}

export function metaOf(t: Trajectory, mobile: readonly string[]): TrajectoryMeta {
  const m = t.metadata;
  const formula = m.formula ?? reducedFormula(t);
  const first = m.sourcePaths[0];
  return {
    format: m.format,
    material: m.material ?? (first ? materialFromPath(first) : null) ?? formula,
    formula,
    temperatureK: m.temperatureK,
    timestepFs: m.timestepFs,
    frameIntervalFs: m.frameIntervalFs,
    nFrames: t.nFrames,
    nAtoms: t.nAtoms,
    volumeA3: volumeA3(t),
    variableCell: t.variableCell,
    nDiscontinuities: t.discontinuities.length,
    species: t.species.map((el, i) => ({
      element: el,
      count: t.counts[i],
      // The charge the conductivity used for analysed species; otherwise what the sidecar says.
      charge: mobile.includes(el) && Number.isFinite(chargeOf(t, el)) ? chargeOf(t, el) : m.charges[el] ?? null,
      mobile: mobile.includes(el),
    })),
    metadataSources: { ...m.sources },
    warnings: [...t.warnings],
    contentHash: m.contentHash,
  };
}

/** Message naming the file: reader errors already do; anything else gets the first file prefixed. */
function messageOf(err: unknown, file: string): string {
  const msg = err instanceof Error ? err.message : String(err);
  if (err instanceof IonsiftError || msg.includes(file)) return msg;
  return `${file}: ${msg}`;
}

export const processTask: ProcessTask = async (task: WorkTask): Promise<WorkOutput> => {
  const t0 = performance.now();
  const d = task.trajectory;
  const o = task.options;
  const file = d.files[0] ?? d.dir;
  let stage: Stage = 'read';
  try {
    const overrides: MetadataOverrides = {};
    if (o.frameIntervalFs !== undefined) overrides.frameIntervalFs = o.frameIntervalFs;
    if (o.temperatureK !== undefined) overrides.temperatureK = o.temperatureK;
    const traj = await loadDiscovered(d, overrides);
    stage = 'analyze';
    const opts: AnalyzeOptions = {};
    if (o.method) opts.method = o.method;
    if (o.species?.length) opts.species = o.species;
    if (o.seed !== undefined) opts.seed = o.seed;
    const result = analyze(traj, opts);
    const meta = metaOf(traj, result.mobile);
    // the trajectories.warnings column holds the reader's and the analysis's warnings
    meta.warnings.push(...result.warnings);
    if (result.durationPs === undefined) result.durationPs = durationPs(traj) ?? NaN;
    return { ok: true, meta, result, ms: performance.now() - t0 };
  } catch (err) {
    return { ok: false, stage, message: messageOf(err, file) };
  }
};
