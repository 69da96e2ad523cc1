// Paired comparison from per-sample predictions: a constructed example whose contingency is known by design,
// joining by sample id across runs, and the McNemar p it feeds.
import { strict as assert } from 'node:assert';
import { pairedComparison } from '../../../src/core/experiment/pairedComparison';
import type { SamplePrediction } from '../../../src/core/experiment/predictions';

const row = (id: string, truth: string, pred: string): SamplePrediction => ({ id, truth, pred, topProb: 0.9 });

describe('experiment: paired comparison', () => {
  it('counts both right / only A / only B / both wrong on a constructed example', () => {
    // 10 samples built so that: s0–s3 both right, s4–s6 only A right, s7 only B right, s8–s9 both wrong
    // (s8 wrong the same way, s9 wrong differently).
    const truth = ['x', 'y', 'z', 'x', 'y', 'z', 'x', 'y', 'z', 'x'];
    const predA = ['x', 'y', 'z', 'x', 'y', 'z', 'x', 'z', 'x', 'y'];
    const predB = ['x', 'y', 'z', 'x', 'x', 'x', 'y', 'y', 'x', 'z'];
    const A = truth.map((t, i) => row(`s${i}`, t, predA[i]));
    const B = truth.map((t, i) => row(`s${i}`, t, predB[i]));
    const p = pairedComparison(A, B);
    assert.deepEqual(
      { n: p.n, bothRight: p.bothRight, onlyA: p.onlyA, onlyB: p.onlyB, bothWrong: p.bothWrong },
      { n: 10, bothRight: 4, onlyA: 3, onlyB: 1, bothWrong: 2 },
    );
    // Same prediction on s0–s3 and s8: 5 of 10.
    assert.equal(p.agreement, 0.5);
    // Discordant 3 vs 1: exact p = 2·(1 + 4)/2⁴ = 0.625.
    assert.equal(p.mcnemar.method, 'exact-binomial');
    assert.ok(Math.abs(p.mcnemar.pValue - 0.625) < 1e-12);
    assert.equal(p.bothRight + p.onlyA + p.onlyB + p.bothWrong, p.n);
    // Swapping the models swaps onlyA/onlyB and nothing else.
    const q = pairedComparison(B, A);
    assert.deepEqual([q.onlyA, q.onlyB, q.bothRight, q.bothWrong, q.agreement, q.mcnemar.pValue], [1, 3, 4, 2, 0.5, p.mcnemar.pValue]);
  });

  it('joins by sample id regardless of order, and leaves out unmatched samples and differing true classes', () => {
    const A = [row('a', 'x', 'x'), row('b', 'y', 'x'), row('c', 'x', 'x'), row('only-a', 'x', 'x')];
    const B = [row('c', 'x', 'y'), row('b', 'y', 'y'), row('a', 'z', 'z'), row('only-b1', 'x', 'x'), row('only-b2', 'y', 'y')];
    const p = pairedComparison(A, B);
    assert.equal(p.n, 2, 'b and c compared; a has different true classes');
    assert.deepEqual([p.bothRight, p.onlyA, p.onlyB, p.bothWrong], [0, 1, 1, 0]);
    assert.equal(p.agreement, 0);
    assert.deepEqual([p.onlyInA, p.onlyInB, p.truthMismatch], [1, 2, 1]);
  });

  it('no shared samples: agreement undefined, p = 1', () => {
    const p = pairedComparison([row('a', 'x', 'x')], [row('b', 'x', 'x')]);
    assert.equal(p.n, 0);
    assert.equal(p.agreement, null);
    assert.equal(p.mcnemar.pValue, 1);
  });
});
