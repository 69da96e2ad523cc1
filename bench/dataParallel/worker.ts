// Worker side of data-parallel training: one tfjs-wasm engine and one model replica per worker thread. Each step it
// computes gradients on its shard, publishes them in shared memory, waits at a barrier for the other workers, and
// applies the sample-weighted average with its own optimizer. All replicas start from the same seed and apply
// bitwise-identical averaged gradients in the same order, so they stay identical without broadcasting weights.
import { parentPort, workerData } from 'worker_threads';
import { selectEngine, type Tf } from '../../src/core/engine/selectEngine';
import type { FromWorker, ToWorker, WorkerInit } from './protocol';
import { makeOptimizer, type Trainable } from '../../src/core/engine/trainable';
import { BUILTIN_FACTORIES } from './builtinFactories';

async function main(init: WorkerInit): Promise<void> {
  const port = parentPort!;
  const post = (m: FromWorker) => port.postMessage(m);
  let tf: Tf;
  let model: Trainable;
  try {
    const engine = await selectEngine({ prefer: 'wasm' });
    tf = engine.tf;
    const spec = init.factory;
    // Factories take JSON-cloned arguments; their static parameter types cannot be checked across the thread boundary.
    type AnyFactory = (tf: Tf, ...args: unknown[]) => Trainable;
    const mod = (
      spec.module.startsWith('builtin:') ? (BUILTIN_FACTORIES[spec.module.slice('builtin:'.length)] ?? {}) : require(spec.module)
    ) as Record<string, AnyFactory | undefined>;
    const factory = mod[spec.exportName];
    if (typeof factory !== 'function') throw new Error(`${init.factory.module} has no export ${init.factory.exportName}`);
    model = factory(tf, ...init.factory.args);
    const parameters = model.variables.reduce((n, v) => n + v.size, 0);
    if (parameters !== init.parameters && init.parameters !== 0) {
      throw new Error(`model has ${parameters} parameters, coordinator expected ${init.parameters}`);
    }
    post({ kind: 'ready', rank: init.rank, info: engine.info, parameters });
  } catch (e) {
    post({ kind: 'error', rank: init.rank, message: (e as Error).stack ?? String(e) });
    return;
  }
  const optimizer = makeOptimizer(tf, init.optimizer);
  const control = new Int32Array(init.control);
  const P = init.parameters;
  const grads = new Float32Array(init.gradients, 0, 2 * init.workers * P);
  const counts = new Float32Array(init.gradients, 2 * init.workers * P * 4, 2 * init.workers);

  port.on('message', (msg: ToWorker) => {
    try {
      if (msg.kind === 'close') {
        model.dispose();
        optimizer.dispose();
        port.close();
        return;
      }
      if (msg.kind === 'weights') {
        post({ kind: 'weights', values: model.variables.map(v => v.dataSync() as Float32Array) });
        return;
      }
      const t0 = performance.now();
      const parity = msg.step & 1;
      const batch = msg.xShape[0];
      const { value, grads: g } = tf.tidy(() =>
        tf.variableGrads(() => model.loss(tf.tensor(msg.x, msg.xShape), tf.tensor1d(msg.y, 'int32')), model.variables),
      );
      const loss = value.dataSync()[0];
      let off = (parity * init.workers + init.rank) * P;
      for (const v of model.variables) {
        grads.set(g[v.name].dataSync() as Float32Array, off);
        off += v.size;
      }
      counts[parity * init.workers + init.rank] = batch;
      tf.dispose([value, ...Object.values(g)]);
      const t1 = performance.now();
      barrier(control, init.workers * (msg.step + 1));
      // Sample-weighted mean of all workers' gradients, summed in rank order so every replica gets identical bits.
      let total = 0;
      for (let r = 0; r < init.workers; r++) total += counts[parity * init.workers + r];
      const avg: Record<string, import('@tensorflow/tfjs').Tensor> = {};
      let voff = 0;
      for (const v of model.variables) {
        const out = new Float32Array(v.size);
        for (let r = 0; r < init.workers; r++) {
          const w = counts[parity * init.workers + r] / total;
          const base = (parity * init.workers + r) * P + voff;
          for (let i = 0; i < v.size; i++) out[i] += w * grads[base + i];
        }
        avg[v.name] = tf.tensor(out, v.shape);
        voff += v.size;
      }
      optimizer.applyGradients(avg);
      tf.dispose(Object.values(avg));
      const t2 = performance.now();
      post({
        kind: 'stepped',
        rank: init.rank,
        step: msg.step,
        loss,
        computeMs: t1 - t0,
        syncMs: t2 - t1,
        numTensors: tf.memory().numTensors,
      });
    } catch (e) {
      post({ kind: 'error', rank: init.rank, message: (e as Error).stack ?? String(e) });
    }
  });
}

// A peer that died mid-step never arrives; after this long the step fails with an error instead of hanging (the
// coordinator then terminates every worker). Far above any step time of the models this engine trains.
const BARRIER_TIMEOUT_MS = 300_000;

/** Block until the shared counter reaches `target` (it only ever grows: one increment per worker per step). */
function barrier(control: Int32Array, target: number): void {
  let v = Atomics.add(control, 0, 1) + 1;
  if (v >= target) {
    Atomics.notify(control, 0);
    return;
  }
  const deadline = performance.now() + BARRIER_TIMEOUT_MS;
  while ((v = Atomics.load(control, 0)) < target) {
    const left = deadline - performance.now();
    if (left <= 0) throw new Error(`gradient barrier: waited ${BARRIER_TIMEOUT_MS} ms for the other workers (at ${v} of ${target})`);
    Atomics.wait(control, 0, v, Math.min(left, 1000));
  }
}

void main(workerData as WorkerInit);
