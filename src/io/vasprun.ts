/**
 * VASP vasprun.xml reader.
 *
 * What the format holds: one XML document `<modeling>` with `<generator>` (VASP version),
 * `<incar>` (tags the user set), `<parameters>` (every effective tag, defaults included),
 * `<atominfo>` (element and type of every atom, atoms per type), the initial/final
 * structures, and one `<calculation>` per ionic step holding electronic steps, energies,
 * a `<structure>` (`<crystal><varray name="basis">` = lattice rows in Å, and
 * `<varray name="positions">` = FRACTIONAL coordinates), forces and stress.
 *
 * What this reader takes: species/counts/per-atom type from `<atominfo>`; one frame per
 * `<structure>` directly inside a `<calculation>` (basis + positions); POTIM, NBLOCK,
 * TEBEG/TEEND, IBRION, NSW, ML_OUTBLOCK, SYSTEM from `<parameters>` (effective values),
 * falling back to `<incar>`; the VASP version from `<generator>`.
 *
 * What it deliberately ignores: energies, forces, stress, velocities, DOS/eigenvalues,
 * k-points, `rec_basis` and `volume` (derived), the `initialpos`/`finalpos`/
 * `primitive_cell` structures (they are not MD steps), `selective` flags.
 *
 * Frame interval: NBLOCK does NOT thin vasprun.xml — VASP writes a `<calculation>` for every
 * ionic step (VASP wiki, "Output interval options": NBLOCK controls XDATCAR/PCDAT only).
 * So frames are POTIM apart. The one exception is ML_OUTBLOCK (ML force-field runs,
 * VASP ≥ 6.4.3), which does thin vasprun.xml structures; it is applied when present.
 *
 * Parsing is SAX-style on a byte stream (vasprun-parser.ts); this module turns what it gathered
 * into a Trajectory: end-of-file checks, species, metadata.
 */
import type { Hash } from 'node:crypto';
import { ParseError } from './errors.js';
import { parseNumber } from './number.js';
import { cutLineWarning, scanLines } from './scan-lines.js';
import { fileMetadata, singleFileTrajectory } from './frames.js';
import type { Trajectory, TrajectoryMetadata } from '../trajectory/types.js';
import { VasprunParser, type AtomInfo } from './vasprun-parser.js';

export interface VasprunOptions {
  /**
   * Default true: a file that ends inside a `<structure>` (a killed run) keeps its complete
   * frames, with a warning; false (strict) makes it a ParseError.
   */
  allowTruncated?: boolean;
  /** Also fed with the raw file bytes (lets the loader hash a multi-file run in one pass). */
  hash?: Hash;
}

/** Content detection from the first few KB of text. */
export function sniffVasprun(head: string): boolean {
  return head.includes('<modeling') && (head.includes('<generator') || head.includes('vasp'));
}

export async function readVasprun(path: string, opts: VasprunOptions = {}): Promise<Trajectory> {
  const p = new VasprunParser(path);
  const { contentHash, cut } = await scanLines(path, (b, s, e, line) => p.onLine(b, s, e, line), opts.hash, (size) => { p.size = size; });
  const warnings: string[] = [];
  if (cut) {
    // A last line ending in '>' is whole XML (e.g. "</modeling>" without a newline); anything
    // else was cut while being written (a <v> row cut mid-number) and stays dropped.
    if (/>\s*$/.test(cut.text) && cut.text.length < 512) {
      const b = Buffer.from(cut.text, 'latin1');
      p.onLine(b, 0, b.length, cut.line);
    } else warnings.push(cutLineWarning(cut));
  }
  checkEnd(path, p, opts.allowTruncated ?? true, warnings);
  const { nFrames, frac, lat } = p;
  const { nAtoms } = p.atominfo;
  const { species, counts, speciesOf } = speciesOfAtoms(path, p.atominfo);
  const md = fileMetadata('vasprun', path, contentHash);
  const get = (k: string): string | undefined => p.params.get(k) ?? p.incar.get(k);
  runMetadata(md, get, p.generatorVersion, warnings);
  return singleFileTrajectory(path, { nFrames, nAtoms, species, counts, speciesOf, frac, lat, metadata: md, warnings });
}

/** End-of-file checks: a cut-off step structure (an error unless `allowTruncated`), a missing </modeling>, no atoms or frames. */
function checkEnd(file: string, p: VasprunParser, allowTruncated: boolean, warnings: string[]): void {
  const { nFrames, lastLine } = p;
  if (p.stepDepth >= 0) {
    const msg = `file ends inside the <structure> of frame ${nFrames} (begun on line ${p.frameStartLine}); the run was probably killed`;
    if (!allowTruncated || nFrames === 0) {
      throw new ParseError(`${msg}. Pass allowTruncated to keep the ${nFrames} complete frames`, { file, line: lastLine, frame: nFrames });
    }
    warnings.push(`${msg}; the incomplete frame was dropped`);
  } else if (!p.sawEnd) {
    if (lastLine === 0) throw new ParseError('file is empty', { file, line: 1 });
    warnings.push(`file ends without </modeling> (run stopped early?); ${nFrames} complete frames read`);
  }
  if (p.atominfo.nAtoms <= 0) throw new ParseError('no <atominfo><atoms> count found: not a vasprun.xml, or truncated before <atominfo>', { file, line: lastLine });
  if (nFrames === 0) throw new ParseError('no MD step structures (<calculation><structure>) found', { file, line: lastLine });
}

