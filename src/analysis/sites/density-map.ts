/**
 * A site map built deterministically from the peaks of the position density: all mobile-ion
 * positions (wrapped, fractional) binned on a periodic grid, smoothed by a Gaussian whose width is
 * a fraction of the species' vibration (estimated from the detector's residences), and the peaks
 * found by a persistence watershed (cells in decreasing density, basins joined at their saddles).
 * Where two basins meet, the lower peak stays a site only when its dip to the saddle is
 * significant given the independent samples (positions counted in vibration correlation times)
 * under each: the answer converges as data grow instead of flipping at a fixed radius. No seed,
 * no Å threshold: the grid step and kernel follow the vibration, the test follows the counts.
 */
import { displacement, wrap1 } from './periodic.js';
import { invertSym, quad } from './state.js';
import type { Mixture } from './gmm.js';
import type { AtomCentres } from '../types.js';
import type { Positions } from '../../trajectory/types.js';

/**
 * Kernel variance as a fraction of the vibration's per-axis variance: resolution over noise. At 1
 * the grid's raw peaks are already stable between a run and its pieces (LGPS: 24 in every half and
 * quarter); at 0.25–0.5 noise peaks need the dip test, which then loses real sites in the pieces.
 */
const KERNEL_FRACTION = 1;
/** Grid steps per kernel σ. */
const STEPS_PER_SIGMA = 1;
/** Upper bound on grid cells (memory and time). */
const MAX_CELLS = 1 << 21;
/**
 * Normal quantile of the dip test. 0: every peak of the smoothed density is a site (the dwell test
 * then drops passages). Any positive value makes the answer depend on how much data a piece holds,
 * and the pieces then lose real sites the whole run keeps (BENCHMARKS.md, sites, 2026-12-03 17:00):
 * the test is kept, measured, and off.
 */
const Z_DIP = 0;
/** χ²₃ quantile 0.99, and the variance kept by a Gaussian truncated there: P(χ²₅ < c) / P(χ²₃ < c). */
const CHI2_99 = 11.344866730144373;
const TRUNCATED_VARIANCE = 0.955044831888 / 0.99;
/** Median of χ²₃: converts the median squared step into a per-axis variance. */
const CHI2_3_MEDIAN = 2.365973884375338;
/** Frame pairs per lag for the variogram of the vibration's correlation time. */
const PAIRS_PER_LAG = 4000;

export interface DensityMapInput {
  /** Unwrapped positions (Å), frame-major [frame][col][xyz]. */
  positions: Positions;
  nFrames: number;
  nCols: number;
  lattice: Float64Array;
  latticeInv: Float64Array;
  /** The species' pooled vibration covariance (Å²): xx, yy, zz, xy, xz, yz. */
  pooled: Float64Array;
  /** The detector's residences (for the vibration's correlation time); a variogram when absent. */
  residences?: readonly AtomCentres[];
}

/** Result with the diagnostics the benches print. */
export interface DensityMap extends Mixture {
  /** Integrated correlation time of the vibration (frames). */
  tau: number;
  /** Peaks before the dip test merged them. */
  rawPeaks: number;
}

function quickMedian(a: Float64Array): number {
  const s = a.slice().sort();
  return s[s.length >> 1];
}

/**
 * Integrated autocorrelation time of the vibration (frames), from the median squared
 * displacement at each lag (robust to hops): ρ_k = 1 − γ_k / σ², summed over the initial positive
 * pairs of lags (Geyer), which also stops an underdamped oscillation at its first negative lobe.
 */
export function vibrationCorrelationTime(positions: Positions, nFrames: number, nCols: number, sigma2: number): number {
  const maxLag = Math.min(nFrames - 1, 2000);
  const d = new Float64Array(PAIRS_PER_LAG);
  const rho = (k: number): number => {
    const m = (nFrames - k) * nCols;
    if (m <= 0) return 0;
    const cnt = Math.min(PAIRS_PER_LAG, m);
    for (let i = 0; i < cnt; i++) {
      const q = Math.floor(((i + 0.5) * m) / cnt);
      const f = Math.floor(q / nCols), c = q - f * nCols;
      const a = (f * nCols + c) * 3, b = ((f + k) * nCols + c) * 3;
      d[i] = (positions[b] - positions[a]) ** 2 + (positions[b + 1] - positions[a + 1]) ** 2 + (positions[b + 2] - positions[a + 2]) ** 2;
    }
    const gamma = quickMedian(d.subarray(0, cnt)) / CHI2_3_MEDIAN / 2;
    return 1 - gamma / sigma2;
  };
  let tau = 1;
  for (let k = 1; k + 1 <= maxLag; k += 2) {
    const pair = rho(k) + rho(k + 1);
    if (!(pair > 0)) break;
    tau += 2 * pair;
  }
  return Math.max(1, tau);
}

