/**
 * What the GROMACS trajectory readers (XTC, TRR) share: finding the .gro topology that names
 * the atoms, accumulating frames (Cartesian nm → fractional with each frame's box), the frame
 * interval from the per-frame times, and building the Trajectory.
 */
import { createHash } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import { emptyMetadata, type Trajectory } from '../trajectory/types.js';
import { det3, inverse3 } from '../trajectory/lattice.js';
import { MetadataError, ParseError } from './errors.js';
import { FrameBuffer, GrowableF64, packLattice } from './frames.js';
import { readGro, type GroTopology } from './gro.js';
import { hashFile, type HashSink } from './byte-source.js';
import { XdrStream } from './xdr-stream.js';

/**
 * The .gro beside a GROMACS trajectory: `<stem>.gro` (`run.xtc` → `run.gro`), else the only
 * `.gro` in the folder. None, or several without a matching stem, is an error naming them.
 */
export async function findGroFor(path: string): Promise<string> {
  const dir = dirname(path);
  const stem = basename(path, extname(path));
  const gros = (await readdir(dir)).filter((f) => /\.gro$/i.test(f)).sort();
  const same = gros.find((f) => basename(f, extname(f)) === stem);
  if (same) return join(dir, same);
  if (gros.length === 1) return join(dir, gros[0]);
  throw new MetadataError(
    gros.length === 0
      ? 'no .gro topology beside this GROMACS trajectory; expected a .gro file in the same folder (it names the atoms)'
      : `several .gro files beside this trajectory (${gros.join(', ')}) and none named ${stem}.gro; expected one, or ${stem}.gro`,
    { file: path },
  );
}

/** Frames as they are read: fractional coordinates, lattice rows (Å) and time (ps). */
export class GromacsFrames {
  readonly frac: FrameBuffer;
  readonly lat = new GrowableF64(64 * 9);
  readonly times: number[] = [];
  nFrames = 0;
  private readonly inv = new Float64Array(9);
  private readonly L = new Float64Array(9);
  private readonly prevBox = new Float64Array(9).fill(NaN);

  /** `expectedFrames`: a size estimate only (file size / first frame's bytes); the buffer grows past it. */
  constructor(readonly path: string, readonly top: GroTopology, expectedFrames: number) {
    this.frac = new FrameBuffer(top.nAtoms * 3, expectedFrames);
  }

  /**
   * Adds a frame: `box` rows and `x` positions in nm (as stored), time in ps; `fileFrame` is its
   * index in the file, for errors. A box that is zero or singular (no periodic cell) is an
   * error: ion transport needs periodic cells.
   */
  add(box: ArrayLike<number>, x: ArrayLike<number>, timePs: number, fileFrame = this.nFrames): void {
    const f = fileFrame;
    const L = this.L;
    let same = true;
    for (let k = 0; k < 9; k++) if (box[k] !== this.prevBox[k]) same = false;
    if (!same) {
      // A fixed cell (the usual case) is inverted once, not per frame.
      for (let k = 0; k < 9; k++) {
        this.prevBox[k] = box[k];
        L[k] = box[k] * 10;
      }
      const d = det3(L);
      if (!Number.isFinite(d) || Math.abs(d) < 1e-6) {
        this.prevBox.fill(NaN);
        throw new ParseError(`box [${Array.from(box, (v) => v.toPrecision(6)).join(' ')}] nm has no volume; expected a periodic cell`, { file: this.path, frame: f });
      }
      this.inv.set(inverse3(L));
    }
    const o = this.lat.reserve(9); // before reading .data: reserve may replace it
    this.lat.data.set(L, o);
    const n = this.top.nAtoms;
    this.frac.ensure(this.nFrames + 1);
    const p = this.nFrames * n * 3;
    const out = this.frac.data, I = this.inv;
    for (let i = 0; i < n * 3; i += 3) {
      const cx = x[i] * 10, cy = x[i + 1] * 10, cz = x[i + 2] * 10;
      if (!Number.isFinite(cx + cy + cz)) throw new ParseError(`atom ${i / 3} has a non-finite position`, { file: this.path, frame: f });
      out[p + i] = cx * I[0] + cy * I[3] + cz * I[6];
      out[p + i + 1] = cx * I[1] + cy * I[4] + cz * I[7];
      out[p + i + 2] = cx * I[2] + cy * I[5] + cz * I[8];
    }
    this.times.push(timePs);
    this.nFrames++;
  }
}

