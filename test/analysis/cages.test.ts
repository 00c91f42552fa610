// Cages of sites around free framework atoms, and site jumps classed by them: on an
// argyrodite-like cell built here (two lone S²⁻ each caged by 6 doublets of Li sites, a PS₄
// tetrahedron, a lone Cl⁻ no site is nearest to), first on the site centres, then through
// analyze() on a trajectory with scripted jumps of known class.
import { describe, expect, it } from 'vitest';
import { analyze } from '../../src/analysis/analyze.js';
import { mulberry32 } from '../../src/analysis/random.js';
import { classifyHops, findCages, hopClass, surroundsOrigin, type JumpClass } from '../../src/analysis/sites/cages.js';
import { envSiteTypes } from '../../src/analysis/sites/env-types.js';
import { inverse3 } from '../../src/trajectory/lattice.js';
import { frameworkAverage, type FrameworkAverage } from '../../src/analysis/sites/cages-framework.js';
import { emptyMetadata, type Trajectory } from '../../src/trajectory/types.js';

const A = 12;
const CAGE_CENTRES = [[0, 0, 0], [6, 6, 6]];
/** Cage radius to a doublet's midpoint, and the doublet's half-split (doublet 1.8 Å). */
const R = 2.3, H = 0.9;

/** The 12 sites of a cage: a doublet on each ±axis, split along the next axis (cyclic), so doublets are mutually nearest. */
function cageSites(c: number[]): number[][] {
  const out: number[][] = [];
  for (let ax = 0; ax < 3; ax++) {
    for (const s of [1, -1]) {
      for (const h of [H, -H]) {
        const p = c.slice();
        p[ax] += s * R;
        p[(ax + 1) % 3] += h;
        out.push(p);
      }
    }
  }
  return out;
}

