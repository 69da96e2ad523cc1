// Ridge baseline: with λ → 0 on an exactly linear, well-posed problem it recovers the separating scores, and it
// classifies linearly separable clusters perfectly.
import { strict as assert } from 'node:assert';
import { seededRandom } from '../../../src/core/data/seededRandom';
import { fitRidge, predictRidge, summaryFeatures } from '../../../src/core/model/baselines/ridge';
import { toyDataset } from './toyData';

describe('model: ridge baseline', () => {
  it('fits ±1 targets exactly when they are a linear function of the inputs (λ ≈ 0)', () => {
    // Two classes, x = (a, b); target +1 for class 0 is 2a − 1 for a ∈ {0, 1}: exactly linear in standardised a.
    const X = [0, 1, 0, 1, 0, 1].map((a, i) => Float64Array.of(a, (i * 0.37) % 1));
    const y = [1, 0, 1, 0, 1, 0];
    const m = fitRidge(X, y, 2, 1e-9);
    assert.deepEqual(Array.from(predictRidge(m, X)), y);
    // Score of class 1 for a = 0 sample is exactly +1 (target), within float tolerance.
    const z = (0 - m.mean[0]) / m.std[0],
      z2 = (X[0][1] - m.mean[1]) / m.std[1];
    const s = m.weights[2 * 2 + 1] + z * m.weights[0 * 2 + 1] + z2 * m.weights[1 * 2 + 1];
    assert.ok(Math.abs(s - 1) < 1e-6, String(s));
  });

  it('separates well-separated clusters and works on dual-path summary statistics', () => {
    const rng = seededRandom(1);
    const X = Array.from({ length: 60 }, (_, i) => Float64Array.of((i % 3) * 5 + rng(), (i % 3 === 1 ? 5 : 0) + rng()));
    const y = Array.from({ length: 60 }, (_, i) => i % 3);
    assert.deepEqual(Array.from(predictRidge(fitRidge(X, y, 3, 0.1), X)), y);
    const d = toyDataset(12, 3);
    const idx = Array.from({ length: 12 }, (_, i) => i);
    const S = summaryFeatures(d, idx);
    assert.equal(S[0].length, 3 * (d.F1 + d.F2));
    assert.deepEqual(Array.from(predictRidge(fitRidge(S, d.labels, 3, 0.1), S)), Array.from(d.labels));
  });
});
