// The one training loop for teacher, student and baselines: Adam (optionally with decoupled weight decay, AdamW),
// warmup + cosine (or constant) learning rate,
// seeded batch order, per-epoch checkpoint and exact resume, cancellation between batches, progress callbacks,
// and no tensor leaks (every step runs in tf.tidy; the only tensors that outlive a step are variables).
//
// Determinism: batch order of epoch e is shuffle(trainIdx, seededRandom(`${seed}/epoch/${e}`)), model weights are a
// function of the seed (init.ts), and there is no dropout; so on a given backend an interrupted-and-resumed run
// computes exactly the same floating-point operations as an uninterrupted one.
import { seededRandom, shuffleInPlace } from '../../data/seededRandom';
import { loadLatestCheckpoint, saveCheckpoint, type TensorData } from './checkpoint';
import { ModelError } from '../errors';
import type { Scalar, Tf } from '../nets/net';
import type { Objective } from '../objectives/objectives';
import type { TensorDataset } from '../../features/tensorDataset';
import type * as TfNamespace from '@tensorflow/tfjs';

export interface TrainOptions {
  epochs: number;
  batchSize: number;
  learningRate: number;
  schedule?: 'constant' | 'cosine';
  warmupEpochs?: number;
  /**
   * Decoupled weight decay (AdamW, Loshchilov & Hutter, ICLR 2019): after each Adam step every weight matrix and
   * kernel (variables of rank ≥ 2; biases and 1-D gains are left alone, as is usual) is multiplied by
   * 1 − lr·weightDecay, lr the scheduled rate of that step (PyTorch's AdamW does the same). Absent or 0: plain Adam.
   * Written here because tfjs has no AdamW; it keeps no state, so resume stays exact.
   */
  weightDecay?: number;
  seed: number;
  /** Where per-epoch checkpoints go; resume from the newest one there when its fingerprint matches. */
  checkpointDir?: string;
  /** Identity of what is trained (config hash); a checkpoint with another fingerprint is not resumed. */
  fingerprint?: string;
  signal?: AbortSignal;
  onProgress?: (p: TrainProgress) => void;
  /** Measures the model on held-out samples after each epoch (kept in the epoch's stats and its progress). */
  validate?: () => Promise<{ loss: number; acc: number }>;
}

export interface TrainProgress {
  kind: 'batch' | 'epoch';
  epoch: number;
  epochs: number;
  batch: number;
  batches: number;
  loss: number;
  acc: number;
  lr: number;
  samplesPerS: number;
  etaS: number;
  /** Validation loss and accuracy after the epoch (epoch progress only, when a validate function is given). */
  valLoss?: number;
  valAcc?: number;
}

export interface EpochStats {
  epoch: number;
  loss: number;
  acc: number;
  lr: number;
  seconds: number;
  parts: Record<string, number>;
  val?: { loss: number; acc: number };
}

export interface TrainResult {
  history: EpochStats[];
  resumedFromEpoch: number;
  epochsRun: number;
}

export function learningRateAt(
  o: Pick<TrainOptions, 'learningRate' | 'schedule' | 'warmupEpochs' | 'epochs'>,
  epochIndex: number,
  frac: number,
): number {
  const e = epochIndex + frac;
  const warm = o.warmupEpochs ?? 0;
  // Linear warmup from 1 % of the rate; avoids Adam's large first steps on a freshly initialised transformer.
  if (warm > 0 && e < warm) return o.learningRate * Math.max(0.01, e / warm);
  if ((o.schedule ?? 'cosine') === 'constant') return o.learningRate;
  const span = Math.max(1e-9, o.epochs - warm);
  return o.learningRate * 0.5 * (1 + Math.cos(Math.PI * Math.min(1, (e - warm) / span)));
}

