// The ion charge behind σ is never guessed: sidecar first, then the usual formal charges of
// common mobile ions, else σ is unknown (NaN) rather than computed with a made-up charge.
import { describe, expect, it } from 'vitest';
import { resolve } from 'node:path';
import { analyze, chargeOf } from '../../src/analysis/analyze.js';
import { loadTrajectory } from '../../src/io/load.js';
import { repoRoot } from '../helpers/real.js';

describe('charges for the Nernst–Einstein conductivity (from the tracer D, resolved on this run)', () => {
  it('known ion → its formal charge; unknown ion → NaN σ; sidecar charge wins', async () => {
    const t = await loadTrajectory(resolve(repoRoot, 'datasets/Na-hex/550K'));
    expect(chargeOf(t, 'Na')).toBe(1);
    expect(Number.isFinite(analyze(t).diffusion[0].conductivityNeSCm)).toBe(true);

    // The same run with its mobile ion renamed to one the table does not know.
    const renamed = { ...t, species: t.species.map((s) => (s === 'Na' ? 'Rb' : s)), metadata: { ...t.metadata, mobile: ['Rb'], charges: {} } };
    expect(chargeOf(renamed, 'Rb')).toBeNaN();
    expect(analyze(renamed).diffusion[0].conductivityNeSCm).toBeNaN();

    const given = { ...renamed, metadata: { ...renamed.metadata, charges: { Rb: 2 } } };
    const s2 = analyze(given).diffusion[0].conductivityNeSCm;
    const s1 = analyze(t).diffusion[0].conductivityNeSCm;
    expect(s2 / s1).toBeCloseTo(4, 9); // σ ∝ q²
  });
});
