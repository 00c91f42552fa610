// Output of the generator: determinism, the XDATCAR/INCAR format, parse-back, truth consistency.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildLattice, LATTICE_KINDS } from '../../src/generate/lattice-models.js';
import { MATERIALS } from '../../src/generate/materials.js';
import { generateRun, toTrajectory, writeRun } from '../../src/generate/run.js';
import { inverse3, minimumImage } from '../../src/trajectory/lattice.js';
import { parseXdatcarText, readMaybeGz, tempDir, testSpec } from './helpers.js';

const rhombo = { ...MATERIALS.find((m) => m.name === 'Na-rhombo')!, nFrames: 300 };

describe('generator output', () => {
  it('same seed → byte-identical files; different seed → different', async () => {
    const spec = testSpec({ nFrames: 300, temperaturesK: [800] });
    const [a, b, c] = [tempDir('a'), tempDir('b'), tempDir('c')];
    await writeRun(generateRun(spec, 800, 7), a);
    await writeRun(generateRun(spec, 800, 7), b);
    await writeRun(generateRun(spec, 800, 8), c);
    for (const f of ['XDATCAR.gz', 'INCAR', 'truth.json']) {
      expect(readFileSync(join(a, f)).equals(readFileSync(join(b, f))), f).toBe(true);
    }
    expect(readFileSync(join(a, 'XDATCAR.gz')).equals(readFileSync(join(c, 'XDATCAR.gz')))).toBe(false);
    expect(readFileSync(join(a, 'truth.json')).equals(readFileSync(join(c, 'truth.json')))).toBe(false);
  });

  it('writes a VASP 5 XDATCAR that parses back to the generator positions (triclinic cell)', async () => {
    const run = generateRun(rhombo, 1000, 99);
    const traj = toTrajectory(run);
    const dir = tempDir('fmt');
    await writeRun(run, dir, { gzip: false });
    const text = readMaybeGz(join(dir, 'XDATCAR'));
    const lines = text.split('\n');
    expect(lines[7]).toBe('Direct configuration=     1');
    expect(lines[8]).toMatch(/^( {2}0\.\d{8}){3}$/);
    const p = parseXdatcarText(text);
    expect(p.species).toEqual(['Se', 'Na']);
    expect(p.counts).toEqual(run.header.counts);
    expect(p.lattice).toEqual(Array.from(run.model.lattice));
    expect(p.frames.length).toBe(run.nFrames);
    let worst = 0;
    for (let f = 0; f < run.nFrames; f++) for (let i = 0; i < run.nAtoms * 3; i++) {
      let d = Math.abs(p.frames[f][i] - traj.frac[f * run.nAtoms * 3 + i]);
      d = Math.min(d, 1 - d);
      worst = Math.max(worst, d);
    }
    expect(worst).toBeLessThan(6e-9);
    const incar = readFileSync(join(dir, 'INCAR'), 'utf8');
    expect(incar).toMatch(/^POTIM = 1\.5$/m);
    expect(incar).toMatch(/^NBLOCK = 20$/m);
    expect(incar).toMatch(/^TEBEG = 1000$/m);
    expect(incar).toMatch(/^IBRION = 0$/m);
  });

  it.skipIf(!existsSync(new URL('../../src/io/xdatcar.ts', import.meta.url)))('the project reader reads it back (gz), with INCAR metadata via loadTrajectory', async () => {
    const run = generateRun(rhombo, 1000, 99);
    const traj = toTrajectory(run);
    const dir = tempDir('rd');
    await writeRun(run, dir);
    const { readXdatcar } = await import('../../src/io/xdatcar.js');
    const t = await readXdatcar(join(dir, 'XDATCAR.gz'));
    expect(t.nFrames).toBe(run.nFrames);
    expect(t.nAtoms).toBe(run.nAtoms);
    expect(t.species).toEqual(run.header.species);
    for (let i = 0; i < 9; i++) expect(t.lattice[i]).toBeCloseTo(run.model.lattice[i], 6);
    let worst = 0;
    for (let i = 0; i < traj.frac.length; i++) {
      const d = Math.abs(t.frac[i] - traj.frac[i]);
      worst = Math.max(worst, Math.min(d, 1 - d));
    }
    expect(worst).toBeLessThan(6e-9);
    const { loadTrajectory } = await import('../../src/io/load.js');
    const l = await loadTrajectory(dir);
    expect(l.metadata.frameIntervalFs).toBeCloseTo(30, 9);
    expect(l.metadata.temperatureK).toBe(1000);
  });

  it('truth matches the frames: ion near its source before the transit and near its target after', () => {
    const spec = testSpec({ nFrames: 600, chainProb: 0.3 });
    const run = generateRun(spec, 800, 3);
    const traj = toTrajectory(run);
    const { truth } = run;
    expect(truth.hops.length).toBeGreaterThan(20);
    const L = run.model.lattice;
    const v = new Float64Array(3);
    const dist = (f: number, atom: number, site: number): number => {
      const o = (f * run.nAtoms + atom) * 3;
      minimumImage(L, traj.frac[o] - truth.sites[site][0], traj.frac[o + 1] - truth.sites[site][1], traj.frac[o + 2] - truth.sites[site][2], v, 0);
      return Math.hypot(v[0], v[1], v[2]);
    };
    for (const h of truth.hops) {
      expect(h.endFrame).toBeGreaterThanOrEqual(h.startFrame);
      expect(dist(h.startFrame - 1, h.atom, h.fromSite)).toBeLessThan(1.2);
      expect(dist(h.endFrame + 1, h.atom, h.toSite)).toBeLessThan(1.2);
      // mid-transit the ion is far from both sites
      const mid = Math.round((h.startFrame + h.endFrame) / 2);
      expect(Math.min(dist(mid, h.atom, h.fromSite), dist(mid, h.atom, h.toSite))).toBeGreaterThan(0.4);
    }
    // chains: ids consistent, sizes match hops
    for (const c of truth.chains) expect(truth.hops.filter((h) => h.chainId === c.chainId).length).toBe(c.size);
    // back hops are flagged exactly when the ion returns to the site it just left
    const byAtom = new Map<number, typeof truth.hops>();
    for (const h of truth.hops) byAtom.set(h.atom, [...(byAtom.get(h.atom) ?? []), h]);
    for (const hs of byAtom.values()) hs.forEach((h, i) => expect(h.backHop).toBe(i > 0 && hs[i - 1].fromSite === h.toSite));
    expect(Object.keys(truth.initialSites).length).toBe(spec.nIons);
  });

  it('every lattice has uniform coordination at the hop distance', () => {
    for (const kind of LATTICE_KINDS) {
      const m = buildLattice({ kind, hopDistanceA: 2.5, rep: kind === 'bcc-tet' ? 2 : 4 }, 1);
      const z = m.nbrStart[1] - m.nbrStart[0];
      expect(z).toBe({ sc: 6, 'bcc-tet': 4, 'hex-layer': 6, rhombo: 6 }[kind]);
      for (let s = 0; s < m.nSites; s++) expect(m.nbrStart[s + 1] - m.nbrStart[s]).toBe(z);
      for (let e = 0; e < m.nbr.length; e++) expect(Math.hypot(m.edgeVec[e * 3], m.edgeVec[e * 3 + 1], m.edgeVec[e * 3 + 2])).toBeCloseTo(2.5, 4);
    }
  });

  it('rhombo is a sheared simple-cubic network: the sc neighbour graph, every hop a ±a_i/n cell step', () => {
    // Why the rhombohedral model D equals the sc one at the same hop distance: the KMC only sees
    // the graph (identical, so the same seed gives the same hops), and the cross terms
    // 2·cos α·⟨n_i n_j⟩ of |R|² vanish by the sc symmetry n_i → −n_i.
    const n = 5;
    const sc = buildLattice({ kind: 'sc', hopDistanceA: 3.1, rep: n }, 1);
    const rh = buildLattice({ kind: 'rhombo', hopDistanceA: 3.1, rep: n, angleDeg: 75 }, 1);
    expect(Array.from(rh.nbrStart)).toEqual(Array.from(sc.nbrStart));
    expect(Array.from(rh.nbr)).toEqual(Array.from(sc.nbr));
    for (const m of [sc, rh]) {
      const inv = inverse3(m.lattice);
      for (let e = 0; e < m.nbr.length; e++) {
        const [x, y, z] = [m.edgeVec[e * 3], m.edgeVec[e * 3 + 1], m.edgeVec[e * 3 + 2]];
        // Fractional step = Linv applied to the Cartesian row vector.
        const f = [0, 1, 2].map((j) => x * inv[j] + y * inv[3 + j] + z * inv[6 + j]).map((v) => v * n);
        const big = f.map((v) => Math.abs(v) > 0.5);
        expect(big.filter(Boolean).length).toBe(1);
        for (const v of f) expect(Math.min(Math.abs(v), Math.abs(Math.abs(v) - 1))).toBeLessThan(1e-6);
      }
    }
  });

  it('the embedded datasets exist, are listed in the manifest and have back hops and chains', () => {
    const root = new URL('../../datasets/', import.meta.url);
    const manifest = JSON.parse(readFileSync(new URL('manifest.json', root), 'utf8')) as { runs: { material: string; truth: string; files: string[]; nHops: number }[] };
    const mats = new Set(manifest.runs.map((r) => r.material));
    expect(mats.size).toBeGreaterThanOrEqual(4);
    for (const r of manifest.runs) {
      for (const f of [...r.files, r.truth]) expect(existsSync(new URL(f, root)), f).toBe(true);
    }
    const hot = manifest.runs.filter((r) => r.nHops > 100);
    expect(hot.length).toBeGreaterThanOrEqual(4);
    const t = JSON.parse(readFileSync(new URL(hot[0].truth, root), 'utf8')) as { hops: { backHop: boolean }[] };
    expect(t.hops.some((h) => h.backHop)).toBe(true);
  });
});