function checkOptions(o: TrainOptions, nTrain: number): void {
  if (!(Number.isInteger(o.epochs) && o.epochs >= 1)) throw new ModelError('bad-config', `epochs must be an integer ≥ 1, got ${o.epochs}`);
  if (!(Number.isInteger(o.batchSize) && o.batchSize >= 1))
    throw new ModelError('bad-config', `batchSize must be an integer ≥ 1, got ${o.batchSize}`);
  if (!(o.learningRate > 0)) throw new ModelError('bad-config', `learningRate must be > 0, got ${o.learningRate}`);
  const wd = o.weightDecay ?? 0;
  if (!(Number.isFinite(wd) && wd >= 0 && wd * o.learningRate < 1))
    throw new ModelError('bad-config', `weightDecay must be ≥ 0 with learningRate × weightDecay < 1, got ${o.weightDecay}`);
  if (nTrain < 1) throw new ModelError('bad-data', 'no training samples');
}

async function readTensors(list: { name: string; tensor: TfNamespace.Tensor }[]): Promise<TensorData[]> {
  const out: TensorData[] = [];
  for (const { name, tensor } of list) {
    const dtype = tensor.dtype === 'int32' ? 'int32' : 'float32';
    const data = await tensor.data();
    out.push({ name, shape: tensor.shape.slice(), dtype, data: dtype === 'int32' ? Int32Array.from(data) : Float32Array.from(data) });
  }
  return out;
}

