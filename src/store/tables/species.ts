/** `species`: one row per element of a trajectory, from the indexer's record. */
import type { SpeciesRecord } from '../records.js';
import { num, trajectoryIdColumn, type TrajectoryContext, type Table } from './column.js';

export const species: Table<SpeciesRecord, TrajectoryContext, 'species'> = {
  name: 'species',
  comment: 'One row per element in a trajectory',
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Element symbol', get: (s) => s.element },
    { name: 'count', type: 'INTEGER', notNull: true, comment: 'Number of atoms of this element', get: (s) => s.count },
    { name: 'charge', type: 'DOUBLE', unit: 'e', comment: 'Formal charge (e), when given', get: (s) => num(s.charge) },
    { name: 'mobile', type: 'BOOLEAN', notNull: true, comment: 'True when analysed as a mobile species', get: (s) => s.mobile },
  ],
};
