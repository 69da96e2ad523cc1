// The "simple baseline" beside every results table: a ridge classifier (one-vs-all least squares on ±1 targets,
// closed form) over per-sample summary statistics of the same dual-path features (mean, std and mean |Δt| of each
// feature column). It mirrors the ridge-on-simple-statistics reference quoted for Fition, so a deep model that
// does not beat it has learned nothing the statistics did not already give.
import type { TensorDataset } from '../../features/tensorDataset';

/** [N, 3·(F1+F2)] summary statistics, standardised with the training rows' mean/std. */
export function summaryFeatures(d: TensorDataset, idx: readonly number[]): Float64Array[] {
  const out: Float64Array[] = [];
  for (const i of idx) {
    const row: number[] = [];
    for (const [a, F] of [
      [d.phase, d.F1],
      [d.doppler, d.F2],
    ] as const) {
      for (let f = 0; f < F; f++) {
        let m = 0,
          m2 = 0,
          dd = 0;
        for (let t = 0; t < d.T; t++) {
          const x = a[(i * d.T + t) * F + f];
          m += x;
          m2 += x * x;
          if (t > 0) dd += Math.abs(x - a[(i * d.T + t - 1) * F + f]);
        }
        m /= d.T;
        row.push(m, Math.sqrt(Math.max(0, m2 / d.T - m * m)), dd / (d.T - 1));
      }
    }
    out.push(Float64Array.from(row));
  }
  return out;
}

/** Solves (A + λI) X = B for symmetric positive definite A (Cholesky), B with k columns; row-major. */
function solveSpd(A: Float64Array, n: number, B: Float64Array, k: number, lambda: number): Float64Array {
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j] + (i === j ? lambda : 0);
      for (let p = 0; p < j; p++) s -= L[i * n + p] * L[j * n + p];
      L[i * n + j] = i === j ? Math.sqrt(Math.max(s, 1e-12)) : s / L[j * n + j];
    }
  }
  const X = new Float64Array(n * k);
  for (let c = 0; c < k; c++) {
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = B[i * k + c];
      for (let p = 0; p < i; p++) s -= L[i * n + p] * y[p];
      y[i] = s / L[i * n + i];
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = y[i];
      for (let p = i + 1; p < n; p++) s -= L[p * n + i] * X[p * k + c];
      X[i * k + c] = s / L[i * n + i];
    }
  }
  return X;
}

export interface RidgeModel {
  weights: Float64Array;
  dims: number;
  classes: number;
  mean: Float64Array;
  std: Float64Array;
}

export function fitRidge(X: readonly Float64Array[], y: ArrayLike<number>, classes: number, lambda = 1): RidgeModel {
  const N = X.length,
    D = X[0].length,
    n = D + 1;
  const mean = new Float64Array(D),
    std = new Float64Array(D);
  for (const r of X) for (let j = 0; j < D; j++) mean[j] += r[j] / N;
  for (const r of X) for (let j = 0; j < D; j++) std[j] += (r[j] - mean[j]) ** 2 / N;
  for (let j = 0; j < D; j++) std[j] = Math.sqrt(std[j]) || 1;
  const A = new Float64Array(n * n),
    B = new Float64Array(n * classes),
    z = new Float64Array(n);
  X.forEach((r, i) => {
    for (let j = 0; j < D; j++) z[j] = (r[j] - mean[j]) / std[j];
    z[D] = 1; // bias column (regularised too; harmless with standardised inputs)
    for (let a = 0; a < n; a++) {
      const za = z[a];
      for (let b = 0; b <= a; b++) A[a * n + b] += za * z[b];
    }
    for (let a = 0; a < n; a++) for (let c = 0; c < classes; c++) B[a * classes + c] += z[a] * (y[i] === c ? 1 : -1);
  });
  for (let a = 0; a < n; a++) for (let b = a + 1; b < n; b++) A[a * n + b] = A[b * n + a];
  return { weights: solveSpd(A, n, B, classes, lambda), dims: D, classes, mean, std };
}

export function predictRidge(m: RidgeModel, X: readonly Float64Array[]): Int32Array {
  return Int32Array.from(X, r => {
    let best = 0,
      bestV = -Infinity;
    for (let c = 0; c < m.classes; c++) {
      let v = m.weights[m.dims * m.classes + c];
      for (let j = 0; j < m.dims; j++) v += ((r[j] - m.mean[j]) / m.std[j]) * m.weights[j * m.classes + c];
      if (v > bestV) {
        bestV = v;
        best = c;
      }
    }
    return best;
  });
}
