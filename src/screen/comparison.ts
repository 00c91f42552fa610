/**
 * Comparisons of materials that share a formula, a mobile element and a temperature (e.g. one
 * compound ordered and disordered): which diffuses faster by tracer D, whether the difference
 * is beyond both error bars, the hop rates, and — when a published-findings file sits with the
 * data — the published statement and whether the data agree with it. Materials that differ in
 * formula, element or temperature are never compared, so a set of unrelated materials yields none.
 */
import type { Store } from '../store/db.js';
import { findingsNear, type PublishedFinding } from './published-findings.js';

/** One material at one (element, temperature), averaged over its trajectories. */
export interface MaterialTransport {
  material: string;
  formula: string;
  element: string;
  temperatureK: number;
  nTrajectories: number;
  /** Mean tracer D over the trajectories (cm²/s). */
  dTracerCm2s: number;
  /** 1σ of that mean, √(Σσᵢ²)/n; null when any trajectory has no error. */
  dTracerErrCm2s: number | null;
  hopRatePerIonPs: number | null;
  /** D from hop counts and lengths alone, as if every hop were uncorrelated (cm²/s). */
  dHopsCm2s: number | null;
  paths: string[];
}

/** 'agrees' / 'disagrees': beyond both error bars in / against the published direction. */
export type Verdict = 'agrees' | 'disagrees' | 'inconclusive';

export interface MaterialComparison {
  formula: string;
  element: string;
  temperatureK: number;
  slower: MaterialTransport;
  faster: MaterialTransport;
  /** faster.D / slower.D. */
  dRatio: number;
  /** faster's hop rate / slower's, null when either is missing or zero. */
  hopRateRatio: number | null;
  /** The error bars do not overlap: D_fast − σ_fast > D_slow + σ_slow; null when a σ is unknown. */
  beyondErrors: boolean | null;
  finding: PublishedFinding | null;
  /** null when no finding names this pair. */
  verdict: Verdict | null;
}

/** One (trajectory, element) row as the query returns it. */
export interface TransportPoint {
  material: string;
  formula: string;
  element: string;
  temperature_k: number;
  d_tracer_cm2_s: number;
  d_tracer_err: number | null;
  hop_rate_per_ion_ps: number | null;
  d_hops_cm2_s: number | null;
  path: string;
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const meanOf = (xs: (number | null)[]): number | null => {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
};

function transportOf(rows: TransportPoint[]): MaterialTransport {
  const r0 = rows[0]!;
  const errs = rows.map((r) => num(r.d_tracer_err));
  const n = rows.length;
  return {
    material: r0.material, formula: r0.formula, element: r0.element, temperatureK: r0.temperature_k,
    nTrajectories: n,
    dTracerCm2s: rows.reduce((a, r) => a + r.d_tracer_cm2_s, 0) / n,
    dTracerErrCm2s: errs.every((e) => e !== null) ? Math.sqrt(errs.reduce((a: number, e) => a + e! * e!, 0)) / n : null,
    hopRatePerIonPs: meanOf(rows.map((r) => num(r.hop_rate_per_ion_ps))),
    dHopsCm2s: meanOf(rows.map((r) => num(r.d_hops_cm2_s))),
    paths: rows.map((r) => r.path),
  };
}

function verdictOf(finding: PublishedFinding, faster: string, beyondErrors: boolean | null): Verdict {
  if (beyondErrors !== true) return 'inconclusive';
  return finding.faster === faster ? 'agrees' : 'disagrees';
}

/** Pairs every two materials of each (formula, element, temperature) group; slower first. */
export function comparePoints(points: readonly TransportPoint[], findings: readonly PublishedFinding[] = []): MaterialComparison[] {
  const groups = new Map<string, Map<string, TransportPoint[]>>();
  for (const p of points) {
    if (!Number.isFinite(p.d_tracer_cm2_s)) continue; // a noisy D ≤ 0 stays: dropping it would bias the mean up
    const key = JSON.stringify([p.formula, p.element, p.temperature_k]);
    const byMaterial = groups.get(key) ?? new Map<string, TransportPoint[]>();
    byMaterial.set(p.material, [...(byMaterial.get(p.material) ?? []), p]);
    groups.set(key, byMaterial);
  }
  const out: MaterialComparison[] = [];
  for (const byMaterial of groups.values()) {
    const mats = [...byMaterial.values()].map(transportOf).sort((a, b) => a.dTracerCm2s - b.dTracerCm2s || a.material.localeCompare(b.material));
    for (let i = 0; i < mats.length; i++) {
      for (let j = i + 1; j < mats.length; j++) {
        const slower = mats[i]!, faster = mats[j]!;
        const es = slower.dTracerErrCm2s, ef = faster.dTracerErrCm2s;
        const beyondErrors = es === null || ef === null ? null : faster.dTracerCm2s - ef > slower.dTracerCm2s + es;
        const hs = slower.hopRatePerIonPs, hf = faster.hopRatePerIonPs;
        const finding = findings.find((f) => f.element === slower.element && [f.slower, f.faster].sort().join('\0') === [slower.material, faster.material].sort().join('\0')) ?? null;
        out.push({
          formula: slower.formula, element: slower.element, temperatureK: slower.temperatureK,
          slower, faster,
          dRatio: slower.dTracerCm2s > 0 ? faster.dTracerCm2s / slower.dTracerCm2s : NaN,
          hopRateRatio: hs !== null && hf !== null && hs > 0 ? hf / hs : null,
          beyondErrors,
          finding,
          verdict: finding ? verdictOf(finding, faster.material, beyondErrors) : null,
        });
      }
    }
  }
  return out.sort((a, b) => a.formula.localeCompare(b.formula) || a.element.localeCompare(b.element) || a.temperatureK - b.temperatureK);
}

/**
 * The comparisons in a database, with the published findings found next to the compared
 * trajectories (pass `findings` to use others instead).
 */
export async function compareMaterials(
  store: Store,
  o: { species?: string[]; minTemperatureK?: number; findings?: PublishedFinding[] } = {},
): Promise<MaterialComparison[]> {
  const params: (string | number)[] = [...(o.species ?? [])];
  let filters = params.length ? `AND d.element IN (${params.map((_, i) => `$${i + 1}`).join(', ')})` : '';
  if (o.minTemperatureK !== undefined) {
    params.push(o.minTemperatureK);
    filters += ` AND d.temperature_k >= $${params.length}`;
  }
  const points = await store.query<TransportPoint>(
    `SELECT d.material, d.formula, d.element, d.temperature_k, d.d_tracer_cm2_s, d.d_tracer_err,
            d.hop_rate_per_ion_ps, d.d_hops_cm2_s, t.path
     FROM descriptors d JOIN trajectories t USING (trajectory_id)
     WHERE d.material IS NOT NULL AND d.formula IS NOT NULL AND d.temperature_k > 0 AND isfinite(d.d_tracer_cm2_s) ${filters}
     ORDER BY d.formula, d.element, d.temperature_k, d.material, t.path`,
    params,
  );
  // Findings are looked up only next to trajectories that take part in a comparison.
  const findings = o.findings ?? (await findingsNear(comparePoints(points).flatMap((c) => [...c.slower.paths, ...c.faster.paths])));
  return comparePoints(points, findings);
}
