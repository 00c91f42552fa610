// datasets/real/: the published files, byte for byte (md5 as listed in its README), with their
// sidecars, licence and findings, nothing else; datasets/ stays small enough to ship.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseSidecar } from '../../src/io/sidecar.js';
import { FINDINGS_FILE, parseFindings } from '../../src/screen/published-findings.js';
import { repoRoot } from '../helpers/real.js';

const real = join(repoRoot, 'datasets/real');
const files = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true, recursive: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name))).sort();

describe('datasets/real', () => {
  const cases = readdirSync(real, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const sidecars = cases.map((c) => parseSidecar(readFileSync(join(real, c, 'ionsift.json'), 'utf8'), c));

  it('holds the two Li6PS5Cl cases: each sidecar and the files it reads, plus licence, README and findings', () => {
    expect(cases).toEqual(['argyrodite_li6ps5cl_0p_500k', 'argyrodite_li6ps5cl_50p_500k']);
    const expected = [
      'LICENSE', 'README.md', FINDINGS_FILE,
      ...cases.flatMap((c, i) => [`${c}/ionsift.json`, ...sidecars[i]!.trajectories.flatMap((t) => t.files.map((f) => `${c}/${f}`))]),
    ].sort();
    expect(files(real)).toEqual(expected);
  });

  it('every run file has the md5 of the published file (table in README.md)', () => {
    const readme = readFileSync(join(real, 'README.md'), 'utf8');
    const listed = new Map([...readme.matchAll(/^\| `([^`]+\.gz)` \| `([0-9a-f]{32})` \|$/gm)].map((m) => [m[1]!, m[2]!]));
    const gz = files(real).filter((f) => f.endsWith('.gz'));
    expect([...listed.keys()].sort()).toEqual(gz);
    for (const f of gz) expect(createHash('md5').update(readFileSync(join(real, f))).digest('hex'), f).toBe(listed.get(f));
  });

  it('carries the MIT licence text with the source copyright line', () => {
    const licence = readFileSync(join(real, 'LICENSE'), 'utf8');
    expect(licence.split('\n')[0]).toBe('Copyright 2020 Benjamin J, Morgan');
    expect(licence).toContain('Permission is hereby granted, free of charge');
    expect(licence).toContain('The above copyright notice and this permission notice shall be included');
  });

  it('the published finding names materials the sidecars define', () => {
    const findings = parseFindings(readFileSync(join(real, FINDINGS_FILE), 'utf8'), FINDINGS_FILE);
    const materials = sidecars.map((s) => s.meta.material);
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect(materials).toEqual(expect.arrayContaining([f.slower, f.faster]));
  });

  it('datasets/ stays ≤ 25 MB', () => {
    const root = join(repoRoot, 'datasets');
    const bytes = files(root).reduce((a, f) => a + statSync(join(root, f)).size, 0);
    expect(bytes).toBeLessThanOrEqual(25e6);
  });
});
