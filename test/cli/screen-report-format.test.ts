// How `ionsift screen` prints descriptors: per temperature, never averaged over temperatures;
// a value with the number of rows behind it, "not resolved" where no row resolves it.
import { describe, expect, it } from 'vitest';
import { formatReport } from '../../src/cli/screen.js';
import type { RankedMaterial, ScreenReport, TemperatureDescriptors } from '../../src/screen/screen.js';
import { arrheniusRows } from '../../src/analysis/arrhenius-rows.js';

const at = (t: number, nRes: number, rate: number, haven: number | null): TemperatureDescriptors => ({
  temperatureK: t, nTrajectories: 2, nResolved: nRes, dTracerCm2s: nRes ? rate * 1e-5 : null,
  descriptors: {
    hop_rate_per_ion_ps: nRes ? { mean: rate, n: nRes } : { mean: null, n: 0 },
    haven_ratio: haven === null ? { mean: null, n: 0 } : { mean: haven, n: 1 },
  },
});

describe('formatReport', () => {
  it('lists descriptors per temperature with n, and "not resolved" for a Haven ratio no run resolves', () => {
    const [fit] = arrheniusRows([
      { material: 'X', formula: null, element: 'Li', temperature_k: 400, d_cm2_s: 1e-6, d_err: 1e-7, sigma_t_over_d: null },
      { material: 'X', formula: null, element: 'Li', temperature_k: 800, d_cm2_s: 1e-5, d_err: 1e-6, sigma_t_over_d: null },
    ]);
    const m: RankedMaterial = { ...fit, dTracerMeanCm2s: 5e-6, indistinguishableFrom: [], perTemperature: [at(400, 2, 0.01, null), at(800, 2, 0.2, 0.45), at(900, 0, 0, null)] };
    const r: ScreenReport = { by: 'd_300k', materials: [m], correlations: [{ descriptor: 'haven_ratio', pearson: null, spearman: null, n: 1 }], nTrajectories: 6, nResolved: 4 };
    const text = formatReport(r);
    const rows = text.split('\n').filter((l) => /^\s*1\s+X\s+Li\s+\d+\s/.test(l));
    expect(rows).toHaveLength(3); // one line per temperature, no average over them
    expect(rows[0]).toMatch(/\b400\b.*0\.0100 \(2\).*not resolved/);
    expect(rows[1]).toMatch(/\b800\b.*0\.2000 \(2\).*0\.45 \(1\)/);
    expect(rows[2]).toMatch(/\b900\b.*not resolved.*not resolved.*not resolved/);
    expect(text).not.toMatch(/0\.105/); // the mean of 0.01 and 0.2 over temperatures appears nowhere
  });
});
