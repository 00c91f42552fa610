/**
 * Stage 1 of an index run: find the trajectories under the paths, take this shard's slice, and
 * record what discovery could not read.
 */
import { resolve } from 'node:path';
import { clearDiscoveryFailures } from '../store/index-ops.js';
import type { RunContext } from './context.js';
import { discover, type DiscoveredTrajectory, type DiscoveryResult } from './discover.js';
import { shardSlice, type ShardSpec } from './shard.js';

export interface Discovery {
  /** Everything found under the paths (every shard sees the same). */
  found: DiscoveryResult;
  /** This shard's slice of `found.trajectories` (all of them without a shard). */
  selected: DiscoveredTrajectory[];
}

export async function discoverStage(ctx: RunContext, paths: readonly string[], shard: ShardSpec | undefined): Promise<Discovery> {
  const found = await discover(paths);
  const selected = shardSlice(found.trajectories, shard);
  // Discovery failures belong to no shard's slice; shard 1 records them so a merge has them once.
  if (!shard || shard.index === 0) {
    // Old discovery failures under the paths indexed now are re-decided by this discovery.
    for (const p of paths) {
      const root = resolve(p);
      await ctx.write(() => clearDiscoveryFailures(ctx.store, root));
    }
    for (const f of found.failures) await ctx.fail(null, f.path, 'discover', f.message);
  }
  return { found, selected };
}
