/**
 * The site map of one trajectory and element projected on the a–b fractional plane: sites as
 * circles (colour by type, area by occupancy) with the jump network drawn under them, one line
 * per site pair (width by jump count, drawn to the nearest periodic image so a pair across the
 * cell edge is a short line leaving the cell, not one across the whole plot).
 */
import { MATERIAL_SQL } from '../store/tables/descriptors-view.js';
import type { TopLevelSpec } from 'vega-lite';
import type { PlotFilters } from './types.js';
import { VEGA_LITE_SCHEMA, type SpecOptions } from './specs.js';

export interface SiteMapSiteRow {
  site_id: number;
  site_type: number | null;
  frac_x: number;
  frac_y: number;
  frac_z: number;
  occupancy: number | null;
}

export interface SiteMapJumpRow {
  from_site: number;
  to_site: number;
  /** Jumps both ways between the pair. */
  count: number;
}

const lit = (v: string | number): string => (typeof v === 'number' ? String(v) : `'${v.replace(/'/g, "''")}'`);

/** The trajectory (the filter's, else the one with most sites) and element (the filter's, else its first) the map shows. */
function pick(f: PlotFilters): string {
  const c: string[] = [];
  if (f.material !== undefined) c.push(`${MATERIAL_SQL} = ${lit(f.material)}`);
  if (f.element !== undefined) c.push(`s.element = ${lit(f.element)}`);
  if (f.trajectory !== undefined) c.push(`CAST(t.trajectory_id AS VARCHAR) = ${lit(String(f.trajectory))}`);
  if (typeof f.temperature_k === 'number') c.push(`abs(t.temperature_k - ${f.temperature_k}) <= 0.5`);
  return `SELECT s.trajectory_id, s.element FROM sites s JOIN trajectories t USING (trajectory_id)
  WHERE TRUE${c.map((x) => ` AND ${x}`).join('')} GROUP BY 1, 2 ORDER BY count(*) DESC, 1, 2 LIMIT 1`;
}

export function siteMapSitesSql(f: PlotFilters): string {
  return `WITH p AS (${pick(f)})
SELECT site_id, site_type, frac_x, frac_y, frac_z, occupancy FROM sites JOIN p USING (trajectory_id, element) ORDER BY site_id`;
}

/** Jumps per unordered site pair (both directions summed). */
export function siteMapJumpsSql(f: PlotFilters): string {
  return `WITH p AS (${pick(f)})
SELECT least(from_site, to_site) AS from_site, greatest(from_site, to_site) AS to_site, CAST(sum(count) AS INTEGER) AS count
FROM site_jumps JOIN p USING (trajectory_id, element) GROUP BY 1, 2 ORDER BY 1, 2`;
}

export function siteMapSpec(sites: readonly SiteMapSiteRow[], jumps: readonly SiteMapJumpRow[], opts: SpecOptions = {}): TopLevelSpec {
  const width = opts.width ?? 520;
  const byId = new Map(sites.map((s) => [s.site_id, s]));
  const near = (d: number) => d - Math.round(d);
  const lines = jumps.flatMap((j) => {
    const a = byId.get(j.from_site), b = byId.get(j.to_site);
    if (!a || !b) return [];
    return [{ a: a.frac_x, b: a.frac_y, a2: a.frac_x + near(b.frac_x - a.frac_x), b2: a.frac_y + near(b.frac_y - a.frac_y), count: Number(j.count), pair: `${j.from_site}–${j.to_site}` }];
  });
  const points = sites.map((s) => ({ site: s.site_id, type: s.site_type === null ? 'n/a' : String(s.site_type), a: s.frac_x, b: s.frac_y, c: s.frac_z, occupancy: s.occupancy ?? 0 }));
  const scale = { domain: [-0.05, 1.05], nice: false };
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: opts.title ?? `Site map (${sites.length} sites, ${lines.reduce((s, l) => s + l.count, 0)} jumps), a–b projection`,
    width, height: width,
    config: { font: 'DejaVu Sans', aria: false, background: 'white', view: { stroke: '#ddd' } },
    layer: [
      {
        data: { values: lines },
        mark: { type: 'rule', color: '#888', opacity: 0.6 },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale, title: 'fractional a' },
          y: { field: 'b', type: 'quantitative', scale, title: 'fractional b' },
          x2: { field: 'a2' }, y2: { field: 'b2' },
          strokeWidth: { field: 'count', type: 'quantitative', scale: { range: [0.5, 6] }, title: 'jumps' },
          tooltip: [{ field: 'pair', title: 'sites' }, { field: 'count', title: 'jumps' }],
        },
      },
      {
        data: { values: points },
        mark: { type: 'circle', opacity: 0.85, stroke: 'black', strokeWidth: 0.5 },
        encoding: {
          x: { field: 'a', type: 'quantitative', scale },
          y: { field: 'b', type: 'quantitative', scale },
          color: { field: 'type', type: 'nominal', title: 'site type' },
          size: { field: 'occupancy', type: 'quantitative', scale: { range: [20, 400] }, title: 'occupancy' },
          tooltip: [{ field: 'site' }, { field: 'type' }, { field: 'occupancy', format: '.2f' }, { field: 'c', title: 'fractional c', format: '.3f' }],
        },
      },
    ],
  } as TopLevelSpec;
}