export async function train(
  tf: Tf,
  objective: Objective,
  data: TensorDataset,
  trainIdx: readonly number[],
  o: TrainOptions,
): Promise<TrainResult> {
  checkOptions(o, trainIdx.length);
  const vars = objective.variables;
  const optimizer = tf.train.adam(o.learningRate);
  const decayed = (o.weightDecay ?? 0) > 0 ? vars.filter(v => v.rank >= 2) : [];
  const history: EpochStats[] = [];
  let start = 0;
  try {
    if (o.checkpointDir) {
      const ck = await loadLatestCheckpoint<EpochStats>(o.checkpointDir);
      if (ck && ck.state.fingerprint === (o.fingerprint ?? '') && ck.state.seed === o.seed) {
        if (ck.variables.length !== vars.length)
          throw new ModelError('bad-checkpoint', `has ${ck.variables.length} variables, model has ${vars.length}`, ck.file);
        ck.variables.forEach((t, i) => {
          if (t.shape.join(',') !== vars[i].shape.join(','))
            throw new ModelError('bad-checkpoint', `variable ${i} has shape [${t.shape}], model expects [${vars[i].shape}]`, ck.file);
          tf.tidy(() => vars[i].assign(tf.tensor(t.data, t.shape, t.dtype)));
        });
        if (ck.optimizer.length) {
          const named = ck.optimizer.map(t => ({ name: t.name, tensor: tf.tensor(t.data, t.shape, t.dtype) }));
          await optimizer.setWeights(named);
          tf.dispose(named.map(n => n.tensor)); // the optimiser's variables hold their own references
        }
        start = Math.min(ck.state.epoch, o.epochs);
        history.push(...ck.state.history.slice(0, start));
      }
    }
    const nb = Math.ceil(trainIdx.length / o.batchSize);
    const t0 = Date.now();
    let samplesDone = 0;
    for (let epoch = start; epoch < o.epochs; epoch++) {
      const order = shuffleInPlace(trainIdx.slice(), seededRandom(`${o.seed}/epoch/${epoch}`));
      const te = Date.now();
      let lossSum = 0,
        correct = 0,
        seen = 0,
        lr = 0;
      const partSums: Record<string, number> = {};
      for (let b = 0; b < nb; b++) {
        if (o.signal?.aborted)
          throw new ModelError(
            'cancelled',
            `training cancelled in epoch ${epoch + 1}, batch ${b + 1}; the last checkpoint is epoch ${epoch}`,
          );
        const idx = order.slice(b * o.batchSize, (b + 1) * o.batchSize);
        lr = learningRateAt(o, epoch, b / nb);
        (optimizer as unknown as { learningRate: number }).learningRate = lr;
        const kept: TfNamespace.Tensor[] = [];
        const { value, grads } = optimizer.computeGradients(() => {
          const r = objective.step(data, idx);
          kept.push(tf.keep(tf.argMax(r.logits, 1)));
          for (const [k, v] of Object.entries(r.parts)) {
            const s = tf.keep(v.clone());
            (s as unknown as { part: string }).part = k;
            kept.push(s);
          }
          return r.loss;
        }, vars);
        optimizer.applyGradients(grads as unknown as Parameters<typeof optimizer.applyGradients>[0]);
        if (decayed.length)
          tf.tidy(() => {
            for (const v of decayed) v.assign(tf.mul(v, 1 - lr * o.weightDecay!));
          });
        const lossV = (await value.data())[0];
        const pred = await kept[0].data();
        for (let i = 0; i < idx.length; i++) if (pred[i] === data.labels[idx[i]]) correct++;
        for (const t of kept.slice(1)) {
          const k = (t as unknown as { part: string }).part;
          partSums[k] = (partSums[k] ?? 0) + (await t.data())[0] * idx.length;
        }
        tf.dispose([value, ...Object.values(grads), ...kept]);
        if (!Number.isFinite(lossV))
          throw new ModelError('bad-data', `loss became ${lossV} in epoch ${epoch + 1}, batch ${b + 1} (learning rate ${lr})`);
        lossSum += lossV * idx.length;
        seen += idx.length;
        samplesDone += idx.length;
        const sps = samplesDone / Math.max(1e-3, (Date.now() - t0) / 1000);
        const remaining = (o.epochs - epoch - 1) * trainIdx.length + (trainIdx.length - seen);
        o.onProgress?.({
          kind: 'batch',
          epoch: epoch + 1,
          epochs: o.epochs,
          batch: b + 1,
          batches: nb,
          loss: lossV,
          acc: correct / seen,
          lr,
          samplesPerS: sps,
          etaS: remaining / sps,
        });
        // Let cancellation (and the host's event loop) in between batches.
        await new Promise<void>(r => setImmediate(r));
      }
      const parts: Record<string, number> = {};
      for (const [k, v] of Object.entries(partSums)) parts[k] = v / seen;
      const stats: EpochStats = {
        epoch: epoch + 1,
        loss: lossSum / seen,
        acc: correct / seen,
        lr,
        seconds: (Date.now() - te) / 1000,
        parts,
      };
      if (o.validate) stats.val = await o.validate();
      history.push(stats);
      if (o.checkpointDir) {
        const ow = await optimizer.getWeights();
        const optList = await readTensors(ow.map(w => ({ name: w.name, tensor: w.tensor })));
        tf.dispose(ow[0].tensor); // the 'iter' scalar is created fresh by getWeights
        await saveCheckpoint(o.checkpointDir, {
          fingerprint: o.fingerprint ?? '',
          epoch: epoch + 1,
          seed: o.seed,
          optimizerIterations: optimizer.iterations,
          variables: await readTensors(vars.map((v, i) => ({ name: `v${i}`, tensor: v }))),
          optimizer: optList,
          history,
        });
      }
      const sps = samplesDone / Math.max(1e-3, (Date.now() - t0) / 1000);
      o.onProgress?.({
        kind: 'epoch',
        epoch: epoch + 1,
        epochs: o.epochs,
        batch: nb,
        batches: nb,
        loss: stats.loss,
        acc: stats.acc,
        lr,
        samplesPerS: sps,
        etaS: ((o.epochs - epoch - 1) * trainIdx.length) / sps,
        ...(stats.val ? { valLoss: stats.val.loss, valAcc: stats.val.acc } : {}),
      });
    }
    return { history, resumedFromEpoch: start, epochsRun: o.epochs - start };
  } finally {
    optimizer.dispose();
  }
}

export type { Scalar };
