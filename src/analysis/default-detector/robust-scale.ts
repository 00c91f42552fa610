/**
 * Scale of the vibration from the squared displacements of n ions over one lag, when most of
 * them may have moved: the resting ions' values are S·χ²₃, those of ions that hopped or are in
 * transit lie above. The median over the ions (the former statistic) breaks down once half of
 * them move — fast rattling puts an ion in transit a fifth of the time and, at lags of a few
 * hundred frames, most ions away from where they started — so it took hops for vibration.
 * Instead a truncated median is iterated from the lower quartile: keep the values ≤ c·S
 * (c = χ²₃ quantile 0.999), S ← their median ÷ the median of χ²₃ truncated at c. It converges to
 * the clean component whenever the moved ions' values sit above it, whatever their share (at
 * quantile 0.99 the tail of an anisotropic vibration was cut too: generated Na-hex/400K lost 3 % of σ²
 * and gained two false hops).
 */
import { chi2_3Quantile } from './chi2.js';
import { quickSelect } from './medians.js';
import { mulberry32 } from '../random.js';

const CUT = chi2_3Quantile(0.001); // χ²₃ quantile 0.999
const Q25 = chi2_3Quantile(0.75); // χ²₃ quantile 0.25 (the start)
const QMID = chi2_3Quantile(1 - 0.999 / 2); // median of χ²₃ truncated at CUT

/**
 * The truncated-median scale of the values v[0..n) (reordered); 0 when they are all 0. The m
 * values ≤ c·S are the m smallest, so their median is the value of rank ⌊m/2⌋ of all: a
 * selection, no sort.
 */
export function truncatedScale(v: Float64Array, n: number): number {
  if (n === 0) return 0;
  let S = quickSelect(v, n, n >> 2) / Q25;
  if (!(S > 0)) S = quickSelect(v, n, n >> 1) / QMID;
  if (!(S > 0)) return 0;
  let m = -1;
  for (let it = 0; it < 50; it++) {
    const a = countAtMost(v, n, CUT * S);
    if (a === m || a === 0) break;
    m = a;
    S = quickSelect(v, n, m >> 1) / QMID;
  }
  return S;
}

function countAtMost(v: Float64Array, n: number, lim: number): number {
  let a = 0;
  for (let j = 0; j < n; j++) if (v[j] <= lim) a++;
  return a;
}

const calibration = new Map<number, number>();

/**
 * The median of truncatedScale over n independent χ²₃ values (seeded simulation): dividing by
 * it makes the median over time origins an unbiased σ² scale for n ions, as the median of the
 * median did before (for two ions, the larger of two values). Deterministic, so every worker
 * computes the same constant. The draws shrink with n (the bias is O(1/n) and the estimate
 * sharpens as 1/√n) so that one call costs ~2¹⁹ variates whatever the number of ions: 4001
 * draws cost 0.6 s for 192 ions and 2.7 s for 1000 on a loaded core, once per distinct n.
 */
export function truncatedScaleCalibration(n: number): number {
  const hit = calibration.get(n);
  if (hit !== undefined) return hit;
  const rnd = mulberry32(0x5eed + n);
  const draws = Math.min(4001, Math.max(501, Math.floor(CALIBRATION_VALUES / n))) | 1;
  const s = new Float64Array(draws);
  const v = new Float64Array(n);
  for (let d = 0; d < draws; d++) {
    for (let j = 0; j < n; j++) v[j] = chi2_3Draw(rnd);
    s[d] = truncatedScale(v, n);
  }
  const c = quickSelect(s, draws, draws >> 1);
  calibration.set(n, c);
  return c;
}

const CALIBRATION_VALUES = 1 << 19;

/** One χ²₃ variate: χ²₂ = −2 ln U plus one squared standard normal (Box–Muller). */
function chi2_3Draw(rnd: () => number): number {
  const z = Math.sqrt(-2 * Math.log(1 - rnd())) * Math.cos(2 * Math.PI * rnd());
  return -2 * Math.log(1 - rnd()) + z * z;
}
