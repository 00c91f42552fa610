// For each trajectory/method of the fingerprint: re-nest events' from_*/to_* into from/to arrays and
// hash as bench/fingerprint.ts does; must equal the baseline's events hash.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
const ROOT = '/work/wt-store';
const base = JSON.parse(readFileSync('/tmp/fp/base.json', 'utf8')) as { analyze: Record<string, Record<string, string>> };
const VOLATILE = /^(timings?_?ms|timingsMs|analysis_?ms|analysisMs|indexed_?at|indexedAt|at|path|paths)$/i;
const sha = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
function canonical(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (typeof v === 'number') return Number.isFinite(v) ? v.toPrecision(17) : String(v);
  if (typeof v === 'string') return JSON.stringify(v.replaceAll(ROOT, '<root>'));
  if (typeof v === 'boolean') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  if (typeof v === 'object') return `{${Object.entries(v as Record<string, unknown>).filter(([k]) => !VOLATILE.test(k)).map(([, x]) => canonical(x)).sort().join(',')}}`;
  return String(v);
}
let bad = 0, n = 0;
for (const [key, fp] of Object.entries(base.analyze)) {
  const [name, method] = key.split(' ');
  const dir = name.startsWith('real/') ? `/work/shared/data/real/${name.slice(5)}` : `${ROOT}/${name}`;
  const j = JSON.parse(execFileSync('node', [`${ROOT}/bin/ionsift.js`, 'analyze', dir, '--json', '--method', method, '--workers', '1'], { encoding: 'utf8', maxBuffer: 1 << 30 })) as Record<string, unknown>;
  const ev = (j.events as Record<string, unknown>[]).map(({ from_x_a, from_y_a, from_z_a, to_x_a, to_y_a, to_z_a, ...e }) => ({ ...e, from: [from_x_a, from_y_a, from_z_a], to: [to_x_a, to_y_a, to_z_a] }));
  const old = { ...j, events: ev } as Record<string, unknown>;
  const desc = old.element_descriptors; delete old.element_descriptors; old.descriptors = desc;
  const okEv = sha(canonical(ev)) === fp.events;
  const okAll = sha(canonical(old)) === fp.all;
  n++;
  if (!okEv || !okAll) { bad++; console.log('DIFF', key, okEv, okAll); }
}
console.log(`${n} runs, ${bad} differ after re-nesting from/to`);
