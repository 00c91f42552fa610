/**
 * Entry point from paths to Trajectories: folder discovery (sidecar, INCAR + XDATCAR,
 * numbered run files), reading through the format registry, concatenating runs, the content
 * hash, and metadata resolution with precedence file (INCAR/OUTCAR/vasprun) < sidecar < CLI.
 * Missing metadata is never guessed: it stays null and a warning says how to give it.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { Trajectory } from '../trajectory/types.js';
import { FormatError, MetadataError } from './errors.js';
import { readIncar, readOutcar, readPotcarElements, type VaspParams } from './incar.js';
import { hashFile, prefetchGzip, type Prefetch } from './byte-source.js';
import { detectFormat, formatByName, type ReaderOptions } from './registry.js';
import { concatTrajectories } from './run.js';
import { readSidecar, SIDECAR_NAME, type Sidecar, type SidecarMeta } from './sidecar.js';

/** Values given by the user (CLI flags); they win over sidecar and file metadata. */
export interface MetadataOverrides {
  frameIntervalFs?: number;
  /** POTIM (fs). */
  timestepFs?: number;
  /** NBLOCK. */
  stepsPerFrame?: number;
  temperatureK?: number;
  material?: string;
  formula?: string;
  mobile?: string[];
  charges?: Record<string, number>;
  /** Element names for files without them (VASP 4 XDATCAR). */
  elements?: string[];
}

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

export type MetadataKey = 'frameIntervalFs' | 'temperatureK';

// ---------------------------------------------------------------------------------------------
// Natural sort and numbered-file grouping

/** Natural order: digit runs compare as numbers (run10 after run9). */
export function naturalCompare(a: string, b: string): number {
  const ta = a.split(/(\d+)/), tb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(ta.length, tb.length); i++) {
    if (ta[i] === tb[i]) continue;
    if (i % 2 === 1) {
      const d = Number(ta[i]) - Number(tb[i]);
      if (d !== 0) return d;
    }
    return ta[i] < tb[i] ? -1 : 1;
  }
  return ta.length - tb.length;
}

/**
 * Groups paths that differ only in one number (`run1_XDATCAR.gz`, `run2_…`; `run1/XDATCAR`,
 * `run2/XDATCAR`; `XDATCAR_01`, `XDATCAR_02`) into runs ordered by that number; every other
 * path is a group of its own. Returns [name, paths in order].
 */
export function groupNumbered(paths: readonly string[]): [string, string[]][] {
  const byKey = new Map<string, { idx: number; members: string[] }>();
  for (const p of paths) {
    const t = p.split(/(\d+)/);
    for (let i = 1; i < t.length; i += 2) {
      const key = [...t.slice(0, i), '*', ...t.slice(i + 1)].join('');
      const g = byKey.get(key) ?? { idx: i, members: [] };
      g.members.push(p);
      byKey.set(key, g);
    }
  }
  const taken = new Set<string>();
  const out: [string, string[]][] = [];
  const groups = [...byKey.entries()].filter(([, g]) => g.members.length >= 2).sort((x, y) => y[1].members.length - x[1].members.length);
  for (const [key, g] of groups) {
    const free = g.members.filter((m) => !taken.has(m));
    if (free.length < 2) continue;
    free.sort((a, b) => Number(a.split(/(\d+)/)[g.idx]) - Number(b.split(/(\d+)/)[g.idx]));
    free.forEach((m) => taken.add(m));
    out.push([key, free]);
  }
  for (const p of paths) if (!taken.has(p)) out.push([p, [p]]);
  return out.sort((a, b) => naturalCompare(a[0], b[0]));
}

// ---------------------------------------------------------------------------------------------
// Discovery

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
 *   A vasprun.xml beside an XDATCAR is the same run's other output and is skipped.
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

// ---------------------------------------------------------------------------------------------
// VASP inputs beside the files

interface FileMeta extends VaspParams {
  source: string;
}

const vaspCache = new Map<string, Promise<FileMeta | null>>();

