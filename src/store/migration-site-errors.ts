/**
 * Schema 3 → 4 (issue 12, site centres with their uncertainty): sites.centre_err_a, appended.
 * Rows written before it keep NULL there until re-indexed (ANALYSIS_VERSION changed with it).
 * Kept as its own block so that migration 4 can combine it with other sessions' additions.
 */
import { sites } from './tables/sites.js';
import { schemaIdent } from './sql.js';

/** The tables whose comments migration 4 sets (site_type and env_type were reworded too). */
export const SITE_ERRORS_MIGRATION_TABLES: readonly string[] = [sites.name];

/** ALTER TABLE … ADD COLUMN for the sites columns of schema 4. */
export function siteErrorsMigrationDdl(): string[] {
  const i = sites.columns.findIndex((c) => c.name === 'centre_err_a');
  if (i < 0) throw new Error('sites has no column centre_err_a');
  return sites.columns.slice(i, i + 1).map((c) => `ALTER TABLE ${sites.name} ADD COLUMN ${schemaIdent(c.name)} ${c.type};`);
}
