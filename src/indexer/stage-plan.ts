/**
 * Stage 2 of an index run: what to do with each trajectory (skip it, skip it and remember its
 * new files signature, or analyse it) and which stored trajectories vanished and must go.
 */
import { basename, dirname, resolve, sep } from 'node:path';
import { SIDECAR_NAME } from '../io/sidecar.js';
import type { Store } from '../store/db.js';
import { knownTrajectories, trajectoriesWithFailures, type KnownTrajectory } from '../store/index-ops.js';
import type { RunContext } from './context.js';
import type { DiscoveredTrajectory, DiscoveryFailure } from './discover.js';
import { contentHash, filesSignature, metadataValues, splitSignature } from './hash.js';

/** What the database held when the run started. */
export interface PriorIndex {
  known: Map<string, KnownTrajectory>;
  /**
   * Trajectories with a failures row: like those in `known`, their old rows must be deleted
   * when they are written; every other trajectory is new, and its write need not delete anything.
   */
  failedBefore: Set<string>;
}

export async function readPriorIndex(store: Store): Promise<PriorIndex> {
  return { known: await knownTrajectories(store), failedBefore: await trajectoriesWithFailures(store) };
}

export type Decision =
  /** Unchanged. With `newSignature`: touched but unchanged, store the signature so the next run skips cheaply. */
  | { kind: 'skip'; newSignature?: string }
  /** `hash` is null when the worker is left to hash the bytes it reads; `replace`: old rows exist. */
  | { kind: 'analyse'; signature: string; hash: string | null; replace: boolean };

/**
 * Skip or analyse, from the files signature (sizes and times), the metadata files beside the
 * trajectory, the analysis parameters, and, only when it can save an analysis, the content hash.
 */
export async function decide(ctx: RunContext, prior: PriorIndex, t: DiscoveredTrajectory, pHash: string): Promise<Decision> {
  const old = prior.known.get(t.trajectoryId);
  const s = await ctx.ioLimit(() => filesSignature(t.files, old?.filesSignature ?? null));
  const signature = s.signature;
  if (old && old.filesSignature === signature && old.paramsHash === pHash) return { kind: 'skip' };
  // INCAR/OUTCAR/POTCAR beside the files feed the metadata: when what they say changed,
  // re-analyse even if the trajectory bytes did not (a mere touch or copy does not count).
  // A signature from before they were tracked (no metadata part) counts as unchanged, and is
  // updated.
  const now = splitSignature(signature), before = old ? splitSignature(old.filesSignature) : null;
  const metadataSame = before !== null && (before.metadata === null || metadataValues(before.metadata) === metadataValues(now.metadata ?? ''));
  if (old && metadataSame && before?.files === now.files && old.paramsHash === pHash) return { kind: 'skip', newSignature: signature };
  ctx.bytesRead += s.bytes;
  // The content hash is computed here only when it can save an analysis (a known trajectory
  // whose files were touched, same parameters); otherwise the worker hashes the bytes it
  // reads anyway (loadDiscovered), so a new or re-parametrised trajectory is read once.
  let hash: string | null = null;
  if (old && metadataSame && old.paramsHash === pHash) hash = await ctx.ioLimit(() => contentHash(t.files));
  if (old && hash !== null && old.contentHash === hash) return { kind: 'skip', newSignature: signature };
  return { kind: 'analyse', signature, hash, replace: old !== undefined || prior.failedBefore.has(t.trajectoryId) };
}

/**
 * Ids in `stored` (trajectory id → its paths in the store) whose every path lies under one of
 * `paths` but that this discovery did not find: a run gained a file, a folder was renamed, a
 * sidecar changed, so the id changed and the old rows must go. Paths under a folder that
 * discovery could not read (or whose sidecar failed) are kept: not seeing them is not evidence
 * that they are gone.
 */
export function vanishedTrajectories(
  stored: ReadonlyMap<string, readonly string[]>,
  paths: readonly string[],
  found: readonly Pick<DiscoveredTrajectory, 'trajectoryId'>[],
  discoveryFailures: readonly Pick<DiscoveryFailure, 'path'>[],
): string[] {
  const under = (p: string, root: string): boolean => p === root || p.startsWith(root.endsWith(sep) ? root : root + sep);
  const roots = paths.map((p) => resolve(p));
  const blind = discoveryFailures.map((f) => (basename(f.path) === SIDECAR_NAME ? dirname(f.path) : f.path));
  const seen = new Set(found.map((t) => t.trajectoryId));
  const gone: string[] = [];
  for (const [id, ps] of stored) {
    if (seen.has(id) || ps.length === 0) continue;
    if (ps.every((p) => roots.some((r) => under(p, r)) && !blind.some((b) => under(p, b)))) gone.push(id);
  }
  return gone.sort();
}