/** Longest lag (frames) the residence autocorrelation is summed to (cost). */
const MAX_LAG = 400;

/**
 * Integrated autocorrelation time of the vibration (frames) from the detector's residences: each
 * run of frames at one centre about its own mean (so hops do not enter), ρ_k pooled over all runs
 * and summed over the initial positive pairs of lags (Geyer), which stops an underdamped
 * oscillation at its first negative lobe.
 */
export function residenceCorrelationTime(atoms: readonly AtomCentres[], positions: Positions, nFrames: number): number {
  const n = atoms.length;
  const d = new Float64Array(n * nFrames * 3);
  const run = new Int32Array(n * nFrames).fill(-1);
  let runId = 0;
  for (let c = 0; c < n; c++) {
    const lab = atoms[c].labels;
    for (let f = 0; f < nFrames;) {
      if (lab[f] < 0) { f++; continue; }
      let e = f + 1;
      while (e < nFrames && lab[e] === lab[f]) e++;
      let mx = 0, my = 0, mz = 0;
      for (let t = f; t < e; t++) { const o = (t * n + c) * 3; mx += positions[o]; my += positions[o + 1]; mz += positions[o + 2]; }
      const m = e - f;
      mx /= m; my /= m; mz /= m;
      for (let t = f; t < e; t++) {
        const o = (t * n + c) * 3, q = c * nFrames + t;
        d[q * 3] = positions[o] - mx; d[q * 3 + 1] = positions[o + 1] - my; d[q * 3 + 2] = positions[o + 2] - mz;
        run[q] = runId;
      }
      runId++;
      f = e;
    }
  }
  const N = n * nFrames;
  let c0 = 0;
  for (let q = 0; q < N; q++) if (run[q] >= 0) c0 += d[q * 3] ** 2 + d[q * 3 + 1] ** 2 + d[q * 3 + 2] ** 2;
  if (!(c0 > 0)) return 1;
  const rho = (k: number): number => {
    let s = 0;
    for (let q = 0; q + k < N; q++) {
      const r = run[q];
      if (r < 0 || run[q + k] !== r) continue;
      s += d[q * 3] * d[(q + k) * 3] + d[q * 3 + 1] * d[(q + k) * 3 + 1] + d[q * 3 + 2] * d[(q + k) * 3 + 2];
    }
    return s / c0;
  };
  let tau = 1;
  for (let k = 1; k + 1 <= Math.min(MAX_LAG, nFrames - 1); k += 2) {
    const pair = rho(k) + rho(k + 1);
    if (!(pair > 0)) break;
    tau += 2 * pair;
  }
  return tau;
}

/** Separable periodic Gaussian smoothing of a grid along one axis (σ in cells), in place via `tmp`. */
function smoothAxis(g: Float64Array, tmp: Float64Array, nb: number[], axis: number, sigmaCells: number): void {
  const r = Math.max(1, Math.ceil(3 * sigmaCells));
  const w = new Float64Array(2 * r + 1);
  let s = 0;
  for (let i = -r; i <= r; i++) { w[i + r] = Math.exp(-0.5 * (i / sigmaCells) ** 2); s += w[i + r]; }
  for (let i = 0; i < w.length; i++) w[i] /= s;
  const [nx, ny, nz] = nb;
  const n = nb[axis];
  const stride = axis === 0 ? ny * nz : axis === 1 ? nz : 1;
  tmp.fill(0);
  for (let x = 0; x < nx; x++) for (let y = 0; y < ny; y++) for (let z = 0; z < nz; z++) {
    const o = (x * ny + y) * nz + z;
    const v = g[o];
    if (v === 0) continue;
    const p = axis === 0 ? x : axis === 1 ? y : z;
    const base = o - p * stride;
    for (let i = -r; i <= r; i++) {
      let q = p + i;
      q = ((q % n) + n) % n;
      tmp[base + q * stride] += v * w[i + r];
    }
  }
  g.set(tmp);
}

