// Warm analyze() of each trajectory folder given: four runs, the last three reported, with the slowest stages (timingsMs). Absolute times: run on a quiet machine.
import { loadTrajectory, analyze } from '../dist/index.js';
for (const dir of process.argv.slice(2)) {
  const t = await loadTrajectory(dir);
  const times = [];
  let r;
  for (let k = 0; k < 4; k++) { const t0 = performance.now(); r = analyze(t, {}); times.push(performance.now() - t0); }
  const top = Object.entries(r.timingsMs).sort((a, b) => b[1] - a[1]).slice(0, 6).map(([k, v]) => `${k} ${v.toFixed(0)}`).join(', ');
  console.log(dir.split('/').pop(), `${t.nAtoms ?? ''} frames ${t.nFrames}`, 'warm ms', times.slice(1).map((x) => x.toFixed(0)).join('/'), '|', top, '| events', r.events.length);
}
