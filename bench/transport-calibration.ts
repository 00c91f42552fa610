// Accuracy and error calibration of the tracer D against the generator's truth, over many seeds.
//
//   npx tsx bench/transport-calibration.ts [--seeds 8] [--frames 2000] [--materials Li-sc,Na-rhombo]
//       [--ions N] [--temperature K] [--hops truth|detected|none] [--fit ols|gls] [--verbose]
//
// --hops: the hops behind the tracer error's counting floor (transport/shot-noise.ts): the
// generator's (default), the default detector's through the whole analyze() (slower), or none
// (ion resampling only: the error model before the floor).
//
// For every (material, seed) one run is generated in memory and three D are compared:
//   D_msd   — what analyze() reports: unwrap (framework drift removed) + diffusionOf;
//   D_sites — diffusionOf on the run's own site-only trajectory (`siteTrajectory`: initial
//             site + Σ true hop vectors): the same KMC history without vibration, transit arcs
//             or unwrapping, analysed with the same fit window;
//   D_model — truth.dTracerModelCm2s (long frame-less KMC of the same lattice model).
// D_msd/D_sites isolates the analysis (unwrap, vibration, fit window); D_sites/D_model the
// finite-run statistics of the KMC history. z = (D_msd − D_model)/√(err² + err_model²) over all
// runs tests the error bars: RMS z ≈ 1 when they are calibrated (std of RMS z ≈ 1/√(2·runs)).
// Every run's truth carries its own model D (a KMC with the run's seed), so the mean of those
// over the seeds is a sharper reference D_ref; "self" z uses the mean of the measured D.
import { diffusionOf } from '../src/analysis/diffusion.js';
import { materialByName, scaledMaterial } from '../src/generate/materials.js';
import { generateRun, siteTrajectory, toTrajectory } from '../src/generate/run.js';
import { atomsOf } from '../src/trajectory/types.js';
import { unwrap } from '../src/trajectory/unwrap.js';
import { latticeAt } from '../src/trajectory/types.js';
import { inverse3, minimumImage } from '../src/trajectory/lattice.js';
import { analyze } from '../src/analysis/analyze.js';
import type { CountedHop } from '../src/analysis/transport/shot-noise.js';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : dflt;
}

/** Material, ions, temperature (K) of each case: the sizes of test/validate/generated-truth.test.ts. */
const CASES: Record<string, [number, number]> = {
  'Li-sc': [96, 700], 'Na-hex': [96, 650], 'Li-bcc': [64, 450], 'Na-rhombo': [96, 800],
};
const nSeeds = Number(arg('--seeds', '8'));
const frames = Number(arg('--frames', '2000'));
const verbose = process.argv.includes('--verbose');
const materials = arg('--materials', Object.keys(CASES).join(',')).split(',');
const fit = arg('--fit', 'ols') as 'gls' | 'ols';
const ionsArg = arg('--ions', '');
const tempArg = arg('--temperature', '');
// Hops behind the counting floor: 'truth' (the generator's, default), 'detected' (the whole
// analyze() pipeline: default detector, its hops and cell) or 'none' (ion resampling only).
const hopsFrom = arg('--hops', 'truth') as 'truth' | 'detected' | 'none';

const mean = (a: number[]): number => a.reduce((x, y) => x + y, 0) / a.length;
const sd = (a: number[]): number => { const m = mean(a); return Math.sqrt(a.reduce((x, y) => x + (y - m) ** 2, 0) / (a.length - 1)); };
const rms = (a: number[]): number => Math.sqrt(mean(a.map((x) => x * x)));

