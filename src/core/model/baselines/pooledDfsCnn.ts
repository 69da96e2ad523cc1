// The Doppler-spectrogram CNN (dopplerCnn.ts) as a calibration Classifier: pooled Widar DFS features of each row are
// laid out as the project's TensorDataset (Doppler [N, frames, receivers·bands], no phase path), trained with the
// project's training loop (src/core/model/train.ts: Adam, cosine schedule, seeded batch order) and scored with its
// evaluator. The model is a function of the seed and the folds, so a calibration run is reproducible on one engine.
import { train } from '../train/train';
import { predict } from '../evaluate';
import type { Tf } from '../nets/net';
import type { TensorDataset } from '../../features/tensorDataset';
import { crossEntropyObjective } from '../objectives/crossEntropy';
import { DEFAULT_DOPPLER_CNN, DopplerCnn, type DopplerCnnConfig } from './dopplerCnn';
import type { Classifier, Row } from './classifier';

export interface CnnBaselineOptions {
  /** Feature layout of Row.x: receivers × bands × frames (receiver-major, frames fastest), as features/pooledDfs.ts. */
  receivers: number;
  bands: number;
  frames: number;
  filters?: DopplerCnnConfig['filters'];
  epochs?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
  /** Power-law compression of the (sum-normalised) spectra before scaling, as for the linear model. */
  compressExponent?: number;
}

export const DEFAULT_CNN_TRAINING = { epochs: 40, batchSize: 32, learningRate: 3e-3, seed: 1, compressExponent: 0.5 } as const;

/** Rows → TensorDataset: Doppler in [frames, receivers·bands] order, compressed and divided by `scale`. */
export function toTensorDataset(rows: Row[], o: CnnBaselineOptions, nClasses: number, scale: number): TensorDataset {
  const { receivers: R, bands: K, frames: T } = o;
  const e = o.compressExponent ?? DEFAULT_CNN_TRAINING.compressExponent;
  const F = R * K;
  const doppler = new Float32Array(rows.length * T * F);
  rows.forEach((row, n) => {
    if (row.x.length !== R * K * T) throw new RangeError(`cnn baseline: row ${n} has ${row.x.length} values, expected ${R}·${K}·${T}`);
    for (let r = 0; r < R; r++)
      for (let k = 0; k < K; k++)
        for (let t = 0; t < T; t++) {
          doppler[(n * T + t) * F + r * K + k] = Math.pow(row.x[(r * K + k) * T + t], e) / scale;
        }
  });
  return {
    T,
    F1: 0,
    F2: F,
    classes: Array.from({ length: nClasses }, (_, c) => String(c)),
    ids: rows.map((_, i) => String(i)),
    phase: new Float32Array(0),
    doppler,
    labels: Int32Array.from(rows, r => r.label),
    domains: rows.map(() => ({})),
  };
}

/** A Classifier that trains a fresh DopplerCnn per fold on the given tfjs engine. */
export function cnnClassifier(tf: Tf, o: CnnBaselineOptions): Classifier {
  const epochs = o.epochs ?? DEFAULT_CNN_TRAINING.epochs,
    batchSize = o.batchSize ?? DEFAULT_CNN_TRAINING.batchSize;
  const learningRate = o.learningRate ?? DEFAULT_CNN_TRAINING.learningRate,
    seed = o.seed ?? DEFAULT_CNN_TRAINING.seed;
  const e = o.compressExponent ?? DEFAULT_CNN_TRAINING.compressExponent;
  return async (trainRows, testRows, nClasses) => {
    // One global scale from the training rows only (RMS of the compressed values), so test data never informs it.
    let s2 = 0,
      n = 0;
    for (const r of trainRows)
      for (let i = 0; i < r.x.length; i++) {
        s2 += Math.pow(r.x[i], 2 * e);
        n++;
      }
    const scale = Math.sqrt(s2 / Math.max(1, n)) || 1;
    const data = toTensorDataset([...trainRows, ...testRows], o, nClasses, scale);
    const trainIdx = trainRows.map((_, i) => i),
      testIdx = testRows.map((_, i) => trainRows.length + i);
    const net = new DopplerCnn(
      tf,
      { timeSteps: o.frames, phaseFeatures: 0, dopplerFeatures: o.receivers * o.bands, classes: nClasses },
      { receivers: o.receivers, filters: o.filters ?? DEFAULT_DOPPLER_CNN.filters },
      seed,
    );
    const objective = crossEntropyObjective(tf, net);
    try {
      await train(tf, objective, data, trainIdx, { epochs, batchSize, learningRate, schedule: 'cosine', warmupEpochs: 1, seed });
      const p = await predict(tf, net, data, testIdx);
      let correct = 0;
      testIdx.forEach((i, j) => {
        if (p.pred[j] === data.labels[i]) correct++;
      });
      return correct / testIdx.length;
    } finally {
      objective.dispose();
      net.dispose();
    }
  };
}
