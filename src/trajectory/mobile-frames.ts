/**
 * The frames of a long run reduced, while they are read, to what the analysis uses: the mobile
 * species' unwrapped positions as float32 and, of the framework, its per-frame mean displacement
 * (drift removal), its time-averaged unwrapped positions (site cages, environment types) and
 * the RMS step of all atoms between consecutive frames (the readers' discontinuity check).
 * A reader hands each frame to `MobileFrames.frame` in order; nothing keeps a frame of all atoms
 * beyond the previous one, so memory is frames × mobile ions × 12 B plus a few doubles per frame.
 *
 * Every number is the one the full path computes, bit for bit: the same float64 walk as
 * `unwrap` (float32 output) and `frameworkDrift`, the same sums in the same order as
 * `frameworkAverage` (analysis/sites/cages-framework.ts) and `stepRms` (io/run.ts). The
 * minimum-image tests of `unwrap` and `stepRms` differ (the latter never searches images in an
 * orthogonal cell), so both are taken here as there.
 */
import { inscribedRadius, inverse3, isOrthogonal, minimumImage } from './lattice.js';

/** What a reader hands frames to: frame f's fractional coordinates of all atoms at `frac[off…]`, in the cell `lattice` (rows, Å). */
export interface FrameSink {
  frame(frac: Float64Array, off: number, lattice: Float64Array): void;
}

/** One mobile species: its atoms (file order) and unwrapped positions, [frame][column][xyz], Å. */
export interface MobileColumns {
  element: string;
  atoms: Int32Array;
  /** On a SharedArrayBuffer (handed to worker threads without a copy); exactly nFrames·atoms·3 long. */
  positions: Float32Array;
}

/** A run's frames reduced by `MobileFrames` (held by `Trajectory.reduced`). */
export interface ReducedFrames {
  /** The mobile species, as chosen before reading; the analysis must ask for exactly these. */
  mobile: string[];
  /** Whether the framework's drift was removed from the mobile positions. */
  removeDrift: boolean;
  elements: MobileColumns[];
  /** The framework's time-averaged positions as `frameworkAverage` gives them: elements and fractional positions in [0, 1). */
  framework: { elements: string[]; frac: Float64Array };
  /** RMS minimum-image step (Å) of all atoms from frame f−1 to f, at index f (index 0 unused). */
  stepRms: Float64Array;
}

/** The atoms of a run, as a reader knows them after the first header. */
export interface AtomsTable {
  species: readonly string[];
  speciesOf: Uint16Array;
}

export interface MobileFramesOptions {
  mobile: readonly string[];
  removeDrift: boolean;
  /** Frames to allocate for up front (grows 1.5× past it). */
  framesHint: number;
  /** Called before each allocation with its size in bytes (a reader's memory budget; throws to refuse). */
  budget?: (bytes: number, what: string) => void;
}

/** Float32Array of `n` values on a SharedArrayBuffer. */
function sharedF32(n: number): Float32Array {
  return new Float32Array(new SharedArrayBuffer(n * 4));
}

/** The sink: see the file comment. `finish(nFrames)` gives the result; frames past `nFrames` (a dropped last frame) are ignored. */
export class MobileFrames implements FrameSink {
  private readonly nAtoms: number;
  /** Per atom (file order): ≥ 0 mobile column slot in `mCur`, < 0 framework slot −1 − k. */
  private readonly role: Int32Array;
  private readonly elements: { element: string; atoms: Int32Array; slot0: number; positions: Float32Array }[] = [];
  private readonly fwAtoms: Int32Array;
  private readonly mCur: Float64Array;
  private readonly fwFirst: Float64Array;
  private readonly fwCur: Float64Array;
  private readonly fwSum: Float64Array;
  private readonly prev: Float64Array;
  private drift: Float64Array;
  private rms: Float64Array;
  private capacity = 0;
  private nFrames = 0;
  private lattice0: Float64Array | null = null;
  private lastL = new Float64Array(9);
  private lastR = 0;
  private lastR2Rms = 0;
  private readonly v = new Float64Array(3);
  private readonly budget?: (bytes: number, what: string) => void;
  readonly mobile: string[];
  readonly removeDrift: boolean;

