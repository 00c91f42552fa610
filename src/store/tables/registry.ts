/**
 * Every table and view of an ionsift database, in creation order. Adding a column is one line
 * in its table's file; the DDL, comments, Appender, `analyze --json`, screen and plots follow.
 */
import type { AnalysisTable, TableSchema } from './column.js';
import type { View } from './view.js';
import { schemaVersion } from './schema-version.js';
import { trajectories } from './trajectories.js';
import { species } from './species.js';
import { events } from './events.js';
import { atoms } from './atoms.js';
import { concertedGroups } from './concerted-groups.js';
import { correlations } from './correlations.js';
import { correlationFits } from './correlation-fits.js';
import { diffusion } from './diffusion.js';
import { elementDescriptors } from './element-descriptors.js';
import { sites } from './sites.js';
import { siteJumps } from './site-jumps.js';
import { arrhenius } from './arrhenius.js';
import { failures } from './failures.js';
import { descriptorsView } from './descriptors-view.js';
import { diffusionPooledView } from './diffusion-pooled-view.js';

export { schemaVersion, trajectories, species, events, atoms, concertedGroups, correlations, correlationFits, diffusion, elementDescriptors, sites, siteJumps, arrhenius, failures, descriptorsView, diffusionPooledView };

/** The per-trajectory tables filled from the analysis result's arrays, in write (and JSON) order. */
const ANALYSIS = [events, atoms, concertedGroups, correlations, correlationFits, diffusion, elementDescriptors, sites, siteJumps] as const;
export const ANALYSIS_TABLES: readonly AnalysisTable<unknown>[] = ANALYSIS;

/** Tables that hold per-trajectory rows (keyed by trajectory_id), in write order. */
export const TRAJECTORY_TABLE_SCHEMAS = [trajectories, species, ...ANALYSIS] as const;

/** Every base table in creation order (schema_version first). */
export const TABLE_SCHEMAS: readonly TableSchema[] = [schemaVersion, ...TRAJECTORY_TABLE_SCHEMAS, arrhenius, failures];

export const VIEWS: readonly View[] = [descriptorsView, diffusionPooledView];

/** The table description named `name`, or undefined. */
export function tableSchema(name: string): TableSchema | undefined {
  return TABLE_SCHEMAS.find((t) => t.name === name);
}
