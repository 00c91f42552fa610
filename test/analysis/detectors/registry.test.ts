// The detector registry: every detector has what the pipeline, the planner and the CLI need;
// its schema's defaults are the detector's real defaults; workers load a detector by its name;
// unknown methods and options fail with the accepted ones listed.
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze, analysisParams } from '../../../src/analysis/analyze.js';
import { loadDetector } from '../../../src/analysis/detectors/load.js';
import { checkOptionValues, parseDetectorOptions, parseOptionValue } from '../../../src/analysis/detectors/options.js';
import { DETECTOR_NAMES, DETECTORS, detectorNamed, type DetectorName } from '../../../src/analysis/detectors/registry.js';
import type { OptionValue } from '../../../src/analysis/detectors/detector.js';
import { help as analyzeHelp, run as analyzeCli } from '../../../src/cli/analyze.js';
import { help as indexHelp } from '../../../src/cli/index.js';
import { loadTrajectory } from '../../../src/io/load.js';
import { analyzeParallel } from '../../../src/parallel/analyze-parallel.js';
import { atomsOf } from '../../../src/trajectory/types.js';
import { unwrap } from '../../../src/trajectory/unwrap.js';
import { captureRun } from '../../helpers/cli.js';
import { repoRoot } from '../../helpers/real.js';

const runDir = resolve(repoRoot, 'datasets/Li-sc/450K');
const t = await loadTrajectory(runDir);

describe('every registered detector', () => {
  it('there are at least the two methods', () => {
    expect(DETECTOR_NAMES).toEqual(expect.arrayContaining(['default', 'iondiff']));
  });

  for (const name of DETECTOR_NAMES) {
    describe(name, () => {
      const d = DETECTORS[name];

      it('has detect, a positive cost per ion-frame, a description and a well-formed options schema', () => {
        expect(typeof d.detect).toBe('function');
        expect(Number.isFinite(d.costUsPerIonFrame) && d.costUsPerIonFrame > 0).toBe(true);
        expect(d.description.length).toBeGreaterThan(10);
        for (const [opt, spec] of Object.entries(d.options)) {
          expect(spec.description.length, opt).toBeGreaterThan(5);
          // the default is a value of the option's own type
          expect(parseOptionValue(spec, String(spec.default)), opt).toBe(spec.default);
        }
      });

      it('is what a worker loads by its name (its file is named as its key)', async () => {
        expect(await loadDetector(name)).toBe(d);
      });

      it("the schema's defaults are the detector's: all given explicitly = none given", () => {
        const idx = atomsOf(t, ['Li']).subarray(0, 6);
        const T = 300;
        const pos = unwrap(t, { atoms: idx }).subarray(0, T * idx.length * 3);
        const defaults: Record<string, OptionValue> = {};
        for (const [opt, spec] of Object.entries(d.options)) defaults[opt] = spec.default;
        const implicit = d.detect(pos, T, idx, { seed: 2 });
        const explicit = d.detect(pos, T, idx, { seed: 2, options: defaults });
        expect(explicit.hops).toEqual(implicit.hops);
        expect(explicit.atoms).toEqual(implicit.atoms);
      });
    });
  }
});

describe('the CLI help lists the registry', () => {
  it('analyze: every method with its description and every option of each', () => {
    for (const name of DETECTOR_NAMES) {
      expect(analyzeHelp).toContain(name);
      expect(analyzeHelp).toContain(DETECTORS[name].description);
      for (const opt of Object.keys(DETECTORS[name].options)) expect(analyzeHelp).toMatch(new RegExp(`\\b${opt}=`));
    }
  });

  it('index: every method on its --method line', () => {
    const line = indexHelp.split('\n').find((l) => l.includes('--method')) ?? '';
    for (const name of DETECTOR_NAMES) expect(line).toContain(name);
  });
});

describe('unknown methods and options', () => {
  const known = new RegExp(`known: ${DETECTOR_NAMES.join(', ')}`);

  it('an unknown method is an error listing the known ones (registry, analyze(), CLI)', async () => {
    expect(() => detectorNamed('nope')).toThrow(/unknown hop detector "nope"/);
    expect(() => detectorNamed('nope')).toThrow(known);
    expect(() => detectorNamed('toString')).toThrow(known);
    expect(() => analyze(t, { method: 'nope' as DetectorName })).toThrow(known);
    const r = await captureRun(analyzeCli, [runDir, '--method', 'nope']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(known);
  });

  it('options are checked against the chosen detector\'s schema', async () => {
    expect(parseDetectorOptions('iondiff', ['maxClusters=4', 'engine=ml-kmeans', 'compat=true', 'tol=1e-3']))
      .toEqual({ maxClusters: 4, engine: 'ml-kmeans', compat: true, tol: 1e-3 });
    expect(() => parseDetectorOptions('default', ['maxClusters=4'])).toThrow(/default detector has no option "maxClusters"; its options: alpha, /);
    expect(() => parseDetectorOptions('iondiff', ['maxClusters=4.5'])).toThrow(/maxClusters expects integer, got "4.5"/);
    expect(() => parseDetectorOptions('default', ['pool=atoms'])).toThrow(/pool expects species\|ion/);
    expect(() => parseDetectorOptions('default', ['alpha'])).toThrow(/expected NAME=VALUE/);
    expect(() => checkOptionValues('iondiff', { compat: 'yes' })).toThrow(/compat expects true\|false/);
    const r = await captureRun(analyzeCli, [runDir, '--detector-option', 'alpha=x']);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/alpha expects number, got "x"/);
  });
});

describe('detector options through the pipeline', () => {
  it('given options enter the params (and hash) and the hops; none given leaves both as before', () => {
    const plain = analysisParams(t, {});
    expect(Object.keys(plain.params)).not.toContain('default.alpha');
    const tuned = analysisParams(t, { detectorOptions: { alpha: 1e-2 } });
    expect(tuned.params['default.alpha']).toBe(1e-2);
    expect(tuned.paramsHash).not.toBe(plain.paramsHash);
    const a = analyze(t, {}), b = analyze(t, { detectorOptions: { separationSigma: 2 } });
    expect(b.events.length).not.toBe(a.events.length);
  });

  for (const [method, options] of [['default', { pool: 'ion' }], ['iondiff', { maxClusters: 4 }]] as const) {
    it(`${method} ${JSON.stringify(options)}: 2 workers = 1 thread`, async () => {
      const { timingsMs: _a, ...serial } = analyze(t, { method, detectorOptions: options });
      const { timingsMs: tm, ...par } = await analyzeParallel(t, { method, detectorOptions: options }, { workers: 2, minParallelMs: 0 });
      expect(tm['workers:start']).toBeGreaterThan(0);
      expect(par).toEqual(serial);
    });
  }
});
