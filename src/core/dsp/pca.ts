// Principal components over streams (subcarriers / antenna streams) of a complex T × S series, as MATLAB's
// `pca` used by Widar3.0: the columns are centred, the components are eigenvectors of C = Yᴴ·Y, and the score
// of the first component is X·v₁ (the uncentred data times the coefficient, as Widar's `conj_mult*pca_coef(:,1)`).
//
// Why power iteration and not a full eigendecomposition: only the first (or first few) components are used,
// S is small (≤ 90 streams) and the covariance build dominates; power iteration on the S × S Hermitian matrix
// with deflation is ~50 matrix-vector products. Components are given a deterministic phase (the largest
// entry made real and positive) so results do not depend on the start vector: MATLAB fixes the sign the
// same way for real data.
//
// Real data is the special case im = 0; `pcaReal` wraps it.

export interface PcaOptions {
  /** Subtract each stream's mean before the covariance (MATLAB pca default). Default true. */
  center?: boolean;
  /**
   * Use every `stride`-th sample for the covariance (default 1 = exact). For a signal low-passed well below
   * fs/(2·stride) the sub-sampled sum estimates the same covariance; the fast Doppler configuration uses it.
   */
  stride?: number;
  /** Power-iteration cap per component (default 1000) and relative tolerance (default 1e-12). */
  maxIter?: number;
  tol?: number;
}

export interface PcaResult {
  /** k components, each S complex values interleaved [re, im], unit norm. */
  components: Float64Array[];
  /** Eigenvalues of Yᴴ·Y (not divided by T), descending. */
  eigenvalues: number[];
  /** Per-stream mean that was removed (interleaved complex). */
  mean: Float64Array;
  /** Iterations used per component (diagnostic: close to maxIter means nearly equal eigenvalues). */
  iterations: number[];
}

/** Hermitian covariance Σ_t conj(y_i)·y_j, stored full as interleaved complex S × S. */
export function hermitianCovariance(
  data: ArrayLike<number>,
  nTime: number,
  nStreams: number,
  mean: Float64Array | null,
  stride = 1,
): Float64Array {
  const S = nStreams;
  const cre = new Float64Array(S * S),
    cim = new Float64Array(S * S);
  // Rows are taken four at a time: each accumulator load/store then serves 4 complex products instead of 1,
  // which is what bounds this loop (it is ~60 % of the exact Doppler pipeline's time otherwise).
  const B = 4;
  const rows = new Float64Array(2 * S * B);
  const used: number[] = [];
  for (let t = 0; t < nTime; t += stride) used.push(t);
  for (let u = 0; u < used.length; u += B) {
    const nb = Math.min(B, used.length - u);
    rows.fill(0);
    for (let b = 0; b < nb; b++) {
      const base = 2 * S * used[u + b];
      for (let i = 0; i < 2 * S; i++) rows[b * 2 * S + i] = data[base + i] - (mean ? mean[i] : 0);
    }
    const o1 = 2 * S,
      o2 = 4 * S,
      o3 = 6 * S;
    for (let i = 0; i < S; i++) {
      const a0r = rows[2 * i],
        a0i = rows[2 * i + 1];
      const a1r = rows[o1 + 2 * i],
        a1i = rows[o1 + 2 * i + 1];
      const a2r = rows[o2 + 2 * i],
        a2i = rows[o2 + 2 * i + 1];
      const a3r = rows[o3 + 2 * i],
        a3i = rows[o3 + 2 * i + 1];
      const off = i * S;
      // Upper triangle only; conj(a)·b = (ar·br + ai·bi) + j(ar·bi − ai·br).
      for (let j = i; j < S; j++) {
        const j2 = 2 * j;
        const b0r = rows[j2],
          b0i = rows[j2 + 1],
          b1r = rows[o1 + j2],
          b1i = rows[o1 + j2 + 1];
        const b2r = rows[o2 + j2],
          b2i = rows[o2 + j2 + 1],
          b3r = rows[o3 + j2],
          b3i = rows[o3 + j2 + 1];
        cre[off + j] += a0r * b0r + a0i * b0i + a1r * b1r + a1i * b1i + a2r * b2r + a2i * b2i + a3r * b3r + a3i * b3i;
        cim[off + j] += a0r * b0i - a0i * b0r + a1r * b1i - a1i * b1r + a2r * b2i - a2i * b2r + a3r * b3i - a3i * b3r;
      }
    }
  }
  const c = new Float64Array(2 * S * S);
  for (let i = 0; i < S; i++) {
    for (let j = i; j < S; j++) {
      const re = cre[i * S + j],
        im = cim[i * S + j];
      c[2 * (i * S + j)] = re;
      c[2 * (i * S + j) + 1] = im;
      c[2 * (j * S + i)] = re;
      c[2 * (j * S + i) + 1] = -im;
    }
  }
  return c;
}