const allAxisSelf: number[] = [], allPrincipalSelf: number[] = [];
const allZ: number[] = [], allRef: number[] = [], allSelf: number[] = [], allCollSelf: number[] = [];
let nCollResolved = 0, nColl = 0;
const t0 = performance.now();
for (const name of materials) {
  const [ions0, T0] = CASES[name] ?? [96, 700];
  const T = tempArg ? Number(tempArg) : T0;
  const ions = ionsArg ? Number(ionsArg) : ions0;
  const spec = scaledMaterial(materialByName(name), ions, frames);
  const DC: number[] = [], EC: number[] = [];
  const AX: number[][] = [[], [], []], AXE: number[][] = [[], [], []], PR: number[][] = [[], [], []], PRE: number[][] = [[], [], []];
  const D: number[] = [], E: number[] = [], DM: number[] = [], EM: number[] = [], rAnal: number[] = [];
  for (let s = 0; s < nSeeds; s++) {
    const seed = 50_000 + 1009 * s + T;
    const run = generateRun(spec, T, seed);
    const traj = toTrajectory(run);
    const idx = atomsOf(traj, [spec.mobile]);
    const pos = unwrap(traj, { atoms: idx, removeDriftExcept: [spec.mobile] });
    const cell = latticeAt(traj, 0);
    const sc = run.model.siteCart;
    // Site positions are wrapped: the hop vector is the minimum image of to − from.
    const mic = new Float64Array(3), inv = inverse3(cell);
    const truthHops: CountedHop[] = run.truth.hops.map((h) => {
      const from = [sc[h.fromSite * 3], sc[h.fromSite * 3 + 1], sc[h.fromSite * 3 + 2]];
      const d = [0, 1, 2].map((k) => sc[h.toSite * 3 + k] - from[k]);
      const f = [0, 1, 2].map((k) => d[0] * inv[k] + d[1] * inv[3 + k] + d[2] * inv[6 + k]);
      minimumImage(cell, f[0], f[1], f[2], mic, 0);
      return { atom: h.atom, startFrame: h.startFrame, endFrame: h.endFrame, from, to: [from[0] + mic[0], from[1] + mic[1], from[2] + mic[2]] };
    });
    const o = { element: spec.mobile, volumeA3: 1, charge: 1, temperatureK: T, fit };
    const d = hopsFrom === 'detected'
      ? analyze(traj).diffusion.find((x) => x.element === spec.mobile)!
      : diffusionOf(pos, run.nFrames, idx.length, run.frameIntervalFs, hopsFrom === 'truth' ? { ...o, hops: truthHops, cell } : o);
    const ds = diffusionOf(siteTrajectory(run), run.nFrames, idx.length, run.frameIntervalFs,
      { ...o, fitStartPs: d.fitStartPs, fitEndPs: d.fitEndPs });
    const dm = run.truth.dTracerModelCm2s as number, em = run.truth.dTracerModelErrCm2s as number;
    DC.push(d.dCollectiveCm2s); EC.push(d.dCollectiveErrCm2s); nColl++; if (d.dCollectiveResolved) nCollResolved++;
    for (let k = 0; k < 3; k++) {
      AX[k].push(d.tracerTensor.components[k]); AXE[k].push(d.tracerTensor.axisErr[k]);
      PR[k].push(d.tracerTensor.principal[k]); PRE[k].push(d.tracerTensor.principalErr[k]);
    }
    D.push(d.dTracerCm2s); E.push(d.dTracerErrCm2s); DM.push(dm); EM.push(em);
    rAnal.push(d.dTracerCm2s / ds.dTracerCm2s);
    if (verbose) {
      console.log(`  seed ${seed}: D ${d.dTracerCm2s.toExponential(3)} ± ${d.dTracerErrCm2s.toExponential(2)} model ${dm.toExponential(3)} ± ${em.toExponential(2)} ` +
        `window ${d.fitStartPs.toFixed(1)}–${d.fitEndPs.toFixed(1)} ps, ${run.truth.hops.length} hops, D/D_sites ${rAnal[s].toFixed(5)}`);
    }
  }
  // Three z per run: against its own model D (as the validation test), against the mean of all
  // nSeeds model D (independent KMC seeds: a reference with error sd/√nSeeds), and against the
  // mean of the measured D (the error bar alone, no model involved).
  const ref = mean(DM), refErr = sd(DM) / Math.sqrt(nSeeds), mD = mean(D);
  const z = D.map((d, i) => (d - DM[i]) / Math.hypot(E[i], EM[i]));
  const zRef = D.map((d, i) => (d - ref) / Math.hypot(E[i], refErr));
  const zSelf = D.map((d, i) => (d - mD) / E[i]);
  allZ.push(...z); allRef.push(...zRef); allSelf.push(...zSelf);
  // Per-axis and principal-value errors against the spread over seeds (self z, no model needed).
  const selfZ = (v: number[], e: number[]): number[] => { const m = mean(v); return v.map((x, i) => (x - m) / e[i] * Math.sqrt(nSeeds / (nSeeds - 1))); };
  const zAx = [0, 1, 2].flatMap((k) => selfZ(AX[k], AXE[k])), zPr = [0, 1, 2].flatMap((k) => selfZ(PR[k], PRE[k]));
  allAxisSelf.push(...zAx); allPrincipalSelf.push(...zPr);
  console.log(`  per axis: RMS self-z of D_x, D_y, D_z ${rms(zAx).toFixed(2)} (spread/mean error ${[0, 1, 2].map((k) => (sd(AX[k]) / mean(AXE[k])).toFixed(2)).join(', ')}); principal values ${rms(zPr).toFixed(2)} (${[0, 1, 2].map((k) => (sd(PR[k]) / mean(PRE[k])).toFixed(2)).join(', ')})`);
  const mC = mean(DC);
  allCollSelf.push(...DC.map((d, i) => (d - mC) / EC[i] * Math.sqrt(nSeeds / (nSeeds - 1))));
  const cov1 = z.filter((x) => Math.abs(x) <= 1).length / z.length, cov2 = z.filter((x) => Math.abs(x) <= 1.96).length / z.length;
  console.log(`${name.padEnd(9)} coverage of the own model D: ±1σ ${(100 * cov1).toFixed(1)} %, ±1.96σ ${(100 * cov2).toFixed(1)} % (${nSeeds} runs)`);
  console.log(`${name.padEnd(9)} ${ions} ions × ${frames} frames, ${T} K, ${nSeeds} seeds: ` +
    `D/D_ref ${(mD / ref).toFixed(3)} ± ${(sd(D) / Math.sqrt(nSeeds) / ref).toFixed(3)} (D_ref ${ref.toExponential(3)} ± ${(refErr / ref * 100).toFixed(1)} %; ` +
    `model-D seed spread ${(sd(DM) / ref * 100).toFixed(1)} % vs stated ${(mean(EM) / ref * 100).toFixed(1)} %) | ` +
    `D/D_sites ${mean(rAnal).toFixed(4)} (sd ${sd(rAnal).toFixed(4)}) | spread of D ${(sd(D) / mD * 100).toFixed(1)} % vs mean error ${(mean(E) / mD * 100).toFixed(1)} % | ` +
    `RMS z: own model ${rms(z).toFixed(2)}, D_ref ${rms(zRef).toFixed(2)}, self ${rms(zSelf).toFixed(2)}; max|z| own ${Math.max(...z.map(Math.abs)).toFixed(2)}`);
}
const k = allZ.length;
console.log(`all ${k} runs (RMS z ± ${(1 / Math.sqrt(2 * k)).toFixed(2)} if calibrated): RMS z vs own model ${rms(allZ).toFixed(2)} (mean ${mean(allZ).toFixed(2)}, ` +
  `|z| > 2: ${allZ.filter((x) => Math.abs(x) > 2).length}, expected ${(0.0455 * k).toFixed(1)}), vs D_ref ${rms(allRef).toFixed(2)}, self ${rms(allSelf).toFixed(2)}; ` +
  `${((performance.now() - t0) / 1000).toFixed(0)} s`);
