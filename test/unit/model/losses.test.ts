// Loss terms against values computed by hand (in float64 here, from the definitions in losses.ts's header).
import { strict as assert } from 'node:assert';
import * as tf from '@tensorflow/tfjs';
import { cosineLogits, distillationKL, featureMSE, infoNCE, softCrossEntropy } from '../../../src/core/model/objectives/losses';

const close = (a: number, b: number, tol = 1e-5) => assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);
const softmax = (z: number[]) => {
  const m = Math.max(...z);
  const e = z.map(x => Math.exp(x - m));
  const s = e.reduce((a, b) => a + b);
  return e.map(x => x / s);
};
const scalar = (t: tf.Scalar) => {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('model: GLSDA losses', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });

  it('soft cross-entropy equals −Σ q log softmax(z), averaged over the batch', () => {
    const z = [
        [1, 2, 0.5],
        [0, 0, 0],
      ],
      q = [
        [0.85, 0.1, 0.05],
        [0, 1, 0],
      ];
    const expect = z.map((row, b) => -softmax(row).reduce((s, p, c) => s + q[b][c] * Math.log(p), 0)).reduce((a, b) => a + b) / 2;
    close(scalar(softCrossEntropy(tf, tf.tensor2d(q), tf.tensor2d(z))), expect);
    // Uniform logits over 3 classes with a one-hot target: exactly ln 3.
    close(scalar(softCrossEntropy(tf, tf.tensor2d([[0, 1, 0]]), tf.tensor2d([[0, 0, 0]]))), Math.log(3));
  });

  it('KD loss is T²·KL(p_T^τ ‖ p_S^τ) and vanishes when the logits agree', () => {
    const zt = [[3, 1, -1]],
      zs = [[1, 1, 0]],
      T = 4;
    const pt = softmax(zt[0].map(x => x / T)),
      ps = softmax(zs[0].map(x => x / T));
    const kl = pt.reduce((s, p, c) => s + p * Math.log(p / ps[c]), 0);
    close(scalar(distillationKL(tf, tf.tensor2d(zt), tf.tensor2d(zs), T)), T * T * kl);
    close(scalar(distillationKL(tf, tf.tensor2d(zt), tf.tensor2d(zt), 2)), 0, 1e-6);
    // Shifting every logit by a constant changes neither distribution.
    close(scalar(distillationKL(tf, tf.tensor2d([[3, 1, -1]]), tf.tensor2d([[13, 11, 9]]), 3)), 0, 1e-6);
  });

  it('feature MSE is the mean of squared differences', () => {
    close(
      scalar(
        featureMSE(
          tf,
          tf.tensor2d([
            [1, 2],
            [3, 4],
          ]),
          tf.tensor2d([
            [1, 0],
            [0, 4],
          ]),
        ),
      ),
      (0 + 4 + 9 + 0) / 4,
    );
  });

  it('InfoNCE on a 2-class toy matches the hand-computed value', () => {
    // Class embeddings e0 = (1,0), e1 = (0,1); sample u = (2, 2·tan 30°) so cos to e0 = cos 30°, to e1 = sin 30°.
    const u = [[2, 2 * Math.tan(Math.PI / 6)]],
      tau = 0.5;
    const l0 = Math.cos(Math.PI / 6) / tau,
      l1 = Math.sin(Math.PI / 6) / tau;
    const expectY0 = -Math.log(Math.exp(l0) / (Math.exp(l0) + Math.exp(l1)));
    const expectY1 = -Math.log(Math.exp(l1) / (Math.exp(l0) + Math.exp(l1)));
    const E = tf.tensor2d([
      [1, 0],
      [0, 1],
    ]);
    close(scalar(infoNCE(tf, tf.tensor2d(u), E, tf.tensor2d([[1, 0]]), tau)), expectY0);
    close(scalar(infoNCE(tf, tf.tensor2d(u), E, tf.tensor2d([[0, 1]]), tau)), expectY1);
    // Scale of u and of the class embeddings does not matter (cosine).
    const scaled = scalar(
      infoNCE(
        tf,
        tf.tensor2d([[20, 20 * Math.tan(Math.PI / 6)]]),
        tf.tensor2d([
          [3, 0],
          [0, 0.2],
        ]),
        tf.tensor2d([[1, 0]]),
        tau,
      ),
    );
    close(scaled, expectY0);
    const lg = cosineLogits(tf, tf.tensor2d(u), E, tau).dataSync();
    close(lg[0], l0);
    close(lg[1], l1);
  });
});
