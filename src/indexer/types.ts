/**
 * Messages between the indexer's main thread and its workers. Everything here must survive
 * structured clone (plain objects, arrays, typed arrays).
 */
import type { DetectorName } from '../analysis/detectors/registry.js';
import type { AnalysisResult } from '../analysis/types.js';
import type { DiscoveredTrajectory } from '../io/load.js';
import type { TrajectoryRecord } from '../store/ingest.js';


/** Options of an index run that change the analysis (and so enter params_hash). */
export interface IndexAnalysisOptions {
  method?: DetectorName;
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

/** What the store needs from the Trajectory (the arrays themselves stay in the worker): the
 * store's record less what only the main thread knows (id, paths, signatures, timings). */
export type TrajectoryMeta = Omit<TrajectoryRecord, 'trajectoryId' | 'name' | 'paths' | 'filesSignature' | 'durationPs' | 'paramsHash' | 'analysisMs'>;

export type Stage = 'discover' | 'hash' | 'read' | 'analyze' | 'write';

export type WorkOutput =
  | { ok: true; meta: TrajectoryMeta; result: AnalysisResult; ms: number }
  | { ok: false; stage: Stage; message: string };

/** A processor module (default: ./process.ts) exports `processTask`. */
export type ProcessTask = (task: WorkTask) => Promise<WorkOutput>;
