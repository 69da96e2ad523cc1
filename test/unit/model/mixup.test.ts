// Mixup for distillation: Beta draws have the analytic moments, the mixing plan is a pure function of the seed and
// the batch (exact resume), and mixed targets stay distributions.
import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../src/core/data/seededRandom';
import { betaSample, mixPlan } from '../../../src/core/model/objectives/objectives';

describe('model: mixup for distillation', () => {
  it('Beta(α, α) draws have mean 1/2 and variance 1/(4(2α+1))', () => {
    for (const alpha of [0.4, 1, 3]) {
      const rnd = seededRandom(`beta/${alpha}`),
        n = 40_000;
      let m = 0,
        v = 0;
      const xs = Array.from({ length: n }, () => betaSample(alpha, rnd));
      for (const x of xs) {
        assert.ok(x >= 0 && x <= 1);
        m += x / n;
      }
      for (const x of xs) v += (x - m) ** 2 / n;
      assert.ok(Math.abs(m - 0.5) < 0.01, `α ${alpha}: mean ${m}`);
      const expect = 1 / (4 * (2 * alpha + 1));
      assert.ok(Math.abs(v - expect) < 0.05 * expect, `α ${alpha}: variance ${v} vs ${expect}`);
    }
  });

  it('the plan is a permutation with weights in [0, 1], identical for the same seed and batch', () => {
    const idx = [5, 9, 2, 7, 11, 3];
    const a = mixPlan(idx, 1, 42),
      b = mixPlan(idx, 1, 42),
      c = mixPlan(idx, 1, 43);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.lambda, c.lambda);
    assert.deepEqual(
      [...a.partner].sort((x, y) => x - y),
      [0, 1, 2, 3, 4, 5],
    );
    assert.ok(a.lambda.every(l => l >= 0 && l <= 1));
  });
});