  constructor(atoms: AtomsTable, opts: MobileFramesOptions) {
    const { species, speciesOf } = atoms;
    this.nAtoms = speciesOf.length;
    this.mobile = [...opts.mobile];
    this.removeDrift = opts.removeDrift;
    this.budget = opts.budget;
    this.role = new Int32Array(this.nAtoms);
    const mob = new Set(opts.mobile);
    let slot = 0;
    for (const element of opts.mobile) {
      // By name, in file order: a species may stand in the header more than once (`Li S Li`).
      const list: number[] = [];
      for (let i = 0; i < this.nAtoms; i++) if (species[speciesOf[i]] === element) list.push(i);
      this.elements.push({ element, atoms: Int32Array.from(list), slot0: slot, positions: new Float32Array(0) });
      for (let k = 0; k < list.length; k++) this.role[list[k]] = slot + k;
      slot += list.length;
    }
    const fw: number[] = [];
    for (let i = 0; i < this.nAtoms; i++) if (!mob.has(species[speciesOf[i]])) { this.role[i] = -1 - fw.length; fw.push(i); }
    this.fwAtoms = Int32Array.from(fw);
    this.fwElements = fw.map((i) => species[speciesOf[i]]);
    this.mCur = new Float64Array(slot * 3);
    this.fwFirst = new Float64Array(fw.length * 3);
    this.fwCur = new Float64Array(fw.length * 3);
    this.fwSum = new Float64Array(fw.length * 3);
    this.prev = new Float64Array(this.nAtoms * 3);
    this.drift = new Float64Array(0);
    this.rms = new Float64Array(0);
    this.ensure(Math.max(1, opts.framesHint));
  }

  private readonly fwElements: string[];

  /** Bytes of frame storage allocated now (mobile positions, drift and RMS). */
  get allocatedBytes(): number {
    let b = this.drift.byteLength + this.rms.byteLength;
    for (const e of this.elements) b += e.positions.byteLength;
    return b;
  }

  /** Room for `frames` frames (grows 1.5×, copying). */
  ensure(frames: number): void {
    if (frames <= this.capacity) return;
    const cap = this.capacity === 0 ? frames : Math.max(frames, Math.ceil(this.capacity * 1.5) + 1);
    const nMobile = this.mCur.length / 3;
    this.budget?.(cap * (nMobile * 12 + 32), `${cap} frames of ${nMobile} mobile ions (float32)`);
    for (const e of this.elements) {
      const p = sharedF32(cap * e.atoms.length * 3);
      p.set(e.positions.subarray(0, this.nFrames * e.atoms.length * 3));
      e.positions = p;
    }
    const d = new Float64Array(cap * 3);
    d.set(this.drift.subarray(0, this.nFrames * 3));
    this.drift = d;
    const r = new Float64Array(cap);
    r.set(this.rms.subarray(0, this.nFrames));
    this.rms = r;
    this.capacity = cap;
  }

  /** Frames there is room for without growing. */
  get capacityFrames(): number {
    return this.capacity;
  }

  /** Frames received so far. */
  get frames(): number {
    return this.nFrames;
  }

