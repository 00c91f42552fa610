/** `correlations`: the n-body distribution of hop events (AnalysisResult.correlations). */
import type { CorrelationBin } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const correlations: AnalysisTable<CorrelationBin, 'correlations'> = {
  name: 'correlations',
  comment: 'n-body distribution of hop events per (trajectory, element, n_bodies)',
  rows: (r) => r.correlations,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (c) => c.element },
    { name: 'n_bodies', type: 'INTEGER', notNull: true, comment: 'Number of correlated bodies', get: (c) => c.nBodies },
    { name: 'count', type: 'INTEGER', notNull: true, comment: 'Number of events with this n_bodies', get: (c) => c.count },
    { name: 'fraction', type: 'DOUBLE', comment: 'count / total events of the element', get: (c) => num(c.fraction) },
  ],
};