/** Top-k eigenpairs of a Hermitian S × S matrix (interleaved complex, row-major) by power iteration + deflation. */
export function hermitianTopEigen(
  cov: Float64Array,
  S: number,
  k: number,
  maxIter = 1000,
  tol = 1e-12,
): { vectors: Float64Array[]; values: number[]; iterations: number[] } {
  const c = Float64Array.from(cov);
  const vectors: Float64Array[] = [],
    values: number[] = [],
    iterations: number[] = [];
  const w = new Float64Array(2 * S);
  for (let comp = 0; comp < Math.min(k, S); comp++) {
    // Deterministic start: the column with the largest diagonal entry (never orthogonal to a dominant direction
    // that this stream takes part in).
    let best = 0;
    for (let i = 1; i < S; i++) if (c[2 * (i * S + i)] > c[2 * (best * S + best)]) best = i;
    const v = new Float64Array(2 * S);
    for (let i = 0; i < S; i++) {
      v[2 * i] = c[2 * (i * S + best)];
      v[2 * i + 1] = c[2 * (i * S + best) + 1];
    }
    if (normalise(v) === 0) v[2 * comp] = 1;
    let lambda = 0,
      it = 0;
    for (; it < maxIter; it++) {
      matVec(c, S, v, w);
      const nrm = normalise(w);
      // Converged when the direction stops changing (|⟨v, w⟩| → 1, phase-insensitive).
      let dr = 0,
        di = 0;
      for (let i = 0; i < S; i++) {
        dr += v[2 * i] * w[2 * i] + v[2 * i + 1] * w[2 * i + 1];
        di += v[2 * i] * w[2 * i + 1] - v[2 * i + 1] * w[2 * i];
      }
      v.set(w);
      lambda = nrm;
      if (nrm === 0 || 1 - Math.hypot(dr, di) < tol) {
        it++;
        break;
      }
    }
    fixPhase(v, S);
    // Rayleigh quotient for the eigenvalue (more accurate than the last norm).
    matVec(c, S, v, w);
    let rq = 0;
    for (let i = 0; i < S; i++) rq += v[2 * i] * w[2 * i] + v[2 * i + 1] * w[2 * i + 1];
    lambda = rq;
    vectors.push(v);
    values.push(lambda);
    iterations.push(it);
    // Deflate: C ← C − λ·v·vᴴ.
    for (let i = 0; i < S; i++) {
      for (let j = 0; j < S; j++) {
        const vr = v[2 * i],
          vi = v[2 * i + 1],
          ur = v[2 * j],
          ui = -v[2 * j + 1];
        c[2 * (i * S + j)] -= lambda * (vr * ur - vi * ui);
        c[2 * (i * S + j) + 1] -= lambda * (vr * ui + vi * ur);
      }
    }
  }
  return { vectors, values, iterations };
}

