/** What the indexer hands the store besides the analysis result: metadata, species, failures. */

/** Everything the `trajectories` and `species` tables hold besides the analysis. */
export interface TrajectoryRecord {
  trajectoryId: string;
  name: string;
  paths: string[];
  contentHash: string;
  filesSignature: string;
  format: string;
  material: string | null;
  formula: string | null;
  temperatureK: number | null;
  timestepFs: number | null;
  frameIntervalFs: number | null;
  nFrames: number;
  nAtoms: number;
  durationPs: number | null;
  volumeA3: number | null;
  variableCell: boolean;
  nDiscontinuities: number;
  species: SpeciesRecord[];
  /** Hash of the index options (skip key together with contentHash). */
  paramsHash: string;
  metadataSources: Record<string, string>;
  warnings: string[];
  analysisMs: number | null;
}

export interface SpeciesRecord {
  element: string;
  count: number;
  charge: number | null;
  mobile: boolean;
}

export interface FailureRecord {
  trajectoryId: string | null;
  path: string;
  stage: string;
  message: string;
  at?: Date;
}
