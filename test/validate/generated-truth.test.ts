// Validation of analyze() against the generator's ground truth (issue 5, "measurable gaps"):
// tracer D vs the lattice model's D, Ea from an Arrhenius fit of analyze()'s D, and the
// recovered concerted-chain size distribution vs the true chains. Runs are generated in memory
// (96 ions × 4000 frames ≈ 1 s to generate, ≈ 1 s to analyse on one core), larger than the
// embedded set (24–32 ions × 1000 frames) so the statistics mean something.
import { describe, expect, it } from 'vitest';
import { arrheniusFit } from '../../src/analysis/arrhenius.js';
import { analyzeCorrelations, correlationMatrix } from '../../src/analysis/correlations.js';
import { exactReferenceThreshold, randomReferenceThreshold } from '../../src/analysis/correlation-reference.js';
import { bootstrapMeanErr, diffusionOf, idealBootstrapMeanErr, mulberry32 } from '../../src/analysis/diffusion.js';
import { maxChainSpanFs, runKmc } from '../../src/generate/kmc.js';
import { buildLattice } from '../../src/generate/lattice-models.js';
import { materialByName, scaledMaterial } from '../../src/generate/materials.js';
import { Rng } from '../../src/generate/rng.js';
import { kmcParamsOf, siteTrajectory } from '../../src/generate/run.js';
import { generated, histogram, totalVariation } from './generated.js';

/** Largest accepted |D − D_model| in units of the combined 1σ error. */
const Z_MAX = 2.5;

describe('tracer D of analyze() vs the lattice model (truth.dTracerModelCm2s)', () => {
  // Seeds are 1000 + T for every case (chosen once, not per outcome). Na-rhombo at this seed
  // gives D/model 0.874 (z −1.64), seed T = 800 gives 0.856 (z −2.14): the KMC history itself
  // (the run's own site trajectory analysed the same way) gives the same D to 0.02 %, and over
  // 60 KMC histories of this size D_sites/D_model = 1.004 ± 0.011 — two low draws, not a bias
  // (BENCHMARKS.md, "Transport").
  const cases: [string, number, number, number][] = [
    ['Li-sc', 96, 4000, 700],
    ['Na-hex', 96, 4000, 650],
    ['Li-bcc', 64, 4000, 450],
    ['Na-rhombo', 96, 4000, 800],
  ];
  for (const [material, ions, frames, T] of cases) {
    it(`${material} ${ions} ions × ${frames} frames at ${T} K: |z| ≤ ${Z_MAX}`, () => {
      const { run, result } = generated(material, ions, frames, T, 1000 + T);
      const d = result.diffusion[0];
      const dm = run.truth.dTracerModelCm2s, em = run.truth.dTracerModelErrCm2s;
      expect(dm).toBeGreaterThan(0);
      expect(em).toBeGreaterThan(0);
      const z = (d.dTracerCm2s - (dm as number)) / Math.hypot(d.dTracerErrCm2s, em as number);
      console.log(`${material} ${T} K: D ${d.dTracerCm2s.toExponential(3)} ± ${d.dTracerErrCm2s.toExponential(1)}, ` +
        `model ${(dm as number).toExponential(3)} ± ${(em as number).toExponential(1)}, ratio ${(d.dTracerCm2s / (dm as number)).toFixed(3)}, z ${z.toFixed(2)}; ` +
        `hops ${run.truth.hops.length} true / ${result.events.length} found`);
      expect(Math.abs(z)).toBeLessThanOrEqual(Z_MAX);
      // The test only means something if the error is small: ≤ 15 % relative (the spatial-block
      // error of correlated neighbours, issue 14, raised Na-hex from ~10 % to 14.6 %).
      expect(d.dTracerErrCm2s / d.dTracerCm2s).toBeLessThan(0.15);
    }, 30_000);
  }
  // The analysis alone (unwrap in the triclinic / hexagonal cell, vibration, transit arcs, drift
  // removal) against the run's own hops: the site trajectory (initial site + Σ true hop vectors)
  // fitted over the same window. Observed: ratio sd ≤ 0.06 % over 100+ runs; 0.5 % is about
  // what a single wrong cell image (one ~9 Å jump) in one ion's unwrapped path would add here.
  for (const [material, ions, frames, T] of cases) {
    it(`${material}: D of analyze() equals D of the true hop sequence within 0.5 %`, () => {
      const { run, result } = generated(material, ions, frames, T, 1000 + T);
      const d = result.diffusion[0];
      const sites = diffusionOf(siteTrajectory(run), run.nFrames, run.spec.nIons, run.frameIntervalFs, {
        element: d.element, volumeA3: 1, charge: 1, temperatureK: T, fitStartPs: d.fitStartPs, fitEndPs: d.fitEndPs,
      });
      expect(sites.fitStartPs).toBeCloseTo(d.fitStartPs, 9);
      expect(sites.fitEndPs).toBeCloseTo(d.fitEndPs, 9);
      console.log(`${material}: D analyze ${d.dTracerCm2s.toExponential(4)}, D true hops ${sites.dTracerCm2s.toExponential(4)}, ratio ${(d.dTracerCm2s / sites.dTracerCm2s).toFixed(5)}`);
      expect(Math.abs(d.dTracerCm2s / sites.dTracerCm2s - 1)).toBeLessThan(0.005);
    }, 30_000);
  }
});

