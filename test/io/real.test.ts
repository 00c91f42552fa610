// Every trajectory in ../shared/data/real parses (sidecar-driven) and matches its PROVENANCE.md.
import { describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { loadTrajectories, loadTrajectory } from '../../src/io/load.js';
import { hasRealData, realCase, realDataSkipReason } from '../helpers/real.js';

interface Expect {
  frames: number;
  atoms: number;
  species: Record<string, number>;
  intervalFs: number | null;
  temperatureK: number | null;
  files: number;
  discontinuities?: number[];
}

const ARG_CL = { Li: 192, Cl: 32, S: 160, P: 32 };
const ARG_I = { Li: 192, I: 32, S: 160, P: 32 };
const arg = (species: Record<string, number>, files: number, discontinuities: number[] = []): Expect =>
  ({ frames: 700, atoms: 416, species, intervalFs: 100, temperatureK: 500, files, discontinuities });

const CASES: Record<string, Expect> = {
  argyrodite_li6ps5cl_0p_500k: arg(ARG_CL, 5),
  argyrodite_li6ps5cl_50p_500k: arg(ARG_CL, 6),
  argyrodite_li6ps5cl_100p_500k: arg(ARG_CL, 6),
  argyrodite_li6ps5i_0p_500k: arg(ARG_I, 6),
  argyrodite_li6ps5i_50p_500k: arg(ARG_I, 7),
  argyrodite_li6ps5i_100p_500k: arg(ARG_I, 7, [300]), // run3 → run4 does not continue
  lgps_li10gep2s12_600k: { frames: 1000, atoms: 50, species: { Li: 20, Ge: 2, P: 4, S: 24 }, intervalFs: 20, temperatureK: 600, files: 1 },
  lgps_li10gep2s12_650k_crysf: { frames: 13979, atoms: 20, species: { Li: 20 }, intervalFs: 15, temperatureK: 650, files: 1 },
  na3ps4_cubic_800k: { frames: 200, atoms: 128, species: { Na: 48, P: 16, S: 64 }, intervalFs: 20, temperatureK: 800, files: 1 },
  // three plain files of one run; no frame interval or temperature anywhere
  llto_fragment_xdatbus: { frames: 150, atoms: 88, species: { O: 54, La: 10, Ti: 18, Li: 6 }, intervalFs: null, temperatureK: null, files: 3 },
};

function speciesOf(t: { species: string[]; counts: number[] }): Record<string, number> {
  return Object.fromEntries(t.species.map((s, i) => [s, t.counts[i]]));
}

describe.skipIf(!hasRealData)(`real AIMD trajectories (${realDataSkipReason})`, () => {
  it.each(Object.entries(CASES))('%s', async (name, e) => {
    const t = await loadTrajectory(realCase(name));
    expect(t.nFrames).toBe(e.frames);
    expect(t.nAtoms).toBe(e.atoms);
    expect(speciesOf(t)).toEqual(e.species);
    expect(Object.keys(speciesOf(t))).toEqual(Object.keys(e.species)); // file order kept
    expect(t.metadata.frameIntervalFs).toBe(e.intervalFs);
    expect(t.metadata.temperatureK).toBe(e.temperatureK);
    expect(t.metadata.sourcePaths.length).toBe(e.files);
    expect(new Set(t.segments.map((s) => s.file)).size).toBe(e.files);
    expect(t.discontinuities.map((d) => d.frame)).toEqual(e.discontinuities ?? []);
    expect(t.metadata.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(t.frac.length).toBe(e.frames * e.atoms * 3);
    if (e.intervalFs === null) expect(t.warnings.join('\n')).toMatch(/frame interval unknown/);
    if (e.temperatureK === null) expect(t.warnings.join('\n')).toMatch(/temperature unknown/);
    for (let i = 0; i < t.frac.length; i += 97) expect(Number.isFinite(t.frac[i])).toBe(true);
  });

  it('na11m2ps12_500k holds two trajectories with their own materials; species come from the species line, not the title', async () => {
    const ts = await loadTrajectories(realCase('na11m2ps12_500k'));
    expect(ts.map((t) => t.metadata.material)).toEqual(['Na11Ge2PS12', 'Na11Sn2PS12']);
    expect(ts.map((t) => [t.nFrames, t.nAtoms])).toEqual([[200, 208], [200, 208]]);
    expect(speciesOf(ts[0])).toEqual({ Na: 88, Ge: 16, P: 8, S: 96 });
    expect(speciesOf(ts[1])).toEqual({ Na: 88, Sn: 16, P: 8, S: 96 });
    expect(ts[0].metadata.title).toMatch(/Na11Sn2PS12/); // the quirk: title disagrees
    expect(ts.map((t) => [t.metadata.frameIntervalFs, t.metadata.temperatureK])).toEqual([[100, 500], [100, 500]]);
  });

  const vasp = realCase('format_vasp_md_outputs_xdatbus');
  it.skipIf(!existsSync(vasp))('format_vasp_md_outputs_xdatbus: vasprun.xml with OUTCAR beside it', async () => {
    const t = await loadTrajectory(vasp);
    expect(t.metadata.format).toBe('vasprun');
    expect([t.nFrames, t.nAtoms]).toEqual([10, 145]);
    expect(speciesOf(t)).toEqual({ Si: 30, H: 41, C: 3, N: 1, O: 70 });
    expect(t.metadata.frameIntervalFs).toBe(1);
    expect(t.metadata.temperatureK).toBe(300);
  });

  it('a single file of a sidecar entry gets that entry\'s metadata', async () => {
    const t = await loadTrajectory(realCase('argyrodite_li6ps5i_100p_500k/run4_actual_XDATCAR.gz'));
    expect(t.nFrames).toBe(100);
    expect(t.metadata.frameIntervalFs).toBe(100);
    expect(t.metadata.material).toBe('Li6PS5I-100p');
  });
});
