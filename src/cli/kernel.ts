/** `ionsift kernel install|spec` — the "ionsift (TypeScript)" Jupyter kernel. */
import { errorMessage, parseCommandArgs, withUsage } from './args.js';
import {
  checkoutKernelName,
  checkoutRoot,
  installKernels,
  ionsiftKernelSpec,
  KernelConflictError,
  listKernels,
  plainTslabSpec,
  type InstallScope,
} from '../notebook/install.js';

export const help = `usage: ionsift kernel install [--user | --sys-prefix | --prefix DIR] [options]
       ionsift kernel spec [--plain]
       ionsift kernel list

install   registers the Jupyter kernelspec "ionsift (TypeScript)" (name: ionsift) with
          \`jupyter kernelspec install\`. It runs tslab (this checkout's node_modules, no
          global tslab needed) with the ionsift notebook library already loaded, so the
          first cell can use open, sql, plot, display, charts, render directly:

            const db = await open('../datasets.duckdb');
            await sql\`SELECT material, count(*) AS n FROM trajectories GROUP BY 1\`;
            await plot.arrhenius();

          Needs a built dist/ (npm run build) and Jupyter (npm run notebook:setup).
          A kernel of that name registered by another checkout is never re-pointed
          silently: install refuses (exit 4) and names it; use --per-checkout (name
          ionsift-<hash of this checkout's path>) or --force.
spec      prints the kernel.json that install would write.
list      the kernelspecs Jupyter knows, with the ionsift checkout each one runs.

options:
  --user              the user's kernels dir (default; $JUPYTER_DATA_DIR/kernels if set)
  --sys-prefix        sys.prefix of the Python that runs jupyter
  --prefix DIR        DIR/share/jupyter/kernels
  --name NAME         kernel name (default ionsift)
  --per-checkout      name this checkout's kernel ionsift-<hash> (here: ${checkoutKernelName()})
  --force             re-point a same-named kernel of another checkout
  --display-name S    name shown in Jupyter (default "ionsift (TypeScript, <checkout path>)")
  --plain             also register plain tslab as kernel "tslab" ("TypeScript (tslab)")
  --jupyter PATH      the jupyter executable (default: jupyter on PATH)
  -h, --help          this text`;

async function runCommand(argv: string[]): Promise<number> {
  const { values: o, positionals } = parseCommandArgs(argv, {
    user: { type: 'boolean' },
    'sys-prefix': { type: 'boolean' },
    prefix: { type: 'string' },
    name: { type: 'string' },
    'display-name': { type: 'string' },
    plain: { type: 'boolean' },
    jupyter: { type: 'string' },
    force: { type: 'boolean' },
    'per-checkout': { type: 'boolean' },
  });
  const sub = positionals[0];
  if (sub === 'list') {
    const here = checkoutRoot();
    for (const k of listKernels(o.jupyter)) {
      const owner = k.root === null ? '(not ionsift)' : `${k.root}${k.root === here ? '  ← this checkout' : ''}`;
      console.log(`${k.name.padEnd(20)} ${owner}
${''.padEnd(20)} ${k.dir}`);
    }
    return 0;
  }
  if (sub === 'spec') {
    const specs = [ionsiftKernelSpec(o['display-name']), ...(o.plain ? [plainTslabSpec()] : [])];
    console.log(JSON.stringify(specs.length === 1 ? specs[0] : specs, null, 2));
    return 0;
  }
  if (sub !== 'install' || positionals.length > 1) {
    console.error(help);
    return 2;
  }
  if ([o.user, o['sys-prefix'], o.prefix !== undefined].filter(Boolean).length > 1) {
    console.error('ionsift kernel install: choose one of --user, --sys-prefix, --prefix');
    return 2;
  }
  const scope: InstallScope = o.prefix !== undefined ? { prefix: o.prefix } : o['sys-prefix'] ? { sysPrefix: true } : { user: true };
  try {
    if (o['per-checkout'] && o.name !== undefined) {
      console.error('ionsift kernel install: choose one of --name, --per-checkout');
      return 2;
    }
    const name = o['per-checkout'] ? checkoutKernelName() : o.name;
    for (const k of installKernels({ scope, name, displayName: o['display-name'], plain: o.plain, jupyter: o.jupyter, force: o.force })) {
      console.log(`installed kernel "${k.spec.display_name}" (${k.name})${k.dir ? ` in ${k.dir}` : ''}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof KernelConflictError) {
      console.error(`ionsift kernel install: ${err.message}`);
      return 4;
    }
    console.error(`ionsift kernel install: ${errorMessage(err)}`);
    return 1;
  }
}

export const run = withUsage('kernel', help, runCommand);