/** Species, counts and per-atom species from <atominfo>: the per-type table when present, else elements in order of appearance. */
function speciesOfAtoms(file: string, ai: AtomInfo): { species: string[]; counts: number[]; speciesOf: Uint16Array } {
  const { nAtoms, atomElements } = ai;
  if (atomElements.length !== nAtoms) {
    throw new ParseError(`<atominfo> lists ${atomElements.length} atoms, but <atoms> says ${nAtoms}`, { file });
  }
  const speciesOf = new Uint16Array(nAtoms);
  if (ai.typeElements.length > 0) {
    const species = ai.typeElements.slice();
    const counts = ai.typeCounts.slice();
    const sum = counts.reduce((a, b) => a + b, 0);
    if (sum !== nAtoms) throw new ParseError(`<atominfo> atoms per type add up to ${sum}, expected ${nAtoms}`, { file });
    for (let i = 0; i < nAtoms; i++) {
      const t = ai.atomTypes[i] - 1;
      if (t < 0 || t >= species.length) throw new ParseError(`atom ${i + 1} has type ${t + 1}, but there are ${species.length} types`, { file });
      speciesOf[i] = t;
    }
    return { species, counts, speciesOf };
  }
  const species: string[] = [];
  const counts: number[] = [];
  for (let i = 0; i < nAtoms; i++) {
    let k = species.indexOf(atomElements[i]);
    if (k < 0) {
      k = species.length;
      species.push(atomElements[i]);
      counts.push(0);
    }
    counts[k]++;
    speciesOf[i] = k;
  }
  return { species, counts, speciesOf };
}

/**
 * Time step, frame interval and temperature from the run parameters (`get`: effective
 * <parameters> value, else the <incar> one).
 */
function runMetadata(md: TrajectoryMetadata, get: (k: string) => string | undefined, generatorVersion: string | null, warnings: string[]): void {
  const num = (k: string): number | null => {
    const v = get(k);
    if (v === undefined) return null;
    const x = parseNumber(v);
    return Number.isFinite(x) ? x : null;
  };
  md.title = get('SYSTEM') ?? '';
  const ibrion = num('IBRION');
  const potim = num('POTIM');
  const nblock = num('NBLOCK');
  const mlOutblock = num('ML_OUTBLOCK');
  const isMd = ibrion === null || ibrion === 0;
  if (!isMd) {
    warnings.push(`IBRION=${ibrion}: not a molecular-dynamics run (IBRION=0); frames are relaxation/other steps, no time step set`);
  } else if (potim !== null && potim > 0) {
    let stride = 1;
    let strideNote = 'vasprun.xml (a <calculation> is written for every ionic step';
    if (nblock !== null) strideNote += `; NBLOCK=${nblock} thins XDATCAR only`;
    if (mlOutblock !== null && mlOutblock > 1) {
      if (versionAtLeast(generatorVersion, [6, 4, 3])) {
        stride = mlOutblock;
        strideNote = `vasprun.xml ML_OUTBLOCK=${mlOutblock} (VASP ${generatorVersion} writes every ML_OUTBLOCK-th step`;
        warnings.push(`ML_OUTBLOCK=${mlOutblock}: assuming vasprun.xml holds every ${mlOutblock}-th MD step (VASP ≥ 6.4.3 machine-learned force-field run)`);
      } else {
        warnings.push(`ML_OUTBLOCK=${mlOutblock} ignored: VASP ${generatorVersion ?? '(unknown version)'} < 6.4.3 still writes every step to vasprun.xml`);
      }
    }
    md.timestepFs = potim;
    md.stepsPerFrame = stride;
    md.frameIntervalFs = potim * stride;
    md.sources.timestepFs = 'vasprun.xml POTIM';
    md.sources.stepsPerFrame = `${strideNote})`;
    md.sources.frameIntervalFs = stride === 1 ? 'vasprun.xml POTIM (one frame per ionic step)' : 'vasprun.xml POTIM × ML_OUTBLOCK';
    if (nblock !== null) md.sources.NBLOCK = `vasprun.xml NBLOCK=${nblock} (XDATCAR stride; not used for vasprun frames)`;
  }
  // Missing POTIM/TEBEG stay null: the loader reports what is still missing after sidecar and flags.
  const tebeg = num('TEBEG');
  const teend = num('TEEND');
  if (tebeg !== null && tebeg > 0) {
    md.temperatureK = tebeg;
    md.sources.temperatureK = 'vasprun.xml TEBEG';
    if (teend !== null && teend > 0 && Math.abs(teend - tebeg) > 1e-6) {
      warnings.push(`TEEND=${teend} differs from TEBEG=${tebeg}: a temperature ramp; temperature set to TEBEG`);
    }
  }
}

/** True when a VASP version string like "6.4.3" or "6.3.2  " is at least `min`. */
function versionAtLeast(v: string | null, min: number[]): boolean {
  if (v === null) return false;
  const parts = v.trim().split(/[^0-9]+/).filter((x) => x !== '').map(Number);
  for (let i = 0; i < min.length; i++) {
    const p = parts[i] ?? 0;
    if (p !== min[i]) return p > min[i];
  }
  return true;
}
