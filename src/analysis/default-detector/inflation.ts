/**
 * Variance inflation of an n-frame mean by the autocorrelated vibration, g(n) = 1 + 2 Σ_{k<n}
 * (1 − k/n) ρ(k), in tabulated (any ρ) and closed (ρ(k) = ρ₁ r^(k−1)) form.
 */

export const MIN_RESIDENCE = 2; // a place is where the ion is seen at least twice in a row (plus n/g(n) ≥ minResidenceEff)

/** Variance-inflation function g(n) of an n-frame mean, from ρ(1…K). */
export class Inflation {
  private readonly P: Float64Array;
  private readonly Q: Float64Array;
  private readonly K: number;
  constructor(rho: Float64Array) {
    this.K = rho.length;
    this.P = new Float64Array(this.K + 1);
    this.Q = new Float64Array(this.K + 1);
    for (let k = 1; k <= this.K; k++) {
      this.P[k] = this.P[k - 1] + rho[k - 1];
      this.Q[k] = this.Q[k - 1] + k * rho[k - 1];
    }
  }
  g(n: number): number {
    const m = Math.min(n - 1, this.K);
    const v = 1 + 2 * (this.P[m] - this.Q[m] / n);
    return v < 0.05 ? 0.05 : v;
  }
  get tau(): number {
    return 1 + 2 * this.P[this.K];
  }
  /** ρ(1) and the geometric ratio r of ρ (ρ(k) = ρ(1) r^(k−1), see reestimate). */
  get rho1(): number { return this.K > 0 ? this.P[1] : 0; }
  get ratio(): number { return this.K > 1 ? (this.P[2] - this.P[1]) / this.P[1] : 0; }
}

/**
 * g(n) = 1 + 2 Σ_{k<n} (1 − k/n) ρ(k) for ρ(k) = ρ₁ r^(k−1), in closed form; rn1 = r^(n−1).
 * The variance of an n-frame mean of the correlated vibration is σ² g(n)/n.
 */
export function inflationG(n: number, rho1: number, r: number, rn1: number): number {
  if (n <= 1) return 1;
  const om = 1 - r;
  const s1 = (1 - rn1) / om;
  const s2 = (1 - n * rn1 + (n - 1) * rn1 * r) / (om * om);
  const g = 1 + 2 * rho1 * (s1 - s2 / n);
  return g < 0.05 ? 0.05 : g;
}

/** Shortest residence (frames) with n/g(n) ≥ minEff independent samples, at least MIN_RESIDENCE. */
export function minResidenceLen(rho1: number, r: number, minEff: number, T: number): number {
  let n = MIN_RESIDENCE;
  while (n < T && n / inflationG(n, rho1, r, r ** (n - 1)) < minEff) n++;
  return n;
}

/** ρ(k) = ρ₁ r^(k−1) for k = 1… while above 10⁻³ (at most kMax terms). */
export function geometricRho(rho1: number, r: number, kMax: number): Float64Array {
  const rho: number[] = [];
  if (rho1 > 0) {
    rho.push(Math.min(rho1, 0.99));
    const q = Math.min(Math.max(r, 0), 0.99);
    for (let v = rho[0] * q; v > 1e-3 && rho.length < kMax; v *= q) rho.push(v);
  }
  return Float64Array.from(rho);
}
