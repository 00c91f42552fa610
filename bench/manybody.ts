/**
 * Many-body numbers on real runs (BENCHMARKS.md "Many-body"): the calibrated groups (observed,
 * expected from independent hops, excess), IonDiff's time-only count, the exponential-law verdict,
 * the group rates per ps by size (CrySF's string_frequency.dat is per ps too) and the descriptors
 * the published IonDiff claims are about.
 *
 *   npx tsx bench/manybody.ts [DIR …]      (default: every run in ../shared/data/real)
 */
import { readdirSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadTrajectories } from '../src/io/load.js';
import { analyze } from '../src/analysis/analyze.js';

const REAL = resolve(import.meta.dirname, '../../shared/data/real');
const SKIP = new Set(['format_vasp_md_outputs_xdatbus', 'llto_fragment_xdatbus']);
const dirs = process.argv.length > 2 ? process.argv.slice(2) : readdirSync(REAL).filter((d) => !SKIP.has(d) && existsSync(resolve(REAL, d, 'ionsift.json'))).map((d) => resolve(REAL, d));
const f = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

for (const dir of dirs) for (const traj of await loadTrajectories(dir)) {
  const t0 = performance.now();
  const r = analyze(traj, {});
  const ms = performance.now() - t0;
  const name = `${dir.split('/').pop()}${traj.metadata.material ? ` (${traj.metadata.material})` : ''}`;
  for (const d of r.descriptors) {
    const fit = r.correlationFits.find((x) => x.element === d.element && x.method === 'calibrated');
    const diff = r.diffusion.find((x) => x.element === d.element);
    const sizes = r.correlations.filter((c) => c.element === d.element && c.method === 'calibrated' && c.counted === 'groups' && (c.count > 0 || c.expected >= 0.05));
    console.log(`${name} ${d.element} T=${traj.metadata.temperatureK} K, ${r.durationPs.toFixed(1)} ps, ${d.nIons} ions, ${d.nEvents} hops (${f(d.hopRatePerIonPs)} /ion/ps), ${(ms / 1000).toFixed(1)} s`);
    console.log(`  calibrated: concerted_fraction ${f(d.concertedFraction)} (independent ${f(d.concertedFractionExpected)}; excess ${f(d.concertedFractionExcess)} ± ${f(d.concertedFractionExcessErr)}, p ${d.concertedPValue?.toExponential(1)}), n_bodies_mean ${f(d.nBodiesMean)} (independent ${f(d.nBodiesMeanExpected)}; excess ${f(d.nBodiesMeanExcess)} ± ${f(d.nBodiesMeanExcessErr)})`);
    console.log(`  iondiff (time-only): concerted_fraction ${f(d.iondiffConcertedFraction)}, n_bodies_mean ${f(d.iondiffNBodiesMean)}`);
    console.log(`  groups per size n (observed / expected → per ps observed, excess): ${sizes.map((c) => `${c.nBodies}: ${c.count}/${f(c.expected, 1)} → ${f(c.count / r.durationPs, 4)}, ${f(c.excess / r.durationPs, 4)}`).join('; ')}`);
    if (fit) console.log(`  law: ${fit.verdict}; C ${f(fit.decayRate)} ± ${f(fit.decayRateErr)}, χ²/dof ${f(fit.chi2Reduced, 2)}, p ${f(fit.pValue, 4)}, ${f(fit.nGroupsExcess, 1)} excess groups`);
    console.log(`  hop length ${f(d.hopLengthAMean)} Å, duration ${f(d.eventDurationPsMean)} ps, residence ${f(d.residencePsMean)} ps; D_tracer ${diff?.dTracerCm2s.toExponential(2)} cm²/s, Haven (MSD) ${f(diff?.havenRatio)}, Haven (groups) ${f(d.havenRatioGroups)} ± ${f(d.havenRatioGroupsErr)}`);
  }
}
