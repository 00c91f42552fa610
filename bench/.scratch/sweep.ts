import { readFileSync } from 'node:fs';
import { loadTrajectory } from '../../src/io/load.js';
import { atomsOf } from '../../src/trajectory/types.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { detectHopsDefault } from '../../src/analysis/hops-default.js';
import { scoreAgainstTruth } from '../../src/analysis/accuracy.js';
const m = JSON.parse(readFileSync('datasets/manifest.json', 'utf8'));
const data: any[] = [];
for (const r of m.runs) { const truth = JSON.parse(readFileSync('datasets/' + r.truth, 'utf8')); const tr = await loadTrajectory('datasets/' + r.dir); const atoms = atomsOf(tr, [truth.mobile]); data.push({ r, truth, T: tr.nFrames, atoms, u: unwrap(tr, { atoms, removeDriftExcept: [truth.mobile] }) }); }
const combos = JSON.parse(process.argv[2]);
for (const [alpha, kappa] of combos) {
  const f1s: string[] = []; let worst = 1;
  for (const d of data) { const s = scoreAgainstTruth(detectHopsDefault(d.u, d.T, d.atoms, { alpha, separationSigma: kappa }), d.truth); f1s.push(`${s.f1.toFixed(3)}(${s.fp}/${s.fn})`); worst = Math.min(worst, s.f1); }
  console.log(alpha, kappa, 'worst', worst.toFixed(3), f1s.join(' '));
}
