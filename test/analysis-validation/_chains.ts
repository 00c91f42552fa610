import { generateRun, toTrajectory } from '../../src/generate/run.js';
import { materialByName, scaledMaterial } from '../../src/generate/materials.js';
import { analyze } from '../../src/analysis/analyze.js';
import { findChains } from '../../src/analysis/paths.js';
const [name, ions, frames, ...temps] = process.argv.slice(2);
const base = materialByName(name);
const hist = (xs: number[]) => { const h: number[] = []; for (const x of xs) h[x] = (h[x] ?? 0) + 1; return Array.from(h, (v) => v ?? 0); };
const tvd = (a: number[], b: number[]) => { const sa = a.reduce((s, v) => s + v, 0), sb = b.reduce((s, v) => s + v, 0); let d = 0; for (let i = 0; i < Math.max(a.length, b.length); i++) d += Math.abs((a[i] ?? 0) / sa - (b[i] ?? 0) / sb); return d / 2; };
for (const T of temps.map(Number)) {
  const spec = scaledMaterial(base, Number(ions), Number(frames));
  const run = generateRun(spec, T, 7 + T);
  const r = analyze(toTrajectory(run), {});
  const tr = run.truth;
  const truthSizes = tr.chains.map((c) => c.size);
  // groups: components of ≥2 atoms; all other events are singletons
  const grouped = r.events.filter((e) => e.groupId !== null).length;
  const sizesCorr = [...r.groups.map((g) => g.nBodies), ...Array(r.events.length - grouped).fill(1)];
  const ch = findChains(r.events, tr.lattice, {});
  const inChain = new Set(ch.chains.flat());
  const sizesPath = [...ch.chains.map((c) => c.length), ...Array(r.events.length - inChain.size).fill(1)];
  console.log(name, T, 'hops', tr.hops.length, r.events.length, 'truth', JSON.stringify(hist(truthSizes)));
  console.log('  corr  ', JSON.stringify(hist(sizesCorr)), 'tvd', tvd(hist(truthSizes), hist(sizesCorr)).toFixed(3));
  console.log('  paths ', JSON.stringify(hist(sizesPath)), 'tvd', tvd(hist(truthSizes), hist(sizesPath)).toFixed(3));
  console.log('  nbody bins', JSON.stringify(r.correlations.map((b) => b.count)));
}
