import { describe, expect, it } from 'vitest';
import { chi2_3Quantile, defaultNoiseModels, detectHopsDefault, segmentIon } from '../../src/analysis/hops-default.js';
import { buildPaths, type IonPlan } from './hops-default-synthetic.js';

const sites = [[0, 0, 0], [3, 0, 0], [3, 3, 0], [0, 0, 3.5], [2.5, 0, 0]];
const T = 600;

function ionSeries(u: Float64Array, n: number, k: number): Float64Array {
  const x = new Float64Array(T * 3);
  for (let t = 0; t < T; t++) for (let c = 0; c < 3; c++) x[3 * t + c] = u[(t * n + k) * 3 + c];
  return x;
}

describe('default hop detector on synthetic paths', () => {
  it('χ²₃ quantile', () => {
    expect(chi2_3Quantile(0.01)).toBeCloseTo(11.345, 2);
    expect(chi2_3Quantile(1e-3)).toBeCloseTo(16.266, 2);
  });

  for (const [sigma, tau] of [[0.1, 1], [0.2, 3], [0.3, 3], [0.3, 5]] as const) {
    describe(`vibration ${sigma} Å per component, correlation ${tau} frames`, () => {
      it('no hop: an ion vibrating at one site gives no event', () => {
        for (let seed = 1; seed <= 5; seed++) {
          const u = buildPaths(T, sites, [{ initialSite: 0, hops: [] }], sigma, tau, seed);
          const d = detectHopsDefault(u, T, Int32Array.of(7));
          expect(d.hops).toEqual([]);
          expect(d.atoms[0].nCentres).toBe(1);
          expect(d.atoms[0].atom).toBe(7);
        }
      });

      it('one hop: found at the right time, centre to centre', () => {
        const u = buildPaths(T, sites, [{ initialSite: 0, hops: [{ start: 300, frames: 5, to: 1 }] }], sigma, tau, 11);
        const d = detectHopsDefault(u, T, Int32Array.of(3));
        expect(d.hops.length).toBe(1);
        const h = d.hops[0];
        expect(h.atom).toBe(3);
        // the transit's midpoint (frame 302 of 300–304) is in the detected one; the detected start
        // may be before 300 only where the frames before it are, as a block, displaced toward
        // the target (this seed's vibration rises ~2σ for 7 frames before the hop)
        expect(h.startFrame).toBeLessThanOrEqual(302);
        expect(h.endFrame).toBeGreaterThanOrEqual(302);
        expect(h.startFrame).toBeGreaterThanOrEqual(290);
        expect(h.endFrame).toBeLessThanOrEqual(310);
        const lead = 300 - h.startFrame;
        if (lead > 0) {
          let before = 0, early = 0;
          for (let t = 200; t < h.startFrame; t++) before += u[3 * t];
          for (let t = h.startFrame; t < 300; t++) early += u[3 * t];
          expect(early / lead - before / (h.startFrame - 200)).toBeGreaterThan(sigma);
        }
        expect(h.from[0]).toBeCloseTo(0, 0);
        expect(h.to[0]).toBeCloseTo(3, 0);
        // labels: centre 0 before, −1 only inside the transit, centre 1 after
        const lab = d.atoms[0].labels;
        expect(lab[100]).toBe(0);
        expect(lab[500]).toBe(1);
        for (let t = 0; t < T; t++) if (lab[t] < 0) expect(t >= h.startFrame && t <= h.endFrame).toBe(true);
      });

      it('back-hop: A → B → A maps the return to the same centre', () => {
        const plan: IonPlan = { initialSite: 0, hops: [{ start: 150, frames: 5, to: 4 }, { start: 320, frames: 4, to: 0 }] };
        const u = buildPaths(T, sites, [plan], sigma, tau, 5);
        const seg = segmentIon(ionSeries(u, 1, 0), T);
        expect(seg.hops.length).toBe(2);
        expect(seg.nCentres).toBe(2);
        expect(seg.hops[0][2]).toBe(seg.hops[1][3]);
        expect(seg.hops[0][3]).toBe(seg.hops[1][2]);
      });

      it('two ions: file-order indices, hop vectors telescope to the net centre displacement', () => {
        const plans: IonPlan[] = [
          { initialSite: 0, hops: [{ start: 100, frames: 5, to: 1 }, { start: 250, frames: 6, to: 2 }, { start: 450, frames: 4, to: 1 }] },
          { initialSite: 3, hops: [{ start: 200, frames: 5, to: 0 }] },
        ];
        const u = buildPaths(T, sites, plans, sigma, tau, 9);
        const d = detectHopsDefault(u, T, Int32Array.of(10, 4));
        expect(d.hops.filter((h) => h.atom === 10).length).toBe(3);
        expect(d.hops.filter((h) => h.atom === 4).length).toBe(1);
        const h10 = d.hops.filter((h) => h.atom === 10);
        const sum = [0, 1, 2].map((c) => h10.reduce((s, h) => s + h.to[c] - h.from[c], 0));
        const net = [0, 1, 2].map((c) => h10[2].to[c] - h10[0].from[c]);
        for (let c = 0; c < 3; c++) expect(sum[c]).toBeCloseTo(net[c], 9);
        expect(Math.hypot(net[0] - 3, net[1], net[2])).toBeLessThan(0.3);
      });
    });
  }

  // Frames far shorter than the vibration's memory (τ = 40 frames: ρ(1) = 0.975) make the
  // variogram stride double (to 16 here), so the 8th lag spans 128 frames — more than the
  // half-width W = 26 a window of 192 ions needs: the last frames' windows once ran empty (σ² NaN
  // or 10× off), and windows shorter than the vibration's memory scattered σ² by ±50 %.
  it('finely sampled, many ions: the noise field is finite and steady to the last frame, hops found', () => {
    const n = 192, TT = 2000, sig = 0.3;
    const plans: IonPlan[] = Array.from({ length: n }, (_, k) => ({ initialSite: 0, hops: [{ start: 200 + ((k * 7) % 1500), frames: 5, to: 1 }] }));
    const u = buildPaths(TT, sites, plans, sig, 40, 5);
    const m = defaultNoiseModels(u, TT, n);
    const f = m?.[0].field;
    expect(f?.s2.length).toBe(TT);
    expect(f?.resolved).toBe(true);
    for (let t = 0; t < TT; t++) {
      expect(Number.isFinite(f!.s2[t]) && Number.isFinite(f!.rho1[t]) && Number.isFinite(f!.r[t])).toBe(true);
      // long lags straddle some hops (each ion hops once): measured 0.94–1.23
      expect(f!.s2[t] / (sig * sig)).toBeGreaterThan(0.8);
      expect(f!.s2[t] / (sig * sig)).toBeLessThan(1.35);
    }
    const d = detectHopsDefault(u, TT, Int32Array.from({ length: n }, (_, i) => i));
    expect(Math.abs(d.hops.length - n)).toBeLessThanOrEqual(4);
  });

  // Few ions make the noise window long (W ≈ 5000 frames for 2 ions): sliding medians keep the
  // field O(T·W) memmove instead of a quickselect of 2W + 1 values per frame (13 s here before).
  it('few ions, long run: 2 ions × 20,000 frames in well under 5 s', () => {
    const TT = 20000;
    const plans: IonPlan[] = [0, 1].map((k) => ({ initialSite: k, hops: [{ start: 5000, frames: 5, to: 1 - k }, { start: 15000, frames: 5, to: k }] }));
    const u = buildPaths(TT, sites, plans, 0.2, 3, 9);
    const t0 = performance.now();
    const d = detectHopsDefault(u, TT, Int32Array.of(0, 1));
    const ms = performance.now() - t0;
    console.log(`default detector: 2 ions × ${TT} frames in ${ms.toFixed(0)} ms, ${d.hops.length} hops (planned 4)`);
    expect(ms).toBeLessThan(5000);
    expect(d.hops.length).toBe(4);
  });

  it('rejects a wrongly sized array', () => {
    expect(() => detectHopsDefault(new Float64Array(10), 5, Int32Array.of(0))).toThrow();
  });

  it('is fast: 50 ions × 5000 frames', () => {
    const n = 50, TT = 5000;
    const plans: IonPlan[] = Array.from({ length: n }, (_, k) => ({
      initialSite: k % 2, hops: Array.from({ length: 8 }, (_, j) => ({ start: 300 + j * 580, frames: 5, to: (k + j + 1) % 2 })),
    }));
    const u = buildPaths(TT, sites, plans, 0.2, 3, 3);
    const t0 = performance.now();
    const d = detectHopsDefault(u, TT, Int32Array.from({ length: n }, (_, i) => i));
    const ms = performance.now() - t0;
    console.log(`default detector: ${n} ions × ${TT} frames in ${ms.toFixed(0)} ms, ${d.hops.length} hops (planned ${n * 8})`);
    // 250 000 frames: allow a rare false alarm (α per test is 1e-4)
    expect(Math.abs(d.hops.length - n * 8)).toBeLessThanOrEqual(4);
  });
});
