/**
 * `ionsift generate`: synthetic trajectories with known hops (ground truth).
 *   ionsift generate --datasets datasets/                      regenerate the embedded datasets
 *   ionsift generate --material Li-sc --temperature 600 --out DIR [--ions 500 --frames 50000] [--seed N] [--no-gzip]
 */
import { resolve } from 'node:path';
import { generateDatasets } from '../generate/datasets.js';
import { MATERIALS, materialByName, scaledMaterial } from '../generate/materials.js';
import { generateRun, writeRun } from '../generate/run.js';

export const help = `usage:
  ionsift generate --datasets <dir>
      regenerate the embedded datasets (${MATERIALS.length} materials × their temperatures) + manifest.json
  ionsift generate --material <name> --temperature <K> --out <dir> [options]
      one run: <dir>/XDATCAR.gz, INCAR, truth.json
options:
  --ions <n>        mobile ions (supercell grows to keep the site concentration), e.g. 500
  --frames <n>      number of frames, e.g. 50000
  --seed <n>        PRNG seed (default: material seed + T)
  --no-gzip         write a plain XDATCAR
materials: ${MATERIALS.map((m) => `${m.name} (${m.lattice.kind}, Ea ${m.activationEv} eV, T ${m.temperaturesK.join('/')} K)`).join('; ')}`;

function parse(argv: string[]): Map<string, string | true> {
  const out = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) throw new Error(`unexpected argument "${a}"`);
    const eq = a.indexOf('=');
    if (eq > 0) out.set(a.slice(2, eq), a.slice(eq + 1));
    else if (i + 1 < argv.length && !argv[i + 1].startsWith('--')) out.set(a.slice(2), argv[++i]);
    else out.set(a.slice(2), true);
  }
  return out;
}

function num(v: string | true | undefined, name: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v === true || !Number.isFinite(n)) throw new Error(`--${name} needs a number`);
  return n;
}

const KNOWN = new Set(['datasets', 'material', 'temperature', 'out', 'ions', 'frames', 'seed', 'no-gzip', 'gzip']);

export async function run(argv: string[]): Promise<number> {
  let args: Map<string, string | true>;
  try {
    args = parse(argv);
    for (const k of args.keys()) if (!KNOWN.has(k)) throw new Error(`unknown option --${k}`);
  } catch (e) {
    console.error(`ionsift generate: ${(e as Error).message}\n\n${help}`);
    return 2;
  }
  try {
    const ds = args.get('datasets');
    if (ds !== undefined) {
      const root = resolve(ds === true ? 'datasets' : ds);
      const m = await generateDatasets(root, { log: (l) => console.log(l) });
      console.log(`wrote ${m.runs.length} runs + manifest.json to ${root}`);
      return 0;
    }
    const name = args.get('material');
    const T = num(args.get('temperature'), 'temperature');
    const out = args.get('out');
    if (typeof name !== 'string' || T === undefined || typeof out !== 'string') {
      console.error(`ionsift generate: need --datasets, or --material, --temperature and --out\n\n${help}`);
      return 2;
    }
    let spec = materialByName(name);
    const ions = num(args.get('ions'), 'ions');
    const frames = num(args.get('frames'), 'frames');
    if (ions !== undefined || frames !== undefined) spec = scaledMaterial(spec, ions ?? spec.nIons, frames);
    const seed = num(args.get('seed'), 'seed') ?? spec.seed + T;
    const t0 = Date.now();
    const r = generateRun(spec, T, seed);
    const w = await writeRun(r, resolve(out), { gzip: !args.has('no-gzip') });
    console.log(`${w.dir}: ${r.nAtoms} atoms (${spec.nIons} ${spec.mobile}), ${r.nFrames} frames, ${w.nHops} hops, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`ionsift generate: ${(e as Error).message}`);
    return 1;
  }
}