/** INCAR (preferred) or OUTCAR in `dir`, or null. */
async function vaspParamsIn(dir: string): Promise<FileMeta | null> {
  const incar = join(dir, 'INCAR');
  if (existsSync(incar)) {
    const p = await readIncar(incar);
    if (p.potimFs !== null || p.tebegK !== null) return { ...p, source: incar };
  }
  const outcar = ['OUTCAR', 'OUTCAR.gz'].map((n) => join(dir, n)).find((p) => existsSync(p));
  if (outcar) {
    const o = await readOutcar(outcar);
    return { potimFs: o.potimFs, nblock: o.nblock, tebegK: o.tebegK, teendK: o.teendK, source: outcar };
  }
  return null;
}

/** Element names from POTCAR or OUTCAR in `dir` (for VASP 4 XDATCARs). */
async function elementsIn(dir: string): Promise<string[] | null> {
  for (const n of ['POTCAR', 'POTCAR.gz']) if (existsSync(join(dir, n))) return readPotcarElements(join(dir, n));
  for (const n of ['OUTCAR', 'OUTCAR.gz']) if (existsSync(join(dir, n))) return (await readOutcar(join(dir, n))).elements;
  return null;
}

// ---------------------------------------------------------------------------------------------
// Metadata resolution

interface Level {
  name: string;
  potim?: number | null;
  nblock?: number | null;
  interval?: number | null;
  temperature?: number | null;
}

function topmost<K extends keyof Level>(levels: Level[], key: K): { value: NonNullable<Level[K]>; at: number } | null {
  for (let i = levels.length - 1; i >= 0; i--) {
    const v = levels[i][key];
    if (v !== undefined && v !== null) return { value: v as NonNullable<Level[K]>, at: i };
  }
  return null;
}

const HOW: Record<MetadataKey, string> = {
  frameIntervalFs:
    'give it as INCAR POTIM and NBLOCK beside the file, "frame_interval_fs" (or "potim_fs" and "nblock") in ionsift.json, or --frame-interval-fs (or --potim-fs and --nblock) on the command line',
  temperatureK: 'give it as INCAR TEBEG beside the file, "temperature_k" in ionsift.json, or --temperature-k on the command line',
};

/** Sentence naming a missing metadata value and how to give it. */
export function missingMessage(t: Trajectory, key: MetadataKey): string {
  const m = t.metadata;
  if (key === 'frameIntervalFs') {
    if (m.timestepFs !== null && m.stepsPerFrame === null) {
      return `frame interval unknown: POTIM is ${m.timestepFs} fs (${m.sources.timestepFs ?? '?'}) but NBLOCK (steps between frames) is not known; ${HOW.frameIntervalFs}`;
    }
    return `frame interval unknown (no POTIM/NBLOCK from INCAR, OUTCAR or vasprun.xml, no sidecar or flag); ${HOW.frameIntervalFs}`;
  }
  return `temperature unknown (no TEBEG from INCAR, OUTCAR or vasprun.xml, no sidecar or flag); ${HOW.temperatureK}`;
}

/** Throws MetadataError (naming the file and what is missing, and how to give it) if any key is null. */
export function requireMetadata(t: Trajectory, keys: readonly MetadataKey[]): void {
  const missing = keys.filter((k) => t.metadata[k] === null);
  if (missing.length === 0) return;
  throw new MetadataError(missing.map((k) => missingMessage(t, k)).join('; '), { file: t.metadata.sourcePaths[0] ?? '(unknown file)' });
}

/** Time between first and last frame (ps), or null without a frame interval. */
export function durationPs(t: Trajectory): number | null {
  const dt = t.metadata.frameIntervalFs;
  return dt === null ? null : (Math.max(0, t.nFrames - 1) * dt) / 1000;
}

