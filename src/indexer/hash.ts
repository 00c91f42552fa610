/**
 * Content hashes (SHA-256 over the raw bytes of the source files, in order) and the cheap
 * size+mtime signature checked first so that an unchanged tree is skipped without reading it.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { hashFile, readRegularFile } from '../io/byte-source.js';
import { dirname, join } from 'node:path';
import { ANALYSIS_VERSION } from '../analysis/analyze.js';
import { readOutcar, readPotcarElements } from '../io/incar.js';
import type { SidecarMeta } from '../io/sidecar.js';
import type { IndexAnalysisOptions } from './types.js';

/** VASP files read beside a trajectory for its metadata (io/metadata.ts and io/vasp-inputs.ts: POTIM, NBLOCK, TEBEG, elements). */
export const METADATA_FILES = ['INCAR', 'OUTCAR', 'OUTCAR.gz', 'POTCAR', 'POTCAR.gz'] as const;

/**
 * Signature of the metadata files in the trajectory files' folders. INCAR by content (small,
 * and the file users edit as warnings advise); OUTCAR/POTCAR (large) as `size:mtime:values`, where
 * values hashes what the readers take from their heads (POTIM, NBLOCK, TEBEG/TEEND, elements).
 * The values are re-read only when size or mtime differ from `previous` (the stored signature),
 * so an unchanged tree reads nothing, and a copy of an archive (new mtimes) or a touched OUTCAR
 * does not re-analyse. Absent files leave no part, so adding one changes it too.
 */
export async function metadataSignature(files: readonly string[], previous: string | null = null): Promise<string> {
  const known = new Map<string, string>(); // path → "size:mtime:" → values hash, from `previous`
  for (const part of previous?.split('|') ?? []) {
    const m = /^(.*)=(\d+:\d+:)([0-9a-f]+)$/.exec(part);
    if (m) known.set(m[1] + '=' + m[2], m[3]);
  }
  const parts: string[] = [];
  for (const d of [...new Set(files.map((f) => dirname(f)))]) {
    for (const name of METADATA_FILES) {
      const p = join(d, name);
      const s = await stat(p).catch(() => null);
      if (!s?.isFile()) continue;
      if (name === 'INCAR') { parts.push(`${p}=${createHash('sha256').update(await readRegularFile(p, 16 << 20, 'INCAR')).digest('hex').slice(0, 16)}`); continue; }
      const head = `${p}=${s.size}:${Math.round(s.mtimeMs)}:`;
      const values = known.get(head) ?? await metadataValuesHash(p, name);
      parts.push(head + values);
    }
  }
  return parts.join('|');
}

/** Hash of what io/incar.ts reads from an OUTCAR or POTCAR head (unreadable: a hash of the error). */
async function metadataValuesHash(path: string, name: string): Promise<string> {
  const values = name.startsWith('OUTCAR')
    ? await readOutcar(path).catch((e: unknown) => String(e))
    : await readPotcarElements(path).catch((e: unknown) => String(e));
  return createHash('sha256').update(JSON.stringify(values)).digest('hex').slice(0, 12);
}

/**
 * The metadata part reduced to what the analysis sees: OUTCAR/POTCAR `size:mtime:` dropped, their
 * values hash kept. Parts from before values were tracked (`size:mtime` only) stay whole, so
 * such a signature compares unequal once and is then rewritten.
 */
export function metadataValues(meta: string): string {
  return meta.split('|').map((part) => part.replace(/=\d+:\d+:([0-9a-f]+)$/, '=$1')).join('|');
}

/**
 * `size:mtimeMs` of every file, joined; changes whenever a file is rewritten or touched. After
 * `#` comes the metadataSignature of the files' folders (see splitSignature); `previous` (the
 * stored signature) saves re-reading OUTCAR/POTCAR heads whose size and mtime are unchanged.
 */
export async function filesSignature(files: readonly string[], previous: string | null = null): Promise<{ signature: string; bytes: number }> {
  const parts: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const s = await stat(f);
    bytes += s.size;
    parts.push(`${s.size}:${Math.round(s.mtimeMs)}`);
  }
  const prevMeta = previous ? splitSignature(previous).metadata : null;
  return { signature: `${parts.join('|')}#${await metadataSignature(files, prevMeta)}`, bytes };
}

/** The trajectory-files part and the metadata part of a files signature (`null`: written before metadata was tracked). */
export function splitSignature(sig: string): { files: string; metadata: string | null } {
  const i = sig.indexOf('#');
  return i < 0 ? { files: sig, metadata: null } : { files: sig.slice(0, i), metadata: sig.slice(i + 1) };
}

export async function contentHash(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  // Regular files only, each up to its size when opened (byte-source.ts).
  for (const f of files) await hashFile(f, h);
  return h.digest('hex');
}

/**
 * Bump when indexing changes in a way that should re-analyse every trajectory on the next run;
 * analysis changes bump ANALYSIS_VERSION in analysis/analyze.ts, which enters the hash too.
 */
export const INDEX_PARAMS_VERSION = 1;

function stable(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(stable);
  if (v && typeof v === 'object') {
    return Object.fromEntries(Object.keys(v as object).sort().map((k) => [k, stable((v as Record<string, unknown>)[k])]));
  }
  return v;
}

/** Hash of everything besides the file bytes that determines a trajectory's rows. */
export function paramsHash(options: IndexAnalysisOptions, sidecar: SidecarMeta): string {
  const key = JSON.stringify(stable({ v: INDEX_PARAMS_VERSION, analysis: ANALYSIS_VERSION, options, sidecar }));
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
