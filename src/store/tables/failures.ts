/** `failures`: trajectories that could not be indexed in the latest attempt. */
import type { FailureRecord } from '../records.js';
import type { Table } from './column.js';

/** A failure with its time fixed (the record's `at`, else now). */
export type FailureRow = FailureRecord & { at: Date };

export const failures: Table<FailureRow, void, 'failures'> = {
  name: 'failures',
  comment: 'One row per trajectory that could not be indexed in the latest attempt',
  columns: [
    { name: 'trajectory_id', type: 'VARCHAR', comment: 'trajectories.trajectory_id of the failed trajectory, NULL when not known', get: (f) => f.trajectoryId },
    { name: 'path', type: 'VARCHAR', notNull: true, comment: 'File that failed (absolute)', get: (f) => f.path },
    { name: 'stage', type: 'VARCHAR', notNull: true, comment: 'discover, hash, read, analyze or write', get: (f) => f.stage },
    { name: 'message', type: 'VARCHAR', notNull: true, comment: 'Error message naming the file and line/frame', get: (f) => f.message },
    { name: 'at', type: 'TIMESTAMP', notNull: true, comment: 'When it failed (UTC)', volatile: true, get: (f) => f.at },
  ],
};
