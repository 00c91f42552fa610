// The site map and site-to-site jumps on generated runs, scored against the generator's truth.
//
//   npx tsx bench/sites.ts [--seeds 1] [--frames 20000] [--materials Li-pair-1.8,…] [--core 6.25]
//
// Per run: hop precision / recall / F1 of the default detector alone and of the site jumps,
// recall by the shorter dwell, the number of sites found against truth and the largest distance
// from a truth site to the nearest site found (Å), and the time of the site stage.
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { volume } from '../src/trajectory/lattice.js';
import { matchAgainstTruth, recallByDwell } from '../src/validate/accuracy.js';
import { fitSiteMap } from '../src/analysis/sites/site-map.js';
import { segmentByDwellingSites } from '../src/analysis/sites/dwell.js';
import { placesOf } from '../src/analysis/sites/places.js';
import { truthSiteMatch, visitedTruthSites } from '../src/validate/sites.js';
import { siteTypes } from '../src/analysis/sites/site-types.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const seeds = Number(arg('--seeds', '1'));
const siteMap = process.argv.includes('--density') ? 'density' as const : 'mixture' as const;
const frames = Number(arg('--frames', '20000'));
const core = process.argv.includes('--core') ? Number(arg('--core', '6.25')) : undefined;
const materials = arg('--materials', 'Li-pair-1.8,Li-pair-2.0,Li-pair-1.8-fast,Li-pair-2.0-fast,Li-sc-every-step').split(',');
const f3 = (x: number): string => (Number.isFinite(x) ? x.toFixed(3) : '—');

if (process.argv.includes('--datasets')) {
  const { readFileSync } = await import('node:fs');
  const { loadTrajectory } = await import('../src/io/load.js');
  const manifest = JSON.parse(readFileSync('datasets/manifest.json', 'utf8')) as { runs: { dir: string; truth: string }[] };
  console.log('| run | true hops | detector P / R / F1 | sites P / R / F1 | sites found / truth | site stage s |');
  console.log('|---|---:|---|---|---:|---:|');
  for (const r of manifest.runs) {
    const truth = JSON.parse(readFileSync(`datasets/${r.truth}`, 'utf8'));
    const traj = await loadTrajectory(`datasets/${r.dir}`);
    const atoms = atomsOf(traj, [truth.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [truth.mobile] });
    const det = detectHopsDefault(u, traj.nFrames, atoms);
    const md = matchAgainstTruth(det, truth);
    const t0 = performance.now();
    const L = traj.lattice.subarray(0, 9);
    const { map, seg } = segmentByDwellingSites(fitSiteMap(u, traj.nFrames, atoms.length, L, volume(L), 0, placesOf(det.atoms, u, traj.nFrames), siteMap, det.atoms), u, traj.nFrames, atoms, { coreChi2: core });
    const dt = (performance.now() - t0) / 1000;
    const ms = matchAgainstTruth({ method: 'sites', hops: seg.hops, atoms: [] }, truth);
    const s = (m: typeof md) => `${f3(m.score.precision)} / ${f3(m.score.recall)} / ${f3(m.score.f1)}`;
    console.log(`| ${r.dir} | ${truth.hops.length} | ${s(md)} | ${s(ms)} | ${map.k} / ${truth.sites.length} | ${dt.toFixed(2)} |`);
  }
  process.exit(0);
}
console.log('| material | seed | true hops | detector P / R / F1 | sites P / R / F1 | recall 20–50 (n) | sites found | max centre error, visited truth sites Å | type purity, a/b apart / as one (types) | site stage s |');
console.log('|---|---:|---:|---|---|---|---|---:|---:|---:|');
for (const name of materials) {
  const base = materialByName(name);
  const spec = { ...base, nFrames: frames };
  const T = spec.temperaturesK[0];
  for (let i = 0; i < seeds; i++) {
    const seed = spec.seed + T + i;
    const run = generateRun(spec, T, seed);
    const traj = toTrajectory(run);
    const atoms = atomsOf(traj, [spec.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
    const det = detectHopsDefault(u, traj.nFrames, atoms);
    const md = matchAgainstTruth(det, run.truth);
    const t0 = performance.now();
    const L = traj.lattice.subarray(0, 9);
    const { map, seg } = segmentByDwellingSites(fitSiteMap(u, traj.nFrames, atoms.length, L, volume(L), 0, placesOf(det.atoms, u, traj.nFrames), siteMap, det.atoms), u, traj.nFrames, atoms, { coreChi2: core });
    const dt = (performance.now() - t0) / 1000;
    const ms = matchAgainstTruth({ method: 'sites', hops: seg.hops, atoms: [] }, run.truth);
    const dw = recallByDwell(run.truth, ms.trueFound).find((r) => r.minFrames === 20)!;
    const sm = truthSiteMatch(map, run.truth);
    const visited = [...visitedTruthSites(run.truth)];
    const maxVisited = Math.max(...visited.map((t) => sm.distanceA[t]));
    const found = visited.filter((t) => sm.distanceA[t] < 0.2).length;
    // Type purity: the share of our sites (matched to a visited truth site) whose type holds one truth type only.
    const types = siteTypes(map);
    const truthTypesOf = new Map<number, Set<string>>();
    for (let j = 0; j < map.k; j++) {
      const tt = run.truth.siteTypes?.[sm.truthOf[j]] ?? 'one';
      const set = truthTypesOf.get(types[j]) ?? new Set<string>();
      set.add(tt); truthTypesOf.set(types[j], set);
    }
    const pure = [...Array(map.k).keys()].filter((j) => truthTypesOf.get(types[j])!.size === 1).length / Math.max(1, map.k);
    // pair-a and pair-b are mirror images through the bond's midpoint (same environment): as one class.
    const mirror = (t: string) => t.replace(/^pair-[ab]$/, 'pair');
    const pureMirror = [...Array(map.k).keys()].filter((j) => new Set([...truthTypesOf.get(types[j])!].map(mirror)).size === 1).length / Math.max(1, map.k);
    const s = (m: typeof md) => `${f3(m.score.precision)} / ${f3(m.score.recall)} / ${f3(m.score.f1)}`;
    console.log(`| ${name} | ${seed} | ${run.truth.hops.length} | ${s(md)} | ${s(ms)} | ${f3(dw.recall)} (${dw.nTrue}) | ${map.k} (${found} of ${visited.length} visited within 0.2 Å) | ${f3(maxVisited)} | ${f3(pure)} / ${f3(pureMirror)} (${new Set(types).size}) | ${dt.toFixed(2)} |`);
  }
}
