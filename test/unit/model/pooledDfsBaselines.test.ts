// The calibration CNN (dopplerCnn.ts + baselines/pooledDfsCnn.ts) on the project's training engine: its size matches the
// architecture counted here by hand, it learns the sign of a Doppler line that appears at a random time, band and
// receiver over a noise floor, training is reproducible for a seed and leaks no tensors, and bad shapes give typed
// errors.
import { strict as assert } from 'node:assert';
import { selectEngine, type Tf } from '../../../src/core/engine/selectEngine';
import { DopplerCnn } from '../../../src/core/model/baselines/dopplerCnn';
import { cnnClassifier } from '../../../src/core/model/baselines/pooledDfsCnn';
import { ModelError } from '../../../src/core/model/errors';
import { Rng } from '../../../src/core/sim/rng';
import type { Row } from '../../../research/simCalibration/protocols';

const R = 3,
  K = 12,
  T = 8;

/** Class 0: a short line at a positive Doppler band; class 1: at a negative one; random frame, band and amplitude. */
function rows(n: number, seed: number): Row[] {
  const rng = new Rng(seed);
  return Array.from({ length: n }, (_, i) => {
    const label = i % 2;
    const x = new Float32Array(R * K * T).map(() => rng.uniform(0, 0.2));
    const band = label === 0 ? rng.int(K / 2 + 1, K - 1) : rng.int(0, K / 2 - 2),
      t0 = rng.int(0, T - 3),
      r = rng.int(0, R - 1);
    for (let t = t0; t < t0 + 3; t++) x[(r * K + band) * T + t] += rng.uniform(1, 2);
    return { x, label, user: 1, room: 1, location: 1, orientation: 1 };
  });
}

describe('sim calibration CNN', function () {
  this.timeout(60_000);
  let tf: Tf;
  before(async () => {
    tf = (await selectEngine({ prefer: 'wasm' })).tf;
  });

  it('has the parameter count and FLOPs of its architecture', () => {
    const net = new DopplerCnn(
      tf,
      { timeSteps: 12, phaseFeatures: 0, dopplerFeatures: 6 * 20, classes: 9 },
      { receivers: 6, filters: [16, 32, 32] },
      1,
    );
    try {
      // 3×3 convs 6→16 (stride 1), 16→32 (stride 2), 32→32 (stride 2) on 20×12 → 20×12 → 10×6 → 5×3; dense 480→9.
      const expected = 9 * 6 * 16 + 16 + (9 * 16 * 32 + 32) + (9 * 32 * 32 + 32) + (5 * 3 * 32 * 9 + 9);
      assert.equal(net.parameterCount, expected);
      const flops = 2 * (20 * 12 * 9 * 6 * 16 + 10 * 6 * 9 * 16 * 32 + 5 * 3 * 9 * 32 * 32 + 480 * 9);
      assert.equal(net.forwardFlopsPerSample(), flops);
      const x = {
        phase: tf.zeros([2, 12, 0]) as Parameters<DopplerCnn['forward']>[0]['phase'],
        doppler: tf.ones([2, 12, 120]) as Parameters<DopplerCnn['forward']>[0]['doppler'],
      };
      const out = net.forward(x);
      assert.deepEqual(out.logits.shape, [2, 9]);
      assert.deepEqual(out.features.shape, [2, 480]);
      tf.dispose([out.logits, out.features, x.phase, x.doppler]);
    } finally {
      net.dispose();
    }
  });

  it('learns the sign of a moving Doppler line, reproducibly for a seed', async () => {
    const clf = cnnClassifier(tf, {
      receivers: R,
      bands: K,
      frames: T,
      filters: [8, 8, 8],
      epochs: 10,
      batchSize: 16,
      learningRate: 1e-2,
      seed: 3,
    });
    const train = rows(120, 1),
      test = rows(60, 2);
    const before = tf.memory().numTensors;
    const a = await clf(train, test, 2);
    assert.ok(a >= 0.9, `accuracy ${a}`);
    assert.equal(tf.memory().numTensors, before, 'no tensors leak from a fold');
    assert.equal(await clf(train, test, 2), a);
  });

  it('rejects a Doppler axis that does not split into the receivers, and rows of the wrong length', async () => {
    assert.throws(
      () =>
        new DopplerCnn(tf, { timeSteps: 4, phaseFeatures: 0, dopplerFeatures: 10, classes: 2 }, { receivers: 3, filters: [4, 4, 4] }, 1),
      (e: unknown) => e instanceof ModelError && /10 Doppler features do not split into 3 receivers/.test(e.message),
    );
    const clf = cnnClassifier(tf, { receivers: R, bands: K, frames: T });
    const bad = rows(4, 1);
    bad[2] = { ...bad[2], x: new Float32Array(5) };
    await assert.rejects(clf(bad.slice(0, 3), bad.slice(3), 2), /row 2 has 5 values, expected 3·12·8/);
  });
});