/** The density-peak site map of one species (fractional centres, covariances, weights). */
export function densityPeakMap(inp: DensityMapInput): DensityMap {
  const { positions, nFrames: T, nCols: n, lattice: L, latticeInv: Li, pooled } = inp;
  const sigma2 = (pooled[0] + pooled[1] + pooled[2]) / 3;
  const N = T * n;
  // The correlation time only enters the dip test.
  const tau = Z_DIP === 0 ? 1 : inp.residences ? residenceCorrelationTime(inp.residences, positions, T) : vibrationCorrelationTime(positions, T, n, sigma2);
  const h = Math.sqrt(KERNEL_FRACTION * sigma2);
  const len = [0, 1, 2].map((a) => Math.hypot(L[a * 3], L[a * 3 + 1], L[a * 3 + 2]));
  const vol = Math.abs(L[0] * (L[4] * L[8] - L[5] * L[7]) - L[1] * (L[3] * L[8] - L[5] * L[6]) + L[2] * (L[3] * L[7] - L[4] * L[6]));
  let step = h / STEPS_PER_SIGMA;
  step = Math.max(step, Math.cbrt(vol / MAX_CELLS));
  const nb = len.map((l) => Math.max(4, Math.round(l / step)));
  const cells = nb[0] * nb[1] * nb[2];
  const g = new Float64Array(cells);
  const cellOf = (fx: number, fy: number, fz: number): number => {
    const ix = Math.min(nb[0] - 1, Math.floor(fx * nb[0])), iy = Math.min(nb[1] - 1, Math.floor(fy * nb[1])), iz = Math.min(nb[2] - 1, Math.floor(fz * nb[2]));
    return (ix * nb[1] + iy) * nb[2] + iz;
  };
  const frac = new Float64Array(N * 3);
  for (let i = 0; i < N; i++) {
    const x = positions[i * 3], y = positions[i * 3 + 1], z = positions[i * 3 + 2];
    const fx = wrap1(x * Li[0] + y * Li[3] + z * Li[6]), fy = wrap1(x * Li[1] + y * Li[4] + z * Li[7]), fz = wrap1(x * Li[2] + y * Li[5] + z * Li[8]);
    frac[i * 3] = fx; frac[i * 3 + 1] = fy; frac[i * 3 + 2] = fz;
    g[cellOf(fx, fy, fz)]++;
  }
  const tmp = new Float64Array(cells);
  // Along the lattice axes: exact for orthogonal cells, a slightly sheared kernel otherwise.
  for (let a = 0; a < 3; a++) smoothAxis(g, tmp, nb, a, h / (len[a] / nb[a]));
  // Variance of a smoothed count G (points per cell): G · V_cell · ∫K² · τ, K the kernel (Å⁻³).
  const vCell = vol / cells;
  const rK = Math.pow(4 * Math.PI * h * h, -1.5);
  const c = vCell * rK * tau;
  const significant = (peak: number, saddle: number): boolean => peak - saddle > Z_DIP * Math.sqrt((peak + saddle) * c);
  // Cells that could neither be a significant peak nor matter as a saddle between two are skipped.
  const floor = 0.05 * Z_DIP * Z_DIP * c;
  let m = 0;
  for (let i = 0; i < cells; i++) if (g[i] > floor) m++;
  const order = new Uint32Array(m);
  m = 0;
  for (let i = 0; i < cells; i++) if (g[i] > floor) order[m++] = i;
  order.sort((a, b) => g[b] - g[a] || a - b);
  const parent = new Int32Array(cells).fill(-1);
  const find = (i: number): number => {
    let r = i;
    while (parent[r] !== r) r = parent[r];
    while (parent[i] !== r) { const nx = parent[i]; parent[i] = r; i = nx; }
    return r;
  };
  const [nx, ny, nz] = nb;
  let rawPeaks = 0;
  const roots: number[] = [];
  for (let t = 0; t < m; t++) {
    const i = order[t];
    const x = Math.floor(i / (ny * nz)), y = Math.floor(i / nz) % ny, z = i % nz;
    let top = -1;
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) {
      if (dx === 0 && dy === 0 && dz === 0) continue;
      const j = ((((x + dx + nx) % nx) * ny + ((y + dy + ny) % ny)) * nz) + ((z + dz + nz) % nz);
      if (parent[j] < 0) continue;
      if (top < 0 || g[j] > g[top] || (g[j] === g[top] && j < top)) top = j;
    }
    if (top < 0) { parent[i] = i; rawPeaks++; continue; }
    parent[i] = find(top);
    for (let dx = -1; dx <= 1; dx++) for (let dy = -1; dy <= 1; dy++) for (let dz = -1; dz <= 1; dz++) {
      if (dx === 0 && dy === 0 && dz === 0) continue;
      const j = ((((x + dx + nx) % nx) * ny + ((y + dy + ny) % ny)) * nz) + ((z + dz + nz) % nz);
      if (parent[j] < 0) continue;
      const a = find(i), b = find(j);
      if (a === b) continue;
      const [hi, lo] = g[a] > g[b] || (g[a] === g[b] && a < b) ? [a, b] : [b, a];
      if (!significant(g[lo], g[i])) parent[lo] = hi;
    }
  }
  for (let t = 0; t < m; t++) { const i = order[t]; if (find(i) === i && significant(g[i], floor)) roots.push(i); }
  roots.sort((a, b) => a - b);
  const siteOfRoot = new Map(roots.map((r, s) => [r, s]));
  const k = roots.length;
  const means = new Float64Array(k * 3);
  // Centre: the peak cell refined per axis by a parabola through log density.
  roots.forEach((r, s) => {
    const ix = [Math.floor(r / (ny * nz)), Math.floor(r / nz) % ny, r % nz];
    for (let a = 0; a < 3; a++) {
      const at = (o: number) => {
        const q = ix.slice();
        q[a] = (q[a] + o + nb[a]) % nb[a];
        return Math.log(Math.max(g[(q[0] * ny + q[1]) * nz + q[2]], 1e-300));
      };
      const lm = at(-1), l0 = at(0), lp = at(1);
      const den = lm - 2 * l0 + lp;
      const off = den < 0 ? Math.max(-0.5, Math.min(0.5, (0.5 * (lm - lp)) / den)) : 0;
      means[s * 3 + a] = wrap1((ix[a] + 0.5 + off) / nb[a]);
    }
  });
  // Covariance: the basin's positions inside the pooled 99 % ellipsoid about the centre, with the
  // variance a Gaussian loses to that truncation put back.
  const pooledInv = new Float64Array(6);
  invertSym(pooled, 0, pooledInv);
  const sw = new Float64Array(k), sxx = new Float64Array(k * 6), v = new Float64Array(3);
  for (let i = 0; i < N; i++) {
    const cell = cellOf(frac[i * 3], frac[i * 3 + 1], frac[i * 3 + 2]);
    if (parent[cell] < 0) continue;
    const s = siteOfRoot.get(find(cell));
    if (s === undefined) continue;
    displacement(L, frac[i * 3], frac[i * 3 + 1], frac[i * 3 + 2], means[s * 3], means[s * 3 + 1], means[s * 3 + 2], v);
    if (-2 * quad(pooledInv, 0, v[0], v[1], v[2]) > CHI2_99) continue;
    sw[s]++;
    sxx[s * 6] += v[0] * v[0]; sxx[s * 6 + 1] += v[1] * v[1]; sxx[s * 6 + 2] += v[2] * v[2];
    sxx[s * 6 + 3] += v[0] * v[1]; sxx[s * 6 + 4] += v[0] * v[2]; sxx[s * 6 + 5] += v[1] * v[2];
  }
  const covs = new Float64Array(k * 6), weights = new Float64Array(k);
  let held = 0;
  for (let s = 0; s < k; s++) {
    weights[s] = sw[s] / N;
    held += weights[s];
    // A site with fewer positions than covariance parameters takes the pooled vibration.
    for (let q = 0; q < 6; q++) covs[s * 6 + q] = sw[s] > 10 ? sxx[s * 6 + q] / sw[s] / TRUNCATED_VARIANCE + (q < 3 ? 1e-6 : 0) : pooled[q];
  }
  return { k, means, covs, weights, background: Math.max(1e-6, 1 - held), logLik: NaN, tau, rawPeaks };
}
