/** `concerted_groups`: one row per set of ions hopping together (AnalysisResult.groups). */
import type { ConcertedGroup } from '../../analysis/types.js';
import { trajectoryIdColumn, type AnalysisTable } from './column.js';

export const concertedGroups: AnalysisTable<ConcertedGroup, 'concerted_groups'> = {
  name: 'concerted_groups',
  comment: 'One row per set of ions hopping together: components of hop pairs in (relation, lag) bins the null model of independent hops does not explain (analysis/manybody)',
  rows: (r) => r.groups,
  columns: [
    trajectoryIdColumn(),
    { name: 'group_id', type: 'INTEGER', notNull: true, comment: 'Group id within the trajectory (events.group_id)', get: (g) => g.groupId },
    { name: 'element', type: 'VARCHAR', comment: 'Element of the ions in the group', get: (g) => g.element },
    // The group's distinct atoms (an ion may hop twice within a group).
    { name: 'n_bodies', type: 'INTEGER', notNull: true, comment: 'Number of distinct ions (atoms) in the group', get: (g) => g.nBodies },
    { name: 'start_frame', type: 'INTEGER', comment: 'First frame of the group (0-based)', get: (g) => g.startFrame },
    { name: 'end_frame', type: 'INTEGER', comment: 'Last frame of the group', get: (g) => g.endFrame },
    { name: 'atoms', type: 'INTEGER[]', comment: 'Atom indices of the ions in the group', get: (g) => Array.from(g.atoms) },
    { name: 'n_hops', type: 'INTEGER', comment: 'Number of hops in the group', get: (g) => g.nHops },
  ],
};
