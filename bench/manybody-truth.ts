/**
 * Concerted groups against the generator's truth (BENCHMARKS.md "Many-body"): on the true hops
 * fed directly (grouping errors only) and on the default detector's hops (grouping + detection).
 *
 *   npx tsx bench/manybody-truth.ts            true hops, every case (KMC only: seconds)
 *   npx tsx bench/manybody-truth.ts --detected [case,…]   frames + analyze() (minutes for every-step)
 */
import { parseArgs } from 'node:util';
import { analyze } from '../src/analysis/analyze.js';
import { concertedHops } from '../src/analysis/manybody/concerted.js';
import { testExponentialLaw } from '../src/analysis/manybody/exponential-law.js';
import { sitesFor } from '../src/generate/lattice-models.js';
import type { MaterialSpec } from '../src/generate/material-spec.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { chiSquareHomogeneity, coLabelledPairs, matchToTruth, precisionRecall, truthBodiesMean, truthChainSizes, truthHops } from '../test/analysis/manybody/truth.js';

const CASES: Record<string, MaterialSpec> = {
  'sc-geo': { ...materialByName('Li-sc'), chainProb: 0.3, nFrames: 3000 },
  'bcc-geo': { ...materialByName('Li-bcc'), nFrames: 3000 },
  'hex-max2': { ...materialByName('Na-hex'), chainProb: 0.4, chainMax: 2, nFrames: 3000 },
  'hex-fixed2': { ...materialByName('Na-hex'), chainProb: 0.4, chainFixedSize: 2, nFrames: 3000 },
  'sc-fixed3': { ...materialByName('Li-sc'), chainProb: 0.4, chainFixedSize: 3, nFrames: 3000 },
  'sc-fixed5': { ...materialByName('Li-sc'), chainProb: 0.4, chainFixedSize: 5, nFrames: 3000 },
  'sc-none': { ...materialByName('Li-sc'), chainProb: 0, nFrames: 3000 },
  'hex-none': { ...materialByName('Na-hex'), chainProb: 0, nFrames: 3000 },
  'pair2.0-max2': { ...materialByName('Li-pair-2.0'), chainProb: 0.5, chainMax: 2 },
  'pair1.8-max2': { ...materialByName('Li-pair-1.8'), chainProb: 0.5, chainMax: 2 },
  'pair1.8-fast-geo': { ...materialByName('Li-pair-1.8-fast'), chainProb: 0.4 },
  'pair2.0-none': { ...materialByName('Li-pair-2.0'), chainProb: 0 },
  'pair1.8-fast-none': { ...materialByName('Li-pair-1.8-fast'), chainProb: 0 },
};
const { values, positionals } = parseArgs({ options: { detected: { type: 'boolean', default: false } }, allowPositionals: true });
const names = positionals.length ? positionals.join(',').split(',') : Object.keys(CASES);
const f = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

for (const name of names) {
  const spec = CASES[name];
  if (!spec) throw new Error(`unknown case ${name} (known: ${Object.keys(CASES).join(', ')})`);
  const run = generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], 11);
  const t = run.truth;
  const occ = spec.nIons / sitesFor(spec.lattice);
  const nbTrue = truthBodiesMean(t);
  const t0 = performance.now();
  if (!values.detected) {
    // With the truth's site types where it has them, as analyze() passes the site map's.
    const hops = truthHops(t, false, t.siteTypes !== undefined);
    const r = concertedHops(hops, t.nFrames, { lattice: t.lattice });
    const ms = performance.now() - t0;
    const atoms = hops.map((h) => h.atom);
    const pr = precisionRecall(coLabelledPairs(r.groupOf, atoms), coLabelledPairs(t.hops.map((h) => h.chainId), atoms));
    const law = testExponentialLaw(r.groupSizes);
    const chi = chiSquareHomogeneity([0, ...r.groupSizes.map((x) => x.observed)], truthChainSizes(t));
    console.log(`| ${name} | ${f(occ, 2)} | ${hops.length} | ${f(pr.precision)} | ${f(pr.recall)} | ${f(nbTrue)} | ${f(r.nBodiesMean.observed)} | ${f(r.nBodiesMean.expected)} | ${f(r.nBodiesMean.excess + 1)} ± ${f(r.nBodiesMean.excessErr)} | ${f(r.concertedFraction.observed)} | ${f(chi.p, 3)} | ${law.verdict} | ${ms.toFixed(0)} |`);
  } else {
    const res = analyze(toTrajectory(run), {});
    const ms = performance.now() - t0;
    const ev = res.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame }));
    const m = matchToTruth(ev, t);
    const atoms = ev.map((e) => e.atom);
    const prDet = precisionRecall(coLabelledPairs(res.events.map((e) => e.groupId ?? -1), atoms), coLabelledPairs(Array.from(m, (k) => (k >= 0 ? t.hops[k].chainId : -1)), atoms));
    // Overall recall: a true pair counts found when both its hops were detected and grouped together.
    const th = truthHops(t);
    const truePairs = coLabelledPairs(t.hops.map((h) => h.chainId), th.map((h) => h.atom));
    const detOf = new Map<number, number>();
    m.forEach((k, i) => { if (k >= 0 && !detOf.has(k)) detOf.set(k, i); });
    let hit = 0;
    for (const key of truePairs) {
      const [p, q] = key.split(',').map(Number);
      const a = detOf.get(p), b = detOf.get(q);
      if (a !== undefined && b !== undefined && res.events[a].groupId !== null && res.events[a].groupId === res.events[b].groupId) hit++;
    }
    const d = res.descriptors[0];
    console.log(`| ${name} | ${t.hops.length} / ${ev.length} | ${f(prDet.precision)} | ${f(prDet.recall)} | ${f(truePairs.size ? hit / truePairs.size : NaN)} | ${f(nbTrue)} | ${f(d.nBodiesMean)} | ${f(d.nBodiesMeanExcess)} | ${f(d.concertedFraction)} (${f(d.concertedFractionExpected)}) | ${f(d.iondiffNBodiesMean, 2)} / ${f(d.iondiffConcertedFraction, 2)} | ${(ms / 1000).toFixed(1)} |`);
  }
}
