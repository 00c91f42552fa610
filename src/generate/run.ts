/**
 * One synthetic run: KMC hops in continuous time + vibration (OU or underdamped), sampled at the frame interval,
 * plus its ground truth. Frames are produced lazily (one reused buffer) so a 500-ion ×
 * 50,000-frame benchmark run streams to disk in bounded memory.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { cartToFrac, inverse3 } from '../trajectory/lattice.js';
import { emptyMetadata, type Trajectory } from '../trajectory/types.js';
import { writeIncar, writeXdatcarFrames, type XdatcarHeader } from '../io/write-xdatcar.js';
import { maxChainSpanFs, runKmc, type KmcParams, type KmcResult } from './kmc.js';
import { buildLattice, type LatticeModel } from './lattice-models.js';
import { transitPoint } from './path.js';
import { Rng } from './rng.js';
import { buildTruth, type FrameHop } from './run-truth.js';
import type { MaterialSpec } from './material-spec.js';
import type { Truth } from './truth.js';
import { anisotropicMatrix, vibrationField, vibRmsAt } from './vibration.js';

export type { MaterialSpec } from './material-spec.js';

export interface SyntheticRun {
  spec: MaterialSpec;
  temperatureK: number;
  seed: number;
  model: LatticeModel;
  kmc: KmcResult;
  header: XdatcarHeader;
  nAtoms: number;
  nFrames: number;
  frameIntervalFs: number;
  /** File-order atom index of mobile ion k. */
  mobileAtom: Int32Array;
  truth: Truth;
  /** Fractional frames, lazily generated; the yielded buffer is reused between frames. */
  frames(): Generator<Float64Array>;
}

export function kmcParamsOf(spec: MaterialSpec, temperatureK: number, tEndFs: number): KmcParams {
  return {
    nIons: spec.nIons,
    activationEv: spec.activationEv,
    attemptTHz: spec.attemptTHz,
    temperatureK,
    chainProb: spec.chainProb,
    chainMax: spec.chainMax,
    transitFs: spec.transitFs,
    chainDelay: spec.chainDelay,
    tEndFs,
    chainFixedSize: spec.chainFixedSize,
    pairActivationEv: spec.pairActivationEv,
    pairTransitFs: spec.pairTransitFs,
  };
}

