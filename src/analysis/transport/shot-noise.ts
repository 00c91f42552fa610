/**
 * The counting (shot-noise) floor of a tracer D from few hops.
 *
 * An MSD-slope estimator is linear in the per-ion MSDs, MSD_i(m) = Σ_s |r_i(s+m) − r_i(s)|²/(T−m),
 * so one jump of squared length ℓ² across the frame increment t (frames t−1 → t) adds
 * w(t)·ℓ² to the fitted slope, w(t) = Σ_j c_j·cover(t, m_j)/(T − m_j), where cover(t, m) is the
 * number of time origins s whose interval (s, s+m] contains t. Hops are rare, independent
 * events in time (a Poisson or renewal process; a concerted chain is ONE event carrying the
 * squared lengths of all its hops), so by Campbell's theorem the slope's variance from the
 * number and timing of the events is estimated without bias by Σ_e w(t_e)²·S_e², S_e = Σ_{h∈e} ℓ_h².
 * This floor ignores the (zero-mean) cross terms between an ion's jumps and the vibration, which
 * only add variance; it is what a run with a dozen hops cannot beat, whatever the spread over
 * its ions suggests (24 ions with one hop each look like a tight Bernoulli sample to the ion
 * bootstrap, whose variance (1 − p)/N then falls below the Poisson 1/N).
 */
import { MinImage } from '../paths.js';
import { tMultiplier } from './distributions.js';

/**
 * w(t), t = 0 … T−1 (w[0] = 0): the fitted slope's weight of a unit squared jump across frame
 * increment t, for the linear form Σ_j c_j·MSD(lags_j). O(T + L) by second differences: each
 * cover(·, m) is a trapezoid in t (rises 1 … m, flat, falls), i.e. piecewise linear.
 */
export function jumpWeights(nFrames: number, lags: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const T = nFrames;
  // cover(t, m) for t in 1 … T−1, origins s ∈ [max(0, t−m), min(t−1, T−1−m)]:
  // = min(t, m, T−m, T−t) for 1 ≤ t ≤ T−1 (m ≤ T−1): a trapezoid of slopes +1 / −1 with a plateau.
  const d2 = new Float64Array(T + 2);
  for (let j = 0; j < lags.length; j++) {
    const m = lags[j];
    if (!(m >= 1 && m <= T - 1)) continue;
    const a = c[j] / (T - m);
    const k = Math.min(m, T - m); // plateau height; rise over t = 0 … k, fall from T−k … T
    // f(t) = a·min(t, k, T − t): slope +a on [0, k], 0 on [k, T−k], −a on [T−k, T].
    d2[1] += a; // f(1) − f(0) = a
    d2[k + 1] -= a;
    d2[T - k + 1] -= a;
    if (T + 1 < d2.length) d2[T + 1] += a;
  }
  const w = new Float64Array(T);
  let slope = 0, v = 0;
  for (let t = 1; t < T; t++) {
    slope += d2[t];
    v += slope;
    w[t] = v;
  }
  return w;
}

/**
 * `jumpWeights` for the segmented MSD (msd-segments.ts: windows spanning a break are not counted,
 * segment sums added with one shared denominator Σ_s max(0, T_s − m) per lag). A jump inside segment
 * s at its local increment t′ moves the slope by Σ_j c_j·cover_s(t′, m_j)/Σ_s(T_s − m_j); the
 * discontinuous steps themselves weigh 0. With one segment spanning the run it equals jumpWeights.
 */
export function segmentedJumpWeights(nFrames: number, segs: readonly { start: number; end: number }[], lags: ArrayLike<number>, c: ArrayLike<number>): Float64Array {
  const w = new Float64Array(nFrames);
  const denom = new Float64Array(lags.length);
  for (let j = 0; j < lags.length; j++) for (const sg of segs) denom[j] += Math.max(0, sg.end - sg.start - lags[j]);
  for (const sg of segs) {
    const Ts = sg.end - sg.start;
    if (Ts < 2) continue;
    const d2 = new Float64Array(Ts + 2);
    for (let j = 0; j < lags.length; j++) {
      const m = lags[j];
      if (!(m >= 1 && m <= Ts - 1) || !(denom[j] > 0)) continue;
      const a = c[j] / denom[j];
      const k = Math.min(m, Ts - m);
      d2[1] += a;
      d2[k + 1] -= a;
      d2[Ts - k + 1] -= a;
      if (Ts + 1 < d2.length) d2[Ts + 1] += a;
    }
    let slope = 0, v = 0;
    for (let t = 1; t < Ts; t++) {
      slope += d2[t];
      v += slope;
      w[sg.start + t] = v;
    }
  }
  return w;
}

/** One jump event: the frame increment it crosses (1 … T−1) and Σ ℓ² of its hops (Å²). */
export interface JumpEvent {
  frame: number;
  sumSqA2: number;
}

/** Σ_e w(t_e)²·S_e²: the shot-noise variance of the slope (Å⁴/ps² when w is per ps). */
export function shotNoiseVariance(w: Float64Array, events: readonly JumpEvent[]): number {
  let v = 0;
  for (const e of events) {
    const f = Math.min(w.length - 1, Math.max(1, Math.round(e.frame)));
    v += (w[f] * e.sumSqA2) ** 2;
  }
  return v;
}

