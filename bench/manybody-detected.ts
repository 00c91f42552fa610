/**
 * Concerted groups on DETECTED hops against the generator's truth, with the detection cached:
 * analyze() runs once per case (the cost: minutes for every-step runs) and its hops, the truth and
 * the frames' metadata are written to `--cache DIR`; later runs score concertedHops on them alone
 * (seconds), so a change to the many-body analysis is measured without detecting again.
 *
 *   npx tsx bench/manybody-detected.ts --cache /tmp/mbt-kinds [case,…]
 *
 * Hops carry the type of the site they leave (`fromKind`): the site map's for detected hops, the
 * truth's for truth-fed ones, as analyze() passes them.
 *
 * Columns as `bench/manybody-truth.ts --detected` (overall recall = of all true pairs, both hops
 * detected and grouped together), plus the truth-fed result of the same case.
 */
import { existsSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { analyze } from '../src/analysis/analyze.js';
import { concertedHops } from '../src/analysis/manybody/concerted.js';
import type { ManyBodyHop } from '../src/analysis/manybody/pair-relations.js';
import type { MaterialSpec } from '../src/generate/material-spec.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import type { Truth } from '../src/generate/truth.js';
import { coLabelledPairs, matchToTruth, precisionRecall, truthBodiesMean, truthHops } from '../test/analysis/manybody/truth.js';

const pair20 = materialByName('Li-pair-2.0');
const CASES: Record<string, MaterialSpec> = {
  'sc-geo': { ...materialByName('Li-sc'), chainProb: 0.3, nFrames: 3000 },
  'bcc-geo': { ...materialByName('Li-bcc'), nFrames: 3000 },
  'hex-max2': { ...materialByName('Na-hex'), chainProb: 0.4, chainMax: 2, nFrames: 3000 },
  'hex-none': { ...materialByName('Na-hex'), chainProb: 0, nFrames: 3000 },
  'pair2.0-max2': { ...materialByName('Li-pair-2.0'), chainProb: 0.5, chainMax: 2 },
  'pair1.8-max2': { ...materialByName('Li-pair-1.8'), chainProb: 0.5, chainMax: 2 },
  'pair2.0-none': { ...materialByName('Li-pair-2.0'), chainProb: 0 },
  // The independent check: no chains, every-step sampling, 2.2 Å close pairs.
  'pair2.2-none': { ...pair20, lattice: { ...pair20.lattice, pairDistanceA: 2.2 }, chainProb: 0 },
  'pair1.8-none': { ...materialByName('Li-pair-1.8'), chainProb: 0 },
  'pair1.8-fast-geo': { ...materialByName('Li-pair-1.8-fast'), chainProb: 0.4 },
};

interface Cached { name: string; nFrames: number; lattice: number[]; hops: ManyBodyHop[]; truth: Truth; seed: number; groupOf: number[] }

const { values, positionals } = parseArgs({ options: { cache: { type: 'string', default: '/tmp/mbt-kinds' }, seed: { type: 'string', default: '11' } }, allowPositionals: true });
const names = positionals.length ? positionals.join(',').split(',') : Object.keys(CASES);
const runSeed = Number(values.seed);
const f = (x: number | null | undefined, d = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : x.toFixed(d));

function load(name: string): Cached {
  const file = join(values.cache as string, `${name}-s${runSeed}.json`);
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Cached;
  const spec = CASES[name];
  if (!spec) throw new Error(`unknown case ${name} (known: ${Object.keys(CASES).join(', ')})`);
  const run = generateRun(spec, spec.temperaturesK[spec.temperaturesK.length - 1], runSeed);
  const traj = toTrajectory(run);
  const r = analyze(traj, {});
  // As analyze() passes them: the site map's type of the site each hop leaves (−1: off the map).
  const typeOf = new Map(r.sites.map((row) => [row.siteId, row.siteType]));
  const c: Cached = {
    name, nFrames: traj.nFrames, lattice: Array.from(traj.lattice.slice(0, 9)), seed: 0, truth: run.truth,
    hops: r.events.map((e) => ({
      atom: e.atom, first: e.startFrame, last: e.endFrame, from: [...e.from], to: [...e.to],
      fromKind: e.fromSite === null ? -1 : typeOf.get(e.fromSite) ?? -1,
    })),
    groupOf: r.events.map((e) => e.groupId ?? -1),
  };
  mkdirSync(values.cache as string, { recursive: true });
  writeFileSync(file, JSON.stringify(c));
  return c;
}

console.log('| case | true / detected hops | precision | recall |det | recall overall | true n_bodies | n_bodies_mean | excess + 1 | concerted (independent) | truth-fed P / R, n_bodies, concerted | ms |');
console.log('|---|---|---|---|---|---|---|---|---|---|---|');
for (const name of names) {
  const c = load(name);
  const t = c.truth;
  const t0 = performance.now();
  const r = concertedHops(c.hops, c.nFrames, { lattice: c.lattice, seed: c.seed });
  const ms = performance.now() - t0;
  const m = matchToTruth(c.hops, t);
  const atoms = c.hops.map((h) => h.atom);
  const prDet = precisionRecall(coLabelledPairs(r.groupOf, atoms), coLabelledPairs(Array.from(m, (k) => (k >= 0 ? t.hops[k].chainId : -1)), atoms));
  const th = truthHops(t);
  const truePairs = coLabelledPairs(t.hops.map((h) => h.chainId), th.map((h) => h.atom));
  const detOf = new Map<number, number>();
  m.forEach((k, i) => { if (k >= 0 && !detOf.has(k)) detOf.set(k, i); });
  let hit = 0;
  for (const key of truePairs) {
    const [p, q] = key.split(',').map(Number);
    const a = detOf.get(p), b = detOf.get(q);
    if (a !== undefined && b !== undefined && r.groupOf[a] >= 0 && r.groupOf[a] === r.groupOf[b]) hit++;
  }
  const rt = concertedHops(t.siteTypes ? truthHops(t, false, true) : th, t.nFrames, { lattice: t.lattice, seed: 0 });
  const prT = precisionRecall(coLabelledPairs(rt.groupOf, th.map((h) => h.atom)), truePairs);
  console.log(`| ${name} | ${t.hops.length} / ${c.hops.length} | ${f(prDet.precision)} | ${f(prDet.recall)} | ${f(truePairs.size ? hit / truePairs.size : NaN)} | ${f(truthBodiesMean(t))} | ${f(r.nBodiesMean.observed)} | ${f(r.nBodiesMean.excess + 1)} | ${f(r.concertedFraction.observed)} (${f(r.concertedFraction.expected)}) | ${f(prT.precision)} / ${f(prT.recall)}, ${f(rt.nBodiesMean.observed)}, ${f(rt.concertedFraction.observed)} | ${ms.toFixed(0)} |`);
}
