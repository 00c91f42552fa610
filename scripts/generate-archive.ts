/**
 * A generated archive for indexer scale tests (not committed): `npx tsx scripts/generate-archive.ts OUT [--n 1000] [--seed 1]`.
 * n/4 material variants × 4 temperatures, each a 25 ps run (LiFlow's length; 500–1,000 frames
 * depending on the base material's frame interval), laid out OUT/<variant>/<T>K/{XDATCAR.gz,INCAR,truth.json}.
 * Variants are the four base MATERIALS with their barrier, attempt frequency, chain probability,
 * ion count and seed drawn per variant, so no two trajectories share a material or a result.
 * Idempotent: a finished archive (OUT/.complete with the same arguments) is not rewritten.
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { MATERIALS, scaledMaterial } from '../src/generate/materials.js';
import type { MaterialSpec } from '../src/generate/material-spec.js';
import { generateRun, writeRun } from '../src/generate/run.js';
import { mulberry32 } from '../src/analysis/random.js';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { n: { type: 'string' }, seed: { type: 'string' } } });
if (positionals.length !== 1) throw new Error('usage: npx tsx scripts/generate-archive.ts OUT [--n 1000] [--seed 1]');
const out = resolve(positionals[0]);
const N = Number(values.n ?? 1000);
const SEED = Number(values.seed ?? 1);
if (!Number.isInteger(N) || N < 4 || N % 4 !== 0) throw new Error(`--n must be a multiple of 4 (4 temperatures per material), got ${values.n}`);
const RUN_PS = 25;


/** Variant v of a base material: barrier, prefactor, chains, ion count and seed varied; 25 ps long. */
export function variant(base: MaterialSpec, v: number, r: () => number): { spec: MaterialSpec; temperaturesK: number[] } {
  const frameFs = base.potimFs * base.nblock;
  const nFrames = Math.round((RUN_PS * 1000) / frameFs);
  const nIons = Math.max(8, Math.round(base.nIons * (0.6 + 0.8 * r())));
  const scaled = scaledMaterial(base, nIons, nFrames);
  const spec: MaterialSpec = {
    ...scaled,
    name: `${base.name}-v${String(v).padStart(4, '0')}`,
    activationEv: +(base.activationEv * (0.75 + 0.5 * r())).toFixed(3),
    attemptTHz: +(base.attemptTHz * (0.7 + 0.6 * r())).toFixed(2),
    chainProb: +(base.chainProb * 2 * r()).toFixed(3),
    seed: base.seed * 1000 + v,
  };
  // Four temperatures spanning the base material's range (as LiFlow: 4 per candidate).
  const lo = Math.min(...base.temperaturesK), hi = Math.max(...base.temperaturesK);
  const temperaturesK = [0, 1, 2, 3].map((k) => Math.round((lo + ((hi - lo) * k) / 3) / 10) * 10);
  return { spec, temperaturesK };
}

const stamp = JSON.stringify({ n: N, seed: SEED, runPs: RUN_PS });
const done = join(out, '.complete');
if (existsSync(done) && readFileSync(done, 'utf8') === stamp) {
  console.log(`${out}: archive of ${N} already complete`);
} else {
  rmSync(out, { recursive: true, force: true });
  const r = mulberry32(SEED);
  const t0 = performance.now();
  let atomFrames = 0;
  for (let v = 0; v < N / 4; v++) {
    const base = MATERIALS[v % MATERIALS.length];
    const { spec, temperaturesK } = variant(base, v, r);
    for (const T of temperaturesK) {
      const run = generateRun(spec, T, spec.seed * 10 + T);
      await writeRun(run, join(out, spec.name, `${T}K`));
      atomFrames += run.nFrames * run.header.counts.reduce((a, b) => a + b, 0);
    }
    if ((v + 1) % 25 === 0) console.log(`${(v + 1) * 4}/${N} trajectories (${((performance.now() - t0) / 1000).toFixed(0)} s)`);
  }
  writeFileSync(done, stamp);
  console.log(`wrote ${N} trajectories (${(atomFrames / 1e6).toFixed(1)} M atom-frames) to ${out} in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
}
