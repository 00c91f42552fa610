/**
 * `ionsift kernel install` never re-points another checkout's kernel silently: it refuses
 * (exit 4, naming the other checkout), --per-checkout installs under this checkout's own name,
 * --force re-points, and `kernel list` says which checkout each kernel runs.
 * Runs the built CLI (dist/) against a temporary JUPYTER_DATA_DIR; skips when dist/ is missing.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
const dist = resolve(process.env.IONSIFT_DIST ?? join(root, 'dist'));
const cli = join(dist, 'cli', 'main.js');
const reason = existsSync(cli) && existsSync(join(dist, 'notebook', 'kernel.js')) ? null : `${dist} is not built (run npm run build)`;
if (reason) console.warn(`skipping kernel install tests: ${reason}`);

describe.skipIf(reason !== null)('kernel install respects other checkouts', () => {
  let tmp: string;
  let env: NodeJS.ProcessEnv;
  const run = (...args: string[]) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', `import { main } from ${JSON.stringify(pathToFileURL(cli).href)}; process.exitCode = await main(process.argv.slice(1));`, 'kernel', ...args], {
      env,
      encoding: 'utf8',
    });
  const spec = (name: string) => JSON.parse(readFileSync(join(tmp, 'kernels', name, 'kernel.json'), 'utf8')) as { argv: string[]; metadata?: { ionsift?: { root?: string } } };

  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'ionsift-kinst-'));
    env = { ...process.env, JUPYTER_DATA_DIR: tmp };
    // Another checkout's kernel, as its own install would have written it.
    mkdirSync(join(tmp, 'kernels', 'ionsift'), { recursive: true });
    writeFileSync(join(tmp, 'kernels', 'ionsift', 'kernel.json'), JSON.stringify({ argv: ['node', '/elsewhere/ionsift/dist/notebook/kernel.js'], display_name: 'ionsift', language: 'typescript', metadata: { ionsift: { root: '/elsewhere/ionsift' } } }));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('refuses to re-point, installs per checkout, lists both, re-points only with --force', { timeout: 120_000 }, () => {
    const refused = run('install', '--user');
    expect(refused.status).toBe(4);
    expect(refused.stderr).toContain('kernel "ionsift" is already registered for the ionsift checkout /elsewhere/ionsift');
    expect(spec('ionsift').metadata?.ionsift?.root).toBe('/elsewhere/ionsift');

    const own = run('install', '--user', '--per-checkout');
    expect(own.status, own.stderr).toBe(0);
    const name = /\((ionsift-[0-9a-f]{8})\)/.exec(own.stdout)?.[1];
    expect(name, own.stdout).toBeDefined();
    expect(spec(name!).metadata?.ionsift?.root).toBe(resolve(dist, '..'));

    const list = run('list');
    expect(list.status, list.stderr).toBe(0);
    expect(list.stdout).toMatch(/ionsift\s+\/elsewhere\/ionsift/);
    expect(list.stdout).toContain(`${resolve(dist, '..')}  ← this checkout`);

    // Reinstalling our own kernel is allowed; --force re-points the other one.
    expect(run('install', '--user', '--per-checkout').status).toBe(0);
    expect(run('install', '--user', '--force').status).toBe(0);
    expect(spec('ionsift').metadata?.ionsift?.root).toBe(resolve(dist, '..'));
  });
});
