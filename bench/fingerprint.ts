/**
 * Fingerprints of everything the project computes, to prove a refactor changes no number:
 * `analyze --json` of every trajectory (default and iondiff methods) and every table of a
 * database indexed from datasets/ and ../shared/data/real.
 *
 *   npx tsx bench/fingerprint.ts --out fp.json            # take fingerprints (uses bin/ionsift.js)
 *   npx tsx bench/fingerprint.ts --compare a.json b.json  # say what differs
 *
 * JSON fingerprints do not depend on key names or key order (a rename such as
 * msdTimesPs → msd_times_ps keeps the fingerprint), only on the values and array order; volatile
 * fields (timings, timestamps, absolute paths) are left out. Table fingerprints hash every row in
 * a total order, with the volatile columns left out.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: 'string' }, compare: { type: 'boolean' }, 'no-iondiff': { type: 'boolean' }, root: { type: 'string' } },
});
/** The checkout whose built CLI and datasets/ are fingerprinted (another worktree for "before"). */
const ROOT = resolve(values.root ?? join(import.meta.dirname, '..'));
const BIN = join(ROOT, 'bin', 'ionsift.js');
const REAL = resolve(import.meta.dirname, '..', '..', 'shared', 'data', 'real');
/** Keys (any naming) whose values change from run to run. */
const VOLATILE = /^(timings?_?ms|timingsMs|analysis_?ms|analysisMs|indexed_?at|indexedAt|at|path|paths)$/i;
// trajectory_id hashes absolute paths and files_signature holds mtimes: both differ between
// checkouts, so rows are compared as multisets of everything else.
const VOLATILE_COLUMNS = new Set(['indexed_at', 'applied_at', 'at', 'analysis_ms', 'path', 'paths', 'trajectory_id', 'files_signature']);

function sha(s: string): string {
  return createHash('sha256').update(s).digest('hex').slice(0, 16);
}

/** Key-agnostic canonical text: objects become sorted lists of their values' canonical texts. */
export function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toPrecision(17) : String(v);
  if (typeof v === 'string') return JSON.stringify(v.replaceAll(ROOT, '<root>'));
  if (typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') {
    // Short vectors count as their components, so `from: [x, y, z]` and `from_x_a, from_y_a,
    // from_z_a` (the same numbers as table columns) fingerprint alike.
    const parts = Object.entries(v as Record<string, unknown>)
      .filter(([k]) => !VOLATILE.test(k))
      .flatMap(([, x]) => (Array.isArray(x) && x.length <= 3 && x.every((e) => typeof e === 'number') ? x.map(canonical) : [canonical(x)]))
      .sort();
    return `{${parts.join(',')}}`;
  }
  return String(v);
}

/** Generated material folders of datasets/ (datasets/real/ holds copies of shared cases, fingerprinted there). */
function syntheticMaterials(): string[] {
  const ds = join(ROOT, 'datasets');
  return readdirSync(ds).filter((m) => m !== 'real' && statSync(join(ds, m)).isDirectory()).sort();
}

function trajectoryDirs(): string[] {
  const dirs: string[] = [];
  const ds = join(ROOT, 'datasets');
  for (const mat of syntheticMaterials()) {
    const p = join(ds, mat);
    if (!statSync(p).isDirectory()) continue;
    for (const run of readdirSync(p)) if (statSync(join(p, run)).isDirectory()) dirs.push(join(p, run));
  }
  if (existsSync(REAL)) for (const c of readdirSync(REAL)) if (statSync(join(REAL, c)).isDirectory()) dirs.push(join(REAL, c));
  return dirs.sort();
}

