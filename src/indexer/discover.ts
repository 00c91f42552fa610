/**
 * Recursive discovery of trajectories under the paths given to `ionsift index`: every folder
 * is asked what it holds (`discoverInFolder` in io/discover.ts: sidecar entries, trajectory files,
 * numbered run files and run folders joined into one run), then its sub-folders are walked;
 * files already claimed by a parent (run folders, sidecar entries, `ignore`) are not found twice.
 */
import { createHash } from 'node:crypto';
import { existsSync, type Dirent } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { describeFile, discoverInFolder, type DiscoveredTrajectory as FolderTrajectory } from '../io/load.js';
import { nonRegularTrajectoryFiles, symlinkLoops } from '../io/discover.js';
import { readSidecar, SIDECAR_NAME } from '../io/sidecar.js';

export interface DiscoveredTrajectory extends FolderTrajectory {
  trajectoryId: string;
}

export interface DiscoveryFailure {
  path: string;
  message: string;
}

export interface DiscoveryResult {
  trajectories: DiscoveredTrajectory[];
  failures: DiscoveryFailure[];
}

/** Stable id of a trajectory: hash of its absolute source paths (re-index replaces its rows). */
export function trajectoryIdOf(files: readonly string[]): string {
  return createHash('sha256').update(files.join('\n')).digest('hex').slice(0, 16);
}

function errMsg(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * True when a file sits in a sub-folder (below `dir`) that has its own sidecar: that folder
 * speaks for its files, so a parent's numbered-folder grouping must not take them
 * (e.g. `li6ps5cl_0p/`, `li6ps5cl_50p/` look like numbered run folders but are separate cases).
 */
function inSidecarSubfolder(dir: string, files: readonly string[]): boolean {
  for (const f of files) {
    for (let d = dirname(f); d.length > dir.length && d.startsWith(dir); d = dirname(d)) {
      if (existsSync(join(d, SIDECAR_NAME))) return true;
    }
  }
  return false;
}

/** A folder named by a temperature (`600K`, `T_800K`, `1000 K`). */
function isTemperatureDir(dir: string): boolean {
  return /(^|[^a-z])\d+(\.\d+)?\s*k$/i.test(basename(dir));
}

export async function discover(paths: readonly string[]): Promise<DiscoveryResult> {
  const out: DiscoveredTrajectory[] = [];
  const failures: DiscoveryFailure[] = [];
  const claimed = new Set<string>();
  // The same file or folder reached by two paths (symlinks, overlapping arguments) counts once:
  // keyed by device + inode.
  const claimedIds = new Set<string>();
  const visited = new Set<string>();
  const idOf = async (p: string): Promise<string | null> => {
    const st = await stat(p).catch(() => null);
    return st ? `${st.dev}:${st.ino}` : null;
  };

  const add = async (t: FolderTrajectory): Promise<void> => {
    if (t.files.some((f) => claimed.has(f))) return;
    const ids = (await Promise.all(t.files.map(idOf))).filter((x): x is string => x !== null);
    if (ids.some((id) => claimedIds.has(id))) return;
    t.files.forEach((f) => claimed.add(f));
    ids.forEach((id) => claimedIds.add(id));
    out.push({ ...t, trajectoryId: trajectoryIdOf(t.files) });
  };

  const walk = async (dir: string, root: boolean): Promise<void> => {
    const dirId = await idOf(dir);
    if (dirId !== null) {
      if (visited.has(dirId)) return;
      visited.add(dirId);
    }
    for (const loop of await symlinkLoops(dir)) {
      failures.push({ path: join(dir, loop.name), message: `${join(dir, loop.name)}: symlink loop (points to ${loop.target}, which contains it); not followed` });
    }
    for (const x of await nonRegularTrajectoryFiles(dir)) {
      failures.push({ path: join(dir, x.name), message: `${join(dir, x.name)}: is ${x.kind} (after following symlinks); only regular files are read` });
    }
    let list: Dirent[];
    try {
      list = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      failures.push({ path: dir, message: `${dir}: cannot read folder: ${errMsg(err)}` });
      return;
    }
    try {
      if (list.some((e) => e.name === SIDECAR_NAME)) {
        const sc = await readSidecar(join(dir, SIDECAR_NAME));
        for (const ig of sc.ignore) claimed.add(resolve(dir, ig));
      }
      for (const t of await discoverInFolder(dir)) {
        if (inSidecarSubfolder(dir, t.files)) continue;
        // A temperature folder's trajectory is named with its folder (`600K/XDATCAR.gz`), as in
        // a temperature series seen from the material folder.
        const named = !root && isTemperatureDir(dir) && t.sidecarPath !== join(dir, SIDECAR_NAME) ? { ...t, name: `${basename(dir)}/${t.name}` } : t;
        await add(named);
      }
    } catch (err) {
      const sc = join(dir, SIDECAR_NAME);
      const path = list.some((e) => e.name === SIDECAR_NAME) ? sc : dir;
      failures.push({ path, message: errMsg(err).includes(dir) ? errMsg(err) : `${dir}: ${errMsg(err)}` });
    }
    const subdirs = list
      .filter((e) => e.isDirectory() && !e.name.startsWith('.') && e.name !== 'node_modules')
      .map((e) => e.name)
      .sort();
    for (const sd of subdirs) await walk(join(dir, sd), false);
  };

  for (const p of paths) {
    const abs = resolve(p);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch {
      failures.push({ path: abs, message: `${abs}: no such file or folder` });
      continue;
    }
    if (isDir) await walk(abs, true);
    else {
      // A file named explicitly is a trajectory whatever its name; its folder's sidecar still applies.
      try {
        await add(await describeFile(abs));
      } catch (err) {
        failures.push({ path: abs, message: errMsg(err) });
      }
    }
  }
  // Deterministic order (sharding slices this list).
  out.sort((a, b) => (a.files[0] < b.files[0] ? -1 : a.files[0] > b.files[0] ? 1 : 0));
  return { trajectories: out, failures };
}

/** Short display name: path relative to the cwd when shorter. */
export function displayPath(p: string): string {
  const r = relative(process.cwd(), p);
  return r && !r.startsWith('..') && r.length < p.length ? r : p;
}
