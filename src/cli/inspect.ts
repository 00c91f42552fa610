/** `ionsift inspect PATH` — summary of one trajectory (file or one-trajectory folder). */
import { stat } from 'node:fs/promises';
import { latticeAt, type Trajectory } from '../trajectory/types.js';
import { volume } from '../trajectory/lattice.js';
import { IonsiftError } from '../io/errors.js';
import { durationPs, loadTrajectories, loadTrajectory, type MetadataOverrides } from '../io/load.js';
import { FORMATS } from '../io/registry.js';
import { parseCommandArgs, positiveIntegerOption, positiveOption, UsageError, withUsage } from './args.js';

export const help = `usage: ionsift inspect PATH [options]

PATH is a trajectory file (XDATCAR, vasprun.xml, extxyz, LAMMPS dump, GROMACS .xtc/.trr with
the .gro beside it, OUTCAR, CP2K *-pos-1.xyz with its .cell, ASE .traj; .gz allowed for the
text formats) or a folder holding one trajectory (an ionsift.json, INCAR + XDATCAR, or
numbered run files run1_…, run2_…).
A folder whose ionsift.json lists several trajectories prints each of them.

Prints format, frames, atoms, species with counts, frame interval (fs), temperature (K),
duration (ps, first to last frame), cell volume (Å³; mean for a variable cell), and any
discontinuities or missing metadata.

formats known (io/registry.ts): ${FORMATS.map((f) => f.name).join(', ')}

options:
  --json                  one JSON object (an array for several trajectories) with keys
                          format, n_frames, n_atoms, species, frame_interval_fs,
                          temperature_k, duration_ps, volume_a3, warnings
  --frame-interval-fs X   time between frames (fs); overrides INCAR/sidecar
  --potim-fs X            MD time step POTIM (fs)
  --nblock N              MD steps between frames NBLOCK
  --temperature-k T       temperature (K)
  --elements A,B,...      element names for files without them (VASP 4 XDATCAR)
  -h, --help              this text`;

export interface InspectSummary {
  format: string;
  n_frames: number;
  n_atoms: number;
  species: Record<string, number>;
  frame_interval_fs: number | null;
  temperature_k: number | null;
  duration_ps: number | null;
  volume_a3: number;
  warnings: string[];
}

function meanVolume(t: Trajectory): number {
  if (!t.variableCell) return volume(t.lattice);
  let s = 0;
  for (let f = 0; f < t.nFrames; f++) s += volume(latticeAt(t, f));
  return s / Math.max(1, t.nFrames);
}

export function summarize(t: Trajectory): InspectSummary {
  const species: Record<string, number> = {};
  t.species.forEach((s, i) => { species[s] = (species[s] ?? 0) + t.counts[i]; });
  return {
    format: t.metadata.format,
    n_frames: t.nFrames,
    n_atoms: t.nAtoms,
    species,
    frame_interval_fs: t.metadata.frameIntervalFs,
    temperature_k: t.metadata.temperatureK,
    duration_ps: durationPs(t),
    volume_a3: meanVolume(t),
    warnings: [...t.warnings],
  };
}

function fmt(x: number | null, unit: string, digits = 6): string {
  return x === null ? 'unknown' : `${Number(x.toPrecision(digits))} ${unit}`;
}

function text(t: Trajectory, s: InspectSummary): string {
  const m = t.metadata;
  const lines = [
    `path:            ${m.sourcePaths.length === 1 ? m.sourcePaths[0] : `${m.sourcePaths.length} files: ${m.sourcePaths.join(', ')}`}`,
    `format:          ${s.format}`,
    ...(m.material ? [`material:        ${m.material}`] : []),
    `frames:          ${s.n_frames}`,
    `atoms:           ${s.n_atoms}`,
    `species:         ${Object.entries(s.species).map(([e, n]) => `${e} ${n}`).join(', ')}`,
    `frame interval:  ${fmt(s.frame_interval_fs, 'fs')}${m.sources.frameIntervalFs ? ` (${m.sources.frameIntervalFs})` : ''}`,
    `temperature:     ${fmt(s.temperature_k, 'K')}${m.sources.temperatureK ? ` (${m.sources.temperatureK})` : ''}`,
    `duration:        ${fmt(s.duration_ps, 'ps')}`,
    `cell volume:     ${fmt(s.volume_a3, 'Å³')}${t.variableCell ? ' (mean; variable cell)' : ''}`,
    `discontinuities: ${t.discontinuities.length === 0 ? 'none' : t.discontinuities.map((d) => `frame ${d.frame}`).join(', ')}`,
    `content sha256:  ${m.contentHash}`,
  ];
  if (s.warnings.length > 0) lines.push('warnings:', ...s.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    json: { type: 'boolean', default: false },
    'frame-interval-fs': { type: 'string' },
    'potim-fs': { type: 'string' },
    nblock: { type: 'string' },
    'temperature-k': { type: 'string' },
    elements: { type: 'string' },
  });
  if (positionals.length !== 1) throw new UsageError('expected one PATH');
  const overrides: MetadataOverrides = {
    frameIntervalFs: positiveOption('frame-interval-fs', values['frame-interval-fs']),
    timestepFs: positiveOption('potim-fs', values['potim-fs']),
    stepsPerFrame: positiveIntegerOption('nblock', values.nblock),
    temperatureK: positiveOption('temperature-k', values['temperature-k']),
    elements: values.elements ? values.elements.split(/[\s,]+/).filter(Boolean) : undefined,
  };
  try {
    const path = positionals[0];
    const trajs = (await stat(path)).isDirectory() ? await loadTrajectories(path, overrides) : [await loadTrajectory(path, overrides)];
    if (trajs.length === 0) return await inspectEmpty(path);
    const sums = trajs.map(summarize);
    if (values.json) console.log(JSON.stringify(sums.length === 1 ? sums[0] : sums, null, 2));
    else console.log(trajs.map((t, i) => text(t, sums[i])).join('\n\n'));
    return 0;
  } catch (err) {
    console.error(`ionsift inspect: ${err instanceof IonsiftError ? `${err.name}: ` : ''}${(err as Error).message}`);
    return 1;
  }
}

async function inspectEmpty(path: string): Promise<number> {
  // loadTrajectory raises the FormatError that explains what was looked for.
  await loadTrajectory(path);
  return 1;
}

export const run = withUsage('inspect', help, runCommand);
