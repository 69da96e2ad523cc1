// Metrics against a hand-worked example.
import { strict as assert } from 'node:assert';
import { classificationMetrics } from '../../../src/core/model/metrics';

describe('model: classification metrics', () => {
  it('accuracy, confusion, macro-F1 and per-domain accuracy by hand', () => {
    const truth = [0, 0, 0, 1, 1, 2];
    const pred = [0, 0, 1, 1, 2, 2];
    const dom = ['a', 'a', 'b', 'b', 'b', 'a'].map(user => ({ user }));
    const m = classificationMetrics(pred, truth, 3, dom, ['user']);
    assert.equal(m.accuracy, 4 / 6);
    assert.deepEqual(m.confusion, [
      [2, 1, 0],
      [0, 1, 1],
      [0, 0, 1],
    ]);
    // F1_0 = 2·2/(3+2) = 0.8; F1_1 = 2·1/(2+2) = 0.5; F1_2 = 2·1/(1+2) = 2/3.
    assert.ok(Math.abs(m.macroF1 - (0.8 + 0.5 + 2 / 3) / 3) < 1e-12);
    assert.deepEqual(m.perDomain.user, { a: { n: 3, accuracy: 1 }, b: { n: 3, accuracy: 1 / 3 } });
  });

  it('a class absent from truth and predictions is left out of macro-F1', () => {
    const m = classificationMetrics([0, 1], [0, 1], 3);
    assert.equal(m.macroF1, 1);
    assert.equal(m.perClassF1[2], null);
  });
});