export function generateRun(spec: MaterialSpec, temperatureK: number, seed: number): SyntheticRun {
  // Long: the lazy frame generator closes over the run's per-ion hop lists, model and buffers.
  const dt = spec.potimFs * spec.nblock;
  const shortestTransit = Math.min(spec.transitFs, spec.pairTransitFs ?? spec.transitFs);
  if (shortestTransit < 2.5 * dt) throw new Error(`transit ${shortestTransit} fs < 2.5 frame intervals (${2.5 * dt} fs): hops would be invisible`);
  const model = buildLattice(spec.lattice, spec.seed);
  const nFrames = spec.nFrames;
  const tLast = (nFrames - 1) * dt;
  // No chain may still be running at the last frame: KMC stops a chain-span earlier.
  const probe = kmcParamsOf(spec, temperatureK, 0);
  const tEnd = tLast - maxChainSpanFs(probe) - dt;
  if (tEnd <= 0) throw new Error(`run too short: ${nFrames} frames cannot hold one ${maxChainSpanFs(probe)} fs chain`);
  const params = kmcParamsOf(spec, temperatureK, tEnd);
  const kmc = runKmc(model, params, new Rng(seed, 1));

  const N = spec.nIons;
  const nF = model.nFramework;
  const nAtoms = N + nF;
  const mobileAtom = Int32Array.from({ length: N }, (_, k) => (spec.mobileFirst ? k : nF + k));
  const frameworkAtom = Int32Array.from({ length: nF }, (_, k) => (spec.mobileFirst ? N + k : k));
  const header: XdatcarHeader = {
    title: `ionsift synthetic ${spec.name} ${temperatureK}K seed ${seed}`,
    lattice: model.lattice,
    species: spec.mobileFirst ? [spec.mobile, spec.framework] : [spec.framework, spec.mobile],
    counts: spec.mobileFirst ? [N, nF] : [nF, N],
  };

  // Frame windows of each hop: frames strictly inside (tStart, tEnd) are "in transit".
  const perIon: FrameHop[][] = Array.from({ length: N }, () => []);
  for (const h of kmc.hops) {
    const start = Math.floor(h.tStartFs / dt) + 1;
    const end = Math.ceil((h.tStartFs + h.durationFs) / dt) - 1;
    perIon[h.ion].push({ start, end, hop: h });
  }

  const truth = buildTruth(spec, temperatureK, seed, model, kmc, perIon, mobileAtom, nFrames, dt, params);

  const frames = function* (): Generator<Float64Array> {
    const geo = new Rng(spec.seed, 3);
    const siteM = new Float64Array(model.nSites * 9);
    for (let s = 0; s < model.nSites; s++) siteM.set(anisotropicMatrix(geo, spec.anisotropy), s * 9);
    const fwM = new Float64Array(nF * 9);
    for (let k = 0; k < nF; k++) fwM.set(anisotropicMatrix(geo, spec.anisotropy), k * 9);
    const fwCart = new Float64Array(nF * 3);
    const L = model.lattice;
    for (let k = 0; k < nF; k++) {
      const fx = model.framework[k * 3], fy = model.framework[k * 3 + 1], fz = model.framework[k * 3 + 2];
      fwCart[k * 3] = fx * L[0] + fy * L[3] + fz * L[6];
      fwCart[k * 3 + 1] = fx * L[1] + fy * L[4] + fz * L[7];
      fwCart[k * 3 + 2] = fx * L[2] + fy * L[5] + fz * L[8];
    }
    const Linv = inverse3(L);
    const rms = vibRmsAt(spec.vibRmsA, spec.vibRefK, temperatureK);
    const rmsFw = rms * spec.frameworkVibScale;
    const vib = vibrationField(spec, temperatureK, nAtoms, dt, new Rng(seed, 2));
    const xi = vib.xi;
    const out = new Float64Array(nAtoms * 3);
    const cur = Int32Array.from(kmc.initialSites);
    const ptr = new Int32Array(N);
    const p = new Float64Array(3);
    const M = new Float64Array(9);
    const { siteCart, edgeNormal } = model;
    const edgeOf = (from: number, to: number): number => {
      for (let e = model.nbrStart[from]; e < model.nbrStart[from + 1]; e++) if (model.nbr[e] === to) return e;
      return -1;
    };
    for (let f = 0; f < nFrames; f++) {
      if (f > 0) vib.step();
      const t = f * dt;
      for (let k = 0; k < N; k++) {
        const list = perIon[k];
        while (ptr[k] < list.length && list[ptr[k]].end < f) cur[k] = list[ptr[k]++].hop.to;
        const a = mobileAtom[k];
        const x = xi.subarray(a * 3, a * 3 + 3);
        const fh = ptr[k] < list.length && list[ptr[k]].start <= f ? list[ptr[k]] : null;
        if (fh) {
          const h = fh.hop;
          const u = Math.min(1, Math.max(0, (t - h.tStartFs) / h.durationFs));
          const e = edgeOf(h.from, h.to);
          const s = transitPoint(
            siteCart[h.from * 3], siteCart[h.from * 3 + 1], siteCart[h.from * 3 + 2],
            h.dx, h.dy, h.dz,
            edgeNormal[e * 3], edgeNormal[e * 3 + 1], edgeNormal[e * 3 + 2],
            spec.arcFraction, u, p,
          );
          // Vibration ellipsoid morphs from the source site's to the target's.
          for (let i = 0; i < 9; i++) M[i] = (1 - s) * siteM[h.from * 9 + i] + s * siteM[h.to * 9 + i];
        } else {
          const sc = cur[k];
          p[0] = siteCart[sc * 3]; p[1] = siteCart[sc * 3 + 1]; p[2] = siteCart[sc * 3 + 2];
          M.set(siteM.subarray(sc * 9, sc * 9 + 9));
        }
        const cx = p[0] + rms * (M[0] * x[0] + M[1] * x[1] + M[2] * x[2]);
        const cy = p[1] + rms * (M[3] * x[0] + M[4] * x[1] + M[5] * x[2]);
        const cz = p[2] + rms * (M[6] * x[0] + M[7] * x[1] + M[8] * x[2]);
        cartToFrac(Linv, cx, cy, cz, out, a * 3);
      }
      for (let k = 0; k < nF; k++) {
        const a = frameworkAtom[k];
        const o = a * 3, m = k * 9;
        const x0 = xi[o], x1 = xi[o + 1], x2 = xi[o + 2];
        const cx = fwCart[k * 3] + rmsFw * (fwM[m] * x0 + fwM[m + 1] * x1 + fwM[m + 2] * x2);
        const cy = fwCart[k * 3 + 1] + rmsFw * (fwM[m + 3] * x0 + fwM[m + 4] * x1 + fwM[m + 5] * x2);
        const cz = fwCart[k * 3 + 2] + rmsFw * (fwM[m + 6] * x0 + fwM[m + 7] * x1 + fwM[m + 8] * x2);
        cartToFrac(Linv, cx, cy, cz, out, o);
      }
      for (let i = 0; i < out.length; i++) out[i] -= Math.floor(out[i]);
      yield out;
    }
  };

  return { spec, temperatureK, seed, model, kmc, header, nAtoms, nFrames, frameIntervalFs: dt, mobileAtom, truth, frames };
}

