// Running a trained network over samples: predictions, logits/features (the teacher's are distillation targets),
// metrics, and batch-1 latency (median of repeated single-sample forwards after a warm-up, since the first calls
// include kernel compilation and allocation).
import { classificationMetrics, type ClassificationMetrics } from './metrics';
import type { Net, Tf } from './nets/net';
import { batchInput, type TensorDataset } from '../features/tensorDataset';

export interface Predictions {
  pred: Int32Array;
  logits: Float32Array;
  features: Float32Array;
  featureDims: number;
}

export async function predict(tf: Tf, net: Net, data: TensorDataset, idx: readonly number[], batchSize = 64): Promise<Predictions> {
  const C = data.classes.length;
  const pred = new Int32Array(idx.length),
    logits = new Float32Array(idx.length * C);
  let features = new Float32Array(0),
    D = 0;
  for (let s = 0; s < idx.length; s += batchSize) {
    const part = idx.slice(s, s + batchSize);
    const [l, f] = tf.tidy(() => {
      const o = net.forward(batchInput(tf, data, part));
      return [o.logits, o.features];
    });
    const lv = await l.data(),
      fv = await f.data();
    if (!D) {
      D = f.shape[1]!;
      features = new Float32Array(idx.length * D);
    }
    logits.set(lv, s * C);
    features.set(fv, s * D);
    for (let b = 0; b < part.length; b++) {
      let best = 0;
      for (let c = 1; c < C; c++) if (lv[b * C + c] > lv[b * C + best]) best = c;
      pred[s + b] = best;
    }
    tf.dispose([l, f]);
  }
  return { pred, logits, features, featureDims: D };
}

/** Metrics plus the per-sample predictions and logits (in idx order), which the run store keeps per sample. */
export async function evaluate(
  tf: Tf,
  net: Net,
  data: TensorDataset,
  idx: readonly number[],
  factors: readonly string[] = [],
): Promise<ClassificationMetrics & { pred: Int32Array; logits: Float32Array }> {
  const p = await predict(tf, net, data, idx);
  const truth = Int32Array.from(idx, i => data.labels[i]);
  return {
    ...classificationMetrics(
      p.pred,
      truth,
      data.classes.length,
      idx.map(i => data.domains[i]),
      factors,
    ),
    pred: p.pred,
    logits: p.logits,
  };
}

/** Median milliseconds of a batch-1 forward pass (including reading the result back). */
export async function batch1LatencyMs(tf: Tf, net: Net, data: TensorDataset, repeats = 20): Promise<number> {
  const once = async (): Promise<number> => {
    const t0 = process.hrtime.bigint();
    const l = tf.tidy(() => net.forward(batchInput(tf, data, [0])).logits);
    await l.data();
    l.dispose();
    return Number(process.hrtime.bigint() - t0) / 1e6;
  };
  for (let i = 0; i < 3; i++) await once();
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) ts.push(await once());
  ts.sort((a, b) => a - b);
  return ts[Math.floor(ts.length / 2)];
}
