/**
 * A failing cell in headless nbconvert shows the real error: its name, its message and (for a
 * type error) the cell line; a user mistake (a filter that matches nothing) is one sentence with
 * no stack. With --allow-errors the cells after an error run; without it nbconvert fails with
 * the message, and the skipped cells are not silently empty.
 * Needs Jupyter and a built dist/ (npm run build); skips with the reason otherwise.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeFixtureDb } from '../plots/fixture.js';

const root = resolve(import.meta.dirname, '../..');
const dist = resolve(process.env.IONSIFT_DIST ?? join(root, 'dist'));
const cli = join(dist, 'cli', 'main.js');

function skipReason(): string | null {
  const j = spawnSync('jupyter', ['nbconvert', '--version'], { encoding: 'utf8' });
  if (j.error || j.status !== 0) return 'Jupyter nbconvert is not installed (run scripts/setup-system.sh)';
  if (!existsSync(cli) || !existsSync(join(dist, 'notebook', 'kernel.js'))) return `${dist} is not built (run npm run build)`;
  return null;
}
const reason = skipReason();
if (reason) console.warn(`skipping notebook error tests: ${reason}`);

interface Output {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
interface Cell {
  source: string;
  outputs: Output[];
}
const joined = (s: string | string[] | undefined): string => (Array.isArray(s) ? s.join('') : (s ?? ''));

const CELLS = [
  'const before = 1 + 1;\nconsole.log("before", before);',
  '// a run-time error on line 2\nthrow new RangeError("deliberate failure 42");',
  'console.log("after the error");',
  'const x: number = "not a number";',
  'await open(process.env.IONSIFT_DB);\nawait plot.msd({ material: "Nonexistium" });',
  'console.log("last cell ran");',
];

describe.skipIf(reason !== null)('notebook errors are never hidden', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  let nb: string;

  beforeAll(async () => {
    tmp = mkdtempSync(join(tmpdir(), 'ionsift-nberr-'));
    const db = join(tmp, 'fixture.duckdb');
    await makeFixtureDb(db);
    env = { ...process.env, JUPYTER_DATA_DIR: join(tmp, 'jupyter'), IONSIFT_DB: db, PYDEVD_DISABLE_FILE_VALIDATION: '1' };
    const runCli = `import { main } from ${JSON.stringify(pathToFileURL(cli).href)}; process.exitCode = await main(process.argv.slice(1));`;
    const inst = spawnSync(process.execPath, ['--input-type=module', '-e', runCli, 'kernel', 'install', '--user', '--name', 'ionsift-errtest'], { env, encoding: 'utf8' });
    expect(inst.status, inst.stderr).toBe(0);
    nb = join(tmp, 'errors.ipynb');
    writeFileSync(
      nb,
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 5,
        metadata: { kernelspec: { name: 'ionsift-errtest', display_name: 'ionsift', language: 'typescript' } },
        cells: CELLS.map((source, i) => ({ cell_type: 'code', id: `c${i}`, metadata: {}, execution_count: null, outputs: [], source })),
      }),
    );
  }, 60_000);
  afterAll(() => {
    if (tmp) rmSync(tmp, { recursive: true, force: true });
  });

  const nbconvert = (extra: string[], out: string) =>
    spawnSync('jupyter', ['nbconvert', '--to', 'notebook', '--execute', nb, '--output-dir', tmp, '--output', out, '--ExecutePreprocessor.timeout=300', ...extra], {
      env,
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });

  it('--allow-errors: every cell runs and each error carries its name and message', { timeout: 300_000 }, () => {
    const r = nbconvert(['--allow-errors'], 'allowed');
    expect(r.status, r.stderr).toBe(0);
    const cells = (JSON.parse(readFileSync(join(tmp, 'allowed.ipynb'), 'utf8')) as { cells: Cell[] }).cells;
    const errorOf = (i: number) => cells[i].outputs.find((o) => o.output_type === 'error');
    const stdout = (i: number) => cells[i].outputs.filter((o) => o.output_type === 'stream' && o.name === 'stdout').map((o) => joined(o.text)).join('');

    expect(stdout(0)).toContain('before 2');
    expect(errorOf(0)).toBeUndefined();

    const runtime = errorOf(1);
    expect(runtime?.ename).toBe('RangeError');
    expect(runtime?.evalue).toBe('deliberate failure 42');
    expect(runtime?.traceback?.slice(0, 2)).toEqual(['RangeError: deliberate failure 42', 'at cell line 2: throw new RangeError("deliberate failure 42");']);
    // No frames of tslab, of the kernel or of Node's internals.
    expect(runtime?.traceback?.join('\n')).not.toMatch(/tslab|kernel\.js|execute\.js|node:internal/);
    // The message is in the error output, not only on stderr.
    expect(cells[1].outputs.some((o) => o.output_type === 'stream' && joined(o.text).includes('deliberate'))).toBe(false);

    expect(stdout(2)).toContain('after the error');

    const typeError = errorOf(3);
    expect(typeError?.ename).toBe('TypeScript');
    expect(typeError?.evalue).toMatch(/cell line 1, column \d+: Type 'string' is not assignable to type 'number'/);

    const userError = errorOf(4);
    expect(userError?.ename).toBe('PlotInputError');
    expect(userError?.evalue).toBe('msd: no MSD curves match material = "Nonexistium": there is no material "Nonexistium" (materials: Li3YCl6, Li6PS5Cl, Li7La3Zr2O12)');
    expect(userError?.traceback).toHaveLength(1);

    expect(stdout(5)).toContain('last cell ran');
  });

  it('without --allow-errors: nbconvert fails naming the error (not "<Error>: ")', { timeout: 300_000 }, () => {
    const r = nbconvert([], 'stopped');
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('RangeError: deliberate failure 42');
    expect(r.stderr).not.toMatch(/<Error>: *\n/);
  });
});
