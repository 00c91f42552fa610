/**
 * Sites where ions dwell, not points they pass: a component of the mixture can sit on a path
 * (a close pair's midpoint, where the ~100 fs transits repeated by rattling make a real density
 * bump, or a transit the detector cut in two and handed over as a place). An ion crosses such a
 * "site" within one transit; at a true site some ion stays longer than a transit lasts. So a site
 * is kept only when its longest stay (first core frame to last, any ion, the run's ends included)
 * exceeds the long end of the transits between cores, both measured on this run's segmentation: no length
 * or time scale enters from outside.
 */
import { segmentBySites, type SegmentOptions, type SiteSegmentation } from './segment.js';
import { subsetMap, type SiteMap } from './site-map.js';
import type { Positions } from '../../trajectory/types.js';

/**
 * A site's longest stay must exceed this quantile of the transit durations: the long end of the
 * transits (long jumps take longer than close-pair ones), robust to the few slow recrossings.
 */
const TRANSIT_QUANTILE = 0.9;

export interface DwellingSites {
  map: SiteMap;
  seg: SiteSegmentation;
  /** Sites of the fitted map dropped as passages (their count). */
  dropped: number;
}

/** Transit frames (between the core left and the core reached) at quantile q of all jumps; 0 without jumps. */
export function transitQuantile(seg: SiteSegmentation, q: number): number {
  const n = seg.hops.length;
  if (n === 0) return 0;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = seg.hops[i].endFrame - seg.hops[i].startFrame + 1;
  d.sort();
  return d[Math.min(n - 1, Math.floor(q * n))];
}

/** Segment by the map, drop the sites no ion dwelt in, and segment again by the sites kept. */
export function segmentByDwellingSites(map: SiteMap, positions: Positions, nFrames: number, atoms: Int32Array, opts: SegmentOptions = {}): DwellingSites {
  const seg = segmentBySites(map, positions, nFrames, atoms, opts);
  const limit = transitQuantile(seg, TRANSIT_QUANTILE);
  const keep = new Uint8Array(map.k);
  let kept = 0;
  for (let j = 0; j < map.k; j++) if (seg.longestStay[j] > limit) { keep[j] = 1; kept++; }
  if (kept === map.k || kept === 0) return { map, seg, dropped: 0 };
  const sub = subsetMap(map, keep);
  return { map: sub, seg: segmentBySites(sub, positions, nFrames, atoms, opts), dropped: map.k - kept };
}
