/** `ionsift merge OUT --db FILE`: one database from the Parquet shards of `index --shard`. */
import { errorMessage, parseCommandArgs, UsageError, withUsage } from './args.js';
import { mergeShards } from '../store/shards.js';

export const help = `usage: ionsift merge OUT --db FILE

Reads OUT/<table>/shard=<i>/*.parquet written by \`ionsift index --shard i/n --out OUT\` and
builds (or updates) FILE with the same tables a single run would have built; the arrhenius
table is recomputed across all shards. Only shard=1..n of the newest \`--shard i/n\` series are
read (each shard records its i/n in OUT/manifest/), so leftovers of an earlier n in the same OUT
are ignored; when that series is incomplete or mixed with another n, merge refuses.`;

async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { db: { type: 'string' } });
  if (positionals.length !== 1 || !values.db) throw new UsageError('give one OUT folder and --db FILE');
  try {
    const t0 = Date.now();
    const s = await mergeShards(positionals[0], values.db);
    const rows = Object.entries(s.rows).map(([k, v]) => `${k} ${v}`).join(', ');
    console.log(`merged ${s.shards} shards: ${s.trajectories} trajectories (${rows}) into ${values.db} in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    return 0;
  } catch (err) {
    console.error(`ionsift merge: ${errorMessage(err)}`);
    return 1;
  }
}

export const run = withUsage('merge', help, runCommand);
