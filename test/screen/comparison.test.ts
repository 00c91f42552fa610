// Comparisons of materials sharing formula, element and temperature, and the published findings
// read next to the data.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { comparePoints, type TransportPoint } from '../../src/screen/comparison.js';
import { FINDINGS_FILE, findingsNear, parseFindings, type PublishedFinding } from '../../src/screen/published-findings.js';

function point(material: string, d: number, err: number | null, over: Partial<TransportPoint> = {}): TransportPoint {
  return {
    material, formula: 'Li6PS5Cl', element: 'Li', temperature_k: 500,
    d_tracer_cm2_s: d, d_tracer_err: err, hop_rate_per_ion_ps: 0.1, d_hops_cm2_s: 2 * d, path: `/data/${material}/XDATCAR`,
    ...over,
  };
}

const finding: PublishedFinding = {
  element: 'Li', slower: 'ordered', faster: 'disordered', statement: 'disorder is faster', source: 'a paper', file: '/data/x.json',
};

describe('comparePoints', () => {
  it('orders a pair slower → faster, with the D and hop-rate ratios', () => {
    const [c, ...rest] = comparePoints([
      point('disordered', 1.2e-5, 7e-7, { hop_rate_per_ion_ps: 0.09 }),
      point('ordered', 3.5e-6, 1.4e-7, { hop_rate_per_ion_ps: 0.06 }),
    ]);
    expect(rest).toEqual([]);
    expect([c!.slower.material, c!.faster.material]).toEqual(['ordered', 'disordered']);
    expect(c!.dRatio).toBeCloseTo(1.2e-5 / 3.5e-6, 12);
    expect(c!.hopRateRatio).toBeCloseTo(1.5, 12);
    expect(c!.beyondErrors).toBe(true);
    expect(c!.finding).toBeNull();
    expect(c!.verdict).toBeNull();
  });

  it('beyond both error bars means the bars do not overlap', () => {
    // 1.0 ± 0.3 vs 1.5 ± 0.3: the difference (0.5) is beyond each bar but the bars overlap.
    expect(comparePoints([point('a', 1.0, 0.3), point('b', 1.5, 0.3)])[0]!.beyondErrors).toBe(false);
    expect(comparePoints([point('a', 1.0, 0.2), point('b', 1.5, 0.2)])[0]!.beyondErrors).toBe(true);
    expect(comparePoints([point('a', 1.0, null), point('b', 1.5, 0.2)])[0]!.beyondErrors).toBeNull();
  });

  it('averages a material over its trajectories; the error of the mean is √(Σσ²)/n', () => {
    const [c] = comparePoints([point('a', 1, 0.3), point('a', 3, 0.4, { path: '/data/a2' }), point('b', 10, 1)]);
    expect(c!.slower.nTrajectories).toBe(2);
    expect(c!.slower.dTracerCm2s).toBe(2);
    expect(c!.slower.dTracerErrCm2s).toBeCloseTo(0.25, 12);
    expect(c!.slower.paths).toEqual(['/data/a/XDATCAR', '/data/a2']);
  });

  it('never compares across formula, element or temperature (unrelated materials give nothing)', () => {
    expect(comparePoints([
      point('Li-sc', 1e-5, 1e-7, { formula: 'Li3S', temperature_k: 600 }),
      point('Li-bcc', 2e-5, 1e-7, { formula: 'SLi2', temperature_k: 600 }),
      point('x', 1e-5, 1e-7, { temperature_k: 400 }),
      point('y', 2e-5, 1e-7, { temperature_k: 500 }),
      point('z', 1e-5, 1e-7, { element: 'Na', temperature_k: 500 }),
    ])).toEqual([]);
  });

  it('pairs every two of three materials in one group', () => {
    const cs = comparePoints([point('a', 1, 0.1), point('b', 2, 0.1), point('c', 3, 0.1)]);
    expect(cs.map((c) => `${c.slower.material}<${c.faster.material}`).sort()).toEqual(['a<b', 'a<c', 'b<c']);
  });

  it('gives the verdict against a finding naming the pair (in either order)', () => {
    const agree = comparePoints([point('ordered', 1, 0.1), point('disordered', 3, 0.1)], [finding])[0]!;
    expect(agree.finding).toBe(finding);
    expect(agree.verdict).toBe('agrees');
    const against = comparePoints([point('ordered', 3, 0.1), point('disordered', 1, 0.1)], [finding])[0]!;
    expect(against.verdict).toBe('disagrees');
    const unsure = comparePoints([point('ordered', 1, 0.5), point('disordered', 1.5, 0.5)], [finding])[0]!;
    expect(unsure.verdict).toBe('inconclusive');
    const otherElement = comparePoints([point('ordered', 1, 0.1, { element: 'Na' }), point('disordered', 3, 0.1, { element: 'Na' })], [finding])[0]!;
    expect(otherElement.finding).toBeNull();
  });
});