// Coverage of the truth (the run's own lattice-model D, whose ~2 % error is added in quadrature).
const cover = (zs: number[], q: number): string => `${(100 * zs.filter((x) => Math.abs(x) <= q).length / zs.length).toFixed(1)} %`;
console.log(`coverage (fit ${fit}, ${k} runs): 68 % interval (±1σ) covers the truth in ${cover(allZ, 1)}, 95 % interval (±1.96σ) in ${cover(allZ, 1.96)} ` +
  `(binomial sd ${(100 * Math.sqrt(0.68 * 0.32 / k)).toFixed(1)} / ${(100 * Math.sqrt(0.05 * 0.95 / k)).toFixed(1)} points)`);
console.log(`per-axis errors (${allAxisSelf.length} values): RMS self-z ${rms(allAxisSelf).toFixed(2)}, ±1σ covers the seed mean in ${cover(allAxisSelf, 1)}, ±1.96σ in ${cover(allAxisSelf, 1.96)}; ` +
  `principal values: RMS self-z ${rms(allPrincipalSelf).toFixed(2)}, ${cover(allPrincipalSelf, 1)} / ${cover(allPrincipalSelf, 1.96)}`);
console.log(`collective D: ${nCollResolved} of ${nColl} runs resolved (D > 2σ); error bar vs spread over seeds: RMS self-z ${rms(allCollSelf).toFixed(2)}, ` +
  `±1σ covers the seed mean in ${cover(allCollSelf, 1)}, ±1.96σ in ${cover(allCollSelf, 1.96)}`);
