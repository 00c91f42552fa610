/**
 * Registering Jupyter kernelspecs: the ionsift kernel (tslab with the library preloaded)
 * and, optionally, plain tslab. Every path in kernel.json is absolute (node, the launcher,
 * the tslab binary), so the kernels work from any directory and without a global tslab.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface KernelSpec {
  argv: string[];
  display_name: string;
  language: string;
  env?: Record<string, string>;
  metadata?: Record<string, unknown>;
}

export type InstallScope = { user: true } | { sysPrefix: true } | { prefix: string };

export interface InstallOptions {
  /** Kernel name (directory under kernels/); default "ionsift". */
  name?: string;
  displayName?: string;
  /** Where to install; default the user's kernels dir ($JUPYTER_DATA_DIR/kernels when set). */
  scope?: InstallScope;
  /** The `jupyter` executable (default: "jupyter" on PATH). */
  jupyter?: string;
  /** Also register plain tslab (kernel "tslab", "TypeScript (tslab)"). */
  plain?: boolean;
  /** Re-point a kernelspec of the same name that belongs to another checkout (default: refuse). */
  force?: boolean;
}

/** The checkout this module belongs to (the folder holding dist/ or src/). */
export function checkoutRoot(): string {
  return resolve(here, '../..');
}

/** A kernel name of this checkout's own, e.g. ionsift-1a2b3c4d (hash of its path). */
export function checkoutKernelName(root = checkoutRoot()): string {
  return `ionsift-${createHash('sha256').update(root).digest('hex').slice(0, 8)}`;
}

export interface ListedKernel {
  name: string;
  dir: string;
  displayName: string;
  /** The ionsift checkout it runs, or null for a kernel that is not ionsift's. */
  root: string | null;
}

