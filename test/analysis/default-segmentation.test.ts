// Step 1 of the default detector (default-detector/segmentation.ts, an indexed heap whose keys are
// updated in place) against a direct implementation of its definition: repeatedly merge the
// adjacent pair of smallest key, the earlier pair on equal keys, until no pair may merge. Series
// with hops and correlated vibration, a time-varying noise model, and positions on a coarse grid
// (so that keys tie, including the zero keys of repeated frames). A heap that only sifts an
// updated key down (a decreased key left too deep) fails the first two cases.
import { describe, expect, it } from 'vitest';
import { inflationG } from '../../src/analysis/default-detector/inflation.js';
import { Work, segment } from '../../src/analysis/default-detector/segmentation.js';
import type { NoiseField } from '../../src/analysis/default-detector/types.js';
import { mulberry32 } from '../../src/analysis/random.js';

interface Seg { start: number; n: number; sx: number; sy: number; sz: number }

/** The merge key of the definition (hops-default.ts, step 1), written out for two segments. */
function key(a: Seg, b: Seg, f: NoiseField, pen: number, kappa2: number): number {
  const na = a.n, nb = b.n, t = b.start;
  const dx = a.sx / na - b.sx / nb, dy = a.sy / na - b.sy / nb, dz = a.sz / na - b.sz / nb;
  const d2 = dx * dx + dy * dy + dz * dz;
  const s2 = f.s2[t], rho1 = f.rho1[t], r = f.r[t];
  const pa = na === 1 ? 1 : r ** (na - 1), pb = nb === 1 ? 1 : r ** (nb - 1);
  const ga = inflationG(na, rho1, r, pa) / na, gb = inflationG(nb, rho1, r, pb) / nb;
  const om = 1 - r;
  const cov = ((2 * rho1) / (om * om)) * ((1 - pa * r) / na) * ((1 - pb * r) / nb);
  const v = s2 * (ga + gb - cov);
  const s = d2 / Math.max(v, 0.05 * s2 * (ga + gb));
  return s <= pen || d2 <= kappa2 * s2 ? s : NaN;
}

/** O(T²) reference: smallest key first, the earlier pair on ties. */
function direct(x: Float64Array, T: number, f: NoiseField, pen: number, kappa2: number): Seg[] {
  const segs: Seg[] = [];
  for (let t = 0; t < T; t++) segs.push({ start: t, n: 1, sx: x[3 * t], sy: x[3 * t + 1], sz: x[3 * t + 2] });
  for (;;) {
    let best = -1, bestKey = Infinity;
    for (let i = 0; i + 1 < segs.length; i++) {
      const k = key(segs[i], segs[i + 1], f, pen, kappa2);
      if (k < bestKey) { bestKey = k; best = i; }
    }
    if (best < 0) return segs;
    const a = segs[best], b = segs[best + 1];
    a.n += b.n; a.sx += b.sx; a.sy += b.sy; a.sz += b.sz;
    segs.splice(best + 1, 1);
  }
}

function series(seed: number, T: number, grid: number): { x: Float64Array; field: NoiseField } {
  const rnd = mulberry32(seed);
  const x = new Float64Array(3 * T);
  const field: NoiseField = { s2: new Float64Array(T), rho1: new Float64Array(T), r: new Float64Array(T) };
  const c = [0, 0, 0], e = [0, 0, 0];
  for (let t = 0; t < T; t++) {
    if (rnd() < 0.03) c[Math.floor(rnd() * 3)] += rnd() < 0.5 ? 2.5 : -2.5; // a hop
    for (let k = 0; k < 3; k++) {
      e[k] = 0.6 * e[k] + 0.3 * (rnd() - 0.5); // correlated vibration
      const v = c[k] + e[k];
      x[3 * t + k] = grid > 0 ? Math.round(v / grid) * grid : v;
    }
    // a model that drifts in time, as the pooled species field does
    field.s2[t] = 0.01 * (1 + 0.5 * Math.sin(t / 17));
    field.rho1[t] = 0.3 + 0.2 * rnd();
    field.r[t] = Math.floor(50 + 40 * rnd()) / 100;
  }
  return { x, field };
}

describe('default detector, step 1 (bottom-up merging)', () => {
  const pen = 21.1, kappa2 = 4.5 * 4.5;
  const w = new Work(); // reused across calls and lengths, as detectHopsDefault does
  for (const grid of [0, 0.05, 0.5]) {
    it(`merges as the direct definition does (positions ${grid ? `on a ${grid} Å grid: tied keys` : 'continuous'})`, () => {
      let merged = 0;
      for (let seed = 1; seed <= 40; seed++) {
        const T = 20 + ((seed * 397) % 1200);
        const { x, field } = series(seed, T, grid);
        const got = segment(x, T, field, pen, kappa2, w);
        const want = direct(x, T, field, pen, kappa2);
        expect(Array.from(got.starts), `seed ${seed}`).toEqual(want.map((s) => s.start));
        expect(Array.from(got.lens), `seed ${seed}`).toEqual(want.map((s) => s.n));
        merged += T - want.length;
      }
      expect(merged).toBeGreaterThan(1000); // the cases do merge
    });
  }
});