describe('ion-bootstrap error of the tracer D on the lattice model', () => {
  // 30 KMC histories (site trajectories, no frames needed: the analysis reproduces them to
  // 0.1 %) of Li-bcc, the material with the strongest concerted chains (p = 0.4), 64 ions ×
  // 2000 frames at 450 K. If ions were correlated (chains, shared vacancies) the spread of D over
  // histories would exceed the ion-bootstrap error. z_s = (D_s − mean D)/err_s; calibrated errors
  // give RMS z ≈ 1 with a sampling sd of ≈ 0.13 for 30 histories (150 histories: 1.03 ± 0.06).
  it('RMS of (D − mean)/error over 30 seeds lies in [0.7, 1.35]', () => {
    const spec = scaledMaterial(materialByName('Li-bcc'), 64, 2000);
    const T = 450;
    const model = buildLattice(spec.lattice, spec.seed);
    const dt = spec.potimFs * spec.nblock;
    const tEnd = (spec.nFrames - 1) * dt - maxChainSpanFs(kmcParamsOf(spec, T, 0)) - dt;
    const ds: number[] = [], es: number[] = [];
    for (let s = 0; s < 30; s++) {
      const kmc = runKmc(model, kmcParamsOf(spec, T, tEnd), new Rng(7000 + s, 1));
      const u = siteTrajectory({ model, kmc, nFrames: spec.nFrames, frameIntervalFs: dt });
      const r = diffusionOf(u, spec.nFrames, spec.nIons, dt, { element: 'Li', volumeA3: 1, charge: 1, temperatureK: T });
      ds.push(r.dTracerCm2s); es.push(r.dTracerErrCm2s);
    }
    const mean = ds.reduce((a, b) => a + b, 0) / ds.length;
    const z = ds.map((d, i) => (d - mean) / es[i]);
    const rms = Math.sqrt(z.reduce((a, b) => a + b * b, 0) / z.length);
    console.log(`Li-bcc 64 × 2000, 30 histories: RMS z ${rms.toFixed(3)}, mean relative error ${(es.reduce((a, b) => a + b, 0) / es.length / mean * 100).toFixed(1)} %`);
    expect(rms).toBeGreaterThan(0.7);
    expect(rms).toBeLessThan(1.35);
  }, 30_000);
});

