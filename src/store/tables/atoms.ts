/** `atoms`: one row per analysed ion (AnalysisResult.atoms). */
import type { AtomSummary } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const atoms: AnalysisTable<AtomSummary, 'atoms'> = {
  name: 'atoms',
  comment: 'One row per analysed (mobile) ion',
  rows: (r) => r.atoms,
  columns: [
    trajectoryIdColumn(),
    { name: 'atom', type: 'INTEGER', notNull: true, comment: 'Atom index in file order (0-based, all species)', get: (a) => a.atom },
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Element symbol', get: (a) => a.element },
    { name: 'n_events', type: 'INTEGER', notNull: true, comment: 'Number of hops of this ion', get: (a) => a.nEvents },
    { name: 'n_centres', type: 'INTEGER', comment: 'Number of vibration centres found', get: (a) => a.nCentres },
    { name: 'residence_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean residence time at a centre between hops (ps); NULL when it never hopped', get: (a) => num(a.residencePsMean) },
    { name: 'msd_final_a2', type: 'DOUBLE', unit: 'Å²', comment: 'Squared displacement between the first and last frame (Å²); across a discontinuity the displacements of the continuous segments are added', get: (a) => num(a.msdFinalA2) },
  ],
};
