/** `correlation_fits`: the exponential fit of the n-body distribution (AnalysisResult.correlationFits). */
import type { CorrelationFit } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const correlationFits: AnalysisTable<CorrelationFit, 'correlation_fits'> = {
  name: 'correlation_fits',
  comment: 'Exponential law of the n-body distribution per (trajectory, element, method): calibrated = weighted fit amplitude·exp(−decay_rate·(n−2)) of the excess group sizes, tested (chi2, p, verdict); iondiff = the unweighted fit offset + amplitude·exp(−decay_rate·n) of IonDiff\'s per-hop distribution, untested',
  rows: (r) => r.correlationFits,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (f) => f.element },
    { name: 'offset', type: 'DOUBLE', comment: 'Offset of the fit (0 for calibrated)', get: (f) => num(f.offset) },
    { name: 'offset_err', type: 'DOUBLE', comment: 'Standard error of offset', get: (f) => num(f.offsetErr) },
    { name: 'amplitude', type: 'DOUBLE', comment: 'Amplitude of the fit (calibrated: excess groups of 2 ions)', get: (f) => num(f.amplitude) },
    { name: 'amplitude_err', type: 'DOUBLE', comment: 'Standard error of amplitude', get: (f) => num(f.amplitudeErr) },
    { name: 'decay_rate', type: 'DOUBLE', comment: 'Decay rate per body', get: (f) => num(f.decayRate) },
    { name: 'decay_rate_err', type: 'DOUBLE', comment: 'Standard error of decay_rate', get: (f) => num(f.decayRateErr) },
    { name: 'r2', type: 'DOUBLE', comment: 'Coefficient of determination (iondiff only)', get: (f) => num(f.r2) },
    { name: 'n_points', type: 'INTEGER', comment: 'Number of n-body bins fitted', get: (f) => f.nPoints },
    { name: 'method', type: 'VARCHAR', default: "'calibrated'", comment: 'calibrated or iondiff (see correlations.method)', get: (f) => f.method },
    { name: 'chi2_reduced', type: 'DOUBLE', comment: 'χ²/dof of the weighted fit (calibrated only)', get: (f) => num(f.chi2Reduced) },
    { name: 'dof', type: 'INTEGER', comment: 'Degrees of freedom of the χ² (calibrated only)', get: (f) => (Number.isFinite(f.dof) ? f.dof : null) },
    { name: 'p_value', type: 'DOUBLE', comment: 'P(χ² ≥ observed) under the exponential law (calibrated only)', get: (f) => num(f.pValue) },
    { name: 'n_groups_excess', type: 'DOUBLE', comment: 'Excess groups of ≥ 2 ions the calibrated fit saw', get: (f) => num(f.nGroupsExcess) },
    { name: 'verdict', type: 'VARCHAR', comment: 'exponential (p ≥ 0.01 and decay_rate > 2σ), not exponential, or too few groups (< 10 excess groups or < 3 sizes); NULL for iondiff', get: (f) => f.verdict },
  ],
};
