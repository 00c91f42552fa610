/**
 * The `ionsift` command. Each sub-command lives in its own module `src/cli/<name>.ts`
 * exporting `run(argv): Promise<number>` (exit code) and `help: string`; they are loaded
 * lazily so that `ionsift inspect` never pays for DuckDB or Vega start-up. Argument parsing
 * and usage errors are shared (./args.ts).
 */
export interface Command {
  run(argv: string[]): Promise<number>;
  help: string;
}

const COMMANDS: Record<string, string> = {
  inspect: 'summarise a trajectory (file or one-trajectory folder)',
  analyze: 'detect hops, correlations, descriptors and diffusion for one trajectory',
  generate: 'write synthetic trajectories with known hops (ground truth)',
  index: 'index folders of trajectories into a DuckDB database',
  merge: 'merge Parquet shards into one DuckDB database',
  diff: 'compare two databases row for row (e.g. sharded vs single run)',
  query: 'run SQL against a database (read-only)',
  screen: 'rank materials by diffusion and show descriptor–D correlations',
  export: 'write every table as Parquet, Arrow or CSV',
  plot: 'render a Vega-Lite chart from a database to SVG or PNG',
  report: 'write a self-contained HTML report of a database (charts work offline)',
  kernel: 'install the ionsift Jupyter kernel',
};

function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  return [
    'usage: ionsift <command> [options]',
    '',
    ...Object.entries(COMMANDS).map(([k, v]) => `  ${k.padEnd(width)}  ${v}`),
    '',
    'ionsift <command> --help for the options of one command.',
    'Every command also takes --max-memory SIZE (e.g. 4G; default 8G or half the RAM): the most',
    'memory one trajectory reader may allocate; a file that needs more fails with a clear error.',
  ].join('\n');
}

/** Takes `--max-memory SIZE` (or `=SIZE`) out of the arguments and sets the readers' budget (io/budget.ts). */
async function takeMaxMemory(argv: string[]): Promise<string[] | string> {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a !== '--max-memory' && !a.startsWith('--max-memory=')) { out.push(a); continue; }
    const v = a === '--max-memory' ? argv[++i] : a.slice('--max-memory='.length);
    const { setMaxMemory } = await import('../io/budget.js');
    try {
      setMaxMemory(v ?? '');
    } catch (err) {
      return err instanceof Error ? err.message : String(err);
    }
  }
  return out;
}

export async function main(argv: string[]): Promise<number> {
  const taken = await takeMaxMemory(argv);
  if (typeof taken === 'string') {
    console.error(`ionsift: ${taken}`);
    return 2;
  }
  const [name, ...rest] = taken;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return name ? 0 : 1;
  }
  if (!Object.hasOwn(COMMANDS, name)) {
    console.error(`ionsift: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  // inspect and analyze read one trajectory: parse threads for a large plain file boot while
  // the command's modules load (io/parse-pool.ts, warmParsePoolFor). Never fails the command.
  const warming = (name === 'inspect' || name === 'analyze') && !rest.includes('--help') && !rest.includes('-h')
    ? import('../io/parse-pool.js').then((m) => m.warmParsePoolFor(rest.filter((a) => !a.startsWith('-')))).catch(() => undefined)
    : undefined;
  // A computed specifier keeps each command's dependencies out of start-up.
  const mod = (await import(`./${name}.js`)) as Command;
  await warming;
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(mod.help);
    return 0;
  }
  return mod.run(rest);
}
