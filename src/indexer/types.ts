/**
 * Messages between the indexer's main thread and its workers. Everything here must survive
 * structured clone (plain objects, arrays, typed arrays).
 */
import type { AnalysisResult } from '../analysis/types.js';
import type { DiscoveredTrajectory } from '../io/load.js';
import type { SpeciesRecord } from '../store/ingest.js';


/** Options of an index run that change the analysis (and so enter params_hash). */
export interface IndexAnalysisOptions {
  method?: 'default' | 'iondiff';
  species?: string[];
  seed?: number;
  /** CLI overrides of metadata (win over sidecar and files). */
  frameIntervalFs?: number;
  temperatureK?: number;
}

export interface WorkTask {
  taskId: number;
  trajectoryId: string;
  /** What discovery found: name, folder, files in run order, sidecar metadata. */
  trajectory: DiscoveredTrajectory;
  options: IndexAnalysisOptions;
}

/** What the store needs from the Trajectory (the arrays themselves stay in the worker). */
export interface TrajectoryMeta {
  format: string;
  material: string | null;
  formula: string | null;
  temperatureK: number | null;
  timestepFs: number | null;
  frameIntervalFs: number | null;
  nFrames: number;
  nAtoms: number;
  volumeA3: number | null;
  variableCell: boolean;
  nDiscontinuities: number;
  species: SpeciesRecord[];
  metadataSources: Record<string, string>;
  warnings: string[];
  contentHash: string;
}

export type Stage = 'discover' | 'hash' | 'read' | 'analyze' | 'write';

export type WorkOutput =
  | { ok: true; meta: TrajectoryMeta; result: AnalysisResult; ms: number }
  | { ok: false; stage: Stage; message: string };

/** A processor module (default: ./process.ts) exports `processTask`. */
export type ProcessTask = (task: WorkTask) => Promise<WorkOutput>;
