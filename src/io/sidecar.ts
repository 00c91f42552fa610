/**
 * The sidecar `ionsift.json` (see DESIGN.md): metadata the trajectory files cannot say.
 * Every key is optional; unknown keys are errors (typos must not pass silently);
 * an entry of `trajectories` may carry any top-level metadata key to override it.
 */
import { readFile } from 'node:fs/promises';
import { ParseError } from './errors.js';

export const SIDECAR_NAME = 'ionsift.json';

/** Metadata keys valid at top level and in `trajectories[]` entries. */
export interface SidecarMeta {
  material?: string;
  formula?: string;
  temperature_k?: number;
  potim_fs?: number;
  nblock?: number;
  /** Replaces potim_fs × nblock. */
  frame_interval_fs?: number;
  mobile?: string[];
  charges?: Record<string, number>;
  /** Element names in file order, for files that do not carry them (VASP 4 XDATCAR). */
  elements?: string[];
}

export interface SidecarEntry {
  name: string;
  /** File names relative to the sidecar's folder, in run order. */
  files: string[];
  /** Top-level metadata merged with this entry's overrides. */
  meta: SidecarMeta;
}

export interface Sidecar {
  path: string;
  /** Top-level metadata. */
  meta: SidecarMeta;
  /** Entries of `trajectories` (empty when the key is absent). */
  trajectories: SidecarEntry[];
  ignore: string[];
}

type Check = (v: unknown) => string | null;
const str: Check = (v) => (typeof v === 'string' ? null : 'a string');
const posNum: Check = (v) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? null : 'a positive number');
const posInt: Check = (v) => (typeof v === 'number' && Number.isInteger(v) && v > 0 ? null : 'a positive integer');
const strList: Check = (v) => (Array.isArray(v) && v.every((x) => typeof x === 'string') ? null : 'a list of strings');
const numMap: Check = (v) =>
  v !== null && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => typeof x === 'number' && Number.isFinite(x))
    ? null
    : 'an object of element → number';

const META_KEYS: Record<keyof SidecarMeta, Check> = {
  material: str,
  formula: str,
  temperature_k: posNum,
  potim_fs: posNum,
  nblock: posInt,
  frame_interval_fs: posNum,
  mobile: strList,
  charges: numMap,
  elements: strList,
};

const EXAMPLES: Record<string, string> = {
  material: '"Li6PS5Cl-50p"', formula: '"Li6PS5Cl"', temperature_k: '500', potim_fs: '2.0', nblock: '50',
  frame_interval_fs: '100', mobile: '["Li"]', charges: '{"Li": 1}', elements: '["Li", "P", "S"]',
};

/** 1-based line of the first occurrence of `"key"` in the JSON text (for messages). */
function lineOf(text: string, key: string, from = 0): number | undefined {
  const i = text.indexOf(`"${key}"`, from);
  return i < 0 ? undefined : text.slice(0, i).split('\n').length;
}

function checkMeta(obj: Record<string, unknown>, extra: readonly string[], file: string, text: string, where: string, from = 0): SidecarMeta {
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) {
    if (extra.includes(k)) continue;
    const check = (META_KEYS as Record<string, Check | undefined>)[k];
    if (!check) {
      const known = [...Object.keys(META_KEYS), ...extra].join(', ');
      throw new ParseError(`unknown key "${k}" in ${where}; expected one of: ${known}`, { file, line: lineOf(text, k, from) });
    }
    const bad = check(v);
    if (bad) throw new ParseError(`"${k}" in ${where} must be ${bad}, found ${JSON.stringify(v)}; expected e.g. ${EXAMPLES[k]}`, { file, line: lineOf(text, k, from) });
    meta[k] = v;
  }
  return meta as SidecarMeta;
}

/** Parses sidecar text (validating keys and types). */
export function parseSidecar(text: string, path: string): Sidecar {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    const pos = /position (\d+)/.exec(msg);
    const line = pos ? text.slice(0, Number(pos[1])).split('\n').length : undefined;
    throw new ParseError(`not valid JSON (${msg}); expected an object like {"temperature_k": 500, "potim_fs": 2, "nblock": 50}`, { file: path, line });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new ParseError('expected a JSON object at top level, e.g. {"temperature_k": 500}', { file: path, line: 1 });
  }
  const top = raw as Record<string, unknown>;
  const meta = checkMeta(top, ['trajectories', 'ignore'], path, text, 'the top level');
  const ignore = top.ignore ?? [];
  if (strList(ignore)) throw new ParseError(`"ignore" must be a list of file names, found ${JSON.stringify(ignore)}; expected e.g. ["notes.txt"]`, { file: path, line: lineOf(text, 'ignore') });
  const trajectories: SidecarEntry[] = [];
  if (top.trajectories !== undefined) {
    if (!Array.isArray(top.trajectories)) {
      throw new ParseError('"trajectories" must be a list; expected objects like {"name": "run", "files": ["run1_XDATCAR.gz"]}', { file: path, line: lineOf(text, 'trajectories') });
    }
    let from = text.indexOf('"trajectories"');
    top.trajectories.forEach((e: unknown, i: number) => {
      const where = `trajectories[${i}]`;
      if (e === null || typeof e !== 'object' || Array.isArray(e)) throw new ParseError(`${where}: expected an object like {"name": "run", "files": ["XDATCAR"]}`, { file: path, line: lineOf(text, 'trajectories') });
      const entry = e as Record<string, unknown>;
      const here = text.indexOf('"files"', from);
      const m = checkMeta(entry, ['name', 'files'], path, text, where, from);
      if (strList(entry.files) || (entry.files as string[]).length === 0) {
        throw new ParseError(`${where}: "files" must be a non-empty list; expected file names in run order`, { file: path, line: lineOf(text, 'files', from) });
      }
      if (entry.name !== undefined && typeof entry.name !== 'string') throw new ParseError(`${where}: "name" must be a string; expected e.g. "run"`, { file: path, line: lineOf(text, 'name', from) });
      const files = entry.files as string[];
      trajectories.push({ name: (entry.name as string | undefined) ?? files[0], files, meta: { ...meta, ...m } });
      if (here >= 0) from = here + 1;
    });
  }
  return { path, meta, trajectories, ignore: ignore as string[] };
}

export async function readSidecar(path: string): Promise<Sidecar> {
  return parseSidecar(await readFile(path, 'utf8'), path);
}