export interface WrittenRun {
  dir: string;
  xdatcar: string;
  incar: string;
  truth: string;
  nHops: number;
}

/** Write XDATCAR(.gz), INCAR and truth.json into `dir`. */
export async function writeRun(run: SyntheticRun, dir: string, opts: { gzip?: boolean } = {}): Promise<WrittenRun> {
  await mkdir(dir, { recursive: true });
  const gzip = opts.gzip ?? true;
  const xdatcar = gzip ? 'XDATCAR.gz' : 'XDATCAR';
  await writeXdatcarFrames(join(dir, xdatcar), run.header, run.frames(), { gzip });
  await writeIncar(join(dir, 'INCAR'), {
    potimFs: run.spec.potimFs, nblock: run.spec.nblock, temperatureK: run.temperatureK,
    nsw: run.nFrames * run.spec.nblock, system: `ionsift synthetic ${run.spec.name}`,
  });
  await writeFile(join(dir, 'truth.json'), JSON.stringify(run.truth) + '\n');
  return { dir, xdatcar, incar: 'INCAR', truth: 'truth.json', nHops: run.truth.hops.length };
}

/**
 * The run's KMC history as a trajectory of the mobile ions without vibration or transit arcs:
 * initial site + the sum of the true hop vectors, each hop counted from its mid-transit time.
 * Unwrapped Cartesian (Å), frame-major [frame][ion][xyz] like `unwrap()`, ion k = k-th mobile
 * atom. Analysing it with the same fit window as the real frames separates what the analysis
 * does (unwrap, vibration, window) from the statistics of the hops themselves.
 */
export function siteTrajectory(run: Pick<SyntheticRun, 'model' | 'kmc' | 'nFrames' | 'frameIntervalFs'>): Float64Array {
  const { model, kmc, nFrames: F, frameIntervalFs: dt } = run;
  const n = kmc.initialSites.length;
  const out = new Float64Array(F * n * 3), cur = new Float64Array(n * 3);
  for (let k = 0; k < n; k++) for (let d = 0; d < 3; d++) cur[k * 3 + d] = model.siteCart[kmc.initialSites[k] * 3 + d];
  // Hops bucketed by the first frame at or after their mid-transit time.
  const byFrame: number[][] = Array.from({ length: F }, () => []);
  kmc.hops.forEach((x, i) => {
    const f = Math.ceil((x.tStartFs + x.durationFs / 2) / dt);
    if (f < F) byFrame[f].push(i);
  });
  for (let f = 0; f < F; f++) {
    for (const i of byFrame[f]) {
      const x = kmc.hops[i];
      cur[x.ion * 3] += x.dx; cur[x.ion * 3 + 1] += x.dy; cur[x.ion * 3 + 2] += x.dz;
    }
    out.set(cur, f * n * 3);
  }
  return out;
}

/** Collect a (small) run into an in-memory Trajectory, e.g. for tests. */
export function toTrajectory(run: SyntheticRun): Trajectory {
  const stride = run.nAtoms * 3;
  const frac = new Float64Array(run.nFrames * stride);
  let f = 0;
  for (const fr of run.frames()) frac.set(fr, stride * f++);
  const speciesOf = new Uint16Array(run.nAtoms);
  let a = 0;
  run.header.counts.forEach((c, s) => { for (let i = 0; i < c; i++) speciesOf[a++] = s; });
  const metadata = emptyMetadata('synthetic');
  metadata.frameIntervalFs = run.frameIntervalFs;
  metadata.timestepFs = run.spec.potimFs;
  metadata.stepsPerFrame = run.spec.nblock;
  metadata.temperatureK = run.temperatureK;
  metadata.material = run.spec.name;
  metadata.mobile = [run.spec.mobile];
  metadata.charges = { [run.spec.mobile]: 1 };
  metadata.title = run.header.title;
  return {
    nFrames: run.nFrames, nAtoms: run.nAtoms,
    species: [...run.header.species], counts: [...run.header.counts], speciesOf, frac,
    lattice: Float64Array.from(run.model.lattice), variableCell: false,
    segments: [{ file: '<synthetic>', startFrame: 0, nFrames: run.nFrames }],
    discontinuities: [], metadata, warnings: [],
  };
}
