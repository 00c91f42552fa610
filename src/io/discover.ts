/**
 * Folder discovery: which trajectories a folder holds (sidecar entries, trajectory files by name,
 * numbered run files and run sub-folders), and a single file described the same way.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { MetadataError } from './errors.js';
import { readIncar } from './incar.js';
import { groupNumbered, naturalCompare } from './numbered-files.js';
import { formatByName } from './registry.js';
import { readSidecar, SIDECAR_NAME, type Sidecar, type SidecarMeta } from './sidecar.js';

/** One trajectory found in a folder. */
export interface DiscoveredTrajectory {
  /** Sidecar entry name, or the file name (numbered files: the pattern, e.g. `run*_XDATCAR.gz`). */
  name: string;
  /** Folder it was found in. */
  dir: string;
  /** Absolute paths of its files, in run order. */
  files: string[];
  /** Sidecar metadata for it (top level merged with its entry), `{}` without a sidecar. */
  sidecar: SidecarMeta;
  sidecarPath: string | null;
  /** Discovery notes for this trajectory (e.g. run folders kept apart); loading adds them to its warnings. */
  warnings?: string[];
}

async function listDir(dir: string): Promise<{ files: string[]; dirs: string[] }> {
  const files: string[] = [], dirs: string[] = [];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    let file = e.isFile(), isDir = e.isDirectory();
    if (e.isSymbolicLink()) {
      // Data folders are often assembled from symlinks: follow them (a dangling link is skipped).
      const st = await stat(join(dir, e.name)).catch(() => null);
      file = st?.isFile() ?? false;
      isDir = st?.isDirectory() ?? false;
    }
    if (file) files.push(e.name);
    else if (isDir) dirs.push(e.name);
  }
  return { files, dirs };
}

/** Trajectory files (by name) under `dir`, as paths relative to `root`, up to `depth` levels. */
async function trajectoryFilesUnder(root: string, dir: string, depth: number): Promise<string[]> {
  const { files, dirs } = await listDir(dir);
  const out = files.filter((f) => formatByName(f) !== null).map((f) => relative(root, join(dir, f)));
  if (depth > 0) for (const d of dirs.sort(naturalCompare)) out.push(...(await trajectoryFilesUnder(root, join(dir, d), depth - 1)));
  return out;
}

/**
 * Sub-folder names that look like parts of one run (`run1`, `restart_2`, `md-3`, `part4`,
 * `seg05`, `01`). Never a temperature (`600K`), a composition (`li6ps5cl_50p`) or `T600`.
 */
const RUN_DIR = /^(run|restart|md|part|seg)?[._-]?(\d+)$/i;

/**
 * Groups of sibling folders that are restarts of one run: names matching RUN_DIR, differing in
 * one number. Bare numbers (`1/`, `2/`) count only when consecutive, since `600/`, `800/` name
 * temperatures rather than restarts.
 */
function runDirGroups(dirs: readonly string[]): string[][] {
  const candidates = dirs.filter((d) => RUN_DIR.test(d));
  return groupNumbered(candidates)
    .map(([, m]) => m)
    .filter((m) => {
      if (m.length < 2) return false;
      if (m.some((d) => RUN_DIR.exec(d)?.[1] !== undefined)) return true;
      const n = m.map((d) => Number(d.replace(/^[._-]/, '')));
      return n.every((x, i) => i === 0 || x === n[i - 1] + 1);
    });
}

/** TEBEG of the INCAR in each folder (null without INCAR/TEBEG). */
async function tebegOf(dirs: readonly string[]): Promise<(number | null)[]> {
  const out: (number | null)[] = [];
  for (const d of dirs) {
    const incar = join(d, 'INCAR');
    out.push(existsSync(incar) ? (await readIncar(incar).catch(() => null))?.tebegK ?? null : null);
  }
  return out;
}

/**
 * The sidecar that speaks for a folder: its own `ionsift.json`, else the top level of its
 * parent folder's (a material-level sidecar above temperature folders). A parent's `ignore`
 * and `trajectories` belong to the parent's own files and are not inherited.
 */
async function sidecarFor(dir: string): Promise<{ sidecar: Sidecar | null; meta: SidecarMeta; path: string | null; own: boolean }> {
  const own = join(dir, SIDECAR_NAME);
  if (existsSync(own)) {
    const sc = await readSidecar(own);
    return { sidecar: sc, meta: sc.meta, path: own, own: true };
  }
  const parent = dirname(dir);
  const up = join(parent, SIDECAR_NAME);
  if (parent !== dir && existsSync(up)) {
    // A broken parent sidecar is reported where it lives (discovery of the parent folder).
    const sc = await readSidecar(up).catch(() => null);
    if (sc) return { sidecar: null, meta: sc.meta, path: up, own: false };
  }
  return { sidecar: null, meta: {}, path: null, own: false };
}

