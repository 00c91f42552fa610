// Where the site jumps' false positives and misses come from, on generated hard-regime runs.
//
//   npx tsx bench/sites-fp.ts [--frames 6000] [--materials Li-pair-2.0] [--seed-offset 2] [--density]
//
// Per run: each site found that lies > 0.3 Å from every truth site (a spurious site) with its
// weight and how many site jumps touch it, and the false positives split into those touching a
// spurious site and the rest (by the truth sites of their ends).
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { volume } from '../src/trajectory/lattice.js';
import { matchAgainstTruth } from '../src/validate/accuracy.js';
import { fitSiteMap } from '../src/analysis/sites/site-map.js';
import { segmentByDwellingSites } from '../src/analysis/sites/dwell.js';
import { placesOf } from '../src/analysis/sites/places.js';
import { truthSiteMatch } from '../src/validate/sites.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const frames = Number(arg('--frames', '6000'));
const offsets = arg('--seed-offset', '0').split(',').map(Number);
for (const name of arg('--materials', 'Li-pair-2.0').split(',')) {
  for (const off of offsets) {
    const spec = { ...materialByName(name), nFrames: frames };
    const T = spec.temperaturesK[0];
    const run = generateRun(spec, T, spec.seed + T + off);
    const traj = toTrajectory(run);
    const atoms = atomsOf(traj, [spec.mobile]);
    const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
    const det = detectHopsDefault(u, traj.nFrames, atoms);
    const L = traj.lattice.subarray(0, 9);
    const { map, seg } = segmentByDwellingSites(fitSiteMap(u, traj.nFrames, atoms.length, L, volume(L), 0, placesOf(det.atoms, u, traj.nFrames), process.argv.includes('--density') ? 'density' : 'mixture', det.atoms), u, traj.nFrames, atoms);
    const ms = matchAgainstTruth({ method: 'sites', hops: seg.hops, atoms: [] }, run.truth);
    const sm = truthSiteMatch(map, run.truth);
    const distOf = (j: number) => { const t = sm.truthOf[j]; const s = run.truth.sites[t]; const v = [0, 1, 2].map((a) => { let d = map.frac[j * 3 + a] - s[a]; d -= Math.round(d); return d; }); return Math.hypot(v[0] * L[0] + v[1] * L[3] + v[2] * L[6], v[0] * L[1] + v[1] * L[4] + v[2] * L[7], v[0] * L[2] + v[1] * L[5] + v[2] * L[8]); };
    const spurious = new Set<number>();
    for (let j = 0; j < map.k; j++) if (distOf(j) > 0.3) spurious.add(j);
    let fpSp = 0, fpOther = 0;
    const other: string[] = [];
    seg.hops.forEach((h, i) => {
      if (ms.detectedMatched[i]) return;
      if (spurious.has(h.fromSite) || spurious.has(h.toSite)) fpSp++;
      else { fpOther++; if (other.length < 12) other.push(`a${h.atom} f${h.startFrame}-${h.endFrame} ${h.fromSite}→${h.toSite} (t${sm.truthOf[h.fromSite]}→t${sm.truthOf[h.toSite]})`); }
    });
    console.log(`${name} off ${off}: k ${map.k}, ${seg.hops.length} jumps, P/R ${ms.score.precision.toFixed(3)}/${ms.score.recall.toFixed(3)}; FP at spurious sites ${fpSp}, other ${fpOther}`);
    // Stays per site at full frame rate: from the segmentation's jumps (arrival = endFrame+1 of a jump to j, departure = startFrame of the next jump of that atom).
    const stays = new Map<number, number[]>();
    const byAtom = new Map<number, typeof seg.hops>();
    for (const h of seg.hops) { const l = byAtom.get(h.atom) ?? []; l.push(h); byAtom.set(h.atom, l); }
    for (const l of byAtom.values()) for (let i = 0; i + 1 < l.length; i++) { const a = l[i], b = l[i + 1]; const arr = stays.get(a.toSite) ?? []; arr.push(b.startFrame - a.endFrame); stays.set(a.toSite, arr); }
    const st = (j: number) => { const a = (stays.get(j) ?? []).sort((x, y) => x - y); return a.length ? `stays n ${a.length} med ${a[a.length >> 1]} max ${a[a.length - 1]}` : 'no stays'; };
    const tr = seg.hops.map((h) => h.endFrame - h.startFrame + 1).sort((a, b) => a - b);
    console.log(`  transits: q25 ${tr[tr.length >> 2]} median ${tr[tr.length >> 1]} q75 ${tr[(3 * tr.length) >> 2]}`);
    const lows = [...Array(map.k).keys()].filter((j) => !spurious.has(j)).sort((a, b) => map.weights[a] - map.weights[b]).slice(0, 4);
    for (const j of lows) console.log(`  real low-weight ${j}: w ${map.weights[j].toFixed(4)} ${st(j)}`);
    for (const j of spurious) {
      console.log('   ' + st(j));
      const touch = seg.hops.filter((h) => h.fromSite === j || h.toSite === j).length;
      const c = map.covs.subarray(j * 6, j * 6 + 3);
      console.log(`  spurious ${j}: ${distOf(j).toFixed(2)} Å from t${sm.truthOf[j]}, w ${map.weights[j].toFixed(4)}, cov diag ${Array.from(c, (x) => x.toFixed(3)).join(' ')}, ${touch} jumps`);
    }
    for (const o of other) console.log('  ' + o);
    const missed = run.truth.hops.filter((_, i) => !ms.trueFound[i]).slice(0, 8);
    for (const h of missed) console.log(`  missed a${h.atom} f${h.startFrame}-${h.endFrame} t${h.fromSite}→t${h.toSite} (sites ${sm.nearest[h.fromSite]}@${sm.distanceA[h.fromSite].toFixed(2)} → ${sm.nearest[h.toSite]}@${sm.distanceA[h.toSite].toFixed(2)})`);
  }
}
