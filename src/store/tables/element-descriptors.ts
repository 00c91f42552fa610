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
    { name: 'concerted_fraction', type: 'DOUBLE', comment: 'Fraction of events in concerted groups', get: (d) => num(d.concertedFraction) },
    { name: 'n_bodies_mean', type: 'DOUBLE', comment: 'Mean number of correlated bodies per event', get: (d) => num(d.nBodiesMean) },
    { name: 'decay_rate', type: 'DOUBLE', comment: 'Decay rate of the n-body distribution fit', get: (d) => num(d.decayRate) },
    { name: 'back_hop_fraction', type: 'DOUBLE', comment: 'Fraction of hops returning to the previous centre', get: (d) => num(d.backHopFraction) },
    { name: 'sites_per_ion', type: 'DOUBLE', comment: 'Sites in the site map per ion of the element', get: (d) => num(d.sitesPerIon) },
    { name: 'site_type_count', type: 'INTEGER', comment: 'Number of site types', get: (d) => d.siteTypeCount },
    { name: 'network_dimensionality', type: 'INTEGER', comment: 'Directions the jump network percolates through periodic images (0–3); NULL without jumps', get: (d) => d.networkDimensionality },
    { name: 'bottleneck_from_site', type: 'INTEGER', comment: 'Bottleneck pair (the least-used site pair the dimensionality needs), one site', get: (d) => d.bottleneckFromSite },
    { name: 'bottleneck_to_site', type: 'INTEGER', comment: 'Bottleneck pair, the other site', get: (d) => d.bottleneckToSite },
    { name: 'return_fraction', type: 'DOUBLE', comment: 'Fraction of site jumps the same ion undid by its next jump', get: (d) => num(d.returnFraction) },
    { name: 'jump_length_a_mean', type: 'DOUBLE', unit: 'Å', comment: 'Mean site-to-site jump length (Å)', get: (d) => num(d.jumpLengthAMean) },
  ],
};