/**
 * The trajectories a folder holds:
 * - with an `ionsift.json` that has `trajectories`: exactly those entries;
 * - otherwise every trajectory file in the folder (by name: XDATCAR*, vasprun*.xml, *.extxyz…,
 *   minus the sidecar's `ignore`), plus files inside numbered run sub-folders (`run1/`, `run2/`…,
 *   see RUN_DIR; up to 3 levels deep). Files differing in one number form one run, in numeric
 *   order. Run folders whose INCARs give different TEBEG are kept apart (with a warning).
 *   A vasprun.xml beside an XDATCAR is the same run's other output and is skipped; so is an
 *   OUTCAR beside any other trajectory file.
 * Without its own sidecar a folder takes the top level of its parent folder's sidecar.
 * Other sub-folders are not entered (they are trajectories of their own for the indexer).
 */
export async function discoverInFolder(dir: string): Promise<DiscoveredTrajectory[]> {
  dir = resolve(dir);
  const sc = await sidecarFor(dir);
  const sidecar = sc.sidecar;
  const scPath = join(dir, SIDECAR_NAME);
  if (sidecar && sidecar.trajectories.length > 0) {
    return sidecar.trajectories.map((e) => {
      const files = e.files.map((f) => resolve(dir, f));
      const missing = files.find((f) => !existsSync(f));
      if (missing) throw new MetadataError(`trajectory "${e.name}" lists ${basename(missing)}, which does not exist in ${dir}; expected existing file names relative to the sidecar`, { file: scPath });
      return { name: e.name, dir, files, sidecar: e.meta, sidecarPath: scPath };
    });
  }
  const ignore = new Set(sidecar?.ignore ?? []);
  const { files, dirs } = await listDir(dir);
  let rel = files.filter((f) => !ignore.has(f) && formatByName(f) !== null);
  // Numbered run folders (restarts of one run), unless their INCARs disagree on the temperature.
  const apart: { dirs: string[]; warning: string }[] = [];
  for (const group of runDirGroups(dirs)) {
    const t = await tebegOf(group.map((d) => join(dir, d)));
    const known = t.filter((x): x is number => x !== null);
    if (new Set(known).size > 1) {
      const list = group.map((d, i) => `${d}/ (${t[i] ?? '?'} K)`).join(', ');
      apart.push({ dirs: group, warning: `run folders ${list} in ${dir} look like restarts of one run but their INCARs give different TEBEG; kept as separate trajectories` });
      continue;
    }
    for (const d of group) rel.push(...(await trajectoryFilesUnder(dir, join(dir, d), 2)).filter((f) => !ignore.has(f)));
  }
  const meta = sc.meta;
  const sidecarPath = sc.path;
  const grouped = (paths: string[], warning?: string): DiscoveredTrajectory[] => {
    // A vasprun.xml beside an XDATCAR in the same folder is the same run written twice.
    const xdatDirs = new Set(paths.filter((f) => formatByName(f)?.name === 'xdatcar').map((f) => dirname(f)));
    paths = paths.filter((f) => !(formatByName(f)?.name === 'vasprun' && xdatDirs.has(dirname(f))));
    // An OUTCAR is a trajectory only where it is the run's sole output; beside another it is metadata.
    const otherDirs = new Set(paths.filter((f) => formatByName(f)?.name !== 'outcar').map((f) => dirname(f)));
    paths = paths.filter((f) => !(formatByName(f)?.name === 'outcar' && otherDirs.has(dirname(f))));
    // CP2K writes velocities and forces beside the positions in the same xyz layout: not trajectories.
    const cp2k = new Set(paths.filter((f) => formatByName(f)?.name === 'cp2k-pos').map((f) => f.replace(/-pos-(\d+\.xyz)$/i, '-*-$1')));
    paths = paths.filter((f) => !cp2k.has(f.replace(/-(vel|frc)-(\d+\.xyz)$/i, '-*-$2')));
    return groupNumbered(paths).map(([name, members]) => ({
      name,
      dir,
      files: members.map((m) => join(dir, m)),
      sidecar: meta,
      sidecarPath,
      ...(warning ? { warnings: [warning] } : {}),
    }));
  };
  const out = grouped(rel);
  for (const a of apart) {
    for (const d of a.dirs) out.push(...grouped((await trajectoryFilesUnder(dir, join(dir, d), 2)).filter((f) => !ignore.has(f)), a.warning));
  }
  return out;
}

/**
 * A single file as a DiscoveredTrajectory, with the sidecar beside it (if any) applied; without
 * one, the top level of the parent folder's sidecar (see discoverInFolder).
 */
export async function describeFile(path: string): Promise<DiscoveredTrajectory> {
  path = resolve(path);
  const dir = dirname(path);
  const sc = await sidecarFor(dir);
  const entry = sc.sidecar?.trajectories.find((e) => e.files.some((f) => resolve(dir, f) === path));
  return { name: basename(path), dir, files: [path], sidecar: entry ? entry.meta : sc.meta, sidecarPath: sc.path };
}
