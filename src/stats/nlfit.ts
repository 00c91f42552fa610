/**
 * Levenberg–Marquardt least squares for small models (a handful of parameters), with
 * parameter standard errors from the covariance s²·(JᵀJ)⁻¹, s² = SSR/(n−p) — the same
 * convention as scipy's curve_fit with absolute_sigma=False. Marquardt's diagonal scaling
 * (JᵀJ + λ·diag(JᵀJ)); λ is decreased ×10 after an accepted step, increased ×10 otherwise.
 */

export interface LMOptions {
  /** Max iterations (default 500). */
  maxIter?: number;
  /** Stop when the relative SSR decrease and the relative step are below this (default 1e-12). */
  tol?: number;
  /** Initial damping (default 1e-3). */
  lambda0?: number;
}

export interface LMResult {
  params: Float64Array;
  /** Standard errors; NaN when n ≤ p or JᵀJ is singular. */
  stdErr: Float64Array;
  /** p×p covariance (row-major); NaN entries when undetermined. */
  covariance: Float64Array;
  /** Sum of squared residuals. */
  ssr: number;
  /** 1 − SSR/SST (NaN when SST = 0). */
  r2: number;
  nIter: number;
  converged: boolean;
}

/** y ≈ model(x, p); jac(x, p, out) writes ∂model/∂p_k into out[k]. */
export type ModelFn = (x: number, p: Float64Array) => number;
export type JacobianFn = (x: number, p: Float64Array, out: Float64Array) => void;

export function levenbergMarquardt(
  model: ModelFn,
  jac: JacobianFn,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  p0: ArrayLike<number>,
  opts: LMOptions = {},
): LMResult {
  const n = x.length, np = p0.length;
  const maxIter = opts.maxIter ?? 500, tol = opts.tol ?? 1e-12;
  let lambda = opts.lambda0 ?? 1e-3;
  const p = Float64Array.from(p0);
  const trial = new Float64Array(np);
  const J = new Float64Array(n * np);
  const r = new Float64Array(n);
  const g = new Float64Array(np);
  const A = new Float64Array(np * np);
  const M = new Float64Array(np * np);
  const delta = new Float64Array(np);
  const row = new Float64Array(np);

  let ssr = ssrOf(model, x, y, p);
  let converged = false, it = 0;
  if (n > 0 && Number.isFinite(ssr)) {
    normalEq(model, jac, x, y, p, r, J, A, g, row);
    for (; it < maxIter; it++) {
      M.set(A);
      for (let a = 0; a < np; a++) M[a * np + a] += lambda * (A[a * np + a] > 0 ? A[a * np + a] : 1e-12);
      if (!solve(M, g, delta, np)) { lambda *= 10; if (lambda > 1e16) break; continue; }
      for (let a = 0; a < np; a++) trial[a] = p[a] + delta[a];
      const s2 = ssrOf(model, x, y, trial);
      if (Number.isFinite(s2) && s2 <= ssr) {
        let step = 0, scale = 0;
        for (let a = 0; a < np; a++) { step += delta[a] * delta[a]; scale += p[a] * p[a]; }
        const dec = ssr - s2;
        p.set(trial);
        ssr = s2;
        lambda = Math.max(lambda / 10, 1e-15);
        if (dec <= tol * (ssr + 1e-300) && step <= tol * (scale + tol)) { converged = true; it++; break; }
        if (ssr === 0) { converged = true; it++; break; }
        normalEq(model, jac, x, y, p, r, J, A, g, row);
      } else {
        lambda *= 10;
        if (lambda > 1e16) { converged = true; break; } // no step reduces SSR: at a minimum
      }
    }
  }

  // Covariance at the solution.
  const covariance = new Float64Array(np * np).fill(NaN);
  const stdErr = new Float64Array(np).fill(NaN);
  if (n > np) {
    normalEq(model, jac, x, y, p, r, J, A, g, row);
    const inv = invert(A, np);
    if (inv) {
      const s2 = ssr / (n - np);
      for (let i = 0; i < np * np; i++) covariance[i] = inv[i] * s2;
      for (let a = 0; a < np; a++) stdErr[a] = Math.sqrt(Math.max(0, covariance[a * np + a]));
    }
  }
  let mean = 0;
  for (let i = 0; i < n; i++) mean += y[i];
  mean /= n;
  let sst = 0;
  for (let i = 0; i < n; i++) sst += (y[i] - mean) ** 2;
  const r2 = sst > 0 ? 1 - ssr / sst : NaN;
  return { params: p, stdErr, covariance, ssr, r2, nIter: it, converged };
}

