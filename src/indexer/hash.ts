/**
 * Content hashes (SHA-256 over the raw bytes of the source files, in order) and the cheap
 * size+mtime signature checked first so that an unchanged tree is skipped without reading it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { ANALYSIS_VERSION } from '../analysis/analyze.js';
import type { SidecarMeta } from '../io/sidecar.js';
import type { IndexAnalysisOptions } from './types.js';

/** `size:mtimeMs` of every file, joined; changes whenever a file is rewritten or touched. */
export async function filesSignature(files: readonly string[]): Promise<{ signature: string; bytes: number }> {
  const parts: string[] = [];
  let bytes = 0;
  for (const f of files) {
    const s = await stat(f);
    bytes += s.size;
    parts.push(`${s.size}:${Math.round(s.mtimeMs)}`);
  }
  return { signature: parts.join('|'), bytes };
}

export async function contentHash(files: readonly string[]): Promise<string> {
  const h = createHash('sha256');
  for (const f of files) {
    await new Promise<void>((resolve, reject) => {
      const s = createReadStream(f, { highWaterMark: 1 << 20 });
      s.on('data', (b) => h.update(b));
      s.on('end', resolve);
      s.on('error', reject);
    });
  }
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
