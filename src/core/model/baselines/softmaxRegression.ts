// Multinomial logistic regression (softmax, L2-regularised, full-batch Adam) on standardised features: the
// calibration baseline. Why this and not the CNN: the project's training engine (src/core/model/engine)
// was being written concurrently; a linear model on pooled Doppler features is cheap, deterministic and enough to
// measure in-domain vs cross-domain gaps. A stronger model would raise both numbers; the gap is what we calibrate.
export interface SoftmaxModel {
  mean: Float64Array;
  std: Float64Array;
  W: Float64Array;
  b: Float64Array;
  nClasses: number;
  d: number;
}

export interface TrainOptions {
  epochs?: number;
  lr?: number;
  l2?: number;
}

export function trainSoftmax(X: Float32Array[], y: number[], nClasses: number, o: TrainOptions = {}): SoftmaxModel {
  const n = X.length,
    d = X[0].length;
  const epochs = o.epochs ?? 150,
    lr = o.lr ?? 0.01,
    l2 = o.l2 ?? 1e-3;
  const mean = new Float64Array(d),
    std = new Float64Array(d);
  for (const x of X) for (let j = 0; j < d; j++) mean[j] += x[j] / n;
  for (const x of X) for (let j = 0; j < d; j++) std[j] += (x[j] - mean[j]) ** 2 / n;
  for (let j = 0; j < d; j++) std[j] = Math.sqrt(std[j]) + 1e-6;
  const Z = X.map(x => Float64Array.from(x, (v, j) => (v - mean[j]) / std[j]));
  const W = new Float64Array(nClasses * d),
    b = new Float64Array(nClasses);
  const mW = new Float64Array(W.length),
    vW = new Float64Array(W.length),
    mb = new Float64Array(nClasses),
    vb = new Float64Array(nClasses);
  const gW = new Float64Array(W.length),
    gb = new Float64Array(nClasses);
  const p = new Float64Array(nClasses);
  const b1 = 0.9,
    b2 = 0.999;
  for (let ep = 1; ep <= epochs; ep++) {
    gW.fill(0);
    gb.fill(0);
    for (let i = 0; i < n; i++) {
      const z = Z[i];
      let mx = -Infinity;
      for (let c = 0; c < nClasses; c++) {
        let s = b[c];
        const off = c * d;
        for (let j = 0; j < d; j++) s += W[off + j] * z[j];
        p[c] = s;
        if (s > mx) mx = s;
      }
      let sum = 0;
      for (let c = 0; c < nClasses; c++) {
        p[c] = Math.exp(p[c] - mx);
        sum += p[c];
      }
      for (let c = 0; c < nClasses; c++) {
        const g = (p[c] / sum - (y[i] === c ? 1 : 0)) / n;
        gb[c] += g;
        const off = c * d;
        for (let j = 0; j < d; j++) gW[off + j] += g * z[j];
      }
    }
    const c1 = 1 - Math.pow(b1, ep),
      c2 = 1 - Math.pow(b2, ep);
    for (let k = 0; k < W.length; k++) {
      const g = gW[k] + l2 * W[k];
      mW[k] = b1 * mW[k] + (1 - b1) * g;
      vW[k] = b2 * vW[k] + (1 - b2) * g * g;
      W[k] -= (lr * (mW[k] / c1)) / (Math.sqrt(vW[k] / c2) + 1e-8);
    }
    for (let c = 0; c < nClasses; c++) {
      mb[c] = b1 * mb[c] + (1 - b1) * gb[c];
      vb[c] = b2 * vb[c] + (1 - b2) * gb[c] * gb[c];
      b[c] -= (lr * (mb[c] / c1)) / (Math.sqrt(vb[c] / c2) + 1e-8);
    }
  }
  return { mean, std, W, b, nClasses, d };
}

export function predictSoftmax(m: SoftmaxModel, x: Float32Array): number {
  let best = 0,
    bestS = -Infinity;
  for (let c = 0; c < m.nClasses; c++) {
    let s = m.b[c];
    for (let j = 0; j < m.d; j++) s += (m.W[c * m.d + j] * (x[j] - m.mean[j])) / m.std[j];
    if (s > bestS) {
      bestS = s;
      best = c;
    }
  }
  return best;
}
