/** `ionsift index PATH... --db FILE`: index folders of trajectories into DuckDB. */
import { StoreLockedError } from '../store/db.js';
import { runIndex, type IndexOptions } from '../indexer/run.js';
import { POOL_KINDS, type PoolKind } from '../indexer/pool.js';
import { parseShard } from '../indexer/shard.js';
import { formatSummary } from '../indexer/summary.js';
import type { IndexAnalysisOptions } from '../indexer/types.js';
import { detectorNamed } from '../analysis/detectors/registry.js';
import { methodChoices } from './detector-help.js';
import { errorMessage, integerOption, listOption, parseCommandArgs, positiveIntegerOption, positiveOption, UsageError, withUsage } from './args.js';

export const help = `usage: ionsift index PATH... --db FILE [options]

Finds trajectories under PATH (recursively: folders with ionsift.json, XDATCAR(+INCAR),
vasprun.xml, *.extxyz/*.xyz, *.lammpstrj/dump*; numbered run files/folders become one run),
analyses them on a pool of worker processes and writes every result into one DuckDB file.
Unchanged trajectories (same content hash and parameters) are skipped; a bad file becomes a
row in the failures table and the run goes on.

options:
  --db FILE               DuckDB database to create or update
  --jobs N                workers (default: number of cores)
  --pool KIND             process (default: child processes, each its own V8) | thread
                          (worker threads in one process); the database is the same
  --worker-heap-mb N      heap limit of each worker (MB): a trajectory needing more fails
                          alone (a failures row) and its worker is replaced
  --species EL[,EL…]      mobile species to analyse (default: sidecar "mobile", else detected)
  --method NAME           hop detector: ${methodChoices()}
  --seed N                seed for random choices (default: the analysis default)
  --frame-interval-fs X   time between frames (fs), overrides files and sidecars
  --temperature-k T       temperature (K), overrides files and sidecars
  --strict                exit non-zero when any trajectory failed
  --shard i/n             index only the i-th of n deterministic slices (i = 1..n) and write
                          Parquet partitions OUT/<table>/shard=i/ (needs --out; --db optional)
  --out DIR               output folder of --shard; combine with: ionsift merge DIR --db FILE
  --progress MODE         tty | plain | none (default: tty on a terminal, else plain)
  --screen                print the screening report (ionsift screen) after indexing

exit code: 0 ok, 1 when nothing could be indexed or (--strict) anything failed, 2 usage, 130 interrupted.`;

type Values = Record<string, string | boolean | string[] | undefined>;

function analysisSpecies(values: Values): string[] | null {
  const sp = values.species as string[] | undefined;
  return sp?.length ? sp.flatMap((s) => ['--species', s]) : null;
}

const OPTIONS = {
  db: { type: 'string' },
  jobs: { type: 'string', short: 'j' },
  pool: { type: 'string' },
  'worker-heap-mb': { type: 'string' },
  species: { type: 'string', multiple: true },
  method: { type: 'string' },
  seed: { type: 'string' },
  'frame-interval-fs': { type: 'string' },
  'temperature-k': { type: 'string' },
  strict: { type: 'boolean' },
  shard: { type: 'string' },
  out: { type: 'string' },
  progress: { type: 'string' },
  screen: { type: 'boolean' },
} as const;

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, OPTIONS);
  if (positionals.length === 0) throw new UsageError('give at least one PATH');
  let opts: IndexOptions;
  try {
    opts = indexOptions(values, positionals);
  } catch (err) {
    throw new UsageError(errorMessage(err));
  }
  return indexAndReport(opts, values);
}

export const run = withUsage('index', help, runCommand);