/** A detected hop (a RawHop fits): the ion's id, transit frames and unwrapped centres left and reached (Å). */
export interface CountedHop {
  atom: number;
  startFrame: number;
  endFrame: number;
  from: readonly number[];
  to: readonly number[];
}

/**
 * Jump events: a hop alone, or a concerted chain — hops of different ions whose transits overlap
 * (or touch, ±1 frame) and where one ion leaves the site another reaches (|to_a − from_b| or
 * |from_a − to_b| below half the median hop length, minimum image in `cell`). Such a chain is one
 * event of the underlying process (the generator's chains, a knock-on), and its hops' squared
 * lengths add inside the event before squaring in the variance. Returns the event of each hop.
 */
export function jumpEventIds(hops: readonly CountedHop[], cell: ArrayLike<number> | null): Int32Array {
  const k = hops.length;
  const parent = Int32Array.from({ length: k }, (_, i) => i);
  const find = (i: number): number => { while (parent[i] !== i) i = parent[i] = parent[parent[i]]; return i; };
  if (cell && k > 1) {
    const mi = new MinImage(cell);
    const sorted = Float64Array.from(hops, (h) => (h.to[0] - h.from[0]) ** 2 + (h.to[1] - h.from[1]) ** 2 + (h.to[2] - h.from[2]) ** 2).sort();
    const tol = 0.5 * Math.sqrt(sorted[Math.floor(k / 2)]);
    const order = Array.from({ length: k }, (_, i) => i).sort((a, b) => hops[a].startFrame - hops[b].startFrame);
    for (let x = 0; x < k; x++) {
      const a = hops[order[x]];
      for (let y = x + 1; y < k; y++) {
        const b = hops[order[y]];
        if (b.startFrame > a.endFrame + 1) break;
        if (b.atom === a.atom) continue;
        if (mi.distance(a.to, b.from) < tol || mi.distance(a.from, b.to) < tol) parent[find(order[x])] = find(order[y]);
      }
    }
  }
  const ids = new Int32Array(k);
  for (let i = 0; i < k; i++) ids[i] = find(i);
  return ids;
}

/**
 * The events (mean mid-transit frame, Σ of the hops' squared lengths) of `ids`; with `dir` (unit
 * vector) the squared lengths along it, (ℓ·u)², for a D along u; `single`: every hop its own event.
 */
export function jumpEvents(hops: readonly CountedHop[], ids: Int32Array, dir: readonly number[] | null = null, single = false): JumpEvent[] {
  const acc = new Map<number, { s: number; f: number; c: number }>();
  for (let i = 0; i < hops.length; i++) {
    const h = hops[i];
    const dx = h.to[0] - h.from[0], dy = h.to[1] - h.from[1], dz = h.to[2] - h.from[2];
    const sq = dir ? (dx * dir[0] + dy * dir[1] + dz * dir[2]) ** 2 : dx * dx + dy * dy + dz * dz;
    const key = single ? i : ids[i];
    const e = acc.get(key) ?? { s: 0, f: 0, c: 0 };
    e.s += sq; e.f += 0.5 * (h.startFrame + h.endFrame); e.c++;
    acc.set(key, e);
  }
  return [...acc.values()].map((e) => ({ frame: e.f / e.c, sumSqA2: e.s }));
}

/**
 * The ion-resampling error σ_ions made honest for few and concerted hops (diffusion.ts module doc):
 * σ² = σ_ions² + C, C = Σ_e w_e²·(S_e² − Σ_{h∈e} ℓ_h⁴) the between-ion covariance of the
 * concerted events (zero for isolated hops), at least the shot-noise variance Σ_e w_e²·S_e² of
 * the events, then scaled by the Student-t 68.27 % quantile for ν − 1 degrees of freedom, ν the
 * effective number of events (so ±σ is a 68 % interval when a dozen hops carry the whole D).
 * `scale` turns Σ w·ℓ² (slope units) into the D of the mean over ions.
 */
export function countedError(
  ionErr: number, hops: readonly CountedHop[], ids: Int32Array, w: Float64Array, scale: number, dir: readonly number[] | null = null,
): number {
  const events = jumpEvents(hops, ids, dir);
  const vEvents = shotNoiseVariance(w, events) * scale * scale;
  const vHops = shotNoiseVariance(w, jumpEvents(hops, ids, dir, true)) * scale * scale;
  const withChains = Math.sqrt(ionErr * ionErr + Math.max(0, vEvents - vHops));
  const err = Math.max(withChains, Math.sqrt(vEvents));
  const nu = effectiveEvents(w, events);
  return nu > 0 ? err * tMultiplier(0.6827, Math.max(1, nu - 1)) : err;
}

/**
 * Kish's effective number of events behind a shot-noise variance, (Σ v_e)²/Σ v_e² with
 * v_e = (w(t_e)·S_e)²: the degrees of freedom of an error estimated from so few events.
 */
export function effectiveEvents(w: Float64Array, events: readonly JumpEvent[]): number {
  let s = 0, s2 = 0;
  for (const e of events) {
    const f = Math.min(w.length - 1, Math.max(1, Math.round(e.frame)));
    const v = (w[f] * e.sumSqA2) ** 2;
    s += v; s2 += v * v;
  }
  return s2 > 0 ? (s * s) / s2 : 0;
}
