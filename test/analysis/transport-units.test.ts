// The small pieces behind the transport numbers: tensor eigen-decomposition, the spatial-block
// error, GLS weights, t quantiles and the χ² tail.
import { describe, expect, it } from 'vitest';
import { tensorSummary } from '../../src/analysis/transport/tensor.js';
import { clusterMeanErr, spatialBlocks } from '../../src/analysis/transport/ion-clusters.js';
import { glsSlopeWeights } from '../../src/analysis/transport/gls.js';
import { chi2Sf, tMultiplier } from '../../src/analysis/transport/distributions.js';
import { idealBootstrapMeanErr } from '../../src/analysis/diffusion.js';
import { isResolved, transportNumbers } from '../../src/analysis/transport/resolved.js';

describe('transport building blocks', () => {
  it('tensorSummary: principal values and axes of a rotated diagonal tensor', () => {
    // diag(3, 2, 1) rotated by 40° about x.
    const c = Math.cos(0.7), s = Math.sin(0.7);
    const yy = 2 * c * c + 1 * s * s, zz = 2 * s * s + 1 * c * c, yz = (2 - 1) * c * s;
    const t = tensorSummary([3, yy, zz, 0, 0, yz]);
    expect(Array.from(t.principal)).toEqual([expect.closeTo(3, 12), expect.closeTo(2, 12), expect.closeTo(1, 12)]);
    expect(Math.abs(t.axes[0])).toBeCloseTo(1, 12);
    expect(Math.abs(t.axes[4] * c + t.axes[5] * s)).toBeCloseTo(1, 12);
    expect(t.anisotropyRatio).toBeCloseTo(3, 12);
    expect(tensorSummary([1, 1, 1, 0, 0, 0]).fractionalAnisotropy).toBeCloseTo(0, 12);
    expect(tensorSummary([1, 0, 0, 0, 0, 0]).fractionalAnisotropy).toBeCloseTo(1, 12);
    expect(tensorSummary([1, 1, -0.1, 0, 0, 0]).anisotropyRatio).toBeNaN();
  });

  it('spatial blocks: median splits along x, y, z; the block error sees correlation the ion bootstrap misses', () => {
    const n = 64;
    const pos = Float64Array.from({ length: n * 3 }, (_, k) => ((k * 7919) % 101) / 10);
    const b = spatialBlocks(pos, n);
    for (let d = 0; d < 3; d++) expect(Array.from(b).filter((v) => v & (1 << d)).length).toBe(n / 2);
    // Independent values: both errors agree within noise; one common shift per block: the block error is larger.
    const indep = Float64Array.from({ length: n }, (_, i) => Math.sin(i * 12.9898) * 43758.5453 % 1);
    const shifted = Float64Array.from(indep, (v, i) => v + 3 * (b[i] - 3.5));
    expect(clusterMeanErr(indep, b) / idealBootstrapMeanErr(indep)).toBeGreaterThan(0.4);
    expect(clusterMeanErr(indep, b) / idealBootstrapMeanErr(indep)).toBeLessThan(2);
    expect(clusterMeanErr(shifted, b)).toBeGreaterThan(1.5 * idealBootstrapMeanErr(shifted));
  });

  it('GLS weights recover the slope of an exact line, and fall back to OLS past T/2', () => {
    const lags = Int32Array.from({ length: 50 }, (_, i) => 10 + 4 * i);
    const t = Float64Array.from(lags, (m) => m * 0.1);
    const c = glsSlopeWeights(lags, t, 1000);
    let slope = 0, sumC = 0;
    for (let j = 0; j < lags.length; j++) { slope += c[j] * (2 + 3 * t[j]); sumC += c[j]; }
    expect(slope).toBeCloseTo(3, 10);
    expect(sumC).toBeCloseTo(0, 10);
    expect(Number.isFinite(glsSlopeWeights(lags, t, 300)[0])).toBe(true);
  });

  it('t quantiles and the χ² tail match tables', () => {
    expect(tMultiplier(0.95, Infinity)).toBeCloseTo(1.96, 3);
    expect(tMultiplier(0.95, 1)).toBeCloseTo(12.706, 3);
    expect(tMultiplier(0.95, 5)).toBeCloseTo(2.5706, 3);
    expect(tMultiplier(0.6827, 2)).toBeCloseTo(1.3213, 3);
    expect(chi2Sf(3.841, 1)).toBeCloseTo(0.05, 3);
    expect(chi2Sf(18.307, 10)).toBeCloseTo(0.05, 3);
    expect(chi2Sf(0, 3)).toBe(1);
  });

  it('resolution: D > 2σ; Haven ratio and conductivities only from resolved D', () => {
    expect(isResolved(3, 1)).toBe(true);
    expect(isResolved(2, 1)).toBe(false);
    expect(isResolved(-5, 1)).toBe(false);
    expect(isResolved(1, NaN)).toBe(false);
    const r = transportNumbers({ element: 'Li', nIons: 10, dTracer: 1e-6, dTracerErr: 1e-7, dCollective: -6.7e-9, dCollectiveErr: 2.3e-6,
      nIndependentTracer: 10, charge: 1, volumeA3: 1000, temperatureK: 500 });
    expect(r.havenRatio).toBeNaN();
    expect(r.conductivitySCm).toBeNaN();
    expect(r.conductivityNeSCm).toBeGreaterThan(0);
    expect(r.flags).toEqual([expect.stringMatching(/^d_collective not resolved: -6\.70e-9 ± 2\.30e-6 cm²\/s/)]);
  });
});
