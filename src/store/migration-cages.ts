/**
 * Schema 2 → 3, the cages part (issue 12, section 4): sites.env_type and cage_id,
 * site_jumps.jump_class and the cage descriptors of element_descriptors, appended, so a migrated table has the described column
 * order. Rows written before it keep NULL there until re-indexed (ANALYSIS_VERSION changed with it).
 */
import type { TableSchema } from './tables/column.js';
import { elementDescriptors, siteJumps, sites } from './tables/registry.js';
import { schemaIdent } from './sql.js';

/** The first column each table gains. */
const FIRST: readonly [TableSchema, string][] = [[sites, 'env_type'], [siteJumps, 'jump_class'], [elementDescriptors, 'cage_count']];

/** The tables whose comments the migration sets. */
export const CAGES_MIGRATION_TABLES: readonly string[] = FIRST.map(([t]) => t.name);

/** The columns a table had before migration 3 (migration 2 creates site_jumps in that shape). */
export function beforeCages<T extends TableSchema>(t: T): T {
  const entry = FIRST.find(([x]) => x.name === t.name);
  if (!entry) return t;
  const i = t.columns.findIndex((c) => c.name === entry[1]);
  return { ...t, columns: t.columns.slice(0, i) };
}

/** Columns a later migration appends to a table of FIRST (schema 4: sites.centre_err_a): migration 3 stops before them. */
const LATER: Readonly<Record<string, string>> = { sites: 'centre_err_a' };

/** The ALTERs: every column from the first new one on, up to a later migration's first (columns are only ever appended). */
export function cagesMigrationDdl(): string[] {
  return FIRST.flatMap(([t, first]) => {
    const i = t.columns.findIndex((c) => c.name === first);
    if (i < 0) throw new Error(`${t.name} has no column ${first}`);
    const later = LATER[t.name];
    const j = later === undefined ? t.columns.length : t.columns.findIndex((c) => c.name === later);
    if (j < 0) throw new Error(`${t.name} has no column ${later}`);
    return t.columns.slice(i, j).map((c) => `ALTER TABLE ${t.name} ADD COLUMN ${schemaIdent(c.name)} ${c.type};`);
  });
}
