// Diagnostic: print the default detector's false positives on generated runs.
//   npx tsx bench/detector-fp.ts --material Li-sc-every-step --frames 6000 --seeds 3
import { detectHopsDefault } from '../src/analysis/hops-default.js';
import { materialByName } from '../src/generate/materials.js';
import { generateRun, toTrajectory } from '../src/generate/run.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { matchAgainstTruth } from '../src/validate/accuracy.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}
const name = arg('--material', 'Li-sc-every-step');
const frames = Number(arg('--frames', '6000'));
const seeds = Number(arg('--seeds', '3'));
const base = materialByName(name);
const spec = { ...base, nFrames: frames };
const T0 = spec.temperaturesK[0];
for (let i = 0; i < seeds; i++) {
  const seed = spec.seed + T0 + i;
  const run = generateRun(spec, T0, seed);
  const traj = toTrajectory(run);
  const atoms = atomsOf(traj, [spec.mobile]);
  const u = unwrap(traj, { atoms, removeDriftExcept: [spec.mobile] });
  const det = detectHopsDefault(u, traj.nFrames, atoms);
  const m = matchAgainstTruth(det, run.truth);
  const s = m.score;
  console.log(`seed ${seed}: P ${s.precision.toFixed(3)} R ${s.recall.toFixed(3)} F1 ${s.f1.toFixed(3)} (det ${s.nDetected}, true ${s.nTrue}); sigma ${Math.sqrt(det.noise[0].sigma2).toFixed(3)}`);
  det.hops.forEach((d, di) => {
    if (m.detectedMatched[di]) return;
    const L = Math.hypot(d.to[0] - d.from[0], d.to[1] - d.from[1], d.to[2] - d.from[2]);
    let best = '', bd = Infinity;
    run.truth.hops.forEach((t) => {
      if (t.atom !== d.atom) return;
      const g = Math.max(t.startFrame - d.endFrame, d.startFrame - t.endFrame, 0);
      if (g < bd) { bd = g; best = `${t.startFrame}-${t.endFrame} ${t.fromSite}->${t.toSite}`; }
    });
    console.log(`  FP ion ${d.atom} frames ${d.startFrame}-${d.endFrame} |d| ${L.toFixed(2)} Å; nearest true ${best} (gap ${bd}); truth hops of ion: ${run.truth.hops.filter((t) => t.atom === d.atom).length}`);
  });
}
