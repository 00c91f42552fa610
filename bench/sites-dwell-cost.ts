// The dwell test's cost: fitSiteMap, segmentBySites and segmentByDwellingSites timed in turn (3 reps).
//
//   npx tsx bench/sites-dwell-cost.ts lgps_li10gep2s12_650k_crysf argyrodite_li6ps5i_50p_500k
import { loadTrajectory } from '../src/io/load.js';
import { existsSync } from 'node:fs';
import { prepareAnalysis } from '../src/analysis/analyze.js';
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { fitSiteMap } from '../src/analysis/sites/site-map.js';
import { segmentBySites } from '../src/analysis/sites/segment.js';
import { segmentByDwellingSites } from '../src/analysis/sites/dwell.js';
import { placesOf } from '../src/analysis/sites/places.js';
for (const name of process.argv.slice(2)) {
  const dir = `/work/shared/data/real/${name}`;
  if (!existsSync(dir)) { console.log(`skipped: ${dir} absent`); continue; }
  const p = prepareAnalysis(await loadTrajectory(dir));
  const el = p.elements[0], n = el.atoms.length, T = p.nFrames;
  const det = detectHopsDefault(el.positions, T, el.atoms);
  const places = placesOf(det.atoms, el.positions, T);
  for (let rep = 0; rep < 3; rep++) {
    let t0 = performance.now();
    const map = fitSiteMap(el.positions, T, n, p.cell, p.volumeA3, 0, places);
    const tFit = performance.now() - t0; t0 = performance.now();
    const seg = segmentBySites(map, el.positions, T, el.atoms);
    const tSeg = performance.now() - t0; t0 = performance.now();
    const d = segmentByDwellingSites(map, el.positions, T, el.atoms);
    const tDw = performance.now() - t0;
    console.log(`${name}: fit ${tFit.toFixed(0)} ms, segment ${tSeg.toFixed(0)} ms, dwell-segment ${tDw.toFixed(0)} ms; sites ${map.k} → ${d.map.k}, jumps ${seg.hops.length} → ${d.seg.hops.length}`);
  }
}