describe('published findings', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'ionsift-findings-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));
  const text = JSON.stringify({ findings: [{ element: 'Li', slower: 'a', faster: 'b', statement: 's', source: 'src' }] });

  it('parses the findings and names the file and field of a bad entry', () => {
    expect(parseFindings(text, 'f.json')).toEqual([{ element: 'Li', slower: 'a', faster: 'b', statement: 's', source: 'src', file: 'f.json' }]);
    expect(() => parseFindings('{"findings": [{"element": "Li", "slower": "a", "faster": "b", "statement": ""}]}', 'f.json'))
      .toThrow(/f\.json: findings\[0\]\.statement must be a non-empty string/);
    expect(() => parseFindings('{"findings": [{"element": "Li", "slower": "a", "faster": "a", "statement": "s", "source": "x"}]}', 'f.json')).toThrow(/same material/);
    expect(() => parseFindings('[]', 'f.json')).toThrow(/expected \{"findings"/);
    expect(() => parseFindings('{', 'f.json')).toThrow(/not valid JSON/);
  });

  it('finds a findings file in a trajectory folder or any folder above it, once', async () => {
    const root = join(tmp, 'data');
    mkdirSync(join(root, 'case1'), { recursive: true });
    mkdirSync(join(root, 'case2'), { recursive: true });
    writeFileSync(join(root, FINDINGS_FILE), text);
    const found = await findingsNear([join(root, 'case1', 'XDATCAR'), join(root, 'case2')]);
    expect(found.map((f) => f.file)).toEqual([join(root, FINDINGS_FILE)]);
    expect(await findingsNear([join(tmp, 'elsewhere', 'XDATCAR')])).toEqual([]);
  });

  it('reads the nearest file first, and a malformed file is reported and skipped, not fatal', async () => {
    const root = join(tmp, 'nested');
    mkdirSync(join(root, 'case', 'run'), { recursive: true });
    writeFileSync(join(root, FINDINGS_FILE), '{ not json');
    const near = JSON.stringify({ findings: [{ element: 'Li', slower: 'a', faster: 'b', statement: 'near', source: 'src' }] });
    writeFileSync(join(root, 'case', FINDINGS_FILE), near);
    const bad: string[] = [];
    const found = await findingsNear([join(root, 'case', 'run', 'XDATCAR')], (file) => bad.push(file));
    expect(found.map((f) => f.statement)).toEqual(['near']);
    expect(bad).toEqual([join(root, FINDINGS_FILE)]);
  });
});

describe('comparePoints keeps every finite D', () => {
  it('a noisy D ≤ 0 of one run stays in the mean (dropping it would bias the material up)', () => {
    const cs = comparePoints([
      point('ordered', 1e-6, 1e-6), point('ordered', -5e-7, 1e-6, { path: '/data/ordered2/XDATCAR' }), point('disordered', 1e-5, 1e-7),
    ]);
    expect(cs).toHaveLength(1);
    expect(cs[0]!.slower.nTrajectories).toBe(2);
    expect(cs[0]!.slower.dTracerCm2s).toBeCloseTo(2.5e-7, 20);
  });
});