describe('activation energy from analyze() D(T)', () => {
  // Li-sc (input Ea 0.30 eV), 192 ions × 8000 frames (320 ps) at 500–800 K: ~1100–14000 hops per
  // run. Why these: the model D itself (long frame-less KMC) has Ea ≈ 0.29 eV over 500–800 K
  // (the busy/blocked fraction grows with T; over 600–900 K it is 0.283), so 10 % of 0.30 eV
  // leaves ~0.02 eV for statistics; at 96 ions × 4000 frames σ(Ea) was ≈ 0.014 eV and a
  // 600–900 K fit gave 0.258 (−14 %) — within 2σ of the model yet outside 10 %. With 4× the
  // ion-frames σ(Ea) ≈ 0.008 eV, so the 10 % test passes honestly at ≥ 2.5σ.
  const temps = [500, 600, 700, 800];
  const SIZE: [number, number] = [192, 8000];
  for (const T of temps) {
    it(`Li-sc ${SIZE[0]} ions × ${SIZE[1]} frames at ${T} K: D within ${Z_MAX}σ of the model`, () => {
      const { run, result } = generated('Li-sc', SIZE[0], SIZE[1], T, 1000 + T);
      const d = result.diffusion[0];
      const dm = run.truth.dTracerModelCm2s as number, em = run.truth.dTracerModelErrCm2s as number;
      const z = (d.dTracerCm2s - dm) / Math.hypot(d.dTracerErrCm2s, em);
      console.log(`Li-sc ${T} K: D ${d.dTracerCm2s.toExponential(3)} ± ${d.dTracerErrCm2s.toExponential(1)}, model ${dm.toExponential(3)}, ` +
        `ratio ${(d.dTracerCm2s / dm).toFixed(3)}, z ${z.toFixed(2)}, hops ${run.truth.hops.length}`);
      expect(Math.abs(z)).toBeLessThanOrEqual(Z_MAX);
    }, 120_000);
  }
  it('Li-sc at 500/600/700/800 K: Ea within 10 % of the input and within 2.5σ of the model D\'s Ea', () => {
    const runs = temps.map((T) => generated('Li-sc', SIZE[0], SIZE[1], T, 1000 + T));
    const pts = runs.map(({ run, result }) => ({
      temperatureK: run.temperatureK, dCm2s: result.diffusion[0].dTracerCm2s, dErrCm2s: result.diffusion[0].dTracerErrCm2s,
    }));
    const fit = arrheniusFit(pts);
    const model = arrheniusFit(runs.map(({ run }) => ({
      temperatureK: run.temperatureK, dCm2s: run.truth.dTracerModelCm2s as number, dErrCm2s: run.truth.dTracerModelErrCm2s as number,
    })));
    const input = runs[0].run.spec.activationEv;
    console.log(`Ea from analyze() D: ${fit.eaEv.toFixed(4)} ± ${fit.eaErrEv.toFixed(4)} eV; model D: ${model.eaEv.toFixed(4)} ± ${model.eaErrEv.toFixed(4)} eV; input ${input} eV`);
    expect(fit.weighted).toBe(true);
    expect(Math.abs(fit.eaEv - input) / input).toBeLessThanOrEqual(0.10);
    expect(Math.abs(fit.eaEv - model.eaEv)).toBeLessThanOrEqual(Z_MAX * Math.hypot(fit.eaErrEv, model.eaErrEv));
    // The fit must be precise enough for the 10 % criterion to be a real test.
    expect(fit.eaErrEv).toBeLessThan(0.04 * input);
  }, 120_000);
});

