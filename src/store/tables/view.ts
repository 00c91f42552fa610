/** The shape of a view description: columns as SQL expressions over a fixed FROM clause. */
import type { SqlType } from './column.js';

/** Where a view column is offered besides SQL: screen's correlations with log10 D, the descriptor plot's x axis. */
export type ViewColumnUse = 'screen' | 'plot';

export interface ViewColumn {
  readonly name: string;
  /** The type DuckDB infers for `sql` (a test checks it against the live view). */
  readonly type: SqlType;
  readonly unit?: string;
  readonly comment: string;
  /** The SQL expression over the aliases of `from`. */
  readonly sql: string;
  readonly use?: readonly ViewColumnUse[];
}

export interface View<N extends string = string> {
  readonly name: N;
  readonly comment: string;
  readonly columns: readonly ViewColumn[];
  /** FROM … JOIN … clause. */
  readonly from: string;
}
