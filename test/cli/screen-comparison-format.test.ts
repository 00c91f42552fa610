// How `ionsift screen` prints comparisons: nothing without a pair; the data line, the published
// statement and a verdict that follows the data (agree, contradict, inconclusive).
import { describe, expect, it } from 'vitest';
import { formatComparisons } from '../../src/cli/screen.js';
import { comparePoints, type TransportPoint } from '../../src/screen/comparison.js';
import type { PublishedFinding } from '../../src/screen/published-findings.js';

const point = (material: string, d: number, err: number): TransportPoint => ({
  material, formula: 'Li6PS5Cl', element: 'Li', temperature_k: 500, d_tracer_cm2_s: d, d_tracer_err: err,
  hop_rate_per_ion_ps: d * 1e4, d_hops_cm2_s: 2 * d, path: `/x/${material}`,
});
const finding: PublishedFinding = { element: 'Li', slower: 'ord', faster: 'dis', statement: 'disorder is faster', source: 'Paper 2021', file: '/x/f.json' };

describe('formatComparisons', () => {
  it('prints nothing when no two materials are comparable', () => {
    expect(formatComparisons([])).toBe('');
  });

  it('states the data, then the published statement and whether they agree', () => {
    const text = formatComparisons(comparePoints([point('ord', 1e-6, 1e-7), point('dis', 3e-6, 1e-7)], [finding]));
    const lines = text.split('\n');
    expect(lines[0]).toBe('1 comparison of materials sharing formula, element and temperature (tracer D ± 1σ)');
    expect(lines[2]).toBe('Li6PS5Cl · Li · 500 K: ord vs dis');
    expect(text).toContain('3.00e-6 ± 1.0e-7');
    expect(text).toContain('data:      Li diffuses 3.00× faster in dis than in ord (tracer D, beyond both error bars); its hop rate per ion is 3.00× that of ord.');
    expect(text).toContain('published: disorder is faster (Paper 2021)');
    expect(text).toContain('verdict:   the data agree with the published direction (dis faster).');
  });

  it('says when the data contradict the finding or cannot decide', () => {
    const against = formatComparisons(comparePoints([point('ord', 3e-6, 1e-7), point('dis', 1e-6, 1e-7)], [finding]));
    expect(against).toContain('verdict:   the data contradict the published direction (dis faster).');
    const unsure = formatComparisons(comparePoints([point('ord', 1e-6, 5e-7), point('dis', 1.5e-6, 5e-7)], [finding]));
    expect(unsure).toContain('(tracer D, within the error bars)');
    expect(unsure).toContain('verdict:   inconclusive');
    const noFinding = formatComparisons(comparePoints([point('a', 1e-6, 1e-7), point('b', 3e-6, 1e-7)]));
    expect(noFinding).not.toMatch(/published:|verdict:/);
  });
});
