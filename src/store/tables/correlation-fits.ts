/** `correlation_fits`: the exponential fit of the n-body distribution (AnalysisResult.correlationFits). */
import type { CorrelationFit } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const correlationFits: AnalysisTable<CorrelationFit, 'correlation_fits'> = {
  name: 'correlation_fits',
  comment: 'Fit y(n) = offset + amplitude·exp(−decay_rate·n) of the n-body distribution',
  rows: (r) => r.correlationFits,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (f) => f.element },
    { name: 'offset', type: 'DOUBLE', comment: 'Offset of the fit', get: (f) => num(f.offset) },
    { name: 'offset_err', type: 'DOUBLE', comment: 'Standard error of offset', get: (f) => num(f.offsetErr) },
    { name: 'amplitude', type: 'DOUBLE', comment: 'Amplitude of the fit', get: (f) => num(f.amplitude) },
    { name: 'amplitude_err', type: 'DOUBLE', comment: 'Standard error of amplitude', get: (f) => num(f.amplitudeErr) },
    { name: 'decay_rate', type: 'DOUBLE', comment: 'Decay rate per body', get: (f) => num(f.decayRate) },
    { name: 'decay_rate_err', type: 'DOUBLE', comment: 'Standard error of decay_rate', get: (f) => num(f.decayRateErr) },
    { name: 'r2', type: 'DOUBLE', comment: 'Coefficient of determination', get: (f) => num(f.r2) },
    { name: 'n_points', type: 'INTEGER', comment: 'Number of n-body bins fitted', get: (f) => f.nPoints },
  ],
};
