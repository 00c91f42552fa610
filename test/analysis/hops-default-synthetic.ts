// Synthetic ion paths for the default-detector tests: OU-correlated vibration about sites,
// linear transits of a few frames between them. Deterministic (seeded).

export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13; s >>>= 0; s ^= s >>> 17; s ^= s << 5; s >>>= 0;
    return s / 4294967296;
  };
}

export function gauss(r: () => number): () => number {
  return () => {
    let u = r();
    while (u <= 1e-12) u = r();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
  };
}

export interface PlannedHop {
  /** First transit frame (inclusive). */
  start: number;
  /** Transit length in frames (≥ 1). */
  frames: number;
  /** Target site index. */
  to: number;
}

export interface IonPlan {
  initialSite: number;
  hops: PlannedHop[];
}

/**
 * Builds the unwrapped frame-major array [frame][ion][xyz] for ions following `plans`.
 * `sites` are Cartesian Å (already unwrapped: hops go to the listed coordinates).
 * Vibration: per component OU with RMS `sigma` (Å) and correlation time `tauFrames`.
 */
export function buildPaths(T: number, sites: number[][], plans: IonPlan[], sigma: number, tauFrames: number, seed: number): Float64Array {
  const n = plans.length;
  const out = new Float64Array(T * n * 3);
  const g = gauss(rng(seed));
  const a = Math.exp(-1 / tauFrames);
  const b = sigma * Math.sqrt(1 - a * a);
  for (let k = 0; k < n; k++) {
    const plan = plans[k];
    const e = [g() * sigma, g() * sigma, g() * sigma];
    let site = plan.initialSite;
    let h = 0;
    for (let t = 0; t < T; t++) {
      for (let c = 0; c < 3; c++) e[c] = a * e[c] + b * g();
      let base = sites[site];
      const hop = plan.hops[h];
      if (hop && t >= hop.start) {
        const f = (t - hop.start + 1) / (hop.frames + 1);
        if (f < 1) {
          const from = sites[site], to = sites[hop.to];
          base = [from[0] + f * (to[0] - from[0]), from[1] + f * (to[1] - from[1]), from[2] + f * (to[2] - from[2])];
        } else {
          site = hop.to; h++; base = sites[site];
        }
      }
      const o = (t * n + k) * 3;
      out[o] = base[0] + e[0]; out[o + 1] = base[1] + e[1]; out[o + 2] = base[2] + e[2];
    }
  }
  return out;
}
