/**
 * Entry point from paths to Trajectories: reading the files of a discovered trajectory through
 * the format registry, concatenating runs, the content hash, and metadata resolution.
 * Discovery lives in discover.ts and metadata precedence in metadata.ts (re-exported here, the
 * module other layers import).
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { Trajectory } from '../trajectory/types.js';
import type { MobileFramesRequest } from '../trajectory/mobile-frames.js';
import { FormatError, MetadataError } from './errors.js';
import { hashFile, prefetchGzip, type Prefetch } from './byte-source.js';
import { describeFile, discoverInFolder, type DiscoveredTrajectory } from './discover.js';
import { fileLevel, resolveMetadata, type MetadataOverrides } from './metadata.js';
import { detectFormat, formatByName, type ReaderOptions } from './registry.js';
import { concatTrajectories } from './run.js';
import { checkLoaded } from './plausibility.js';
import { coordinatesInBoundsParallel } from './bounds-parallel.js';
import { elementsIn } from './vasp-inputs.js';

export { describeFile, discoverInFolder, type DiscoveredTrajectory } from './discover.js';
export { durationPs, missingMessage, requireMetadata, type MetadataKey, type MetadataOverrides } from './metadata.js';
export { groupNumbered, naturalCompare } from './numbered-files.js';

/** Files read ahead of the one being parsed (each ≤ 64 MiB decompressed). */
const PREFETCH_AHEAD = 2;

/** How to read: `mobileFrames` reduces a one-file run's frames while reading (readers that can; see trajectory/mobile-frames.ts). */
export interface ReadRequest {
  mobileFrames?: MobileFramesRequest;
}

/** Reads, concatenates, hashes and resolves metadata of one discovered trajectory. */
export async function loadDiscovered(d: DiscoveredTrajectory, overrides: MetadataOverrides = {}, read: ReadRequest = {}): Promise<Trajectory> {
  const hash = createHash('sha256');
  const parts: Trajectory[] = [];
  // Read-ahead of the next files of a multi-file run (gzip XDATCARs, ≤ 64 MiB each): they are
  // decompressed in the thread pool while the current one is parsed (byte-source.ts, prefetchGzip).
  const ahead: (Prefetch | undefined)[] = [];
  const readAhead = (k: number): void => {
    if (k < d.files.length && ahead[k] === undefined && formatByName(d.files[k])?.prefetches) ahead[k] = prefetchGzip(d.files[k]);
  };
  for (let k = 0; k < d.files.length; k++) {
    const file = d.files[k];
    for (let q = k; q <= k + PREFETCH_AHEAD; q++) readAhead(q);
    const fmt = await detectFormat(file);
    const opts: ReaderOptions = {
      elements: overrides.elements ?? d.sidecar.elements,
      resolveElements: () => elementsIn(dirname(file)),
      hash: fmt.hashesInput ? hash : undefined,
      prefetch: fmt.prefetches ? ahead[k] : undefined,
      // One file only: the boundary check between files needs their frames.
      mobileFrames: read.mobileFrames && d.files.length === 1 ? { ...read.mobileFrames, preferred: overrides.mobile ?? d.sidecar.mobile ?? null } : undefined,
    };
    ahead[k] = undefined;
    const t = await fmt.read(file, opts);
    if (!fmt.hashesInput) await hashFile(file, hash);
    if (t.segments.length === 0) t.segments.push({ file, startFrame: 0, nFrames: t.nFrames });
    if (t.metadata.sourcePaths.length === 0) t.metadata.sourcePaths = [file];
    parts.push(t);
  }
  const t = concatTrajectories(parts);
  t.metadata.contentHash = hash.digest('hex');
  resolveMetadata(t, await fileLevel(t, d.files), d.sidecar, d.sidecarPath, overrides);
  checkLoaded(t, { file: d.files[0], sidecarPath: d.sidecarPath }, await coordinatesInBoundsParallel(t.frac, Math.min(t.frac.length, t.nAtoms * t.nFrames * 3)));
  if (d.warnings?.length) t.warnings.push(...d.warnings);
  return t;
}

/**
 * Loads one trajectory: PATH is a file (sidecar entry metadata applies if the sidecar beside
 * it lists the file), or a folder holding exactly one trajectory.
 */
export async function loadTrajectory(path: string, overrides: MetadataOverrides = {}, read: ReadRequest = {}): Promise<Trajectory> {
  path = resolve(path);
  const st = await stat(path);
  if (st.isDirectory()) {
    const found = await discoverInFolder(path);
    if (found.length === 1) return loadDiscovered(found[0], overrides, read);
    if (found.length === 0) {
      throw new FormatError('no trajectory files found in this folder; expected XDATCAR*, vasprun*.xml, *.extxyz (optionally .gz), numbered run files, or an ionsift.json listing files', { file: path });
    }
    throw new MetadataError(
      `folder holds ${found.length} trajectories (${found.map((f) => f.name).join(', ')}); expected one — pass one file, or use loadTrajectories / ionsift index`,
      { file: path },
    );
  }
  return loadDiscovered(await describeFile(path), overrides, read);
}

/** Every trajectory of a folder (e.g. a sidecar with several entries), or of one file. */
export async function loadTrajectories(path: string, overrides: MetadataOverrides = {}): Promise<Trajectory[]> {
  path = resolve(path);
  const found = (await stat(path)).isDirectory() ? await discoverInFolder(path) : [await describeFile(path)];
  const out: Trajectory[] = [];
  for (const d of found) out.push(await loadDiscovered(d, overrides));
  return out;
}