function resolveMetadata(t: Trajectory, fileLevel: Level, sidecar: SidecarMeta, sidecarPath: string | null, o: MetadataOverrides): void {
  const sc = sidecarPath ? basename(sidecarPath) : 'sidecar';
  const levels: Level[] = [
    fileLevel,
    { name: sc, potim: sidecar.potim_fs, nblock: sidecar.nblock, interval: sidecar.frame_interval_fs, temperature: sidecar.temperature_k },
    { name: 'command line', potim: o.timestepFs, nblock: o.stepsPerFrame, interval: o.frameIntervalFs, temperature: o.temperatureK },
  ];
  const m = t.metadata;
  const potim = topmost(levels, 'potim');
  const nblock = topmost(levels, 'nblock');
  const interval = topmost(levels, 'interval');
  const temp = topmost(levels, 'temperature');
  m.timestepFs = potim?.value ?? null;
  m.stepsPerFrame = nblock?.value ?? null;
  m.sources = {};
  if (potim) m.sources.timestepFs = levels[potim.at].name;
  if (nblock) m.sources.stepsPerFrame = levels[nblock.at].name;
  const pn = potim && nblock ? Math.max(potim.at, nblock.at) : -1;
  if (interval && interval.at >= pn) {
    m.frameIntervalFs = interval.value;
    m.sources.frameIntervalFs = levels[interval.at].name;
    if (potim && nblock && pn === interval.at && Math.abs(potim.value * nblock.value - interval.value) > 1e-9 * interval.value) {
      t.warnings.push(`${levels[pn].name} gives frame interval ${interval.value} fs but POTIM × NBLOCK = ${potim.value * nblock.value} fs; using ${interval.value} fs`);
    }
  } else if (potim && nblock) {
    m.frameIntervalFs = potim.value * nblock.value;
    m.sources.frameIntervalFs = `POTIM (${levels[potim.at].name}) × NBLOCK (${levels[nblock.at].name})`;
  } else {
    m.frameIntervalFs = null;
  }
  m.temperatureK = temp?.value ?? null;
  if (temp) m.sources.temperatureK = levels[temp.at].name;
  m.material = o.material ?? sidecar.material ?? m.material;
  m.formula = o.formula ?? sidecar.formula ?? m.formula;
  m.mobile = o.mobile ?? sidecar.mobile ?? m.mobile;
  m.charges = { ...m.charges, ...sidecar.charges, ...o.charges };
  if (m.frameIntervalFs === null) t.warnings.push(missingMessage(t, 'frameIntervalFs'));
  if (m.temperatureK === null) t.warnings.push(missingMessage(t, 'temperatureK'));
}

/** File-level metadata: what the reader found, completed from INCAR/OUTCAR beside the files. */
async function fileLevel(t: Trajectory, files: readonly string[]): Promise<Level> {
  const m = t.metadata;
  const lv: Level = { name: m.format, potim: m.timestepFs, nblock: m.stepsPerFrame, interval: m.frameIntervalFs, temperature: m.temperatureK };
  const dirs = [...new Set(files.map((f) => dirname(f)))];
  const found: FileMeta[] = [];
  for (const d of dirs) {
    let p = vaspCache.get(d);
    if (!p) { p = vaspParamsIn(d); vaspCache.set(d, p); }
    const r = await p;
    if (r) found.push(r);
  }
  vaspCache.clear(); // only shares work within one load; files may change between loads
  if (found.length === 0) return lv;
  const v = found[0];
  const key = (x: FileMeta) => `${x.potimFs}|${x.nblock}|${x.tebegK}|${x.teendK}`;
  const odd = found.find((x) => key(x) !== key(v));
  if (odd) t.warnings.push(`run parameters differ between ${v.source} and ${odd.source} (POTIM/NBLOCK/TEBEG/TEEND); using ${v.source}`);
  const fromReader = [lv.potim, lv.nblock, lv.interval, lv.temperature].some((x) => x !== null && x !== undefined);
  lv.name = fromReader ? `${m.format} + ${basename(v.source)}` : basename(v.source);
  lv.potim ??= v.potimFs;
  // VASP writes XDATCAR every NBLOCK steps, NBLOCK defaulting to 1: a documented default, not a guess.
  if (v.potimFs !== null && (lv.nblock === null || lv.nblock === undefined)) lv.nblock = v.nblock ?? 1;
  if (lv.interval === null || lv.interval === undefined) lv.interval = null;
  if (lv.temperature === null || lv.temperature === undefined) {
    if (v.tebegK !== null && (v.teendK === null || v.teendK === v.tebegK)) lv.temperature = v.tebegK;
    else if (v.tebegK !== null) t.warnings.push(`${v.source}: TEBEG ${v.tebegK} K and TEEND ${v.teendK} K differ (temperature ramp); no single temperature taken`);
  }
  return lv;
}

