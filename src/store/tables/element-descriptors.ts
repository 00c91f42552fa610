/** `element_descriptors`: hop descriptors per (trajectory, element) (AnalysisResult.descriptors). */
import type { ElementDescriptors } from '../../analysis/types.js';
import { num, trajectoryIdColumn, type AnalysisTable } from './column.js';

export const elementDescriptors: AnalysisTable<ElementDescriptors, 'element_descriptors'> = {
  name: 'element_descriptors',
  comment: 'Hop descriptors per (trajectory, element), as computed by analyze()',
  rows: (r) => r.descriptors,
  columns: [
    trajectoryIdColumn(),
    { name: 'element', type: 'VARCHAR', notNull: true, comment: 'Mobile element', get: (d) => d.element },
    { name: 'n_ions', type: 'INTEGER', comment: 'Number of ions of the element', get: (d) => d.nIons },
    { name: 'n_events', type: 'INTEGER', comment: 'Number of hop events of the element', get: (d) => d.nEvents },
    { name: 'time_to_first_hop_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean time before an ion\'s first hop (ps)', get: (d) => num(d.timeToFirstHopPsMean) },
    { name: 'event_duration_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean transit duration (ps)', get: (d) => num(d.eventDurationPsMean) },
    { name: 'hop_length_a_mean', type: 'DOUBLE', unit: 'Å', comment: 'Mean hop length (Å)', get: (d) => num(d.hopLengthAMean) },
    { name: 'hop_rate_per_ion_ps', type: 'DOUBLE', unit: '1/ps', comment: 'Hops per ion per ps', get: (d) => num(d.hopRatePerIonPs) },
    { name: 'residence_ps_mean', type: 'DOUBLE', unit: 'ps', comment: 'Mean residence time between hops (ps)', get: (d) => num(d.residencePsMean) },
    { name: 'concerted_fraction', type: 'DOUBLE', comment: 'Fraction of events in concerted groups (null-model calibrated, analysis/manybody)', get: (d) => num(d.concertedFraction) },
    { name: 'n_bodies_mean', type: 'DOUBLE', comment: 'Mean number of ions in an event\'s concerted group (1 when in none), calibrated', get: (d) => num(d.nBodiesMean) },
    { name: 'decay_rate', type: 'DOUBLE', comment: 'Decay rate of the calibrated group-size law; NULL unless correlation_law is exponential', get: (d) => num(d.decayRate) },
    { name: 'back_hop_fraction', type: 'DOUBLE', comment: 'Fraction of hops returning to the previous centre', get: (d) => num(d.backHopFraction) },
    { name: 'concerted_fraction_expected', type: 'DOUBLE', comment: 'concerted_fraction expected from independent hops (shifted null, same groups rule)', get: (d) => num(d.concertedFractionExpected) },
    { name: 'concerted_fraction_excess', type: 'DOUBLE', comment: 'concerted_fraction − concerted_fraction_expected', get: (d) => num(d.concertedFractionExcess) },
    { name: 'concerted_fraction_excess_err', type: 'DOUBLE', comment: 'Standard error of concerted_fraction_excess', get: (d) => num(d.concertedFractionExcessErr) },
    { name: 'concerted_p_value', type: 'DOUBLE', comment: 'One-sided p-value of concerted_fraction_excess > 0', get: (d) => num(d.concertedPValue) },
    { name: 'n_bodies_mean_expected', type: 'DOUBLE', comment: 'n_bodies_mean expected from independent hops', get: (d) => num(d.nBodiesMeanExpected) },
    { name: 'n_bodies_mean_excess', type: 'DOUBLE', comment: '1 + n_bodies_mean − n_bodies_mean_expected (1: no correlation beyond chance)', get: (d) => num(d.nBodiesMeanExcess) },
    { name: 'n_bodies_mean_excess_err', type: 'DOUBLE', comment: 'Standard error of n_bodies_mean_excess', get: (d) => num(d.nBodiesMeanExcessErr) },
    { name: 'iondiff_concerted_fraction', type: 'DOUBLE', comment: 'IonDiff\'s time-only fraction of events with ≥ 2 bodies (threshold = mean random correlation, not a significance level)', get: (d) => num(d.iondiffConcertedFraction) },
    { name: 'iondiff_n_bodies_mean', type: 'DOUBLE', comment: 'IonDiff\'s time-only mean number of correlated bodies per event', get: (d) => num(d.iondiffNBodiesMean) },
    { name: 'correlation_law', type: 'VARCHAR', comment: 'Verdict on the exponential n-body law (correlation_fits.verdict, calibrated)', get: (d) => d.correlationLaw },
    { name: 'haven_ratio_groups', type: 'DOUBLE', comment: 'Haven ratio implied by the concerted groups: Σ|hop|² / Σ_groups |Σ hops of the group|² (compare diffusion.haven_ratio)', get: (d) => num(d.havenRatioGroups) },
    { name: 'haven_ratio_groups_err', type: 'DOUBLE', comment: 'Standard error of haven_ratio_groups (groups as independent units)', get: (d) => num(d.havenRatioGroupsErr) },
  ],
};
