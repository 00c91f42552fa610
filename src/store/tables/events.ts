/** `events`: one row per detected hop (AnalysisResult.events). */
import type { HopEvent } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const events: AnalysisTable<HopEvent, 'events'> = {
  name: 'events',
  comment: 'One row per detected hop event',
  rows: (r) => r.events,
  columns: [
    trajectoryIdColumn(),
    { name: 'event_id', type: 'INTEGER', notNull: true, comment: '0-based id within the trajectory, ordered by (atom, start_frame)', get: (e) => e.eventId },
    { name: 'atom', type: 'INTEGER', notNull: true, comment: 'Atom index in file order (0-based, all species)', get: (e) => e.atom },
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Element of the hopping ion', get: (e) => e.element },
    { name: 'start_frame', type: 'INTEGER', notNull: true, comment: 'First frame of the transit (0-based, inclusive)', get: (e) => e.startFrame },
    { name: 'end_frame', type: 'INTEGER', notNull: true, comment: 'Last frame of the transit (inclusive)', get: (e) => e.endFrame },
    { name: 'start_ps', type: 'DOUBLE', unit: 'ps', comment: 'Start time (ps)', get: (e) => num(e.startPs) },
    { name: 'duration_ps', type: 'DOUBLE', unit: 'ps', comment: 'Transit duration (ps)', get: (e) => num(e.durationPs) },
    // The distance between the unwrapped centres (from → to), not a minimum-image distance.
    { name: 'length_a', type: 'DOUBLE', unit: 'Å', comment: 'Distance between the unwrapped centres left and reached, |to − from| (Å)', get: (e) => num(e.lengthA) },
    { name: 'from_x_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre left, unwrapped Cartesian x (Å)', get: (e) => num(e.from[0]) },
    { name: 'from_y_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre left, unwrapped Cartesian y (Å)', get: (e) => num(e.from[1]) },
    { name: 'from_z_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre left, unwrapped Cartesian z (Å)', get: (e) => num(e.from[2]) },
    { name: 'to_x_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre reached, unwrapped Cartesian x (Å)', get: (e) => num(e.to[0]) },
    { name: 'to_y_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre reached, unwrapped Cartesian y (Å)', get: (e) => num(e.to[1]) },
    { name: 'to_z_a', type: 'DOUBLE', unit: 'Å', comment: 'Centre reached, unwrapped Cartesian z (Å)', get: (e) => num(e.to[2]) },
    { name: 'group_id', type: 'INTEGER', comment: 'Concerted group id (concerted_groups.group_id), NULL when uncorrelated', get: (e) => e.groupId },
    { name: 'n_bodies', type: 'INTEGER', comment: 'Number of correlated events including this one', get: (e) => e.nBodies },
    { name: 'back_hop', type: 'BOOLEAN', comment: 'True when the ion returns to the centre it left in its previous hop', get: (e) => e.backHop },
    { name: 'from_site', type: 'INTEGER', comment: 'Site left (sites.site_id), NULL when the site map could not assign it', get: (e) => e.fromSite },
    { name: 'to_site', type: 'INTEGER', comment: 'Site reached (sites.site_id), NULL when the site map could not assign it', get: (e) => e.toSite },
  ],
};
