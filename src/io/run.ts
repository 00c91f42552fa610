/**
 * One run split over several files (or several runs appended in one file) → one Trajectory,
 * with a continuity check at every boundary.
 *
 * Discontinuity rule: the RMS minimum-image displacement (Å, all atoms) across a boundary is
 * compared with the MEDIAN RMS of ordinary frame-to-frame steps (up to 512 evenly spaced steps
 * not touching a boundary). A boundary is flagged when it exceeds `factor` (default 2) × that
 * median. The median ignores the occasional large step, and the RMS over all atoms of a
 * restart that does not continue the previous run is several times the typical step
 * (e.g. Li6PS5I 100p run3→run4: 1.57 Å vs ≈0.5 Å), while a true continuation is ≈1×.
 */
import { latticeAt, type Discontinuity, type Trajectory } from '../trajectory/types.js';
import { inscribedRadius, isOrthogonal, minimumImage } from '../trajectory/lattice.js';
import { ConsistencyError } from './errors.js';

export const DEFAULT_JUMP_FACTOR = 2;
const MAX_SAMPLES = 512;

/** RMS minimum-image displacement (Å) of all atoms from frame `a` to frame `b` (cell of `b`). */
export function stepRms(t: Trajectory, a: number, b: number): number {
  const L = latticeAt(t, b);
  const n = t.nAtoms, fr = t.frac;
  const pa = a * n * 3, pb = b * n * 3;
  const v = new Float64Array(3);
  const ortho = isOrthogonal(L);
  // Skewed cells: a rounded step shorter than the inscribed-sphere radius is its own minimum
  // image (every other image is longer than the radius), and the image search would return that
  // very vector; so only longer steps need the 27-image search (a 1e-9 margin covers rounding).
  const r = inscribedRadius(L), r2 = ortho ? Infinity : r * r * (1 - 1e-9);
  let s = 0;
  for (let i = 0; i < n * 3; i += 3) {
    let dx = fr[pb + i] - fr[pa + i], dy = fr[pb + i + 1] - fr[pa + i + 1], dz = fr[pb + i + 2] - fr[pa + i + 2];
    // As in unwrap.ts: x − Math.round(x) = x + 0 for |x| < 0.5, without the Math.round.
    dx = dx > -0.5 && dx < 0.5 ? dx + 0 : dx - Math.round(dx);
    dy = dy > -0.5 && dy < 0.5 ? dy + 0 : dy - Math.round(dy);
    dz = dz > -0.5 && dz < 0.5 ? dz + 0 : dz - Math.round(dz);
    const x = dx * L[0] + dy * L[3] + dz * L[6], y = dx * L[1] + dy * L[4] + dz * L[7], z = dx * L[2] + dy * L[5] + dz * L[8];
    const d2 = x * x + y * y + z * z;
    if (d2 < r2) s += d2;
    else {
      minimumImage(L, dx, dy, dz, v, 0);
      s += v[0] * v[0] + v[1] * v[1] + v[2] * v[2];
    }
  }
  return Math.sqrt(s / Math.max(1, n));
}

/** Median RMS of ordinary steps f-1→f (f not in `boundaries`), or null when there are none. */
export function typicalStepRms(t: Trajectory, boundaries: ReadonlySet<number>, rms: (f: number) => number = (f) => stepRms(t, f - 1, f)): number | null {
  const steps: number[] = [];
  for (let f = 1; f < t.nFrames; f++) if (!boundaries.has(f)) steps.push(f);
  if (steps.length === 0) return null;
  const stride = Math.max(1, steps.length / MAX_SAMPLES);
  const vals: number[] = [];
  for (let x = 0; x < steps.length; x += stride) {
    const f = steps[Math.floor(x)];
    vals.push(rms(f));
  }
  vals.sort((p, q) => p - q);
  const m = vals.length >> 1;
  return vals.length % 2 ? vals[m] : (vals[m - 1] + vals[m]) / 2;
}

/**
 * Checks the steps into each frame of `boundaries` (first frame of a new file/run) and records
 * flagged ones in `t.discontinuities` and `t.warnings`. `describe(frame)` names the boundary.
 * A trajectory whose frames were reduced while read (`t.reduced`) brings its steps' RMS along.
 */
