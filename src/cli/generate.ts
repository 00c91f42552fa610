/**
 * `ionsift generate`: synthetic trajectories with known hops (ground truth).
 *   ionsift generate --datasets datasets/                      regenerate the embedded datasets
 *   ionsift generate --material Li-sc --temperature 600 --out DIR [--ions 500 --frames 50000] [--seed N] [--no-gzip]
 */
import { resolve } from 'node:path';
import { generateDatasets } from '../generate/datasets.js';
import { MATERIALS, materialByName, scaledMaterial } from '../generate/materials.js';
import { generateRun, writeRun } from '../generate/run.js';
import { errorMessage, numberOption, parseCommandArgs, positiveIntegerOption, positiveOption, UsageError, withUsage } from './args.js';

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

async function runCommand(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommandArgs(argv, {
    datasets: { type: 'string' },
    material: { type: 'string' },
    temperature: { type: 'string' },
    out: { type: 'string' },
    ions: { type: 'string' },
    frames: { type: 'string' },
    seed: { type: 'string' },
    'no-gzip': { type: 'boolean' },
  });
  if (positionals.length > 0) throw new UsageError(`unexpected argument "${positionals[0]}"`);
  const T = positiveOption('temperature', o.temperature);
  const ions = positiveIntegerOption('ions', o.ions);
  const frames = positiveIntegerOption('frames', o.frames);
  const seedOpt = numberOption('seed', o.seed);
  if (o.datasets === undefined && (o.material === undefined || T === undefined || o.out === undefined)) {
    throw new UsageError('need --datasets DIR, or --material, --temperature and --out');
  }
  try {
    if (o.datasets !== undefined) {
      const root = resolve(o.datasets);
      const m = await generateDatasets(root, { log: (l) => console.log(l) });
      console.log(`wrote ${m.runs.length} runs + manifest.json to ${root}`);
      return 0;
    }
    let spec = materialByName(o.material!);
    if (ions !== undefined || frames !== undefined) spec = scaledMaterial(spec, ions ?? spec.nIons, frames);
    const seed = seedOpt ?? spec.seed + T!;
    const t0 = Date.now();
    const r = generateRun(spec, T!, seed);
    const w = await writeRun(r, resolve(o.out!), { gzip: !o['no-gzip'] });
    console.log(`${w.dir}: ${r.nAtoms} atoms (${spec.nIons} ${spec.mobile}), ${r.nFrames} frames, ${w.nHops} hops, ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } catch (e) {
    console.error(`ionsift generate: ${errorMessage(e)}`);
    return 1;
  }
}

export const run = withUsage('generate', help, runCommand);
