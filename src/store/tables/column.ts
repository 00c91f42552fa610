/**
 * The shape of a table description: one entry per column, from which the DDL, the COMMENT ON
 * statements, the Appender columns, the `analyze --json` keys, screen's descriptor list and the
 * plot columns are all derived (src/store/tables/registry.ts lists the tables).
 */
import type { JS } from '@duckdb/node-api';
import type { AnalysisResult } from '../../analysis/types.js';

/** The SQL types the schema uses, spelled as DuckDB reports them in duckdb_columns(). */
export type SqlType = 'VARCHAR' | 'VARCHAR[]' | 'INTEGER' | 'INTEGER[]' | 'DOUBLE' | 'DOUBLE[]' | 'BOOLEAN' | 'TIMESTAMP';

export interface Column<R, C> {
  /** SQL name, snake_case with the unit as suffix (_ps, _a, _cm2_s, …). */
  readonly name: string;
  readonly type: SqlType;
  /** Unit of the values (as printed, e.g. 'ps', 'Å²', 'cm²/s'); omitted for counts, ids, text and ratios. */
  readonly unit?: string;
  /** COMMENT ON COLUMN text. */
  readonly comment: string;
  readonly notNull?: boolean;
  readonly primaryKey?: boolean;
  /** SQL default expression. */
  readonly default?: string;
  /** True for values that differ between two runs of the same data (wall times, timestamps): `ionsift diff` ignores them. */
  readonly volatile?: boolean;
  /**
   * The value written for one row; `ctx` carries what the row itself does not (the trajectory id).
   * A method signature, so that a Table<HopEvent, …> is usable as a Table<unknown, …> in lists.
   */
  get(row: R, ctx: C): JS;
}

export interface Table<R, C, N extends string = string> {
  readonly name: N;
  /** COMMENT ON TABLE text. */
  readonly comment: string;
  readonly columns: readonly Column<R, C>[];
}

/** A table as far as the schema is concerned (any row and context type). */
export type TableSchema = Table<unknown, unknown>;

/** The context of the per-trajectory analysis tables. */
export interface TrajectoryContext {
  readonly trajectoryId: string;
}

/** A per-trajectory table filled from one array of the analysis result (also an `analyze --json` array). */
export interface AnalysisTable<R, N extends string = string> extends Table<R, TrajectoryContext, N> {
  readonly rows: (r: AnalysisResult) => readonly R[];
}

/** Non-finite numbers → NULL: DuckDB would store NaN, which breaks averages and correlations. */
export function num(x: number | null | undefined): number | null {
  return x === null || x === undefined || !Number.isFinite(x) ? null : x;
}

/** A list of numbers (typed arrays included) as a plain array, non-finite → NULL. */
export function numList(xs: ArrayLike<number> | null | undefined): (number | null)[] {
  return Array.from(xs ?? [], (x) => num(x));
}

/** The trajectory_id key column of a per-trajectory analysis table. */
export function trajectoryIdColumn<R>(): Column<R, TrajectoryContext> {
  return { name: 'trajectory_id', type: 'VARCHAR', notNull: true, comment: 'trajectories.trajectory_id', get: (_r, ctx) => ctx.trajectoryId };
}
