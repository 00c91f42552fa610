/**
 * `ionsift analyze --json`: the analysis result with every array named and shaped as its table
 * (column names, snake_case with units, from the same descriptions; trajectory_id left out),
 * typed arrays as plain arrays and non-finite numbers as null.
 */
import type { JS } from '@duckdb/node-api';
import type { AnalysisResult } from '../analysis/types.js';
import type { AnalysisTable } from './tables/column.js';
import { ANALYSIS_TABLES } from './tables/registry.js';

/** One table row as a JSON object: column name → value. */
export type JsonRow = Record<string, JS>;

export interface AnalysisJson {
  method: string;
  params: AnalysisResult['params'];
  params_hash: string;
  mobile: string[];
  frame_interval_fs: number;
  duration_ps: number;
  /** One array per analysis table (events, atoms, …, element_descriptors), keyed by table name. */
  [table: string]: unknown;
  timings_ms: Record<string, number>;
  warnings: string[];
}

/** The rows of one analysis table as its columns would hold them, without the trajectory key. */
export function tableJson<R>(t: AnalysisTable<R>, r: AnalysisResult): JsonRow[] {
  const cols = t.columns.filter((c) => c.name !== 'trajectory_id');
  const ctx = { trajectoryId: '' };
  return t.rows(r).map((row) => Object.fromEntries(cols.map((c) => [c.name, c.get(row, ctx)])));
}

export function resultToJson(r: AnalysisResult): AnalysisJson {
  return {
    method: r.method,
    params: r.params,
    params_hash: r.paramsHash,
    mobile: r.mobile,
    frame_interval_fs: r.frameIntervalFs,
    duration_ps: r.durationPs,
    ...Object.fromEntries(ANALYSIS_TABLES.map((t) => [t.name, tableJson(t, r)])),
    timings_ms: r.timingsMs,
    warnings: r.warnings,
  };
}