/** The options of an index run that change the analysis. Throws on a bad flag value. */
function analysisOptions(values: Values): IndexAnalysisOptions {
  const analysis: IndexAnalysisOptions = {};
  const method = values.method as string | undefined;
  if (method !== undefined) {
    analysis.method = detectorNamed(method);
  }
  const species = listOption(values.species as string[] | undefined);
  if (species?.length) analysis.species = species;
  const seed = integerOption('seed', values.seed as string | undefined);
  if (seed !== undefined) analysis.seed = seed;
  const fi = positiveOption('frame-interval-fs', values['frame-interval-fs'] as string | undefined);
  if (fi !== undefined) analysis.frameIntervalFs = fi;
  const tk = positiveOption('temperature-k', values['temperature-k'] as string | undefined);
  if (tk !== undefined) analysis.temperatureK = tk;
  return analysis;
}

/** runIndex's options from the parsed flags. Throws on a bad or missing flag. */
function indexOptions(values: Values, positionals: string[]): IndexOptions {
  const analysis = analysisOptions(values);
  const progress = values.progress as string | undefined;
  if (progress !== undefined && !['tty', 'plain', 'none'].includes(progress)) throw new Error(`--progress must be tty, plain or none`);
  const pool = values.pool as string | undefined;
  if (pool !== undefined && !POOL_KINDS.includes(pool as PoolKind)) throw new Error(`--pool must be ${POOL_KINDS.join(' or ')}, not "${pool}"`);
  const opts: IndexOptions = {
    paths: positionals,
    db: values.db as string | undefined,
    jobs: positiveIntegerOption('jobs', values.jobs as string | undefined),
    pool: pool as PoolKind | undefined,
    workerHeapMb: positiveIntegerOption('worker-heap-mb', values['worker-heap-mb'] as string | undefined),
    analysis,
    shard: values.shard !== undefined ? parseShard(values.shard as string) : undefined,
    out: values.out as string | undefined,
    progress: progress as IndexOptions['progress'],
    // Internal: lets tests substitute the load+analyze step (a module exporting processTask).
    processorUrl: process.env.IONSIFT_INDEX_PROCESSOR || undefined,
  };
  if (!opts.db && !opts.shard) throw new Error('--db FILE is required');
  if (opts.shard && !opts.out) throw new Error('--shard needs --out DIR');
  return opts;
}

/** How long SIGTERM waits for the current write before quitting. */
const SIGTERM_GRACE_MS = 5000;

/** Run the index (Ctrl-C once: finish the current write and stop; twice: quit now), print its summary, and return the exit code. */
async function indexAndReport(opts: IndexOptions, values: Values): Promise<number> {
  const ac = new AbortController();
  let sigints = 0;
  const onSigint = (): void => {
    sigints++;
    if (sigints === 1) {
      process.stderr.write('\ninterrupt: finishing the current write (Ctrl-C again to quit now)\n');
      ac.abort();
    } else process.exit(130);
  };
  // SIGTERM (a scheduler or supervisor, which signals once): stop like Ctrl-C, but quit after a
  // grace period even if the current file never finishes; every trajectory's rows are one
  // transaction, so quitting leaves nothing half-written.
  const onSigterm = (): void => {
    onSigint();
    setTimeout(() => process.exit(143), SIGTERM_GRACE_MS).unref();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigterm);
  try {
    const s = await runIndex({ ...opts, signal: ac.signal });
    console.log(formatSummary(s));
    if (s.interrupted) return 130;
    // Nothing found at all, or a non-empty slice of which nothing could be indexed. An empty
    // shard (more shards than trajectories) did its job: exit 0, or its Slurm task shows as failed.
    if (s.discovered === 0 || (s.selected > 0 && s.indexed + s.skipped === 0)) {
      console.error(s.discovered === 0 ? 'ionsift index: no trajectories found' : 'ionsift index: nothing could be indexed');
      return 1;
    }
    if (values.screen && s.db) {
      const { run: runScreen } = await import('./screen.js');
      console.log('');
      const code = await runScreen(['--db', s.db, ...(analysisSpecies(values) ?? [])]);
      if (code !== 0) return code;
    }
    if (values.strict && s.failed > 0) return 1;
    return 0;
  } catch (err) {
    console.error(`ionsift index: ${errorMessage(err)}`);
    return err instanceof StoreLockedError ? 3 : 1;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigterm);
  }
}
