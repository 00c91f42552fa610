// Hand-built analysis results for store tests (no reader or analysis needed).
import { tensorSummary } from '../../src/analysis/transport/tensor.js';
import type { AnalysisResult } from '../../src/analysis/types.js';
import type { TrajectoryRecord } from '../../src/store/ingest.js';

export function makeResult(k = 1): AnalysisResult {
  const events = [0, 1, 2].map((i) => ({
    atom: i,
    startFrame: 10 * i + k,
    endFrame: 10 * i + k + 2,
    from: [i, 0.5, 1.25] as [number, number, number],
    to: [i + 2.5, 0.5, 1.25] as [number, number, number],
    eventId: i,
    element: 'Li',
    startPs: (10 * i + k) * 0.1,
    durationPs: 0.2,
    lengthA: 2.5,
    groupId: i < 2 ? 0 : null,
    nBodies: i < 2 ? 2 : 1,
    backHop: i === 2,
    fromSite: i,
    toSite: i === 2 ? null : i + 1,
  }));
  return {
    method: 'default',
    params: { method: 'default', species: ['Li'], seed: 1 },
    paramsHash: 'p' + k,
    mobile: ['Li'],
    frameIntervalFs: 100,
    durationPs: 10,
    events,
    atoms: [0, 1, 2, 3].map((a) => ({ atom: a, element: 'Li', nEvents: a < 3 ? 1 : 0, nCentres: a < 3 ? 2 : 1, residencePsMean: a < 3 ? 4.5 : null, msdFinalA2: 6.25 * a })),
    groups: [{ groupId: 0, element: 'Li', nBodies: 2, nHops: 2, startFrame: k, endFrame: 12 + k, atoms: [0, 1] }],
    correlations: [
      { element: 'Li', method: 'calibrated', counted: 'hops', nBodies: 1, count: 1, fraction: 1 / 3, expected: 2.5, expectedSd: 0.5, excess: -1.5, excessErr: 1.1 },
      { element: 'Li', method: 'calibrated', counted: 'hops', nBodies: 2, count: 2, fraction: 2 / 3, expected: 0.5, expectedSd: 0.5, excess: 1.5, excessErr: 1.5 },
      { element: 'Li', method: 'iondiff', counted: 'hops', nBodies: 2, count: 3, fraction: 1, expected: NaN, expectedSd: NaN, excess: NaN, excessErr: NaN },
    ],
    correlationFits: [
      {
        element: 'Li', method: 'calibrated', offset: 0, offsetErr: NaN, amplitude: 1.5, amplitudeErr: 0.1, decayRate: 0.7, decayRateErr: 0.05, r2: NaN, nPoints: 3,
        chi2Reduced: 0.8, dof: 1, pValue: 0.37, nGroupsExcess: 12, verdict: 'exponential',
      },
      {
        element: 'Li', method: 'iondiff', offset: 0.01, offsetErr: 0.01, amplitude: 1.2, amplitudeErr: 0.1, decayRate: 0.5, decayRateErr: 0.05, r2: 0.99, nPoints: 3,
        chi2Reduced: NaN, dof: NaN, pValue: NaN, nGroupsExcess: NaN, verdict: null,
      },
    ],
    diffusion: [{
      element: 'Li', nIons: 4, dTracerCm2s: 1e-6 * k, dTracerErrCm2s: 1e-7 * k, dTracerResolved: true,
      dCollectiveCm2s: 2e-6 * k, dCollectiveErrCm2s: 5e-7, dCollectiveResolved: 2e-6 * k > 1e-6,
      havenRatio: 0.5, havenRatioErr: 0.1, conductivityNeSCm: 0.005 * k, conductivityNeErrSCm: 0.0005 * k,
      conductivitySCm: 0.01 * k, conductivityErrSCm: 0.002,
      tracerTensor: tensorSummary([0.8e-6 * k, 1e-6 * k, 1.2e-6 * k, 0, 0, 0]), dCollectiveAxesCm2s: Float64Array.from([2e-6 * k, 2e-6 * k, 2e-6 * k]),
      fitMethod: 'ols', flags: [],
      fitStartPs: 1, fitEndPs: 5, dHopsCm2s: 9e-7 * k,
      msdTimesPs: Float64Array.from([0, 1, 2]), msdA2: Float64Array.from([0, 0.5, 1.1]),
    }],
    descriptors: [{
      element: 'Li', nIons: 4, nEvents: 3, timeToFirstHopPsMean: 1.5, eventDurationPsMean: 0.2, hopLengthAMean: 2.5,
      hopRatePerIonPs: 0.075 * k, residencePsMean: 4.5, concertedFraction: 2 / 3, nBodiesMean: 5 / 3, decayRate: 0.7, backHopFraction: 1 / 3,
      concertedFractionExpected: 0.1, concertedFractionExcess: 2 / 3 - 0.1, concertedFractionExcessErr: 0.3, concertedPValue: 0.03,
      nBodiesMeanExpected: 1.1, nBodiesMeanExcess: 5 / 3 - 0.1, nBodiesMeanExcessErr: 0.3,
      iondiffConcertedFraction: 1, iondiffNBodiesMean: 2, correlationLaw: 'exponential', havenRatioGroups: 0.8, havenRatioGroupsErr: 0.1,
      sitesPerIon: 1.5, siteTypeCount: 2, networkDimensionality: 1, bottleneckFromSite: 0, bottleneckToSite: 1, returnFraction: 0.25, jumpLengthAMean: 2.5,
      cageCount: 1, completeCageCount: 1, doubletJumpFraction: 0, intraCageJumpFraction: 1, interCageJumpFraction: 0,
    }],
    sites: [0, 1].map((j) => ({
      element: 'Li', siteId: j, siteType: j, fracX: 0.25 * j, fracY: 0.5, fracZ: 0.125, xA: 2.5 * j, yA: 5, zA: 1.25,
      covXxA2: 0.04, covYyA2: 0.05, covZzA2: 0.06, covXyA2: 0.001, covXzA2: 0, covYzA2: -0.001, occupancy: 0.5, residencePsMean: j === 0 ? 4.5 : null, envType: 0, cageId: 0, centreErrA: j === 0 ? 0.012 : null,
    })),
    siteJumps: [{ element: 'Li', fromSite: 0, toSite: 1, count: 2, ratePerPs: 0.2 * k, transitPsMean: 0.2, returnFraction: 0.5, lengthA: 2.5, jumpClass: 'intra_cage' }],
    timingsMs: { total: 1 },
    warnings: [],
  };
}

export function makeRecord(id: string, over: Partial<TrajectoryRecord> = {}): TrajectoryRecord {
  return {
    trajectoryId: id,
    name: id,
    paths: [`/data/${id}/XDATCAR`],
    contentHash: 'c-' + id,
    filesSignature: 's-' + id,
    format: 'xdatcar',
    material: 'Li3X',
    formula: 'Li3X',
    temperatureK: 600,
    timestepFs: 2,
    frameIntervalFs: 100,
    nFrames: 101,
    nAtoms: 8,
    durationPs: 10,
    volumeA3: 1000,
    variableCell: false,
    nDiscontinuities: 0,
    species: [
      { element: 'Li', count: 4, charge: 1, mobile: true },
      { element: 'X', count: 4, charge: null, mobile: false },
    ],
    paramsHash: 'idx-params',
    metadataSources: { temperatureK: 'sidecar' },
    warnings: [],
    analysisMs: 12.5,
    ...over,
  };
}
