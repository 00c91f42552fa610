import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { materialByName, scaledMaterial } from '../../src/generate/materials.js';
import { analyze } from '../../src/analysis/analyze.js';
const [name, ions, frames, seeds, ...temps] = process.argv.slice(2);
const base = materialByName(name);
for (const T of temps.map(Number)) for (let s = 0; s < Number(seeds); s++) {
  const spec = scaledMaterial(base, Number(ions), Number(frames));
  let t0 = performance.now();
  const run = generateRun(spec, T, 1000 * s + T);
  const traj = toTrajectory(run);
  const tg = performance.now() - t0; t0 = performance.now();
  const r = analyze(traj, {});
  const d = r.diffusion[0];
  const tr = run.truth;
  const dm = tr.dTracerModelCm2s!, em = tr.dTracerModelErrCm2s!;
  console.log(name, T, s, `ions ${spec.nIons} fr ${spec.nFrames} gen ${tg.toFixed(0)}ms an ${(performance.now()-t0).toFixed(0)}ms hops ${tr.hops.length}/${r.events.length}`,
    `D ${d.dTracerCm2s.toExponential(3)}±${d.dTracerErrCm2s.toExponential(1)} model ${dm.toExponential(3)}±${em.toExponential(1)} an ${tr.dTracerAnalyticCm2s?.toExponential(3)} r ${(d.dTracerCm2s/dm).toFixed(3)} z ${((d.dTracerCm2s-dm)/Math.hypot(d.dTracerErrCm2s, em)).toFixed(2)} Dhop/Du ${(d.dHopsCm2s/(tr.params.dUncorrelatedCm2s as number)).toFixed(3)}`, JSON.stringify(r.timingsMs, (k, v) => typeof v === 'number' ? Math.round(v) : v));
}
