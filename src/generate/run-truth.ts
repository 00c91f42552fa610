/**
 * The ground truth of one synthetic run (truth.json): the true hops in frame units, their chains,
 * the generator parameters and the model's D. Keys beyond the original format (site types, the
 * close-pair, fixed-chain and underdamped parameters) are written only by the runs that use them,
 * so older truth files and the embedded datasets keep their exact bytes.
 */
import type { KmcHop, KmcParams, KmcResult } from './kmc.js';
import type { LatticeModel } from './lattice-models.js';
import type { MaterialSpec } from './material-spec.js';
import { latticeModelD, predict, requestedChainLaw, type Prediction } from './theory.js';
import type { Truth, TruthChain, TruthHop } from './truth.js';
import { oscillatorAt, vibRmsAt } from './vibration.js';

/** A hop's frame window: frames start..end (inclusive) are in transit. */
export interface FrameHop { start: number; end: number; hop: KmcHop }

type Params = Truth['params'];
const r = (x: number, n = 6): number => Number(x.toPrecision(n));

function truthHops(kmc: KmcResult, perIon: FrameHop[][], mobileAtom: Int32Array): { hops: TruthHop[]; chains: TruthChain[] } {
  const hops: TruthHop[] = [];
  for (let k = 0; k < perIon.length; k++) {
    let prevFrom = -1;
    for (const fh of perIon[k]) {
      hops.push({
        atom: mobileAtom[k], startFrame: fh.start, endFrame: fh.end,
        fromSite: fh.hop.from, toSite: fh.hop.to, chainId: fh.hop.chainId,
        backHop: fh.hop.to === prevFrom,
      });
      prevFrom = fh.hop.from;
    }
  }
  hops.sort((a, b) => a.startFrame - b.startFrame || a.chainId - b.chainId || a.atom - b.atom);
  const chains: TruthChain[] = kmc.chainSizes.map((size, chainId) => ({ chainId, size, atoms: [], startFrame: Infinity, endFrame: -1 }));
  for (const h of hops) {
    const c = chains[h.chainId];
    c.atoms.push(h.atom);
    c.startFrame = Math.min(c.startFrame, h.startFrame);
    c.endFrame = Math.max(c.endFrame, h.endFrame);
  }
  return { hops, chains };
}

/** The parameters only the newer regimes have, in a fixed order (empty for the original materials). */
function extraParams(spec: MaterialSpec, T: number, model: LatticeModel, pred: Prediction): Params {
  const out: Params = {};
  if (model.edgeClass) {
    out.pairDistanceA = model.pairDistanceA ?? NaN;
    out.pairActivationEv = spec.pairActivationEv ?? spec.activationEv;
    out.pairTransitFs = spec.pairTransitFs ?? spec.transitFs;
    out.gammaPairPerPs = r(pred.gammaPairPerPs ?? NaN);
  }
  if (spec.chainFixedSize !== undefined) out.chainFixedSize = spec.chainFixedSize;
  if (spec.vibration?.kind === 'underdamped') {
    const o = oscillatorAt(spec.vibration, spec.vibRefK, T);
    out.vibration = 'underdamped';
    out.vibPeriodFs = o.periodFs;
    out.vibDampingFs = r(o.dampingFs);
    out.vibDampingRefFs = spec.vibration.dampingFs;
  }
  return out;
}

// One object literal: the key order is the file's byte layout.
export function buildTruth(
  spec: MaterialSpec, T: number, seed: number, model: LatticeModel, kmc: KmcResult,
  perIon: FrameHop[][], mobileAtom: Int32Array, nFrames: number, dt: number, params: KmcParams,
): Truth {
  const { hops, chains } = truthHops(kmc, perIon, mobileAtom);
  const pred = predict(model, params);
  const modelD = latticeModelD(model, params, seed);
  const initialSites: Record<string, number> = {};
  for (let k = 0; k < mobileAtom.length; k++) initialSites[String(mobileAtom[k])] = kmc.initialSites[k];
  return {
    version: 1,
    seed,
    material: spec.name,
    mobile: spec.mobile,
    temperatureK: T,
    frameIntervalFs: dt,
    nFrames,
    lattice: Array.from(model.lattice),
    sites: Array.from({ length: model.nSites }, (_, s) => Array.from(model.sites.subarray(s * 3, s * 3 + 3), (x) => r(x, 12))),
    ...(model.siteTypes ? { siteTypes: [...model.siteTypes] } : {}),
    initialSites,
    params: {
      lattice: model.kind,
      cell: model.cellLabel,
      framework: spec.framework,
      nIons: spec.nIons,
      nSites: model.nSites,
      nFramework: model.nFramework,
      coordination: model.zMax,
      hopDistanceA: model.hopDistanceA,
      activationEv: spec.activationEv,
      attemptTHz: spec.attemptTHz,
      gammaPerPs: r(pred.gammaPerPs),
      chainProb: spec.chainProb,
      chainMax: spec.chainMax,
      chainSizeProbabilities: requestedChainLaw(params).map((x) => r(x)),
      chainDelayMin: spec.chainDelay[0],
      chainDelayMax: spec.chainDelay[1],
      chainTruncations: kmc.chainTruncations,
      transitFs: spec.transitFs,
      transitRange: [0.8, 1.25],
      arcFraction: spec.arcFraction,
      vibRmsA: r(vibRmsAt(spec.vibRmsA, spec.vibRefK, T)),
      vibRmsRefA: spec.vibRmsA,
      vibRefK: spec.vibRefK,
      frameworkVibRmsA: r(vibRmsAt(spec.vibRmsA, spec.vibRefK, T) * spec.frameworkVibScale),
      vibTauFs: spec.vibTauFs,
      anisotropy: spec.anisotropy,
      potimFs: spec.potimFs,
      nblock: spec.nblock,
      kmcEndFs: r(params.tEndFs, 10),
      correlationFactorF0: model.f0,
      expectedHopRatePerIonPerPs: r(pred.hopRatePerIonPerPs),
      vacancyFactor: r(pred.vacancyFactor),
      meanChainSize: r(pred.meanChainSize),
      correlationFactor: r(pred.correlationFactor),
      dUncorrelatedCm2s: r(pred.dUncorrelatedCm2s),
      dTracerModelCm2s: r(modelD.dCm2s),
      dTracerModelErrCm2s: r(modelD.errCm2s, 3),
      ...extraParams(spec, T, model, pred),
    },
    hops,
    chains,
    dTracerAnalyticCm2s: pred.dTracerAnalyticCm2s === null ? null : r(pred.dTracerAnalyticCm2s),
    dTracerModelCm2s: r(modelD.dCm2s),
    dTracerModelErrCm2s: r(modelD.errCm2s, 3),
  };
}
