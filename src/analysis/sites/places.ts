/** The hop detector's residences as places for the site map: centre, frames and scatter. */
import type { AtomCentres } from '../types.js';
import type { Place } from './site-map.js';
import type { Positions } from '../../trajectory/types.js';

/** One place per detector centre of each column (`atoms[c]` is column c), with the covariance of its frames. */
export function placesOf(atoms: readonly AtomCentres[], positions: Positions, nFrames: number): Place[] {
  const n = atoms.length;
  const out: Place[] = [];
  for (let c = 0; c < n; c++) {
    const a = atoms[c];
    const m = a.nCentres;
    const cnt = new Float64Array(m), s = new Float64Array(m * 6);
    for (let f = 0; f < nFrames; f++) {
      const l = a.labels[f];
      if (l < 0 || l >= m) continue;
      const o = (f * n + c) * 3;
      const dx = positions[o] - a.centres[l * 3], dy = positions[o + 1] - a.centres[l * 3 + 1], dz = positions[o + 2] - a.centres[l * 3 + 2];
      cnt[l]++;
      s[l * 6] += dx * dx; s[l * 6 + 1] += dy * dy; s[l * 6 + 2] += dz * dz;
      s[l * 6 + 3] += dx * dy; s[l * 6 + 4] += dx * dz; s[l * 6 + 5] += dy * dz;
    }
    for (let l = 0; l < m; l++) {
      if (cnt[l] === 0) continue;
      const cov = Array.from(s.subarray(l * 6, l * 6 + 6), (x) => x / cnt[l]);
      out.push({ x: a.centres[l * 3], y: a.centres[l * 3 + 1], z: a.centres[l * 3 + 2], frames: cnt[l], cov });
    }
  }
  return out;
}
