// The whole reference model on the wasm engine: all variable gradients match the tfjs cpu backend (every kernel of a
// real conv + attention training step, custom or not, in one check), tensor count is flat across epochs (no leaks),
// parameter and FLOP counts follow from the architecture, and Adam actually fits a learnable task.
import { strict as assert } from 'node:assert';
import { selectEngine, type Tf } from '../../../src/core/engine/selectEngine';
import { ModelConfigError, ReferenceModel, type ReferenceModelConfig } from '../../../bench/dataParallel/referenceModel';
import { maxAbs, randoms, relErrorFloored } from './reference64';

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

describe('engine: reference model on tfjs-wasm', function () {
  this.timeout(60_000);
  let tf: Tf;

  before(async () => {
    tf = (await selectEngine({ prefer: 'wasm' })).tf;
    await tf.setBackend('wasm');
  });

  it('parameter count follows the architecture', () => {
    const m = new ReferenceModel(tf, TINY);
    try {
      const conv = 3 * 5 * 6 + 6 + (3 * 6 * 8 + 8);
      const block = 2 * 8 + 3 * (8 * 8 + 8) + (8 * 8 + 8) + 2 * 8 + (8 * 12 + 12) + (12 * 8 + 8);
      assert.equal(m.parameterCount, conv + block + (8 * 3 + 3));
      assert.equal(m.tokens, 6);
    } finally {
      m.dispose();
    }
  });

  it('rejects inconsistent configurations with a typed error', () => {
    assert.throws(() => new ReferenceModel(tf, { ...TINY, heads: 3 }), ModelConfigError);
    assert.throws(() => new ReferenceModel(tf, { ...TINY, convStrides: [1] }), ModelConfigError);
  });

  it('all variable gradients of a training step match the cpu backend', async () => {
    const x = randoms(3 * 12 * 5, 7),
      labels = [0, 2, 1];
    const grads = async (backend: 'wasm' | 'cpu') => {
      await tf.setBackend(backend);
      const m = new ReferenceModel(tf, TINY, 5); // same seed → same weights on both backends
      try {
        const { value, grads: g } = tf.variableGrads(() => m.loss(tf.tensor3d(x, [3, 12, 5]), tf.tensor1d(labels, 'int32')), m.variables);
        const out = { loss: value.dataSync()[0], grads: m.variables.map(v => g[v.name].dataSync() as Float32Array) };
        value.dispose();
        tf.dispose(Object.values(g));
        return out;
      } finally {
        m.dispose();
      }
    };
    const w = await grads('wasm');
    const c = await grads('cpu');
    await tf.setBackend('wasm');
    assert.ok(Math.abs(w.loss - c.loss) <= 1e-5 * Math.abs(c.loss), `loss ${w.loss} vs ${c.loss}`);
    assert.equal(w.grads.length, c.grads.length);
    const floor = 1e-3 * maxAbs(c.grads);
    w.grads.forEach((g, i) => {
      const e = relErrorFloored(g, c.grads[i], floor);
      assert.ok(e <= 1e-4, `variable ${i}: ${e}`);
    });
  });

  it('keeps tf.memory().numTensors flat across epochs and fits a learnable task with Adam', () => {
    const m = new ReferenceModel(tf, TINY, 3);
    const opt = tf.train.adam(1e-2);
    // Class = sign pattern of the first channel's mean, which the conv stack can read off directly.
    const n = 24;
    const xs = randoms(n * 12 * 5, 11);
    const ys: number[] = [];
    for (let i = 0; i < n; i++) {
      const cls = i % 3;
      for (let t = 0; t < 12; t++) xs[(i * 12 + t) * 5] += cls - 1;
      ys.push(cls);
    }
    const x = tf.tensor3d(xs, [n, 12, 5]),
      y = tf.tensor1d(ys, 'int32');
    const counts: number[] = [];
    const losses: number[] = [];
    try {
      for (let epoch = 0; epoch < 6; epoch++) {
        for (let step = 0; step < 5; step++) {
          const l = opt.minimize(() => m.loss(x, y), true, m.variables)!;
          if (step === 4) losses.push(l.dataSync()[0]);
          l.dispose();
        }
        counts.push(tf.memory().numTensors);
      }
    } finally {
      x.dispose();
      y.dispose();
      opt.dispose();
      m.dispose();
    }
    // Adam's moment slots are created on the first step, so every epoch after the first must end at the same count.
    assert.deepEqual(
      counts.slice(1),
      counts.slice(1).map(() => counts[1]),
      `tensor counts per epoch: ${counts}`,
    );
    assert.ok(losses[losses.length - 1] < 0.5 * losses[0], `loss did not fall: ${losses}`);
  });
});
