/**
 * Named store operations for `ionsift index`: the reads its skip and removal decisions need and
 * the small writes it makes besides ingestTrajectory/recordFailure, so that the indexer itself
 * holds no SQL. Each write is one statement or one transaction: nothing half-written stays.
 */
import { type Store } from './db.js';
import { deleteTrajectory } from './ingest.js';

/** What the skip check compares against for a trajectory already in `trajectories`. */
export interface KnownTrajectory {
  contentHash: string;
  filesSignature: string;
  paramsHash: string;
}

/** Every indexed trajectory's skip keys, by trajectory_id. */
export async function knownTrajectories(store: Store): Promise<Map<string, KnownTrajectory>> {
  const known = new Map<string, KnownTrajectory>();
  for (const r of await store.query<{ trajectory_id: string; content_hash: string; files_signature: string; params_hash: string }>(
    'SELECT trajectory_id, content_hash, files_signature, params_hash FROM trajectories',
  )) known.set(r.trajectory_id, { contentHash: r.content_hash, filesSignature: r.files_signature, paramsHash: r.params_hash });
  return known;
}

/** Trajectory ids with at least one `failures` row (their rows must be replaced when written). */
export async function trajectoriesWithFailures(store: Store): Promise<Set<string>> {
  const ids = new Set<string>();
  for (const r of await store.query<{ trajectory_id: string }>(
    'SELECT DISTINCT trajectory_id FROM failures WHERE trajectory_id IS NOT NULL',
  )) ids.add(r.trajectory_id);
  return ids;
}

/**
 * Every path the store holds per trajectory_id: its `trajectories.paths`, then the path of each
 * of its `failures` rows (a trajectory that only ever failed has those alone).
 */
export async function storedTrajectoryPaths(store: Store): Promise<Map<string, string[]>> {
  const pathsOf = new Map<string, string[]>();
  const add = (id: string, ps: readonly string[]): void => {
    const list = pathsOf.get(id) ?? [];
    list.push(...ps);
    pathsOf.set(id, list);
  };
  for (const r of await store.query<{ trajectory_id: string; paths: string[] }>('SELECT trajectory_id, paths FROM trajectories')) add(r.trajectory_id, r.paths);
  for (const r of await store.query<{ trajectory_id: string; path: string }>('SELECT trajectory_id, path FROM failures WHERE trajectory_id IS NOT NULL')) add(r.trajectory_id, [r.path]);
  return pathsOf;
}

/**
 * Delete the discovery failures (no trajectory_id) recorded at `root` or under it: a new
 * discovery of `root` decides them afresh. `root` is an absolute path.
 */
export async function clearDiscoveryFailures(store: Store, root: string): Promise<void> {
  await store.run(
    `DELETE FROM failures WHERE trajectory_id IS NULL AND stage = 'discover' AND (path = $1 OR starts_with(path, $2))`,
    [root, root.endsWith('/') ? root : root + '/'],
  );
}

/** Remember a trajectory's new files signature (its files were touched, not changed). */
export async function updateFilesSignature(store: Store, trajectoryId: string, signature: string): Promise<void> {
  await store.run('UPDATE trajectories SET files_signature = $1 WHERE trajectory_id = $2', [signature, trajectoryId]);
}

/** Delete every row of one trajectory, results and failures, in one transaction. */
export async function removeTrajectory(store: Store, trajectoryId: string): Promise<void> {
  await store.transaction(() => deleteTrajectory(store, trajectoryId));
}

/** What a user runs to see every failure (quoted in the indexer's summary). */
export const LIST_FAILURES_SQL = 'SELECT * FROM failures';
