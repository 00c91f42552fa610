// The default job, `npm run main` as package.json spells it (index datasets/ — synthetic and
// real — then screen), run once in-process into a temporary database. The real pair must show
// the published direction (anion-disordered Li6PS5Cl faster than ordered, beyond both error
// bars) in that database, and the printout must lead with that comparison.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../src/cli/main.js';
import { compareMaterials } from '../../src/screen/comparison.js';
import { FINDINGS_FILE } from '../../src/screen/published-findings.js';
import { Store } from '../../src/store/db.js';
import { captureRun, type Captured } from '../helpers/cli.js';
import { repoRoot } from '../helpers/real.js';

const pkg = JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> };
const manifest = JSON.parse(readFileSync(join(repoRoot, 'datasets/manifest.json'), 'utf8')) as { runs: unknown[] };
const tmp = mkdtempSync(join(tmpdir(), 'ionsift-main-'));
const db = join(tmp, 'datasets.duckdb');
let run: Captured;

/** The main script's commands (index …, then report …), each an argv. */
const commands = pkg.scripts.main!.split('&&').map((c) => c.trim());
let report: Captured;

/** The report command's argv with the database moved to `db` (the page goes beside it). */
function reportArgv(): string[] {
  const [node, bin, ...argv] = commands[1]!.split(/\s+/);
  expect([node, bin, argv[0]]).toEqual(['node', 'bin/ionsift.js', 'report']);
  const i = argv.indexOf('--db');
  argv[i + 1] = db;
  return argv;
}

/** The main script's argv with paths made absolute and the database moved to `db`. */
function mainArgv(): string[] {
  const [node, bin, ...argv] = commands[0]!.split(/\s+/);
  expect([node, bin]).toEqual(['node', 'bin/ionsift.js']);
  const i = argv.indexOf('--db');
  expect(i).toBeGreaterThan(0);
  argv[i + 1] = db;
  // Progress lines would only clutter the test log.
  return [...argv.map((a, k) => (k > 0 && !a.startsWith('-') ? resolve(repoRoot, a) : a)), '--progress', 'none'];
}

beforeAll(async () => {
  run = await captureRun(main, mainArgv());
  report = await captureRun(main, reportArgv());
}, 300_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('npm run main', () => {
  it('writes report.html next to the database and prints its path', () => {
    expect(report.code, report.err).toBe(0);
    expect(report.out).toMatch(new RegExp(`^wrote ${join(tmp, 'report.html').replace(/[.]/g, '\\.')} \\(\\d+ charts, \\d+ kB\\)$`));
    expect(readFileSync(join(tmp, 'report.html'), 'utf8')).toContain('Li6PS5Cl-50p');
  });

  it('indexes every synthetic run and both real runs, without failures', async () => {
    expect(run.code, run.err).toBe(0);
    const s = await Store.open(db, { readOnly: true });
    try {
      const [{ n }] = await s.query<{ n: number }>('SELECT count(*)::INTEGER AS n FROM trajectories');
      expect(n).toBe(manifest.runs.length + 2);
      expect(await s.query('SELECT path, message FROM failures')).toEqual([]);
    } finally {
      s.close();
    }
  });

  it('finds the published direction: disordered Li6PS5Cl diffuses faster, beyond both error bars', async () => {
    const s = await Store.open(db, { readOnly: true });
    try {
      const rows = await s.query<{ material: string; d: number; err: number }>(
        `SELECT material, d_tracer_cm2_s AS d, d_tracer_err AS err FROM descriptors
         WHERE formula = 'Li6PS5Cl' AND element = 'Li' AND temperature_k = 500 ORDER BY material`,
      );
      expect(rows.map((r) => r.material)).toEqual(['Li6PS5Cl-0p', 'Li6PS5Cl-50p']);
      const [ordered, disordered] = rows as [(typeof rows)[0], (typeof rows)[0]];
      expect(ordered.err).toBeGreaterThan(0);
      expect(disordered.err).toBeGreaterThan(0);
      expect(disordered.d - disordered.err).toBeGreaterThan(ordered.d + ordered.err);

      // The same through the comparison the printout uses; the synthetic materials add none.
      const cs = await compareMaterials(s);
      expect(cs).toHaveLength(1);
      expect([cs[0]!.slower.material, cs[0]!.faster.material]).toEqual(['Li6PS5Cl-0p', 'Li6PS5Cl-50p']);
      expect(cs[0]!.finding?.file).toBe(join(repoRoot, 'datasets/real', FINDINGS_FILE));
      expect(cs[0]!.verdict).toBe('agrees');
    } finally {
      s.close();
    }
  });

  it('prints the real comparison first, next to the published statement, then the ranking', () => {
    const screenOut = run.out.slice(run.out.indexOf('\n\n') + 2);
    const lines = screenOut.split('\n');
    expect(lines[0]).toMatch(/^1 comparison of materials sharing formula, element and temperature/);
    expect(screenOut).toMatch(/Li6PS5Cl · Li · 500 K: Li6PS5Cl-0p vs Li6PS5Cl-50p/);
    expect(screenOut).toMatch(/^data: +Li diffuses [\d.]+× faster in Li6PS5Cl-50p than in Li6PS5Cl-0p \(tracer D, beyond both error bars\)/m);
    expect(screenOut).toMatch(/^published: .*Chem\. Mater\. 33, 2004 \(2021\)/m);
    expect(screenOut).toMatch(/^verdict: +the data agree with the published direction/m);
    expect(screenOut.indexOf('verdict:')).toBeLessThan(screenOut.indexOf('materials ranked by'));
  });
});