describe('concerted chains: recovered size distribution vs truth.chains', () => {
  // Li-bcc has the strongest chains (p = 0.4). Distribution compared: sizes of all chains,
  // isolated hops included as size 1 — truth: truth.chains[].size; recovered: nBodies of each
  // concerted group plus one size-1 chain per hop in no group. Metric: total-variation distance
  // (half the L1 distance of the normalised histograms); tolerance 0.02, i.e. at most 2 % of
  // the probability mass moved, which also absorbs the ~1 % of hops the detector misses.
  const TV_MAX = 0.02;
  const chainCase = () => generated('Li-bcc', 64, 4000, 600, 1600);
  const sizesOf = (groups: readonly { nBodies: number }[], nEvents: number, nGrouped: number): number[] =>
    [...groups.map((g) => g.nBodies), ...new Array<number>(nEvents - nGrouped).fill(1)];

  it(`time + vacancy relation (centres and cell given): TV distance ≤ ${TV_MAX}, mean size within 3 %`, () => {
    const { run, result } = chainCase();
    const truth = histogram(run.truth.chains.map((c) => c.size));
    const corr = analyzeCorrelations(
      result.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame, from: e.from, to: e.to })),
      run.nFrames, 'Li', { lattice: run.truth.lattice },
    );
    const grouped = corr.groupOf.filter((g) => g >= 0).length;
    const sizes = sizesOf(corr.groups, result.events.length, grouped);
    const got = histogram(sizes);
    const tv = totalVariation(truth, got);
    const mean = (h: number[]) => h.reduce((s, v, i) => s + v * i, 0) / h.reduce((s, v) => s + v, 0);
    console.log(`chains truth ${JSON.stringify(truth)} recovered ${JSON.stringify(got)} TV ${tv.toFixed(4)}; ` +
      `mean size ${mean(truth).toFixed(3)} vs ${mean(got).toFixed(3)}; IonDiff n-body bins ${JSON.stringify(corr.bins.map((b) => b.count))}`);
    expect(tv).toBeLessThanOrEqual(TV_MAX);
    expect(Math.abs(mean(got) / mean(truth) - 1)).toBeLessThan(0.03);
    // The IonDiff-faithful per-event count is unchanged by the grouping rule.
    expect(Array.from(corr.bodies)).toEqual(Array.from(analyzeCorrelations(
      result.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame })), run.nFrames, 'Li').bodies));
  }, 30_000);

  it('time alone (no centres): the groups percolate at this hop density — why the vacancy relation is needed', () => {
    const { run, result } = chainCase();
    const truth = histogram(run.truth.chains.map((c) => c.size));
    const corr = analyzeCorrelations(result.events.map((e) => ({ atom: e.atom, first: e.startFrame, last: e.endFrame })), run.nFrames, 'Li');
    const grouped = corr.groupOf.filter((g) => g >= 0).length;
    const tv = totalVariation(truth, histogram(sizesOf(corr.groups, result.events.length, grouped)));
    expect(tv).toBeGreaterThan(0.5);
  }, 30_000);

  it(`analyze().groups (what the store writes): TV distance ≤ ${TV_MAX} against the true chains`, () => {
    const { run, result } = chainCase();
    const truth = histogram(run.truth.chains.map((c) => c.size));
    const grouped = result.events.filter((e) => e.groupId !== null).length;
    const got = histogram(sizesOf(result.groups, result.events.length, grouped));
    expect(totalVariation(truth, got)).toBeLessThanOrEqual(TV_MAX);
  }, 30_000);
});

describe('exact shortcuts used by the pipeline', () => {
  it('exactReferenceThreshold equals the brute-force mean over all start pairs, and the reference MC converges to it', () => {
    for (const [L, T] of [[5, 40], [3, 12], [9, 30], [1, 8]]) {
      const K = T - L;
      const ev = Array.from({ length: K }, (_, s) => ({ atom: s, first: s, last: s + L - 1 }));
      // correlationMatrix uses each event's own width = L, exactly the random layouts' σ.
      const C = correlationMatrix(ev, T);
      let sum = 0;
      for (let i = 0; i < K * K; i++) sum += C[i];
      expect(exactReferenceThreshold(L, T)).toBeCloseTo(sum / (K * K), 12);
    }
    // The reference's Monte Carlo (M = 100 events, 400 layouts) over 8 seeds: its mean is within
    // 3 standard errors of the exact value.
    const exact = exactReferenceThreshold(7, 700);
    const mcs = Array.from({ length: 8 }, (_, k) => randomReferenceThreshold(100, 7, 700, 400, k));
    const mean = mcs.reduce((a, b) => a + b, 0) / mcs.length;
    const se = Math.sqrt(mcs.reduce((a, b) => a + (b - mean) ** 2, 0) / (mcs.length - 1) / mcs.length);
    console.log(`reference threshold: exact ${exact.toExponential(4)}, MC ${mean.toExponential(4)} ± ${se.toExponential(1)}`);
    expect(Math.abs(mean - exact)).toBeLessThan(3 * se);
    expect(exactReferenceThreshold(10, 10)).toBeNaN();
  });

  it('idealBootstrapMeanErr is the many-resample limit of bootstrapMeanErr', () => {
    const rng = mulberry32(3);
    const xs = Float64Array.from({ length: 150 }, () => rng() ** 2);
    const ideal = idealBootstrapMeanErr(xs);
    const mc = bootstrapMeanErr(xs, 20000, mulberry32(4));
    expect(Math.abs(mc / ideal - 1)).toBeLessThan(0.02); // MC precision 1/√(2·20000) ≈ 0.5 %
    expect(idealBootstrapMeanErr([1])).toBeNaN();
  });
});
