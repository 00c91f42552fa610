/**
 * Published findings about indexed materials: a `published-findings.json` in a folder of
 * trajectories (or any folder above them) states which of two materials a paper found faster,
 * so a comparison can print the data's answer next to the published one. The findings live with
 * the data (datasets/real/), not in code, so a new pair needs no code change.
 *
 *   { "findings": [ { "element": "Li", "slower": "Li6PS5Cl-0p", "faster": "Li6PS5Cl-50p",
 *                     "statement": "…", "source": "…" } ] }
 */
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export const FINDINGS_FILE = 'published-findings.json';

export interface PublishedFinding {
  /** Mobile element the statement is about. */
  element: string;
  /** Material names as indexed (the sidecar's or folder's `material`). */
  slower: string;
  faster: string;
  /** What the source says, in words. */
  statement: string;
  /** Citation of the source. */
  source: string;
  /** The file the finding was read from. */
  file: string;
}

const FIELDS = ['element', 'slower', 'faster', 'statement', 'source'] as const;

/** Parses the text of a findings file; throws with the file name and the offending entry. */
export function parseFindings(text: string, file: string): PublishedFinding[] {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${err instanceof Error ? err.message : String(err)})`);
  }
  const list = (raw as { findings?: unknown } | null)?.findings;
  if (!Array.isArray(list)) throw new Error(`${file}: expected {"findings": [...]}`);
  return list.map((e: unknown, i) => {
    const o = (e ?? {}) as Record<string, unknown>;
    const bad = FIELDS.find((k) => typeof o[k] !== 'string' || (o[k] as string).trim() === '');
    if (bad) throw new Error(`${file}: findings[${i}].${bad} must be a non-empty string (fields: ${FIELDS.join(', ')})`);
    if (o.slower === o.faster) throw new Error(`${file}: findings[${i}] names the same material as slower and faster`);
    return { element: o.element, slower: o.slower, faster: o.faster, statement: o.statement, source: o.source, file } as PublishedFinding;
  });
}

async function readIfPresent(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT' || (err as NodeJS.ErrnoException).code === 'ENOTDIR') return null;
    throw err;
  }
}

/**
 * Every finding in a findings file at any of the given paths or their ancestors (each file read
 * once). Paths that no longer exist simply contribute nothing.
 */
export async function findingsNear(
  paths: readonly string[],
  onBadFile: (file: string, err: unknown) => void = (file, err) => console.warn(`warning: ${file} skipped: ${err instanceof Error ? err.message : String(err)}`),
): Promise<PublishedFinding[]> {
  const dirs = new Set<string>();
  for (const p of paths) {
    for (let d = p; !dirs.has(d); d = dirname(d)) {
      dirs.add(d);
      if (dirname(d) === d) break;
    }
  }
  const out: PublishedFinding[] = [];
  // Nearest folders first: a file beside the data wins over one further up.
  for (const d of [...dirs].sort((a, b) => b.length - a.length || a.localeCompare(b))) {
    const file = join(d, FINDINGS_FILE);
    try {
      const text = await readIfPresent(file);
      if (text !== null) out.push(...parseFindings(text, file));
    } catch (err) {
      onBadFile(file, err); // one unreadable or malformed file must not stop the screening
    }
  }
  return out;
}