// ---------------------------------------------------------------------------------------------
// Loading

/** Files read ahead of the one being parsed (each ≤ 64 MiB decompressed). */
const PREFETCH_AHEAD = 2;

/** Reads, concatenates, hashes and resolves metadata of one discovered trajectory. */
export async function loadDiscovered(d: DiscoveredTrajectory, overrides: MetadataOverrides = {}): Promise<Trajectory> {
  const hash = createHash('sha256');
  const parts: Trajectory[] = [];
  // Read-ahead of the next files of a multi-file run (gzip XDATCARs, ≤ 64 MiB each): they are
  // decompressed in the thread pool while the current one is parsed (lines.ts, prefetchGzip).
  const ahead: (Prefetch | undefined)[] = [];
  const readAhead = (k: number): void => {
    if (k < d.files.length && ahead[k] === undefined && formatByName(d.files[k])?.prefetches) ahead[k] = prefetchGzip(d.files[k]);
  };
  for (let k = 0; k < d.files.length; k++) {
    const file = d.files[k];
    for (let q = k; q <= k + PREFETCH_AHEAD; q++) readAhead(q);
    const fmt = await detectFormat(file);
    const opts: ReaderOptions = {
      elements: overrides.elements ?? d.sidecar.elements,
      resolveElements: () => elementsIn(dirname(file)),
      hash: fmt.hashesInput ? hash : undefined,
      prefetch: fmt.prefetches ? ahead[k] : undefined,
    };
    ahead[k] = undefined;
    const t = await fmt.read(file, opts);
    if (!fmt.hashesInput) await hashFile(file, hash);
    if (t.segments.length === 0) t.segments.push({ file, startFrame: 0, nFrames: t.nFrames });
    if (t.metadata.sourcePaths.length === 0) t.metadata.sourcePaths = [file];
    parts.push(t);
  }
  const t = concatTrajectories(parts);
  t.metadata.contentHash = hash.digest('hex');
  resolveMetadata(t, await fileLevel(t, d.files), d.sidecar, d.sidecarPath, overrides);
  if (d.warnings?.length) t.warnings.push(...d.warnings);
  return t;
}

/**
 * Loads one trajectory: PATH is a file (sidecar entry metadata applies if the sidecar beside
 * it lists the file), or a folder holding exactly one trajectory.
 */
export async function loadTrajectory(path: string, overrides: MetadataOverrides = {}): Promise<Trajectory> {
  path = resolve(path);
  const st = await stat(path);
  if (st.isDirectory()) {
    const found = await discoverInFolder(path);
    if (found.length === 1) return loadDiscovered(found[0], overrides);
    if (found.length === 0) {
      throw new FormatError('no trajectory files found in this folder; expected XDATCAR*, vasprun*.xml, *.extxyz (optionally .gz), numbered run files, or an ionsift.json listing files', { file: path });
    }
    throw new MetadataError(
      `folder holds ${found.length} trajectories (${found.map((f) => f.name).join(', ')}); expected one — pass one file, or use loadTrajectories / ionsift index`,
      { file: path },
    );
  }
  return loadDiscovered(await describeFile(path), overrides);
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

/** Every trajectory of a folder (e.g. a sidecar with several entries), or of one file. */
export async function loadTrajectories(path: string, overrides: MetadataOverrides = {}): Promise<Trajectory[]> {
  path = resolve(path);
  const found = (await stat(path)).isDirectory() ? await discoverInFolder(path) : [await describeFile(path)];
  const out: Trajectory[] = [];
  for (const d of found) out.push(await loadDiscovered(d, overrides));
  return out;
}