/** Kernelspecs Jupyter knows (jupyter kernelspec list --json; without Jupyter, the user kernels dir). */
export function listKernels(jupyter = 'jupyter'): ListedKernel[] {
  const r = spawnSync(jupyter, ['kernelspec', 'list', '--json'], { encoding: 'utf8' });
  const found: { name: string; dir: string; spec: Partial<KernelSpec> }[] = [];
  if (!r.error && r.status === 0) {
    const j = JSON.parse(r.stdout) as { kernelspecs: Record<string, { resource_dir: string; spec: Partial<KernelSpec> }> };
    for (const [name, k] of Object.entries(j.kernelspecs)) found.push({ name, dir: k.resource_dir, spec: k.spec });
  } else if (existsSync(userKernelsDir())) {
    for (const name of readdirSync(userKernelsDir())) {
      const file = join(userKernelsDir(), name, 'kernel.json');
      if (existsSync(file)) found.push({ name, dir: dirname(file), spec: JSON.parse(readFileSync(file, 'utf8')) as Partial<KernelSpec> });
    }
  }
  return found
    .map((k) => {
      const meta = k.spec.metadata?.ionsift as { root?: unknown } | undefined;
      return { name: k.name, dir: k.dir, displayName: k.spec.display_name ?? k.name, root: typeof meta?.root === 'string' ? meta.root : null };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Installing would re-point a kernel that another checkout (or another program) registered. */
export class KernelConflictError extends Error {
  constructor(
    readonly kernel: string,
    readonly owner: string | null,
  ) {
    super(
      `kernel "${kernel}" is already registered for ${owner ? `the ionsift checkout ${owner}` : 'another program'}; ` +
        `install this checkout's own kernel with --name ${checkoutKernelName()} (or --per-checkout), or re-point "${kernel}" with --force`,
    );
    this.name = 'KernelConflictError';
  }
}

export interface Installed {
  name: string;
  dir: string;
  spec: KernelSpec;
}

const here = dirname(fileURLToPath(import.meta.url));

/** dist/notebook/kernel.js, next to this module once built. */
export function launcherPath(): string {
  return join(here, 'kernel.js');
}

/** Absolute path of tslab's CLI (node_modules/tslab/bin/tslab). */
export function tslabBinary(): string {
  const pkg = createRequire(import.meta.url).resolve('tslab/package.json');
  return join(dirname(pkg), 'bin', 'tslab');
}

export function ionsiftKernelSpec(displayName = `ionsift (TypeScript, ${checkoutRoot()})`): KernelSpec {
  return {
    argv: [process.execPath, launcherPath(), '--config-path', '{connection_file}'],
    display_name: displayName,
    language: 'typescript',
    // Chart SVGs are a few hundred kB; raise nothing else. Marks the spec as ours for `kernel list`.
    metadata: { ionsift: { root: resolve(here, '../..') } },
  };
}

export function plainTslabSpec(): KernelSpec {
  return {
    argv: [process.execPath, tslabBinary(), 'kernel', '--config-path', '{connection_file}'],
    display_name: 'TypeScript (tslab)',
    language: 'typescript',
  };
}

/** The user kernels dir Jupyter reads ($JUPYTER_DATA_DIR/kernels, else ~/.local/share/jupyter/kernels). */
export function userKernelsDir(): string {
  const data = process.env.JUPYTER_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter');
  return join(data, 'kernels');
}

function install(name: string, spec: KernelSpec, opts: InstallOptions): Installed {
  const staging = mkdtempSync(join(tmpdir(), 'ionsift-kernel-'));
  try {
    const src = join(staging, name);
    mkdirSync(src);
    writeFileSync(join(src, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
    const scope = opts.scope ?? { user: true };
    const args = ['kernelspec', 'install', src, '--name', name];
    if ('user' in scope) args.push('--user');
    else if ('sysPrefix' in scope) args.push('--sys-prefix');
    else args.push('--prefix', scope.prefix);
    const jupyter = opts.jupyter ?? 'jupyter';
    const r = spawnSync(jupyter, args, { encoding: 'utf8' });
    if (r.error || r.status !== 0) {
      const why = r.error ? r.error.message : (r.stderr || r.stdout).trim();
      if ('user' in scope && r.error) {
        // No jupyter on PATH: a user kernelspec is just a directory, write it directly.
        const dir = join(userKernelsDir(), name);
        mkdirSync(dir, { recursive: true });
        writeFileSync(join(dir, 'kernel.json'), JSON.stringify(spec, null, 2) + '\n');
        return { name, dir, spec };
      }
      throw new Error(`${jupyter} ${args.join(' ')} failed: ${why}\n(install Jupyter with: npm run notebook:setup)`);
    }
    // jupyter prints "Installed kernelspec NAME in DIR".
    const m = /Installed kernelspec \S+ in (.+)$/m.exec(`${r.stdout}\n${r.stderr}`);
    return { name, dir: m ? m[1].trim() : '', spec };
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
}

/** Register the ionsift kernel (and plain tslab with `plain`). Requires a built dist/. */
export function installKernels(opts: InstallOptions = {}): Installed[] {
  if (!existsSync(launcherPath())) {
    throw new Error(`${launcherPath()} is missing: run \`npm run build\` first`);
  }
  const name = opts.name ?? 'ionsift';
  if (!opts.force) {
    const jupyter = opts.jupyter ?? 'jupyter';
    // A same-named spec in the target dir is replaced by `kernelspec install`: only ours may be.
    // Only the directory written to matters (a same-named kernel elsewhere is shadowed, not replaced).
    const scope = opts.scope ?? { user: true };
    const target = 'user' in scope ? join(userKernelsDir(), name) : 'prefix' in scope ? join(resolve(scope.prefix), 'share', 'jupyter', 'kernels', name) : null;
    const ownerOf = (file: string) => ((JSON.parse(readFileSync(file, 'utf8')) as Partial<KernelSpec>).metadata?.ionsift as { root?: string } | undefined)?.root ?? null;
    const existing =
      target !== null
        ? existsSync(join(target, 'kernel.json'))
          ? [{ name, root: ownerOf(join(target, 'kernel.json')) }]
          : []
        : listKernels(jupyter).filter((k) => k.name === name);
    for (const k of existing) {
      if (k.root !== checkoutRoot()) throw new KernelConflictError(name, k.root);
    }
  }
  const out = [install(name, ionsiftKernelSpec(opts.displayName), opts)];
  if (opts.plain) out.push(install('tslab', plainTslabSpec(), opts));
  return out;
}
