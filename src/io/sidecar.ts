/**
 * The sidecar `ionsift.json` (see DESIGN.md): metadata the trajectory files cannot say.
 * Every key is optional; unknown keys are errors (typos must not pass silently);
 * an entry of `trajectories` may carry any top-level metadata key to override it.
 */
import { isAbsolute } from 'node:path';
import { ParseError } from './errors.js';
import { readRegularFile } from './byte-source.js';

/** Largest sidecar read (a real one is a few kB; JSON.parse of 200 MB costs over a GB). */
export const SIDECAR_MAX_BYTES = 4 << 20;
/** Deepest JSON nesting accepted (a real sidecar has 4 levels). */
const SIDECAR_MAX_DEPTH = 32;

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
const nonEmptyStrList: Check = (v) => (Array.isArray(v) && v.length > 0 && v.every((x) => typeof x === 'string' && x !== '') ? null : 'a non-empty list of element names');
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
  mobile: nonEmptyStrList,
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
    // Own keys only: "__proto__" or "constructor" must be unknown keys, not Object.prototype members.
    const check = Object.hasOwn(META_KEYS, k) ? (META_KEYS as Record<string, Check>)[k] : undefined;
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
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // a UTF-8 BOM, as every reader skips it
  checkDepth(text, path);
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
    const seen = new Map<string, string>();
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
      const line = lineOf(text, 'files', from);
      for (const f of files) {
        if (f === '' || isAbsolute(f) || f.split(/[\\/]/).includes('..')) {
          throw new ParseError(`${where}: file "${f}" is outside the sidecar's folder; expected names relative to it, without ".." or a leading "/"`, { file: path, line });
        }
        const other = seen.get(f.replace(/^(\.\/)+/, ''));
        if (other !== undefined) {
          throw new ParseError(`${where}: file "${f}" is already listed in ${other}; each file belongs to one trajectory`, { file: path, line });
        }
        seen.set(f.replace(/^(\.\/)+/, ''), where);
      }
      trajectories.push({ name: (entry.name as string | undefined) ?? files[0], files, meta: { ...meta, ...m } });
      if (here >= 0) from = here + 1;
    });
  }
  return { path, meta, trajectories, ignore: ignore as string[] };
}

export async function readSidecar(path: string): Promise<Sidecar> {
  return parseSidecar((await readRegularFile(path, SIDECAR_MAX_BYTES, 'sidecar')).toString('utf8'), path);
}

/** Refuses JSON nested deeper than SIDECAR_MAX_DEPTH before parsing it (the parser would recurse). */
function checkDepth(text: string, path: string): void {
  let depth = 0, inStr = false, line = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) line++;
    if (inStr) {
      if (c === 92) i++; // backslash escape
      else if (c === 34) inStr = false;
    } else if (c === 34) inStr = true;
    else if (c === 123 || c === 91) {
      if (++depth > SIDECAR_MAX_DEPTH) throw new ParseError(`JSON nested deeper than ${SIDECAR_MAX_DEPTH} levels; expected a flat object like {"temperature_k": 500}`, { file: path, line });
    } else if (c === 125 || c === 93) depth--;
  }
}
