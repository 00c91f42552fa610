// The generated statistics match the requested parameters.
import { describe, expect, it } from 'vitest';
import { runKmc, type KmcParams } from '../../src/generate/kmc.js';
import { buildLattice } from '../../src/generate/lattice-models.js';
import { Rng } from '../../src/generate/rng.js';
import { generateRun, kmcParamsOf, toTrajectory } from '../../src/generate/run.js';
import { chainSizeProbabilities, latticeModelD, predict } from '../../src/generate/theory.js';
import { unwrap } from '../../src/trajectory/unwrap.js';
import { minimumImage } from '../../src/trajectory/lattice.js';
import { testSpec } from './helpers.js';

describe('generator statistics', () => {
  it('hop rates follow Arrhenius: the fit returns Ea and each rate matches z·Γ·v', () => {
    // Dilute, no chains, short transit: the mean-field rate is then exact up to the tiny busy fraction.
    const spec = testSpec({ nIons: 8, transitFs: 100, activationEv: 0.35, attemptTHz: 5 });
    const model = buildLattice(spec.lattice, spec.seed);
    const temps = [450, 550, 700, 900];
    const xs: number[] = [], ys: number[] = [], ws: number[] = [];
    for (const T of temps) {
      const probe = predict(model, kmcParamsOf(spec, T, 1));
      const tEnd = 2500 / (spec.nIons * probe.hopRatePerIonPerPs * 1e-3); // ~2500 hops each
      const res = runKmc(model, kmcParamsOf(spec, T, tEnd), new Rng(11, T));
      const n = res.hops.length;
      const rate = n / (spec.nIons * tEnd * 1e-3);
      const busy = probe.hopRatePerIonPerPs * spec.transitFs * 1e-3; // fraction of time in transit
      expect(Math.abs(rate / (probe.hopRatePerIonPerPs * (1 - busy)) - 1)).toBeLessThan(4 / Math.sqrt(n) + 0.01);
      xs.push(1 / (8.617333262e-5 * T)); ys.push(Math.log(rate)); ws.push(n);
    }
    // weighted least squares of ln rate = ln A − Ea·(1/kT)
    const W = ws.reduce((a, b) => a + b, 0);
    const mx = xs.reduce((a, x, i) => a + ws[i] * x, 0) / W;
    const my = ys.reduce((a, y, i) => a + ws[i] * y, 0) / W;
    let sxy = 0, sxx = 0;
    xs.forEach((x, i) => { sxy += ws[i] * (x - mx) * (ys[i] - my); sxx += ws[i] * (x - mx) ** 2; });
    const ea = -sxy / sxx;
    expect(Math.abs(ea - spec.activationEv)).toBeLessThan(0.015);
  });

  it('chain sizes follow the requested geometric law (chi-square)', () => {
    // Crowded lattice (56 ions / 64 sites): a vacated site almost always has a free neighbour ion.
    const spec = testSpec({ nIons: 56, chainProb: 0.45, chainMax: 8, transitFs: 150 });
    const model = buildLattice(spec.lattice, spec.seed);
    const T = 700;
    const probe = predict(model, kmcParamsOf(spec, T, 1));
    const tEnd = 12000 / (spec.nIons * probe.hopRatePerIonPerPs * 1e-3);
    const res = runKmc(model, kmcParamsOf(spec, T, tEnd), new Rng(5, 1));
    const n = res.chainSizes.length;
    expect(n).toBeGreaterThan(3000);
    expect(res.chainTruncations / n).toBeLessThan(0.02);
    const p = chainSizeProbabilities(spec.chainProb, spec.chainMax);
    // bins 1, 2, 3, 4, ≥5
    const obs = [0, 0, 0, 0, 0];
    for (const s of res.chainSizes) obs[Math.min(s, 5) - 1]++;
    const exp = [p[0], p[1], p[2], p[3], p.slice(4).reduce((a, b) => a + b, 0)].map((q) => q * n);
    const chi2 = obs.reduce((a, o, i) => a + (o - exp[i]) ** 2 / exp[i], 0);
    // 4 dof: P(chi2 > 18.5) ≈ 0.001; truncation shifts a little weight to small sizes
    expect(chi2).toBeLessThan(18.5);
  });

  it('vibration RMS and time correlation match the request (framework and resting ions)', () => {
    const spec = testSpec({ nFrames: 1500, activationEv: 5, vibRmsA: 0.2, vibTauFs: 80, frameworkVibScale: 0.7 });
    const T = 900;
    const run = generateRun(spec, T, 21);
    expect(run.truth.hops.length).toBe(0);
    const traj = toTrajectory(run);
    const want = 0.2 * Math.sqrt(T / 600);
    const v = new Float64Array(3);
    const L = run.model.lattice;
    let sMob = 0, nMob = 0, sFw = 0, nFw = 0, c1 = 0;
    const prev = new Float64Array(run.nAtoms * 3);
    for (let f = 0; f < run.nFrames; f++) {
      for (let a = 0; a < run.nAtoms; a++) {
        const o = (f * run.nAtoms + a) * 3;
        const mobile = a < spec.nIons;
        const ref = mobile ? run.model.sites.subarray(run.kmc.initialSites[a] * 3) : run.model.framework.subarray((a - spec.nIons) * 3);
        minimumImage(L, traj.frac[o] - ref[0], traj.frac[o + 1] - ref[1], traj.frac[o + 2] - ref[2], v, 0);
        const r2 = v[0] ** 2 + v[1] ** 2 + v[2] ** 2;
        if (mobile) { sMob += r2; nMob++; } else { sFw += r2; nFw++; }
        if (f > 0) c1 += v[0] * prev[a * 3] + v[1] * prev[a * 3 + 1] + v[2] * prev[a * 3 + 2];
        prev.set(v, a * 3);
      }
    }
    const rmsMob = Math.sqrt(sMob / nMob), rmsFw = Math.sqrt(sFw / nFw);
    expect(Math.abs(rmsMob / want - 1)).toBeLessThan(0.04);
    expect(Math.abs(rmsFw / (0.7 * want) - 1)).toBeLessThan(0.05);
    // lag-1 autocorrelation of the displacement = exp(−Δt/τ)
    const rho = c1 / (run.nFrames - 1) / run.nAtoms / ((sMob + sFw) / (nMob + nFw));
    expect(rho).toBeCloseTo(Math.exp(-40 / 80), 1);
  });

  it('MSD-based tracer D of a long run agrees with the model D (and the analytic value)', () => {
    // No chains so the closed form applies; c = 0.25.
    const spec = testSpec({ nIons: 16, nFrames: 9000, activationEv: 0.25, attemptTHz: 4, transitFs: 160 });
    const T = 600;
    const run = generateRun(spec, T, 77);
    const traj = toTrajectory(run);
    const atoms = Int32Array.from({ length: spec.nIons }, (_, i) => i);
    const pos = unwrap(traj, { atoms });
    const N = atoms.length, F = traj.nFrames, dt = run.frameIntervalFs;
    const maxLag = Math.floor(F / 5), step = 5;
    const lags = [Math.floor(maxLag / 4), maxLag];
    // per-ion time-averaged MSD at two lags; D from the slope (removes the vibration offset)
    const dIon: number[] = [];
    for (let k = 0; k < N; k++) {
      const msd = lags.map((lag) => {
        let s = 0, n = 0;
        for (let t0 = 0; t0 + lag < F; t0 += step) {
          const a = (t0 * N + k) * 3, b = ((t0 + lag) * N + k) * 3;
          s += (pos[b] - pos[a]) ** 2 + (pos[b + 1] - pos[a + 1]) ** 2 + (pos[b + 2] - pos[a + 2]) ** 2;
          n++;
        }
        return s / n;
      });
      dIon.push((msd[1] - msd[0]) / (6 * (lags[1] - lags[0]) * dt) * 0.1); // Å²/fs → cm²/s
    }
    const d = dIon.reduce((a, b) => a + b, 0) / N;
    const err = Math.sqrt(dIon.reduce((a, x) => a + (x - d) ** 2, 0) / (N - 1) / N);
    const model = run.truth.dTracerModelCm2s!;
    const modelErr = run.truth.dTracerModelErrCm2s!;
    expect(run.truth.hops.length).toBeGreaterThan(400);
    expect(Math.abs(d - model)).toBeLessThan(3 * Math.hypot(err, modelErr));
    expect(Math.abs(run.truth.dTracerAnalyticCm2s! / model - 1)).toBeLessThan(0.1);
    // hop-count D of this very run: f < 1 makes the MSD value smaller than ⟨n⟩·d²/(6t)
    const dHop = (run.truth.hops.length / N) * 2.5 ** 2 / (6 * (run.truth.params.kmcEndFs as number)) * 0.1;
    expect(d).toBeLessThan(dHop * 1.15);
  });

  it('the lattice-model D is consistent with the closed form for plain exclusion', () => {
    const spec = testSpec({ nIons: 32 });
    const model = buildLattice(spec.lattice, 1);
    const p: KmcParams = kmcParamsOf(spec, 700, 1);
    const m = latticeModelD(model, p, 3);
    const a = predict(model, p);
    expect(m.errCm2s / m.dCm2s).toBeLessThan(0.05);
    expect(Math.abs(m.dCm2s / a.dTracerAnalyticCm2s - 1)).toBeLessThan(0.1);
    expect(m.dCm2s).toBeLessThan(a.dUncorrelatedCm2s); // correlation factor f < 1
  });
});
