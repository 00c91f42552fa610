// Small shared helpers for the generator tests.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { readFileSync } from 'node:fs';
import type { MaterialSpec } from '../../src/generate/run.js';

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `ionsift-gen-${tag}-`));
}

/** A small, fast test material (sc sites, no chains unless overridden). */
export function testSpec(over: Partial<MaterialSpec> = {}): MaterialSpec {
  return {
    name: 'test-sc', mobile: 'Li', framework: 'S',
    lattice: { kind: 'sc', hopDistanceA: 2.5, rep: 4 },
    nIons: 16, activationEv: 0.3, attemptTHz: 6,
    chainProb: 0, chainMax: 8, chainDelay: [0.2, 0.6],
    transitFs: 200, arcFraction: 0.15,
    vibRmsA: 0.2, vibRefK: 600, frameworkVibScale: 0.7, vibTauFs: 60, anisotropy: 0.35,
    potimFs: 2, nblock: 20, nFrames: 200, mobileFirst: true,
    temperaturesK: [600], seed: 42,
    ...over,
  };
}

/** Minimal independent XDATCAR parser (fixed cell), to check the writer's format. */
export function parseXdatcarText(text: string): { lattice: number[]; species: string[]; counts: number[]; frames: number[][] } {
  const lines = text.split('\n');
  const scale = Number(lines[1]);
  const lattice = lines.slice(2, 5).flatMap((l) => l.trim().split(/\s+/).map((x) => Number(x) * scale));
  const species = lines[5].trim().split(/\s+/);
  const counts = lines[6].trim().split(/\s+/).map(Number);
  const n = counts.reduce((a, b) => a + b, 0);
  const frames: number[][] = [];
  let i = 7;
  while (i < lines.length && lines[i].startsWith('Direct configuration=')) {
    const fr: number[] = [];
    for (let a = 0; a < n; a++) fr.push(...lines[i + 1 + a].trim().split(/\s+/).map(Number));
    frames.push(fr);
    i += n + 1;
  }
  return { lattice, species, counts, frames };
}

export function readMaybeGz(path: string): string {
  const b = readFileSync(path);
  return (path.endsWith('.gz') ? gunzipSync(b) : b).toString('utf8');
}