export function checkBoundaries(t: Trajectory, boundaries: readonly number[], describe: (frame: number) => string, factor = DEFAULT_JUMP_FACTOR): void {
  const set = new Set(boundaries.filter((b) => b > 0 && b < t.nFrames));
  if (set.size === 0) return;
  const reduced = t.reduced?.stepRms;
  const rms = reduced ? (f: number) => reduced[f] : (f: number) => stepRms(t, f - 1, f);
  const typical = typicalStepRms(t, set, rms);
  if (typical === null) {
    t.warnings.push(`continuity across ${[...set].map(describe).join('; ')} not checked: no ordinary frame-to-frame steps to compare with`);
    return;
  }
  for (const b of [...set].sort((x, y) => x - y)) {
    const step = rms(b);
    if (step > factor * typical) {
      const d: Discontinuity = {
        frame: b,
        rmsStepA: step,
        typicalStepA: typical,
        reason: `${describe(b)}: RMS step ${step.toFixed(3)} Å is ${(step / typical).toFixed(1)}× the median step ${typical.toFixed(3)} Å (threshold ${factor}×)`,
      };
      t.discontinuities.push(d);
      t.warnings.push(`discontinuity at frame ${b}: ${d.reason}`);
    } else if (step < 1e-9 * Math.max(1, typical)) {
      t.warnings.push(`frame ${b} repeats frame ${b - 1} exactly (${describe(b)}); kept as is`);
    }
  }
  t.discontinuities.sort((x, y) => x.frame - y.frame);
}

function cellsMatch(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  let scale = 0;
  for (let i = 0; i < 9; i++) scale = Math.max(scale, Math.abs(a[i]));
  for (let i = 0; i < 9; i++) if (Math.abs(a[i] - b[i]) > 1e-5 * scale) return false;
  return true;
}

function fileOf(t: Trajectory): string {
  return t.metadata.sourcePaths[0] ?? t.segments[0]?.file ?? '(unknown file)';
}

/**
 * Concatenates trajectories read from consecutive files of one run. Species, counts and (for
 * fixed cells) the cell must match, else ConsistencyError naming both files. Segments,
 * discontinuities and warnings of the parts are kept (shifted); each file boundary is checked.
 * Metadata is taken from the first part; `sourcePaths` lists all files in order.
 */
export function concatTrajectories(parts: readonly Trajectory[], factor = DEFAULT_JUMP_FACTOR): Trajectory {
  if (parts.length === 0) throw new Error('concatTrajectories: no parts');
  if (parts.length === 1) return parts[0];
  const first = parts[0];
  const firstFile = fileOf(first);
  for (const p of parts.slice(1)) {
    const file = fileOf(p);
    const a = first.species.map((s, i) => `${s} ${first.counts[i]}`).join(', ');
    const b = p.species.map((s, i) => `${s} ${p.counts[i]}`).join(', ');
    if (a !== b) {
      throw new ConsistencyError(`species/counts (${b}) differ from ${firstFile} (${a}); expected the files of one run to hold the same atoms in the same order`, { file, frame: 0 });
    }
    if (!first.variableCell && !p.variableCell && !cellsMatch(first.lattice, p.lattice)) {
      throw new ConsistencyError(
        `cell [${Array.from(p.lattice, (x) => x.toFixed(4)).join(' ')}] differs from ${firstFile} [${Array.from(first.lattice, (x) => x.toFixed(4)).join(' ')}]; expected the same cell for the files of one run`,
        { file, frame: 0 },
      );
    }
  }
  const nAtoms = first.nAtoms;
  const nFrames = parts.reduce((s, p) => s + p.nFrames, 0);
  const frac = new Float64Array(nFrames * nAtoms * 3);
  const variableCell = parts.some((p) => p.variableCell);
  const lattice = variableCell ? new Float64Array(nFrames * 9) : Float64Array.from(first.lattice);
  const out: Trajectory = {
    nFrames,
    nAtoms,
    species: [...first.species],
    counts: [...first.counts],
    speciesOf: first.speciesOf,
    frac,
    lattice,
    variableCell,
    segments: [],
    discontinuities: [],
    metadata: { ...first.metadata, sourcePaths: parts.flatMap((p) => p.metadata.sourcePaths), sources: { ...first.metadata.sources } },
    warnings: [],
  };
  const boundaries: number[] = [];
  const names = new Map<number, string>();
  let f0 = 0;
  for (let k = 0; k < parts.length; k++) {
    const p = parts[k];
    frac.set(p.frac, f0 * nAtoms * 3);
    if (variableCell) for (let f = 0; f < p.nFrames; f++) lattice.set(latticeAt(p, f), (f0 + f) * 9);
    for (const s of p.segments) out.segments.push({ ...s, startFrame: s.startFrame + f0 });
    for (const d of p.discontinuities) out.discontinuities.push({ ...d, frame: d.frame + f0 });
    out.warnings.push(...p.warnings);
    if (k > 0) {
      boundaries.push(f0);
      names.set(f0, `boundary ${fileOf(parts[k - 1])} → ${fileOf(p)}`);
    }
    f0 += p.nFrames;
  }
  checkBoundaries(out, boundaries, (b) => names.get(b) ?? `frame ${b}`, factor);
  return out;
}
