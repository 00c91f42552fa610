/**
 * Schema 2 → 3, transport block (issue 14): the errors of the per-axis and principal tracer D
 * (`diffusion.d_tracer_x_err` … `d_tracer_principal_err`), appended. Rows written before it have
 * NULL errors until re-indexed (ANALYSIS_VERSION changed with it). Kept as its own block so that
 * migration 3 can combine it with other sessions' column additions.
 */
import { diffusion } from './tables/diffusion.js';

/** ALTER TABLE … ADD COLUMN for the transport columns of schema 3. */
export function transportAxesMigrationDdl(): string {
  const first = diffusion.columns.findIndex((c) => c.name === 'd_tracer_x_err');
  if (first < 0) throw new Error('diffusion has no column d_tracer_x_err');
  return diffusion.columns.slice(first, first + 4).map((c) => `ALTER TABLE diffusion ADD COLUMN ${c.name} ${c.type};`).join('\n');
}
