/** The calibrated many-body result as the analysis result's rows (correlations, fits, groups, descriptors). */
import type { ConcertedGroup, CorrelationBin, CorrelationFit, ElementDescriptors } from '../types.js';
import type { ConcertedResult, NBodyRow } from './concerted.js';
import { testExponentialLaw } from './exponential-law.js';
import { havenFromGroups } from './haven.js';
import type { ManyBodyHop } from './pair-relations.js';

function binsOf(rows: readonly NBodyRow[], element: string, counted: 'hops' | 'groups'): CorrelationBin[] {
  let total = 0;
  for (const r of rows) total += r.observed;
  return rows.map((r) => ({
    element, method: 'calibrated', counted, nBodies: r.nBodies, count: r.observed, fraction: total > 0 ? r.observed / total : NaN,
    expected: r.expected, expectedSd: r.expectedSd, excess: r.excess, excessErr: r.excessErr,
  }));
}

export interface ManyBodyRows {
  bins: CorrelationBin[];
  fit: CorrelationFit;
  /** Group ids 0…, to be offset by the caller. */
  groups: ConcertedGroup[];
  descriptors: Pick<ElementDescriptors,
    'concertedFraction' | 'concertedFractionExpected' | 'concertedFractionExcess' | 'concertedFractionExcessErr' | 'concertedPValue' |
    'nBodiesMean' | 'nBodiesMeanExpected' | 'nBodiesMeanExcess' | 'nBodiesMeanExcessErr' | 'decayRate' | 'correlationLaw' |
    'havenRatioGroups' | 'havenRatioGroupsErr'>;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** `hops` are the hops `r` was computed from (for the groups' Haven ratio). */
export function manyBodyRows(r: ConcertedResult, element: string, hops: readonly ManyBodyHop[]): ManyBodyRows {
  const haven = havenFromGroups(hops, r.groupOf);
  const law = testExponentialLaw(r.groupSizes);
  const fit: CorrelationFit = {
    element, method: 'calibrated', offset: 0, offsetErr: NaN,
    amplitude: law.amplitude, amplitudeErr: law.amplitudeErr, decayRate: law.decayRate, decayRateErr: law.decayRateErr,
    r2: NaN, nPoints: law.nPoints, chi2Reduced: law.chi2Reduced, dof: law.dof, pValue: law.pValue,
    nGroupsExcess: law.nGroupsExcess, verdict: law.verdict,
  };
  const groups: ConcertedGroup[] = r.groups.map((g, id) => ({
    groupId: id, element, nBodies: g.atoms.length, nHops: g.members.length, startFrame: g.startFrame, endFrame: g.endFrame, atoms: g.atoms,
  }));
  const empty = r.nHops === 0;
  const cf = r.concertedFraction, nb = r.nBodiesMean;
  return {
    bins: [...binsOf(r.hopDistribution, element, 'hops'), ...binsOf(r.groupSizes, element, 'groups')],
    fit,
    groups,
    descriptors: {
      concertedFraction: empty ? null : orNull(cf.observed),
      concertedFractionExpected: empty ? null : orNull(cf.expected),
      concertedFractionExcess: empty ? null : orNull(cf.excess),
      concertedFractionExcessErr: empty ? null : orNull(cf.excessErr),
      concertedPValue: empty ? null : orNull(cf.pValue),
      nBodiesMean: empty ? null : orNull(nb.observed),
      nBodiesMeanExpected: empty ? null : orNull(nb.expected),
      nBodiesMeanExcess: empty ? null : orNull(nb.excess + 1),
      nBodiesMeanExcessErr: empty ? null : orNull(nb.excessErr),
      decayRate: law.verdict === 'exponential' ? law.decayRate : null,
      correlationLaw: law.verdict,
      havenRatioGroups: orNull(haven.value),
      havenRatioGroupsErr: orNull(haven.err),
    },
  };
}
