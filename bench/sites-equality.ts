// Dumps result.sites, result.siteJumps and result.events of a few runs as JSON (site-stage equality check).
import { writeFileSync } from 'node:fs';
import { analyze } from '../src/analysis/analyze.js';
import { loadTrajectory } from '../src/io/load.js';

const runs = [
  '/work/shared/data/real/argyrodite_li6ps5cl_50p_500k',
  '/work/shared/data/real/argyrodite_li6ps5cl_0p_500k',
  '/work/shared/data/real/lgps_li10gep2s12_650k_crysf',
  'datasets/Li-bcc/600K',
  'datasets/Na-hex/750K',
];
const out = process.argv[2] ?? 'sites-out.json';
const res: Record<string, unknown> = {};
for (const r of runs) {
  const t = await loadTrajectory(r);
  const a = analyze(t);
  res[r] = { sites: a.sites, siteJumps: a.siteJumps, events: a.events };
  const sitesMs = Object.entries(a.timingsMs).filter(([k]) => k.startsWith('sites:')).map(([k, v]) => `${k}=${v.toFixed(0)}`).join(' ');
  console.error(r, 'sites', a.sites.length, 'jumps', a.siteJumps.length, 'events', a.events.length, sitesMs);
}
writeFileSync(out, JSON.stringify(res));
