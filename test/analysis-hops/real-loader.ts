// Minimal, test-only loader for the real argyrodite run: uses src/io/load.ts `loadTrajectory(dir)`
// when that reader exists, else a tiny fixed-cell VASP5 XDATCAR(.gz) parser over the files listed
// in the folder's ionsift.json (frames concatenated in order). Not a general reader.
import { existsSync, readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { resolve } from 'node:path';
import { emptyMetadata, type Trajectory } from '../../src/trajectory/types.js';
import { repoRoot } from '../helpers/real.js';

type Loader = (dir: string) => Promise<Trajectory> | Trajectory;

export async function loadRealTrajectory(dir: string): Promise<Trajectory> {
  const loaderPath = resolve(repoRoot, 'src/io/load.ts');
  if (existsSync(loaderPath)) {
    try {
      const mod = (await import(loaderPath)) as { loadTrajectory?: Loader };
      if (typeof mod.loadTrajectory === 'function') return await mod.loadTrajectory(dir);
    } catch {
      // reader mid-edit elsewhere: fall back to the minimal parser
    }
  }
  return minimalXdatcar(dir);
}

function minimalXdatcar(dir: string): Trajectory {
  const side = JSON.parse(readFileSync(resolve(dir, 'ionsift.json'), 'utf8')) as {
    trajectories: { files: string[] }[];
  };
  const files = side.trajectories[0].files;
  let species: string[] = [], counts: number[] = [];
  const lattice = new Float64Array(9);
  const chunks: Float64Array[] = [];
  let nAtoms = 0;
  for (const f of files) {
    const raw = readFileSync(resolve(dir, f));
    const text = (f.endsWith('.gz') ? gunzipSync(raw) : raw).toString('utf8');
    const lines = text.split('\n');
    const scale = Number(lines[1].trim());
    for (let r = 0; r < 3; r++) {
      const v = lines[2 + r].trim().split(/\s+/).map(Number);
      for (let c = 0; c < 3; c++) lattice[r * 3 + c] = v[c] * scale;
    }
    species = lines[5].trim().split(/\s+/);
    counts = lines[6].trim().split(/\s+/).map(Number);
    nAtoms = counts.reduce((s, c) => s + c, 0);
    const vals: number[] = [];
    for (let i = 7; i < lines.length; i++) {
      const l = lines[i].trim();
      if (l === '' || /^[A-Za-z]/.test(l)) continue;
      const p = l.split(/\s+/);
      vals.push(Number(p[0]), Number(p[1]), Number(p[2]));
    }
    chunks.push(Float64Array.from(vals));
  }
  const total = chunks.reduce((s, c) => s + c.length, 0);
  const frac = new Float64Array(total);
  let o = 0;
  for (const c of chunks) { frac.set(c, o); o += c.length; }
  const speciesOf = new Uint16Array(nAtoms);
  let a = 0;
  counts.forEach((c, s) => { for (let i = 0; i < c; i++) speciesOf[a++] = s; });
  return {
    nFrames: total / (nAtoms * 3), nAtoms, species, counts, speciesOf, frac, lattice,
    variableCell: false, segments: [], discontinuities: [], metadata: emptyMetadata('xdatcar'), warnings: [],
  };
}
