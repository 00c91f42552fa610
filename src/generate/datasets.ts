/**
 * The embedded `datasets/`: every material of MATERIALS at each of its temperatures, one folder
 * `<material>/<T>K/` with XDATCAR.gz + INCAR + truth.json, plus `manifest.json`.
 * Seeds are fixed (material seed + T), so regenerating gives byte-identical files.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MATERIALS } from './materials.js';
import { generateRun, writeRun, type MaterialSpec } from './run.js';

export interface ManifestRun {
  material: string;
  mobile: string;
  temperatureK: number;
  /** Folder relative to the dataset root. */
  dir: string;
  files: string[];
  truth: string;
  seed: number;
  nFrames: number;
  nAtoms: number;
  nIons: number;
  frameIntervalFs: number;
  nHops: number;
  nChains: number;
  dTracerAnalyticCm2s: number | null;
  dTracerModelCm2s: number | null;
  parameters: Record<string, number | string | boolean | number[]>;
}

export interface Manifest {
  version: 1;
  generator: string;
  command: string;
  runs: ManifestRun[];
}

export const REGENERATE_COMMAND = 'npx tsx scripts/generate-datasets.ts';

export function runSeed(m: MaterialSpec, temperatureK: number): number {
  return m.seed + temperatureK;
}

export async function generateDatasets(
  root: string,
  opts: { materials?: readonly MaterialSpec[]; log?: (line: string) => void } = {},
): Promise<Manifest> {
  const materials = opts.materials ?? MATERIALS;
  const runs: ManifestRun[] = [];
  await mkdir(root, { recursive: true });
  for (const m of materials) {
    for (const T of m.temperaturesK) {
      const seed = runSeed(m, T);
      const run = generateRun(m, T, seed);
      const dir = `${m.name}/${T}K`;
      const w = await writeRun(run, join(root, dir), { gzip: true });
      const t = run.truth;
      runs.push({
        material: m.name, mobile: m.mobile, temperatureK: T, dir,
        files: [`${dir}/${w.xdatcar}`, `${dir}/${w.incar}`],
        truth: `${dir}/${w.truth}`,
        seed, nFrames: run.nFrames, nAtoms: run.nAtoms, nIons: m.nIons, frameIntervalFs: run.frameIntervalFs,
        nHops: t.hops.length, nChains: t.chains.length,
        dTracerAnalyticCm2s: t.dTracerAnalyticCm2s, dTracerModelCm2s: t.dTracerModelCm2s ?? null,
        parameters: t.params,
      });
      opts.log?.(`${dir}: ${t.hops.length} hops, ${t.chains.length} chains, D_model ${t.dTracerModelCm2s?.toExponential(2)} cm²/s`);
    }
  }
  const manifest: Manifest = { version: 1, generator: 'ionsift generate (src/generate)', command: REGENERATE_COMMAND, runs };
  await writeFile(join(root, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return manifest;
}