  frame(frac: Float64Array, off: number, L: Float64Array): void {
    const f = this.nFrames;
    this.ensure(f + 1);
    const n = this.nAtoms, role = this.role, prev = this.prev;
    const mCur = this.mCur, fwCur = this.fwCur, fwFirst = this.fwFirst, fwSum = this.fwSum;
    if (f === 0) {
      this.lattice0 = Float64Array.from(L);
      // As `startPositions` in unwrap.ts: frame 0's Cartesian positions; every displacement is 0.
      for (let a = 0; a < n; a++) {
        const i = off + a * 3;
        const fx = frac[i], fy = frac[i + 1], fz = frac[i + 2];
        const x = fx * L[0] + fy * L[3] + fz * L[6];
        const y = fx * L[1] + fy * L[4] + fz * L[7];
        const z = fx * L[2] + fy * L[5] + fz * L[8];
        const r = role[a];
        if (r >= 0) { mCur[r * 3] = x; mCur[r * 3 + 1] = y; mCur[r * 3 + 2] = z; }
        else {
          const o = (-1 - r) * 3;
          fwFirst[o] = x; fwFirst[o + 1] = y; fwFirst[o + 2] = z;
          fwCur[o] = x; fwCur[o + 1] = y; fwCur[o + 2] = z;
          fwSum[o] += x; fwSum[o + 1] += y; fwSum[o + 2] += z;
        }
      }
      this.drift[0] = 0; this.drift[1] = 0; this.drift[2] = 0;
      this.rms[0] = 0;
    } else {
      this.cellRadius(L);
      const r2 = this.lastR * this.lastR, r2Rms = this.lastR2Rms;
      const L0 = L[0], L1 = L[1], L2 = L[2], L3 = L[3], L4 = L[4], L5 = L[5], L6 = L[6], L7 = L[7], L8 = L[8];
      const v = this.v;
      let s = 0, sx = 0, sy = 0, sz = 0;
      for (let a = 0; a < n; a++) {
        const i = off + a * 3, p = a * 3;
        let dx = frac[i] - prev[p], dy = frac[i + 1] - prev[p + 1], dz = frac[i + 2] - prev[p + 2];
        dx = dx > -0.5 && dx < 0.5 ? dx + 0 : dx - Math.round(dx);
        dy = dy > -0.5 && dy < 0.5 ? dy + 0 : dy - Math.round(dy);
        dz = dz > -0.5 && dz < 0.5 ? dz + 0 : dz - Math.round(dz);
        let x = dx * L0 + dy * L3 + dz * L6;
        let y = dx * L1 + dy * L4 + dz * L7;
        let z = dx * L2 + dy * L5 + dz * L8;
        const d2 = x * x + y * y + z * z;
        // stepRms's test (io/run.ts) …
        if (d2 < r2Rms) s += d2;
        else { minimumImage(L, dx, dy, dz, v, 0); s += v[0] * v[0] + v[1] * v[1] + v[2] * v[2]; }
        // … and unwrap's.
        if (d2 >= r2) { minimumImage(L, dx, dy, dz, v, 0); x = v[0]; y = v[1]; z = v[2]; }
        const r = role[a];
        if (r >= 0) {
          const o = r * 3;
          mCur[o] = mCur[o] + x; mCur[o + 1] = mCur[o + 1] + y; mCur[o + 2] = mCur[o + 2] + z;
        } else {
          const o = (-1 - r) * 3;
          const nx = fwCur[o] + x, ny = fwCur[o + 1] + y, nz = fwCur[o + 2] + z;
          fwCur[o] = nx; fwCur[o + 1] = ny; fwCur[o + 2] = nz;
          sx += nx - fwFirst[o]; sy += ny - fwFirst[o + 1]; sz += nz - fwFirst[o + 2];
          fwSum[o] += nx; fwSum[o + 1] += ny; fwSum[o + 2] += nz;
        }
      }
      this.rms[f] = Math.sqrt(s / Math.max(1, n));
      const m = this.fwAtoms.length;
      this.drift[f * 3] = sx / m; this.drift[f * 3 + 1] = sy / m; this.drift[f * 3 + 2] = sz / m;
    }
    prev.set(frac.subarray(off, off + n * 3));
    // The stored positions: the float64 walk minus the drift, rounded once (unwrap's float32 path).
    const useDrift = this.removeDrift && this.fwAtoms.length > 0;
    const ddx = useDrift ? this.drift[f * 3] : 0, ddy = useDrift ? this.drift[f * 3 + 1] : 0, ddz = useDrift ? this.drift[f * 3 + 2] : 0;
    for (const e of this.elements) {
      const out = e.positions, c = e.atoms.length;
      for (let k = 0, q = e.slot0 * 3, o = f * c * 3; k < c; k++, q += 3, o += 3) {
        out[o] = mCur[q] - ddx; out[o + 1] = mCur[q + 1] - ddy; out[o + 2] = mCur[q + 2] - ddz;
      }
    }
    this.nFrames = f + 1;
  }