function analyzeFingerprint(dir: string, method: string): Record<string, string> {
  let out: string;
  try {
    out = execFileSync('node', [BIN, 'analyze', dir, '--json', '--method', method, '--workers', '1'], {
      encoding: 'utf8', maxBuffer: 1 << 30, stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (err) {
    const e = err as { stderr?: string; status?: number };
    return { error: sha(`${e.status} ${(e.stderr ?? '').replaceAll(ROOT, '<root>')}`) };
  }
  const j = JSON.parse(out) as Record<string, unknown>;
  const sections: Record<string, string> = { all: sha(canonical(j)) };
  for (const [k, v] of Object.entries(j)) if (!VOLATILE.test(k)) sections[k] = sha(canonical(v));
  return sections;
}

function tableFingerprints(paths: string[]): Record<string, string> {
  const tmp = mkdtempSync(join(tmpdir(), 'ionsift-fp-'));
  const db = join(tmp, 'fp.duckdb');
  try {
    execFileSync('node', [BIN, 'index', ...paths, '--db', db, '--jobs', '2', '--progress', 'none'], { stdio: ['ignore', 'ignore', 'inherit'] });
    const q = (sql: string): Record<string, unknown>[] =>
      JSON.parse(execFileSync('node', [BIN, 'query', '--db', db, '--format', 'json', sql], { encoding: 'utf8', maxBuffer: 1 << 30 })) as Record<string, unknown>[];
    const tables = q(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'main' ORDER BY table_name`)
      .map((r) => String(r.table_name));
    const out: Record<string, string> = {};
    for (const t of tables) {
      const cols = q(`SELECT column_name FROM information_schema.columns WHERE table_name = '${t}' ORDER BY ordinal_position`)
        .map((r) => String(r.column_name)).filter((c) => !VOLATILE_COLUMNS.has(c));
      if (cols.length === 0) continue;
      const list = cols.map((c) => `"${c}"`).join(', ');
      const rows = q(`SELECT ${list} FROM "${t}" ORDER BY ALL`);
      // Column names are part of a table's fingerprint: the SQL names are a promise to users.
      out[t] = sha(JSON.stringify(cols) + '\n' + rows.map((r) => canonical(cols.map((c) => r[c]))).join('\n'));
      out[`${t}#rows`] = String(rows.length);
    }
    return out;
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** The section hashes of one `analyze --json` fingerprint as a sorted list: sections may be renamed. */
function sectionSet(x: Record<string, unknown>): string {
  return Object.entries(x).filter(([k]) => k !== 'all').map(([, v]) => String(v)).sort().join(',');
}

function compare(a: Record<string, unknown>, b: Record<string, unknown>, prefix = ''): string[] {
  if (prefix.startsWith('analyze/') && a.all !== undefined && a.all === b.all && sectionSet(a) === sectionSet(b)) return [];
  const diffs: string[] = [];
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const x = a[k];
    const y = b[k];
    if (x && y && typeof x === 'object' && typeof y === 'object') diffs.push(...compare(x as Record<string, unknown>, y as Record<string, unknown>, `${prefix}${k}/`));
    else if (x !== y) diffs.push(`${prefix}${k}: ${String(x)} → ${String(y)}`);
  }
  return diffs;
}

if (values.compare) {
  const [a, b] = positionals.map((p) => JSON.parse(readFileSync(p, 'utf8')) as Record<string, unknown>);
  const d = compare(a!, b!);
  console.log(d.length === 0 ? 'fingerprints identical' : d.join('\n'));
  process.exit(d.length === 0 ? 0 : 1);
}
const t0 = performance.now();
const result: Record<string, unknown> = { analyze: {}, tables: {} };
const methods = values['no-iondiff'] ? ['default'] : ['default', 'iondiff'];
for (const dir of trajectoryDirs()) {
  const name = dir.startsWith(REAL) ? `real/${dir.slice(REAL.length + 1)}` : dir.slice(ROOT.length + 1);
  for (const m of methods) {
    (result.analyze as Record<string, unknown>)[`${name} ${m}`] = analyzeFingerprint(dir, m);
    process.stderr.write(`${name} ${m}\n`);
  }
}
result.tables = tableFingerprints([...syntheticMaterials().map((m) => join(ROOT, 'datasets', m)), ...(existsSync(REAL) ? [REAL] : [])]);
const text = JSON.stringify(result, null, 1);
if (values.out) writeFileSync(values.out, text + '\n');
else console.log(text);
console.error(`fingerprints in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