/** Spacing (fs) of evenly spaced per-frame times (ps, float32), or a reason it is not known. */
export function frameIntervalFromTimes(times: readonly number[]): { fs: number } | { why: string } {
  const n = times.length;
  if (n < 2) return { why: 'one frame' };
  if (times.every((t) => t === 0)) return { why: 'the time fields are all zero (not set by the writer)' };
  const dt = (times[n - 1] - times[0]) / (n - 1);
  if (!(dt > 0)) return { why: 'times do not increase' };
  // float32 times: one ulp of the largest time is 2^-23 of it, on each of the two values of a step.
  const ulp = Math.max(Math.abs(times[0]), Math.abs(times[n - 1])) * 2 ** -22;
  for (let f = 1; f < n; f++) {
    if (Math.abs(times[f] - times[f - 1] - dt) > 1e-3 * dt + 2 * ulp) return { why: `times are not evenly spaced (frame ${f - 1} → ${f}: ${(times[f] - times[f - 1]).toPrecision(6)} ps, mean ${dt.toPrecision(6)} ps)` };
  }
  return { fs: Number((dt * 1000).toPrecision(6)) };
}

/** The Trajectory of a GROMACS file read into `fr` (atoms named by its topology). */
export function gromacsTrajectory(format: string, fr: GromacsFrames, contentHash: string, warnings: string[]): Trajectory {
  const { top, nFrames } = fr;
  const species: string[] = [];
  const counts: number[] = [];
  const speciesOf = new Uint16Array(top.nAtoms);
  top.elements.forEach((el, i) => {
    let k = species.indexOf(el);
    if (k < 0) {
      k = species.length;
      species.push(el);
      counts.push(0);
    }
    counts[k]++;
    speciesOf[i] = k;
  });
  const md = emptyMetadata(format);
  md.sourcePaths = [fr.path];
  md.contentHash = contentHash;
  md.title = top.title;
  const iv = frameIntervalFromTimes(fr.times);
  if ('fs' in iv) {
    md.frameIntervalFs = iv.fs;
    md.sources.frameIntervalFs = `${format} frame times`;
  } else if (nFrames >= 2 && !fr.times.every((t) => t === 0)) {
    // All-zero times mean "not written": the loader reports the missing interval after sidecar and flags.
    warnings.push(`frame interval not taken from the ${format} frame times: ${iv.why}; give frame_interval_fs in ionsift.json or on the command line`);
  }
  const { lattice, variableCell } = packLattice(fr.lat.data, nFrames);
  return {
    nFrames,
    nAtoms: top.nAtoms,
    species,
    counts,
    speciesOf,
    frac: fr.frac.take(nFrames),
    lattice,
    variableCell,
    segments: [{ file: fr.path, startFrame: 0, nFrames }],
    discontinuities: [],
    metadata: md,
    warnings,
  };
}

/**
 * The trajectory and its .gro opened as one hashed input: the .gro's bytes first, then the
 * trajectory's as the stream reads them (also into `extra`); `digest()` is the content hash.
 */
export async function openWithTopology(path: string, extra?: HashSink): Promise<{ gro: string; stream: XdrStream; digest: () => string }> {
  const gro = await findGroFor(path);
  const own = createHash('sha256');
  const hash: HashSink = { update(c: Buffer) { own.update(c); extra?.update(c); } };
  await hashFile(gro, hash);
  return { gro, stream: await XdrStream.open(path, hash), digest: () => own.digest('hex') };
}

/** Reads the topology `gro` of `path` and checks its atom count against the trajectory's first frame. */
export async function topologyFor(gro: string, path: string, natoms: number): Promise<GroTopology> {
  const top = await readGro(gro);
  if (top.nAtoms !== natoms) {
    throw new ParseError(`${natoms} atoms in the trajectory but ${top.nAtoms} in its topology ${top.path}; expected the .gro of this run`, { file: path, frame: 0 });
  }
  return top;
}
