/** `trajectories`: one row per indexed trajectory, from the indexer's record and the analysis. */
import type { AnalysisResult } from '../../analysis/types.js';
import type { TrajectoryRecord } from '../records.js';
import { num, type Table } from './column.js';

/** One `trajectories` row's sources. */
export interface TrajectoryRow {
  rec: TrajectoryRecord;
  result: AnalysisResult;
  indexedAt: Date;
}

export const trajectories: Table<TrajectoryRow, void, 'trajectories'> = {
  name: 'trajectories',
  comment: 'One row per indexed trajectory (one or several source files of one MD run)',
  columns: [
    { name: 'trajectory_id', type: 'VARCHAR', primaryKey: true, comment: 'Stable id: hash of the absolute source paths, so re-indexing replaces rows', get: (t) => t.rec.trajectoryId },
    { name: 'name', type: 'VARCHAR', comment: 'Trajectory name (sidecar entry name or file/folder name)', get: (t) => t.rec.name },
    { name: 'path', type: 'VARCHAR', notNull: true, comment: 'First source file (absolute)', get: (t) => t.rec.paths[0] ?? '' },
    { name: 'paths', type: 'VARCHAR[]', notNull: true, comment: 'All source files in order (absolute)', get: (t) => t.rec.paths },
    { name: 'content_hash', type: 'VARCHAR', notNull: true, comment: 'SHA-256 over the raw bytes of the source files (and sidecar) in order', get: (t) => t.rec.contentHash },
    { name: 'files_signature', type: 'VARCHAR', notNull: true, comment: 'Size and mtime of each source file: cheap pre-check before hashing', get: (t) => t.rec.filesSignature },
    { name: 'format', type: 'VARCHAR', comment: 'Reader format (io/registry.ts: xdatcar, vasprun, extxyz, lammps-dump, xtc, trr, outcar, cp2k-pos, ase-traj)', get: (t) => t.rec.format },
    { name: 'material', type: 'VARCHAR', comment: 'Material name (sidecar or folder name)', get: (t) => t.rec.material },
    { name: 'formula', type: 'VARCHAR', comment: 'Reduced chemical formula', get: (t) => t.rec.formula },
    { name: 'temperature_k', type: 'DOUBLE', unit: 'K', comment: 'MD temperature (K)', get: (t) => num(t.rec.temperatureK) },
    { name: 'timestep_fs', type: 'DOUBLE', unit: 'fs', comment: 'MD time step POTIM (fs)', get: (t) => num(t.rec.timestepFs) },
    { name: 'frame_interval_fs', type: 'DOUBLE', unit: 'fs', comment: 'Time between written frames (fs)', get: (t) => num(t.rec.frameIntervalFs ?? t.result.frameIntervalFs) },
    { name: 'n_frames', type: 'INTEGER', comment: 'Number of frames', get: (t) => t.rec.nFrames },
    { name: 'n_atoms', type: 'INTEGER', comment: 'Number of atoms', get: (t) => t.rec.nAtoms },
    { name: 'duration_ps', type: 'DOUBLE', unit: 'ps', comment: 'Simulated time covered by the frames (ps)', get: (t) => num(t.rec.durationPs ?? t.result.durationPs) },
    { name: 'volume_a3', type: 'DOUBLE', unit: 'Å³', comment: 'Cell volume (Å³), mean over frames for a variable cell', get: (t) => num(t.rec.volumeA3) },
    { name: 'variable_cell', type: 'BOOLEAN', comment: 'True when the cell changes between frames (NPT)', get: (t) => t.rec.variableCell },
    { name: 'n_discontinuities', type: 'INTEGER', comment: 'Jumps between consecutive frames flagged by the reader', get: (t) => t.rec.nDiscontinuities },
    { name: 'method', type: 'VARCHAR', comment: 'Hop detector (default or iondiff)', get: (t) => t.result.method },
    { name: 'mobile', type: 'VARCHAR[]', comment: 'Analysed mobile species', get: (t) => t.result.mobile },
    { name: 'params_hash', type: 'VARCHAR', notNull: true, comment: 'Hash of the index options that determine the analysis (skip key with content_hash)', get: (t) => t.rec.paramsHash },
    { name: 'analysis_params_hash', type: 'VARCHAR', comment: 'paramsHash reported by analyze()', get: (t) => t.result.paramsHash },
    { name: 'params_json', type: 'VARCHAR', comment: 'Resolved analysis parameters (JSON)', get: (t) => JSON.stringify(t.result.params) },
    { name: 'metadata_sources_json', type: 'VARCHAR', comment: 'Where each metadata value came from (JSON)', get: (t) => JSON.stringify(t.rec.metadataSources) },
    { name: 'warnings', type: 'VARCHAR[]', comment: 'Non-fatal reader/analysis warnings', get: (t) => t.rec.warnings },
    { name: 'analysis_ms', type: 'DOUBLE', unit: 'ms', comment: 'Wall time of load + analysis (ms)', volatile: true, get: (t) => num(t.rec.analysisMs) },
    { name: 'indexed_at', type: 'TIMESTAMP', notNull: true, comment: 'When these rows were written (UTC)', volatile: true, get: (t) => t.indexedAt },
  ],
};
