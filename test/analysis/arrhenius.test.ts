import { describe, expect, it } from 'vitest';
import { arrheniusD, arrheniusFit, BOLTZMANN_EV_K } from '../../src/analysis/arrhenius.js';
import { mulberry32 } from '../../src/analysis/diffusion.js';
import { gaussian } from '../helpers/walk.js';

const EA = 0.32, D0 = 3e-3;
const TEMPS = [400, 500, 600, 700, 800, 1000];

describe('Arrhenius fit', () => {
  it('recovers Ea and D0 on exact data (within 1 %)', () => {
    const f = arrheniusFit(TEMPS.map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T) })));
    expect(Math.abs(f.eaEv - EA) / EA).toBeLessThan(0.01);
    expect(f.eaEv).toBeCloseTo(EA, 10);
    expect(f.d0Cm2s).toBeCloseTo(D0, 12);
    expect(f.d300kCm2s / arrheniusD(D0, EA, 300)).toBeCloseTo(1, 10);
    expect(f.r2).toBeCloseTo(1, 12);
    expect(f.n).toBe(6);
    expect(f.weighted).toBe(false);
  });

  it('recovers Ea within error on noisy data, and the errors are honest over many trials', () => {
    const g = gaussian(mulberry32(12));
    const rel = 0.1;
    let inside = 0, within10 = 0;
    const trials = 200;
    for (let k = 0; k < trials; k++) {
      const pts = TEMPS.map((T) => {
        const d = arrheniusD(D0, EA, T) * Math.exp(rel * g());
        return { temperatureK: T, dCm2s: d, dErrCm2s: rel * d };
      });
      const f = arrheniusFit(pts);
      if (k === 0) {
        console.log(`noisy: Ea = ${f.eaEv.toFixed(4)} ± ${f.eaErrEv.toFixed(4)} eV (true ${EA}); D300 = ${f.d300kCm2s.toExponential(3)} ± ${f.d300kErrCm2s.toExponential(2)}`);
        expect(Math.abs(f.eaEv - EA)).toBeLessThan(3 * f.eaErrEv);
      }
      if (Math.abs(f.eaEv - EA) < f.eaErrEv) inside++;
      if (Math.abs(f.eaEv - EA) / EA < 0.1) within10++;
    }
    // 'max' errors are ≥ the exact propagated σ, so coverage is ≥ ~68 %.
    expect(inside / trials).toBeGreaterThan(0.6);
    expect(inside / trials).toBeLessThan(0.95);
    expect(within10 / trials).toBeGreaterThan(0.8);
  });

  it('propagates the 300 K extrapolation error with the covariance', () => {
    const pts = [500, 700, 900].map((T, i) => {
      const d = arrheniusD(D0, EA, T) * (1 + [0.05, -0.04, 0.03][i]);
      return { temperatureK: T, dCm2s: d, dErrCm2s: 0.05 * d };
    });
    const f = arrheniusFit(pts);
    // Independent check: resample ln D within σ and refit — the spread of ln D300 must match.
    const g = gaussian(mulberry32(2));
    const vals: number[] = [];
    for (let k = 0; k < 4000; k++) {
      const q = pts.map((p) => ({ ...p, dCm2s: p.dCm2s * Math.exp(0.05 * g()) }));
      vals.push(Math.log(arrheniusFit(q).d300kCm2s));
    }
    const m = vals.reduce((a, b) => a + b) / vals.length;
    const sd = Math.sqrt(vals.reduce((a, b) => a + (b - m) ** 2, 0) / (vals.length - 1));
    // f's error is max(propagated, scatter) ≥ propagated ≈ sd.
    expect(f.d300kErrCm2s / f.d300kCm2s).toBeGreaterThanOrEqual(sd * 0.9);
  });

  it('n = 2: errors from the D errors alone when given, NaN unweighted; n < 2 and a single temperature are rejected', () => {
    const f = arrheniusFit([500, 800].map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T), dErrCm2s: 0.1 * arrheniusD(D0, EA, T) })));
    expect(f.eaEv).toBeCloseTo(EA, 10);
    // σ_Ea = √2·0.1 / (1/kT1 − 1/kT2) for two points with 10 % errors.
    expect(f.eaErrEv).toBeCloseTo(Math.SQRT2 * 0.1 / (1 / (BOLTZMANN_EV_K * 500) - 1 / (BOLTZMANN_EV_K * 800)), 10);
    expect(f.intervalDof).toBe(Infinity);
    const u = arrheniusFit([500, 800].map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T) })));
    expect(Number.isNaN(u.eaErrEv)).toBe(true);
    expect(Number.isNaN(u.d300kErrCm2s)).toBe(true);
    expect(() => arrheniusFit([{ temperatureK: 500, dCm2s: 1e-6 }])).toThrow(/at least 2/);
    expect(() => arrheniusFit([])).toThrow(/at least 2/);
    expect(() => arrheniusFit([{ temperatureK: 500, dCm2s: 1e-6 }, { temperatureK: 500, dCm2s: 2e-6 }])).toThrow(/equal/);
  });

  it('excludes D ≤ 0 and counts it', () => {
    const pts = TEMPS.map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T) }));
    pts.push({ temperatureK: 300, dCm2s: -1e-9 });
    const f = arrheniusFit(pts);
    expect(f.n).toBe(6);
    expect(f.nExcluded).toBe(1);
    expect(f.eaEv).toBeCloseTo(EA, 10);
    expect(BOLTZMANN_EV_K).toBeCloseTo(8.617333262e-5, 15);
  });

  it('95 % intervals of Ea and D(300 K) cover the truth in ~95 % of noisy data sets (3 temperatures, 15 % errors)', () => {
    const g = gaussian(mulberry32(42));
    let inEa = 0, inD = 0, inEa68 = 0;
    const N = 400, temps = [500, 650, 800];
    for (let k = 0; k < N; k++) {
      const pts = temps.map((T) => {
        const d = arrheniusD(D0, EA, T);
        return { temperatureK: T, dCm2s: d * (1 + 0.15 * g()), dErrCm2s: 0.15 * d };
      });
      const f = arrheniusFit(pts);
      if (f.eaCi95Ev[0] <= EA && EA <= f.eaCi95Ev[1]) inEa++;
      if (Math.abs(f.eaEv - EA) <= f.eaErrEv) inEa68++;
      const d300 = arrheniusD(D0, EA, 300);
      if (f.d300kCi95Cm2s[0] <= d300 && d300 <= f.d300kCi95Cm2s[1]) inD++;
    }
    expect(inEa / N).toBeGreaterThan(0.91);
    expect(inEa / N).toBeLessThan(0.99);
    expect(inD / N).toBeGreaterThan(0.91);
    expect(inEa68 / N).toBeGreaterThan(0.6);
  });

  it('warns when 300 K lies further below the data than the data span in 1/T', () => {
    const far = arrheniusFit([900, 1000, 1100].map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T), dErrCm2s: 0.1 * arrheniusD(D0, EA, T) })));
    expect(far.extrapolationRatio).toBeGreaterThan(1);
    expect(far.warnings.join()).toMatch(/extrapolates .* the fitted 1\/T range/);
    const near = arrheniusFit([350, 450, 600].map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T), dErrCm2s: 0.1 * arrheniusD(D0, EA, T) })));
    expect(near.extrapolationRatio).toBeLessThan(1);
    expect(near.warnings.some((w) => /extrapolates/.test(w))).toBe(false);
  });

  it('reports curvature (VTF data) without switching the fit; a straight line passes the test', () => {
    const vtf = (T: number): number => 1e-3 * Math.exp(-0.08 / (BOLTZMANN_EV_K * (T - 200)));
    const temps = [350, 400, 500, 600, 800, 1000];
    const f = arrheniusFit(temps.map((T) => ({ temperatureK: T, dCm2s: vtf(T), dErrCm2s: 0.03 * vtf(T) })));
    expect(f.chi2P).toBeLessThan(0.05);
    expect(f.vtf).not.toBeNull();
    expect(f.vtf!.deltaAic).toBeLessThan(-2);
    expect(f.vtf!.t0K).toBeGreaterThan(150);
    expect(f.vtf!.t0K).toBeLessThan(250);
    expect(f.warnings.join()).toMatch(/not a straight line/);
    expect(f.warnings.join()).toMatch(/VTF law fits better/);
    const line = arrheniusFit(temps.map((T) => ({ temperatureK: T, dCm2s: arrheniusD(D0, EA, T), dErrCm2s: 0.03 * arrheniusD(D0, EA, T) })));
    expect(line.chi2P).toBeGreaterThan(0.5);
    expect(line.warnings.some((w) => /straight|VTF/.test(w))).toBe(false);
  });
});
