/** `correlations`: the n-body distributions of hop events (AnalysisResult.correlations). */
import type { CorrelationBin } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const correlations: AnalysisTable<CorrelationBin, 'correlations'> = {
  name: 'correlations',
  comment: 'n-body distributions per (trajectory, element, method, counted, n_bodies): the calibrated groups (observed, expected under independent hops, excess) and IonDiff\'s time-only per-hop count',
  rows: (r) => r.correlations,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (c) => c.element },
    { name: 'n_bodies', type: 'INTEGER', notNull: true, comment: 'Number of correlated bodies (ions)', get: (c) => c.nBodies },
    { name: 'count', type: 'INTEGER', notNull: true, comment: 'Observed number of hops (or groups) with this n_bodies', get: (c) => c.count },
    { name: 'fraction', type: 'DOUBLE', comment: 'count / total of the distribution', get: (c) => num(c.fraction) },
    { name: 'method', type: 'VARCHAR', default: "'calibrated'", comment: 'calibrated (null-model groups, analysis/manybody) or iondiff (time-only count, reference threshold = mean random correlation)', get: (c) => c.method },
    { name: 'counted', type: 'VARCHAR', default: "'hops'", comment: 'hops: hops whose group has n_bodies ions; groups: groups of n_bodies ions (n_bodies = 1: hops in no group)', get: (c) => c.counted },
    { name: 'expected', type: 'DOUBLE', comment: 'Mean count under independent hops (circularly shifted null); NULL for iondiff', get: (c) => num(c.expected) },
    { name: 'expected_sd', type: 'DOUBLE', comment: 'Spread (SD) of the count under independent hops; NULL for iondiff', get: (c) => num(c.expectedSd) },
    { name: 'excess', type: 'DOUBLE', comment: 'count − expected; NULL for iondiff', get: (c) => num(c.excess) },
    { name: 'excess_err', type: 'DOUBLE', comment: 'Standard error of excess; NULL for iondiff', get: (c) => num(c.excessErr) },
  ],
};
