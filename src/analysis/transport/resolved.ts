/**
 * Which transport numbers a run resolves, and the derived ones with their errors.
 *
 * A D is RESOLVED when it exceeds twice its standard error (D > 2σ): below that the run cannot
 * tell it from zero (a centre of mass over one short run typically cannot), so the value is not
 * reported (NaN here, NULL in the database) and a flag says why, with the fitted value and σ.
 * Never a negative D, conductivity or Haven ratio.
 *
 *   conductivity (Nernst–Einstein, tracer)  σ_NE = N·(z·e)²·D_tracer / (V·k_B·T)   — what
 *       pymatgen's DiffusionAnalyzer calls "conductivity": it assumes uncorrelated ions;
 *   conductivity (collective)               σ    = N·(z·e)²·D_collective / (V·k_B·T) — the
 *       charge conductivity, cross-correlations included (Haven ratio H = D_tracer/D_collective
 *       = σ_NE/σ);
 *   errors propagated from σ_D (V, z, T exact); the Haven ratio's error adds the relative errors
 *   of both D in quadrature (their positive correlation would make it smaller: conservative).
 */
import type { DiffusionResult } from '../types.js';

/** Elementary charge (C) and Boltzmann constant (J/K), SI 2019 exact values. */
export const ELEMENTARY_CHARGE_C = 1.602176634e-19;
export const BOLTZMANN_J_K = 1.380649e-23;

/** The resolution criterion: D > RESOLVED_SIGMAS·σ. */
export const RESOLVED_SIGMAS = 2;

/**
 * Nernst–Einstein conductivity (S/cm) from a D (cm²/s): σ = N·(z·e)²·D / (V·k_B·T).
 * NaN for a non-positive volume or temperature.
 */
export function nernstEinsteinSCm(
  dCm2s: number, nIons: number, charge: number, volumeA3: number, temperatureK: number | null,
): number {
  if (temperatureK === null || !(temperatureK > 0) || !(volumeA3 > 0)) return NaN;
  const q = charge * ELEMENTARY_CHARGE_C;
  const sigmaSm = (nIons * q * q * dCm2s * 1e-4) / (volumeA3 * 1e-30 * BOLTZMANN_J_K * temperatureK);
  return sigmaSm * 1e-2;
}

/** True when d > 2σ with a finite positive σ. */
export function isResolved(d: number, err: number): boolean {
  return Number.isFinite(d) && Number.isFinite(err) && err >= 0 && d > RESOLVED_SIGMAS * err;
}

export interface TransportInputs {
  element: string;
  nIons: number;
  dTracer: number;
  dTracerErr: number;
  dCollective: number;
  dCollectiveErr: number;
  /** Independent samples behind the tracer error (ions), null for a time bootstrap. */
  nIndependentTracer: number | null;
  charge: number;
  volumeA3: number;
  temperatureK: number | null;
}

type Derived = Pick<DiffusionResult,
  'element' | 'nIons' | 'dTracerCm2s' | 'dTracerErrCm2s' | 'dTracerResolved' | 'dCollectiveCm2s' | 'dCollectiveErrCm2s' |
  'dCollectiveResolved' | 'havenRatio' | 'havenRatioErr' | 'conductivityNeSCm' | 'conductivityNeErrSCm' | 'conductivitySCm' |
  'conductivityErrSCm' | 'flags'>;

const e2 = (x: number): string => (Number.isFinite(x) ? x.toExponential(2) : String(x));

/** Resolution flags and the derived numbers (Haven ratio, both conductivities) with errors. */
export function transportNumbers(i: TransportInputs): Derived {
  const flags: string[] = [];
  const tr = isResolved(i.dTracer, i.dTracerErr);
  const co = isResolved(i.dCollective, i.dCollectiveErr);
  if (!tr) flags.push(`d_tracer not resolved: ${e2(i.dTracer)} ± ${e2(i.dTracerErr)} cm²/s is not above 2σ; d_tracer, conductivity_ne and haven_ratio are NULL`);
  if (!co) flags.push(`d_collective not resolved: ${e2(i.dCollective)} ± ${e2(i.dCollectiveErr)} cm²/s is not above 2σ (one run's centre of mass); d_collective, conductivity and haven_ratio are NULL`);
  const f = nernstEinsteinSCm(1, i.nIons, i.charge, i.volumeA3, i.temperatureK);
  if (!Number.isFinite(f)) flags.push('conductivity unknown: the formal charge, the volume or the temperature is missing');
  const haven = tr && co ? i.dTracer / i.dCollective : NaN;
  return {
    element: i.element,
    nIons: i.nIons,
    dTracerCm2s: i.dTracer,
    dTracerErrCm2s: i.dTracerErr,
    dTracerResolved: tr,
    dCollectiveCm2s: i.dCollective,
    dCollectiveErrCm2s: i.dCollectiveErr,
    dCollectiveResolved: co,
    havenRatio: haven,
    havenRatioErr: tr && co ? haven * Math.hypot(i.dTracerErr / i.dTracer, i.dCollectiveErr / i.dCollective) : NaN,
    conductivityNeSCm: tr ? f * i.dTracer : NaN,
    conductivityNeErrSCm: tr ? f * i.dTracerErr : NaN,
    conductivitySCm: co ? f * i.dCollective : NaN,
    conductivityErrSCm: co ? f * i.dCollectiveErr : NaN,
    flags,
  };
}

/** A result with nothing resolved (too short a run), carrying the reason. */
export function unresolvedResult(element: string, nIons: number, dHopsCm2s: number, flags: string[]): DiffusionResult {
  return {
    element, nIons,
    dTracerCm2s: NaN, dTracerErrCm2s: NaN, dTracerResolved: false,
    dCollectiveCm2s: NaN, dCollectiveErrCm2s: NaN, dCollectiveResolved: false,
    havenRatio: NaN, havenRatioErr: NaN,
    conductivityNeSCm: NaN, conductivityNeErrSCm: NaN, conductivitySCm: NaN, conductivityErrSCm: NaN,
    tracerTensor: {
      components: new Float64Array(6).fill(NaN), principal: new Float64Array(3).fill(NaN), axes: new Float64Array(9).fill(NaN),
      anisotropyRatio: NaN, fractionalAnisotropy: NaN,
      axisErr: new Float64Array(3).fill(NaN), principalErr: new Float64Array(3).fill(NaN),
    },
    dCollectiveAxesCm2s: new Float64Array(3).fill(NaN),
    fitMethod: 'ols',
    flags,
    fitStartPs: NaN, fitEndPs: NaN, dHopsCm2s,
    msdTimesPs: new Float64Array(0), msdA2: new Float64Array(0),
  };
}