const SITES = CAGE_CENTRES.flatMap(cageSites);
/** PS₄ at (6, 6, 0): S at 2.05 Å along the tetrahedral directions. */
const P = [6, 6, 0];
const PS4 = [[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map((d) => d.map((x, q) => P[q] + (x * 2.05) / Math.sqrt(3)));
/** Framework: the two lone S (cage centres), a lone Cl, P and its four S. */
const FRAMEWORK: { el: string; x: number[] }[] = [
  ...CAGE_CENTRES.map((x) => ({ el: 'S', x })), ...PS4.map((x) => ({ el: 'S', x })), { el: 'Cl', x: [6, 0, 6] }, { el: 'P', x: P },
];

const frac = (x: number[]) => x.map((v) => { const f = v / A; return f - Math.floor(f); });
const LATTICE = Float64Array.from([A, 0, 0, 0, A, 0, 0, 0, A]);

function framework(items = FRAMEWORK): FrameworkAverage {
  return { elements: items.map((a) => a.el), frac: Float64Array.from(items.flatMap((a) => frac(a.x))) };
}
const siteFrac = Float64Array.from(SITES.flatMap(frac));
/** The truth: cage of site j, and its doublet partner. */
const cageOfTruth = (j: number) => Math.floor(j / 12);
const partnerTruth = (j: number) => j ^ 1;
function classTruth(a: number, b: number): JumpClass {
  if (cageOfTruth(a) !== cageOfTruth(b)) return 'inter_cage';
  return partnerTruth(a) === b ? 'doublet' : 'intra_cage';
}

describe('cages from the framework', () => {
  it('the two lone S are the cages (the bonded S and the Cl no site is nearest to are not); every site in its cage; doublets are the mutually nearest pairs', () => {
    const c = findCages(siteFrac, SITES.length, LATTICE, framework());
    expect(c).not.toBeNull();
    expect(Array.from(c!.centres)).toEqual([0, 1]);
    expect(c!.freeCount).toBe(3); // the two cage S and the Cl
    expect(c!.complete).toBe(2);
    for (let j = 0; j < SITES.length; j++) {
      expect(c!.cageOf[j], `site ${j}`).toBe(cageOfTruth(j));
      expect(c!.partner[j], `site ${j}`).toBe(partnerTruth(j));
    }
    const map = { k: SITES.length, lattice: LATTICE, latticeInv: inverse3(LATTICE), frac: siteFrac };
    for (let a = 0; a < SITES.length; a++) {
      for (let b = 0; b < SITES.length; b++) {
        if (a !== b) expect(hopClass(c!, map, { fromSite: a, toSite: b, from: SITES[a], to: SITES[b] }), `${a} → ${b}`).toBe(classTruth(a, b));
      }
      // The same pair of sites, the second in the next image along x: the ion left the cage.
      const b = a ^ 1;
      expect(hopClass(c!, map, { fromSite: a, toSite: b, from: SITES[a], to: [SITES[b][0] + A, SITES[b][1], SITES[b][2]] })).toBe('inter_cage');
    }
    // Rows take the class of most of their pair's jumps.
    const hops = [0, 0, 1].map((img) => ({ fromSite: 0, toSite: 2, from: SITES[0], to: [SITES[2][0] + img * A, SITES[2][1], SITES[2][2]] }));
    const cl = classifyHops(c!, map, hops);
    expect(cl.classes).toEqual(['intra_cage', 'intra_cage', 'inter_cage']);
    expect(cl.pairClass(0, 2)).toBe('intra_cage');
    expect(cl.pairClass(2, 0)).toBeNull();
  });

  it('no cages without a framework, or with a framework of bonded atoms only', () => {
    expect(findCages(siteFrac, SITES.length, LATTICE, { elements: [], frac: new Float64Array(0) })).toBeNull();
    expect(findCages(siteFrac, SITES.length, LATTICE, framework(FRAMEWORK.filter((a) => a.el === 'P' || PS4.includes(a.x))))).toBeNull();
  });

  it('no cages in a plain anion lattice (every framework atom free): bcc S with its 12 tetrahedral sites, or with cage-like shells', () => {
    const a = 6, L = Float64Array.from([a, 0, 0, 0, a, 0, 0, 0, a]);
    const tet = [[0.5, 0.25, 0], [0.5, 0.75, 0], [0, 0.5, 0.25], [0, 0.5, 0.75], [0.25, 0, 0.5], [0.75, 0, 0.5],
      [0.25, 0.5, 0], [0.75, 0.5, 0], [0, 0.25, 0.5], [0, 0.75, 0.5], [0.5, 0, 0.25], [0.5, 0, 0.75]];
    const fw = { elements: ['S', 'S'], frac: Float64Array.from([0, 0, 0, 0.5, 0.5, 0.5]) };
    expect(findCages(Float64Array.from(tet.flat()), tet.length, L, fw)).toBeNull();
    const own = [...cageSites([0, 0, 0]), ...cageSites([3, 3, 3])].map((p) => p.map((v) => { const f = v / a; return f - Math.floor(f); }));
    expect(findCages(Float64Array.from(own.flat()), own.length, L, fw)).toBeNull();
    // (With a bonded unit beside them they are lone anions in a framework: the first test's cell.)
  });

  it('a half-filled cage is partial: its sites flank the anion, they do not surround it', () => {
    const all = cageSites([0, 0, 0]);
    const v = (pts: number[][]) => Float64Array.from(pts.flat());
    expect(surroundsOrigin(v(all), all.length)).toBe(true);
    const half = all.filter((p) => p[0] + p[1] + p[2] > 0);
    expect(surroundsOrigin(v(half), half.length)).toBe(false);
    expect(surroundsOrigin(v(all.slice(0, 3)), 3)).toBe(false);
  });
});

describe('the framework averaged in the site map\'s frame', () => {
  it('a drifting framework that crosses the cell boundary averages to its frame-0 positions with the drift removed, and to the drifted mean without', () => {
    const T = 101, a = 10, start = [[9.9, 5, 5], [2, 3, 4]], v = [0.03, -0.01, 0.02];
    const fr = new Float64Array(T * 3 * 3);
    for (let f = 0; f < T; f++) {
      start.forEach((x, i) => { for (let q = 0; q < 3; q++) { const u = (x[q] + v[q] * f) / a; fr[(f * 3 + i) * 3 + q] = u - Math.floor(u); } });
      for (let q = 0; q < 3; q++) fr[(f * 3 + 2) * 3 + q] = 0.5; // the Li, still
    }
    const t: Trajectory = {
      nFrames: T, nAtoms: 3, species: ['S', 'Li'], counts: [2, 1], speciesOf: Uint16Array.from([0, 0, 1]), frac: fr,
      lattice: Float64Array.from([a, 0, 0, 0, a, 0, 0, 0, a]), variableCell: false,
      segments: [{ file: 'drift', startFrame: 0, nFrames: T }], discontinuities: [], metadata: emptyMetadata('test'), warnings: [],
    };
    const still = frameworkAverage(t, ['Li']);
    expect(still.elements).toEqual(['S', 'S']);
    start.forEach((x, i) => x.forEach((c, q) => expect(still.frac[i * 3 + q]).toBeCloseTo(c / a, 12)));
    const drifted = frameworkAverage(t, ['Li'], false);
    start.forEach((x, i) => x.forEach((c, q) => { const u = (c + v[q] * 50) / a; expect(drifted.frac[i * 3 + q]).toBeCloseTo(u - Math.floor(u), 12); }));
    expect(frameworkAverage(t, ['Li', 'S']).elements).toEqual([]);
  });
});

describe('site types from the framework environment', () => {
  it('one lone anion per cubic cell: its 12 cage sites are one type, the 6 doublet midpoints another, the cell centre a third, when the centres and the framework are sharp enough to tell; NULL without framework', () => {
    const a = 6, L = Float64Array.from([a, 0, 0, 0, a, 0, 0, 0, a]);
    const cage = cageSites([0, 0, 0]);
    const mids = [0, 1, 2].flatMap((ax) => [1, -1].map((sg) => { const p = [0, 0, 0]; p[ax] = sg * R; return p; }));
    const pts = [...cage, ...mids, [3, 3, 3]];
    const k = pts.length;
    const covs = new Float64Array(k * 6);
    for (let j = 0; j < k; j++) covs.set([0.0025, 0.0025, 0.0025], j * 6);
    const map = { k, lattice: L, frac: Float64Array.from(pts.flatMap((p) => p.map((v) => { const f = v / a; return f - Math.floor(f); }))), covs, weights: new Float64Array(k).fill(1) };
    // Centres known to 0.01 Å: the midpoints (2.30 Å from S) and the cage sites (2.47 Å) differ by 17σ.
    const sharp = new Float64Array(k * 6);
    for (let j = 0; j < k; j++) sharp.set([1e-4, 1e-4, 1e-4], j * 6);
    const types = envSiteTypes(map, { elements: ['S'], frac: new Float64Array(3) }, sharp);
    expect(Array.from(types!)).toEqual([...Array(12).fill(0), ...Array(6).fill(1), 2]);
    // Centres known only to within their vibration (0.05 Å) or an S that rattles by 0.1 Å: 0.17 Å is
    // not a difference the data resolve, so cage sites and midpoints are one type (the centre is apart).
    expect(Array.from(envSiteTypes(map, { elements: ['S'], frac: new Float64Array(3) })!)).toEqual([...Array(18).fill(0), 1]);
    expect(Array.from(envSiteTypes(map, { elements: ['S'], frac: new Float64Array(3), varA2: Float64Array.of(0.01) }, sharp)!)).toEqual([...Array(18).fill(0), 1]);
    expect(envSiteTypes(map, { elements: [], frac: new Float64Array(0) })).toBeNull();
  });
});

/**
 * The run's cell: 7.5 × 7.5 × 15 Å, cages at (0, 0, 0) and (3.75, 3.75, 3.75) whose outer sites
 * are ~2.9 Å from the other cage's and from their own cage's image across the cell (inter-cage
 * jumps as short as intra-cage ones), a PS₄ in the upper half.
 */
const RUN_CELL = [7.5, 7.5, 15];
const RUN_CENTRES = [[0, 0, 0], [3.75, 3.75, 3.75]];
const RUN_SITES = RUN_CENTRES.flatMap(cageSites);
const RUN_P = [3.75, 3.75, 11.25];
const RUN_FRAMEWORK: { el: string; x: number[] }[] = [
  ...RUN_CENTRES.map((x) => ({ el: 'S', x })),
  ...[[1, 1, 1], [1, -1, -1], [-1, 1, -1], [-1, -1, 1]].map((d) => ({ el: 'S', x: d.map((v, q) => RUN_P[q] + (v * 2.05) / Math.sqrt(3)) })),
  { el: 'P', x: RUN_P },
];
/** Jumps go to sites within this distance (the doublet 1.8 Å, the rest 2.8–2.9 Å). */
const REACH = 3.3;

/**
 * A trajectory of `nLi` ions jumping between the sites (dwells of 30–90 frames, 2-frame transits,
 * 0.12 Å vibration), the framework vibrating in place; returns it with the true count per class
 * (the class from the scripted site and cage image, not from the code under test).
 */
function scriptedRun(nLi: number, T: number, seed: number, withFramework: boolean) {
  const rnd = mulberry32(seed);
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  const fw = withFramework ? RUN_FRAMEWORK : [];
  const nAtoms = nLi + fw.length;
  const fr = new Float64Array(T * nAtoms * 3);
  const truth: Record<JumpClass, number> = { doublet: 0, intra_cage: 0, inter_cage: 0 };
  let ownImage = 0;
  const put = (f: number, i: number, x: number[], rms: number) => {
    for (let q = 0; q < 3; q++) fr[(f * nAtoms + i) * 3 + q] = (x[q] + rms * gauss()) / RUN_CELL[q];
  };
  for (let i = 0; i < nLi; i++) {
    // Unwrapped: the site in the image the ion is in, and the image of its cage's centre.
    let site = (i * 5) % RUN_SITES.length;
    let pos = RUN_SITES[site].slice();
    let f = 0;
    for (;;) {
      const dwell = 30 + Math.floor(rnd() * 60);
      for (let k = 0; k < dwell && f < T; k++, f++) put(f, i, pos, 0.12);
      if (f >= T - 3) { for (; f < T; f++) put(f, i, pos, 0.12); break; }
      const options: { j: number; x: number[] }[] = [];
      for (let j = 0; j < RUN_SITES.length; j++) {
        const x = RUN_SITES[j].map((v, q) => v + RUN_CELL[q] * Math.round((pos[q] - v) / RUN_CELL[q]));
        const d = Math.hypot(x[0] - pos[0], x[1] - pos[1], x[2] - pos[2]);
        if (d > 0.1 && d < REACH) options.push({ j, x });
      }
      const next = options[Math.floor(rnd() * options.length)];
      for (let k = 1; k <= 2; k++, f++) put(f, i, pos.map((v, q) => v + ((next.x[q] - v) * k) / 3), 0);
      const cageA = Math.floor(site / 12), cageB = Math.floor(next.j / 12);
      const centreA = pos.map((v, q) => v - (RUN_SITES[site][q] - RUN_CENTRES[cageA][q]));
      const centreB = next.x.map((v, q) => v - (RUN_SITES[next.j][q] - RUN_CENTRES[cageB][q]));
      const sameImage = centreA.every((v, q) => Math.abs(v - centreB[q]) < 1e-9);
      if (cageA === cageB && !sameImage) ownImage++;
      truth[cageA !== cageB || !sameImage ? 'inter_cage' : (next.j === (site ^ 1) ? 'doublet' : 'intra_cage')]++;
      site = next.j; pos = next.x;
    }
  }
  for (let a = 0; a < fw.length; a++) for (let f = 0; f < T; f++) put(f, nLi + a, fw[a].x, 0.05);
  for (let o = 0; o < fr.length; o++) fr[o] -= Math.floor(fr[o]);
  const species = withFramework ? ['Li', 'S', 'P'] : ['Li'];
  const speciesOf = new Uint16Array(nAtoms);
  for (let a = 0; a < fw.length; a++) speciesOf[nLi + a] = species.indexOf(fw[a].el);
  const counts = species.map((_, sp) => speciesOf.filter((x) => x === sp).length);
  const metadata = { ...emptyMetadata('test'), frameIntervalFs: 50, temperatureK: 500, mobile: ['Li'], sourcePaths: ['scripted-cages'] };
  const t: Trajectory = {
    nFrames: T, nAtoms, species, counts, speciesOf, frac: fr,
    lattice: Float64Array.from([RUN_CELL[0], 0, 0, 0, RUN_CELL[1], 0, 0, 0, RUN_CELL[2]]), variableCell: false,
    segments: [{ file: 'scripted-cages', startFrame: 0, nFrames: T }], discontinuities: [], metadata, warnings: [],
  };
  return { t, truth, ownImage };
}

describe('site jumps classed through analyze()', () => {
  it('the jumps of each class are the scripted ones (inter-cage ones as short as intra-cage ones, some to the cage\'s own image); the descriptors give their shares', () => {
    const { t, truth, ownImage } = scriptedRun(12, 2500, 7, true);
    expect(ownImage).toBeGreaterThan(20);
    const r = analyze(t);
    expect(r.sites.length).toBe(RUN_SITES.length);
    const rows: Record<string, number> = {};
    for (const j of r.siteJumps) rows[String(j.jumpClass)] = (rows[String(j.jumpClass)] ?? 0) + j.count;
    const total = truth.doublet + truth.intra_cage + truth.inter_cage;
    expect(truth.inter_cage).toBeGreaterThan(50);
    expect(truth.doublet).toBeGreaterThan(50);
    const d = r.descriptors[0];
    expect(d.cageCount).toBe(2);
    expect(d.completeCageCount).toBe(2);
    // Every site in its cage (the ids the two true cages get are two, one per cage), environment types filled in.
    const idsOfTrueCage = [new Set<number | null>(), new Set<number | null>()];
    for (const site of r.sites) {
      const truthSite = RUN_SITES.findIndex((x) => Math.hypot(...x.map((v, q) => {
        const dd = v - [site.xA, site.yA, site.zA][q];
        return dd - RUN_CELL[q] * Math.round(dd / RUN_CELL[q]);
      })) < 0.2);
      expect(truthSite, `site ${site.siteId}`).toBeGreaterThanOrEqual(0);
      idsOfTrueCage[Math.floor(truthSite / 12)].add(site.cageId);
      expect(site.envType).not.toBeNull();
    }
    expect(idsOfTrueCage.map((x) => x.size)).toEqual([1, 1]);
    expect([...idsOfTrueCage[0]][0]).not.toBe([...idsOfTrueCage[1]][0]);
    const nJumps = r.siteJumps.reduce((a, j) => a + j.count, 0);
    expect(Math.abs(nJumps - total)).toBeLessThanOrEqual(0.01 * total);
    const share = { doublet: d.doubletJumpFraction!, intra_cage: d.intraCageJumpFraction!, inter_cage: d.interCageJumpFraction! };
    for (const k of ['doublet', 'intra_cage', 'inter_cage'] as const) {
      expect(Math.abs(share[k] * nJumps - truth[k]), `${k}: ${share[k] * nJumps} vs ${truth[k]}`).toBeLessThanOrEqual(Math.max(2, 0.02 * truth[k]));
      expect(Math.abs((rows[k] ?? 0) - truth[k]), `${k} rows: ${rows[k]} vs ${truth[k]}`).toBeLessThanOrEqual(Math.max(2, 0.02 * truth[k]));
    }
  }, 120_000);

  it('a file holding only the mobile species: jump classes and cage descriptors are NULL, not a guess', () => {
    const { t } = scriptedRun(12, 1200, 7, false);
    const r = analyze(t);
    expect(r.siteJumps.length).toBeGreaterThan(0);
    expect(r.siteJumps.every((j) => j.jumpClass === null)).toBe(true);
    expect(r.sites.every((x) => x.envType === null && x.cageId === null)).toBe(true);
    const d = r.descriptors[0];
    expect([d.cageCount, d.completeCageCount, d.doubletJumpFraction, d.intraCageJumpFraction, d.interCageJumpFraction]).toEqual([null, null, null, null, null]);
  }, 120_000);
});