  /** unwrap's radius (inscribed, per cell) and stepRms's test radius², recomputed only when the cell changes. */
  private cellRadius(L: Float64Array): void {
    const last = this.lastL;
    if (this.lastR > 0 && last[0] === L[0] && last[1] === L[1] && last[2] === L[2] && last[3] === L[3] && last[4] === L[4]
      && last[5] === L[5] && last[6] === L[6] && last[7] === L[7] && last[8] === L[8]) return;
    const r = inscribedRadius(L);
    this.lastR = r;
    this.lastR2Rms = isOrthogonal(L) ? Infinity : r * r * (1 - 1e-9);
    last.set(L);
  }

  /**
   * The reduced run of the first `nFrames` frames. `cell0`: the lattice the trajectory gives frame 0
   * (the framework average is wrapped into it, as `frameworkAverage` does).
   */
  finish(nFrames: number, cell0: Float64Array): ReducedFrames {
    if (nFrames > this.nFrames) throw new Error(`MobileFrames.finish: ${nFrames} frames asked, ${this.nFrames} received`);
    const T = nFrames, m = this.fwAtoms.length;
    // frameworkAverage (cages-framework.ts): the mean of (position − drift) is the mean position − the mean drift.
    const frac = new Float64Array(m * 3);
    if (m > 0) {
      const meanDrift = [0, 0, 0];
      if (this.removeDrift) for (let f = 0; f < T; f++) for (let c = 0; c < 3; c++) meanDrift[c] += this.drift[f * 3 + c] / T;
      const Linv = inverse3(cell0);
      // fwSum holds the sums over the frames received: a frame dropped after them cannot be taken back.
      if (T !== this.nFrames) throw new Error(`MobileFrames.finish: ${this.nFrames} frames summed, ${T} kept`);
      for (let k = 0; k < m; k++) {
        const x = this.fwSum[k * 3] / T - meanDrift[0], y = this.fwSum[k * 3 + 1] / T - meanDrift[1], z = this.fwSum[k * 3 + 2] / T - meanDrift[2];
        for (let c = 0; c < 3; c++) {
          const v = x * Linv[c] + y * Linv[3 + c] + z * Linv[6 + c];
          frac[k * 3 + c] = v - Math.floor(v);
        }
      }
    }
    const elements = this.elements.map((e) => {
      const len = T * e.atoms.length * 3;
      // Exactly sized: the surplus of the pre-sizing is copied away only when it is worth it (> 1/16).
      const positions = e.positions.length - len <= e.positions.length / 16 ? e.positions.subarray(0, len) : sharedCopy(e.positions, len);
      return { element: e.element, atoms: e.atoms, positions };
    });
    return {
      mobile: [...this.mobile],
      removeDrift: this.removeDrift,
      elements,
      framework: { elements: [...this.fwElements], frac },
      stepRms: this.rms.slice(0, T),
    };
  }
}

function sharedCopy(a: Float32Array, len: number): Float32Array {
  const out = sharedF32(len);
  out.set(a.subarray(0, len));
  return out;
}

/** What a caller asks of a reader that can reduce its frames (`ReaderOptions.mobileFrames`). */
export interface MobileFramesRequest {
  /**
   * The mobile species given the run's species (file order) and the ones its metadata names
   * (`preferred`: the sidecar's or the command line's `mobile`, set by the loader); null: keep all frames.
   */
  mobile(species: readonly string[], preferred: readonly string[] | null): string[] | null;
  preferred?: readonly string[] | null;
  removeDrift: boolean;
  /** Reduce only when the largest mobile species has at least this many ion-frames (as the file's size predicts); 0: always. */
  minIonFrames: number;
}

/** Whether `counts` of `species` over `frames` frames reach the request's `minIonFrames` for `mobile`. */
/** Atoms of species `element` in a header whose species may repeat (`Li S Li`). */
export function countOf(species: readonly string[], counts: readonly number[], element: string): number {
  let n = 0;
  for (let k = 0; k < species.length; k++) if (species[k] === element) n += counts[k] ?? 0;
  return n;
}

export function worthReducing(req: MobileFramesRequest, species: readonly string[], counts: readonly number[], mobile: readonly string[], frames: number): boolean {
  let most = 0;
  for (const e of mobile) most = Math.max(most, countOf(species, counts, e));
  return most * frames >= req.minIonFrames;
}
