// Data-parallel training across two worker_threads: averaging the shards' gradients must reproduce full-batch
// training (exact for SGD up to float32 summation order), the tensor count in each worker must stay flat, and a
// broken model factory must surface as a typed error rather than a hang at the barrier.
import { strict as assert } from 'node:assert';
import * as path from 'node:path';
import { DataParallelError, DataParallelTrainer } from '../../../bench/dataParallel/trainer';
import { selectEngine, type Tf } from '../../../src/core/engine/selectEngine';
import { ReferenceModel, type ReferenceModelConfig } from '../../../bench/dataParallel/referenceModel';
import { maxAbs, randoms, relErrorFloored } from './reference64';

const MODEL_JS = path.resolve(__dirname, '../../../bench/dataParallel/referenceModel.js');
const TINY: ReferenceModelConfig = {
  timeSteps: 12,
  channels: 5,
  convFilters: [6, 8],
  convKernels: [3, 3],
  convStrides: [1, 2],
  dModel: 8,
  heads: 2,
  ffn: 12,
  blocks: 1,
  classes: 3,
};

describe('engine: data-parallel training over worker_threads', function () {
  this.timeout(60_000);
  let tf: Tf;

  before(async () => {
    tf = (await selectEngine({ prefer: 'wasm' })).tf;
    await tf.setBackend('wasm');
  });

  it('two workers on an uneven split (5 + 6 samples) reproduce full-batch SGD, with flat tensor counts', async () => {
    const B = 11;
    const x = Float32Array.from(randoms(B * 12 * 5, 3));
    const y = Int32Array.from({ length: B }, (_, i) => i % 3);
    const reference = new ReferenceModel(tf, TINY, 9);
    const parameters = reference.parameterCount;
    const trainer = await DataParallelTrainer.start({
      workers: 2,
      parameters,
      optimizer: { kind: 'sgd', learningRate: 0.1 },
      factory: { module: 'builtin:reference', exportName: 'createReferenceModel', args: [TINY, 9] },
    });
    const counts: number[][] = [];
    try {
      assert.deepEqual(
        trainer.engines.map(e => e.engine),
        ['tfjs-wasm', 'tfjs-wasm'],
      );
      const opt = tf.train.sgd(0.1);
      const xt = tf.tensor3d(x, [B, 12, 5]),
        yt = tf.tensor1d(y, 'int32');
      for (let step = 0; step < 4; step++) {
        const r = await trainer.trainStep(x, [B, 12, 5], y);
        counts.push(r.numTensors);
        const l = opt.minimize(() => reference.loss(xt, yt), true, reference.variables)!;
        const full = l.dataSync()[0];
        l.dispose();
        // The weighted mean of the shard losses is the full-batch mean loss (same weights before the step).
        assert.ok(Math.abs(r.loss - full) <= 1e-5 * Math.abs(full), `step ${step}: ${r.loss} vs ${full}`);
      }
      const got = await trainer.weights();
      // Weights that start at zero with an analytically zero gradient (attention key bias) hold only float noise.
      const want = reference.variables.map(v => v.dataSync() as Float32Array);
      const floor = 1e-3 * maxAbs(want);
      reference.variables.forEach((v, i) => {
        const e = relErrorFloored(got[i], want[i], floor);
        assert.ok(e <= 1e-5, `variable ${i} differs from full-batch training: ${e}`);
      });
      xt.dispose();
      yt.dispose();
      opt.dispose();
    } finally {
      reference.dispose();
      await trainer.close();
    }
    for (let i = 1; i < counts.length; i++) assert.deepEqual(counts[i], counts[0], `tensor counts per step: ${JSON.stringify(counts)}`);
  });

  it('reports a model factory that does not exist as a DataParallelError', async () => {
    await assert.rejects(
      DataParallelTrainer.start({
        workers: 2,
        parameters: 10,
        optimizer: { kind: 'sgd', learningRate: 0.1 },
        factory: { module: MODEL_JS, exportName: 'noSuchFactory', args: [] },
      }),
      (e: unknown) => e instanceof DataParallelError && /noSuchFactory/.test(e.message),
    );
  });
});
