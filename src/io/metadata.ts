/**
 * Metadata resolution of a loaded trajectory, with precedence file (reader, then INCAR/OUTCAR
 * beside it) < sidecar < command line. Missing metadata is never guessed: it stays null and a
 * warning says how to give it.
 */
import { basename, dirname } from 'node:path';
import type { Trajectory } from '../trajectory/types.js';
import { MetadataError } from './errors.js';
import type { SidecarMeta } from './sidecar.js';
import { vaspParamsIn, type FileMeta } from './vasp-inputs.js';

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

export type MetadataKey = 'frameIntervalFs' | 'temperatureK';

/** Run parameters per folder, shared within one `fileLevel` call. */
const vaspCache = new Map<string, Promise<FileMeta | null>>();

/** Metadata values one source gives (undefined/null: not given). */
export interface Level {
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

/** Sets the trajectory's metadata from the file level, the sidecar and the overrides (warns about what stays missing). */
export function resolveMetadata(t: Trajectory, fileLevel: Level, sidecar: SidecarMeta, sidecarPath: string | null, o: MetadataOverrides): void {
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
export async function fileLevel(t: Trajectory, files: readonly string[]): Promise<Level> {
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
  // Not for OUTCAR positions: OUTCAR ignores NBLOCK, and its reader sets the spacing it can prove.
  if (v.potimFs !== null && (lv.nblock === null || lv.nblock === undefined) && m.format !== 'outcar') lv.nblock = v.nblock ?? 1;
  if (lv.interval === null || lv.interval === undefined) lv.interval = null;
  if (lv.temperature === null || lv.temperature === undefined) {
    if (v.tebegK !== null && (v.teendK === null || v.teendK === v.tebegK)) lv.temperature = v.tebegK;
    else if (v.tebegK !== null) t.warnings.push(`${v.source}: TEBEG ${v.tebegK} K and TEEND ${v.teendK} K differ (temperature ramp); no single temperature taken`);
  }
  return lv;
}