// ssrOf / normalEq live at module scope, not as closures inside levenbergMarquardt: a closure is
// a new function object per call, and V8 re-tiered and recompiled it with TurboFan for every fit
// (26–27× for 52 trajectories in the indexer). Module-level functions are optimized once per
// isolate. Same arithmetic in the same order, so results are bit-identical.

/** Sum of squared residuals of model(·, q) over (x, y). */
function ssrOf(model: ModelFn, x: ArrayLike<number>, y: ArrayLike<number>, q: Float64Array): number {
  const n = x.length;
  let s = 0;
  for (let i = 0; i < n; i++) { const e = y[i] - model(x[i], q); s += e * e; }
  return s;
}

/**
 * Residuals r and Jacobian J (n × np, row-major) at p, then the normal equations A = JᵀJ and
 * g = Jᵀr. `row` is scratch of length np.
 */
function normalEq(
  model: ModelFn, jac: JacobianFn, x: ArrayLike<number>, y: ArrayLike<number>, p: Float64Array,
  r: Float64Array, J: Float64Array, A: Float64Array, g: Float64Array, row: Float64Array,
): void {
  const n = x.length, np = p.length;
  for (let i = 0; i < n; i++) {
    r[i] = y[i] - model(x[i], p);
    jac(x[i], p, row);
    for (let k = 0; k < np; k++) J[i * np + k] = row[k];
  }
  A.fill(0); g.fill(0);
  for (let i = 0; i < n; i++) for (let a = 0; a < np; a++) {
    const ja = J[i * np + a];
    g[a] += ja * r[i];
    for (let b = 0; b < np; b++) A[a * np + b] += ja * J[i * np + b];
  }
}

/** Solve M·x = b (Gaussian elimination, partial pivoting); false when singular. M is overwritten. */
function solve(M: Float64Array, b: Float64Array, x: Float64Array, n: number): boolean {
  const B = Float64Array.from(b);
  for (let c = 0; c < n; c++) {
    let piv = c, best = Math.abs(M[c * n + c]);
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r * n + c]) > best) { best = Math.abs(M[r * n + c]); piv = r; }
    if (!(best > 1e-300)) return false;
    if (piv !== c) {
      for (let k = 0; k < n; k++) { const t = M[c * n + k]; M[c * n + k] = M[piv * n + k]; M[piv * n + k] = t; }
      const t = B[c]; B[c] = B[piv]; B[piv] = t;
    }
    for (let r = c + 1; r < n; r++) {
      const f = M[r * n + c] / M[c * n + c];
      if (f === 0) continue;
      for (let k = c; k < n; k++) M[r * n + k] -= f * M[c * n + k];
      B[r] -= f * B[c];
    }
  }
  for (let r = n - 1; r >= 0; r--) {
    let s = B[r];
    for (let k = r + 1; k < n; k++) s -= M[r * n + k] * x[k];
    x[r] = s / M[r * n + r];
  }
  for (let r = 0; r < n; r++) if (!Number.isFinite(x[r])) return false;
  return true;
}

/** Inverse of a small symmetric positive (semi)definite matrix; null when (near) singular. */
function invert(A: Float64Array, n: number): Float64Array | null {
  const inv = new Float64Array(n * n);
  const col = new Float64Array(n), e = new Float64Array(n);
  let maxDiag = 0;
  for (let a = 0; a < n; a++) maxDiag = Math.max(maxDiag, Math.abs(A[a * n + a]));
  for (let c = 0; c < n; c++) {
    e.fill(0); e[c] = 1;
    const M = Float64Array.from(A);
    if (!solve(M, e, col, n)) return null;
    // Reject numerically singular systems (pivot collapse shows up as huge entries).
    for (let r = 0; r < n; r++) {
      if (!Number.isFinite(col[r]) || Math.abs(col[r]) * maxDiag > 1e15) return null;
      inv[r * n + c] = col[r];
    }
  }
  return inv;
}