/** out = M·v for a complex row-major [rows, cols] matrix M and a complex vector v (both interleaved re, im). */
function complexMatVec(m: ArrayLike<number>, rows: number, cols: number, v: Float64Array, out: Float64Array): Float64Array {
  for (let i = 0; i < rows; i++) {
    let re = 0,
      im = 0;
    const off = 2 * i * cols;
    for (let j = 0; j < cols; j++) {
      const ar = m[off + 2 * j],
        ai = m[off + 2 * j + 1],
        br = v[2 * j],
        bi = v[2 * j + 1];
      re += ar * br - ai * bi;
      im += ar * bi + ai * br;
    }
    out[2 * i] = re;
    out[2 * i + 1] = im;
  }
  return out;
}

function matVec(c: Float64Array, S: number, v: Float64Array, out: Float64Array): void {
  complexMatVec(c, S, S, v, out);
}

function normalise(v: Float64Array): number {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i] * v[i];
  const n = Math.sqrt(s);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return n;
}

/** Rotate v so its largest-magnitude entry is real and positive. */
function fixPhase(v: Float64Array, S: number): void {
  let best = 0,
    bm = -1;
  for (let i = 0; i < S; i++) {
    const m = v[2 * i] * v[2 * i] + v[2 * i + 1] * v[2 * i + 1];
    if (m > bm + 1e-12 * bm) {
      bm = m;
      best = i;
    }
  }
  const a = Math.atan2(v[2 * best + 1], v[2 * best]);
  const cr = Math.cos(-a),
    ci = Math.sin(-a);
  for (let i = 0; i < S; i++) {
    const re = v[2 * i],
      im = v[2 * i + 1];
    v[2 * i] = re * cr - im * ci;
    v[2 * i + 1] = re * ci + im * cr;
  }
  v[2 * best + 1] = 0;
}

/** First k principal components of complex T × S data (interleaved, time-major). */
export function pcaComplex(data: ArrayLike<number>, nTime: number, nStreams: number, k: number, opts: PcaOptions = {}): PcaResult {
  const S = nStreams;
  const mean = new Float64Array(2 * S);
  if (opts.center ?? true) {
    for (let t = 0; t < nTime; t++) for (let i = 0; i < 2 * S; i++) mean[i] += data[2 * S * t + i];
    if (nTime > 0) for (let i = 0; i < 2 * S; i++) mean[i] /= nTime;
  }
  const cov = hermitianCovariance(data, nTime, S, (opts.center ?? true) ? mean : null, Math.max(1, Math.floor(opts.stride ?? 1)));
  const eig = hermitianTopEigen(cov, S, k, opts.maxIter ?? 1000, opts.tol ?? 1e-12);
  return { components: eig.vectors, eigenvalues: eig.values, mean, iterations: eig.iterations };
}

/** Scores X·v for one component: a complex series of nTime samples (interleaved). */
export function projectComplex(data: ArrayLike<number>, nTime: number, nStreams: number, v: Float64Array): Float64Array {
  return complexMatVec(data, nTime, nStreams, v, new Float64Array(2 * nTime));
}

/** PCA of real T × S data; components and scores are real (returned as plain Float64Arrays). */
export function pcaReal(
  data: ArrayLike<number>,
  nTime: number,
  nStreams: number,
  k: number,
  opts: PcaOptions = {},
): { components: Float64Array[]; eigenvalues: number[]; scores: Float64Array[] } {
  const cx = new Float64Array(2 * nTime * nStreams);
  for (let i = 0; i < nTime * nStreams; i++) cx[2 * i] = data[i];
  const r = pcaComplex(cx, nTime, nStreams, k, opts);
  const components = r.components.map(v => {
    const re = new Float64Array(nStreams);
    for (let i = 0; i < nStreams; i++) re[i] = v[2 * i];
    return re;
  });
  // Scores of centred data (the usual real-valued PCA output).
  const scores = components.map(v => {
    const s = new Float64Array(nTime);
    for (let t = 0; t < nTime; t++) {
      let acc = 0;
      for (let j = 0; j < nStreams; j++) acc += (data[t * nStreams + j] - r.mean[2 * j]) * v[j];
      s[t] = acc;
    }
    return s;
  });
  return { components, eigenvalues: r.eigenvalues, scores };
}
