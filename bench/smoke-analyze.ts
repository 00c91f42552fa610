import { loadTrajectory } from '../src/io/load.js';
import { analyze } from '../src/analysis/analyze.js';
for (const dir of process.argv.slice(2)) {
  let t0 = performance.now();
  const t = await loadTrajectory(dir);
  const tl = performance.now() - t0;
  for (const method of ['default', 'iondiff'] as const) {
    t0 = performance.now();
    const r = analyze(t, { method });
    const d = r.diffusion[0];
    console.log(dir.split('/').pop(), method, `load ${tl.toFixed(0)}ms analyze ${(performance.now() - t0).toFixed(0)}ms`, 'events', r.events.length, 'D', d.dTracerCm2s.toExponential(2), '±', d.dTracerErrCm2s.toExponential(1), 'Dhops', d.dHopsCm2s.toExponential(2), 'Dcoll', d.dCollectiveCm2s.toExponential(2), 'H', d.havenRatio.toFixed(2), 'sigma', d.conductivitySCm.toExponential(2), 'fit', r.correlationFits.find((f) => f.method === 'calibrated')?.verdict, JSON.stringify(r.timingsMs, (k, v) => typeof v === 'number' ? Math.round(v) : v));
  }
}
