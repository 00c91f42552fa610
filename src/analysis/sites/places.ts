/** The hop detector's residences as places for the site map: centre, frames and scatter. */
import type { AtomCentres } from '../types.js';
import type { Place } from './site-map.js';
import type { Positions } from '../../trajectory/types.js';

/** One place per detector centre of each column (`atoms[c]` is column c), with the covariance of its frames. */
export function placesOf(atoms: readonly AtomCentres[], positions: Positions, nFrames: number): Place[] {
  const n = atoms.length;
  // Every column's centres in one table (column c's from base[c]); frames outer, columns inner, so
  // the positions are read in memory order. Each centre's sums still add its frames in order.
  const base = new Int32Array(n + 1);
  for (let c = 0; c < n; c++) base[c + 1] = base[c] + atoms[c].nCentres;
  const cnt = new Float64Array(base[n]), s = new Float64Array(base[n] * 6);
  const labels = atoms.map((a) => a.labels), centres = atoms.map((a) => a.centres);
  for (let f = 0; f < nFrames; f++) {
    const row = f * n * 3;
    for (let c = 0; c < n; c++) {
      const l = labels[c][f];
      if (l < 0 || l >= base[c + 1] - base[c]) continue;
      const o = row + c * 3, ce = centres[c];
      const dx = positions[o] - ce[l * 3], dy = positions[o + 1] - ce[l * 3 + 1], dz = positions[o + 2] - ce[l * 3 + 2];
      const b = base[c] + l, b6 = b * 6;
      cnt[b]++;
      s[b6] += dx * dx; s[b6 + 1] += dy * dy; s[b6 + 2] += dz * dz;
      s[b6 + 3] += dx * dy; s[b6 + 4] += dx * dz; s[b6 + 5] += dy * dz;
    }
  }
  const out: Place[] = [];
  for (let c = 0; c < n; c++) {
    const a = atoms[c];
    for (let l = 0; l < a.nCentres; l++) {
      const b = base[c] + l;
      if (cnt[b] === 0) continue;
      const cov = Array.from(s.subarray(b * 6, b * 6 + 6), (x) => x / cnt[b]);
      out.push({ x: a.centres[l * 3], y: a.centres[l * 3 + 1], z: a.centres[l * 3 + 2], frames: cnt[b], cov });
    }
  }
  return out;
}
