import * as assert from 'node:assert/strict';
import {
  cyclicPermutation,
  semanticSoftLabels,
  shuffledSimilarity,
  targetsForLabels,
  uniformSmoothing,
} from '../../../src/core/semantics/softLabels';
import { SemanticError } from '../../../src/core/semantics/errors';

const S3 = [
  [1, 0.5, 0],
  [0.5, 1, 0.2],
  [0, 0.2, 1],
];

function close(a: number, b: number, tol = 1e-6, msg = ''): void {
  assert.ok(Math.abs(a - b) <= tol, `${msg} ${a} vs ${b}`);
}

describe('semantics/softLabels', () => {
  it('matches a hand-computed example, self excluded', () => {
    // Row 0, α = 0.2, τ = 0.5: neighbours S01 = 0.5 → e^(0.5/0.5) = e = 2.718282, S02 = 0 → e^0 = 1.
    // Q01 = e/(e+1) = 0.7310586, Q02 = 1/(e+1) = 0.2689414.
    // q0 = [1−0.2, 0.2·0.7310586, 0.2·0.2689414] = [0.8, 0.1462117, 0.0537883].
    const q = semanticSoftLabels(S3, { alpha: 0.2, tau: 0.5, self: 'exclude' });
    close(q[0][0], 0.8);
    close(q[0][1], 0.1462117);
    close(q[0][2], 0.0537883);
    // Row 2: S20 = 0 → 1, S21 = 0.2 → e^0.4 = 1.4918247; Q20 = 1/2.4918247 = 0.4013123, Q21 = 0.5986877.
    close(q[2][0], 0.2 * 0.4013123);
    close(q[2][1], 0.2 * 0.5986877);
    close(q[2][2], 0.8);
  });

  it('matches a hand-computed example, self included', () => {
    // Row 0, α = 0.2, τ = 0.5: e^2 = 7.389056, e^1 = 2.718282, e^0 = 1; sum = 11.107338.
    // softmax = [0.6652410, 0.2447285, 0.0900306]; q0 = [0.8 + 0.2·0.6652410, 0.2·0.2447285, 0.2·0.0900306].
    const q = semanticSoftLabels(S3, { alpha: 0.2, tau: 0.5, self: 'include' });
    close(q[0][0], 0.9330482);
    close(q[0][1], 0.0489457);
    close(q[0][2], 0.0180061);
  });

  it('rows sum to 1, are non-negative, and argmax is the true class for α < 0.5', () => {
    const C = 7;
    // A random symmetric similarity with unit diagonal (property test over several α, τ).
    let s = 12345;
    const rnd = (): number => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
    const S = Array.from({ length: C }, () => new Array<number>(C).fill(0));
    for (let i = 0; i < C; i++) {
      S[i][i] = 1;
      for (let j = 0; j < i; j++) S[i][j] = S[j][i] = rnd();
    }
    for (const alpha of [0, 0.05, 0.3, 0.49])
      for (const tau of [0.01, 0.1, 1, 10])
        for (const self of ['exclude', 'include'] as const) {
          const q = semanticSoftLabels(S, { alpha, tau, self });
          q.forEach((row, y) => {
            close(
              row.reduce((a, b) => a + b, 0),
              1,
              1e-12,
              'row sum',
            );
            assert.ok(row.every(x => x >= 0));
            assert.equal(row.indexOf(Math.max(...row)), y, `argmax α=${alpha} τ=${tau} ${self}`);
            if (self === 'exclude') close(row[y], 1 - alpha, 1e-12, 'true class keeps 1-α');
          });
        }
  });

  it('τ → 0 puts all α on the most similar other class (ties split evenly)', () => {
    const q = semanticSoftLabels(S3, { alpha: 0.3, tau: 1e-4 });
    close(q[0][1], 0.3);
    close(q[0][2], 0);
    close(q[2][1], 0.3);
    close(q[2][0], 0);
    const tie = semanticSoftLabels(
      [
        [1, 0.4, 0.4],
        [0.4, 1, 0],
        [0.4, 0, 1],
      ],
      { alpha: 0.2, tau: 1e-6 },
    );
    close(tie[0][1], 0.1);
    close(tie[0][2], 0.1);
  });

  it('τ → ∞ equals uniform smoothing with the same α', () => {
    for (const self of ['exclude', 'include'] as const) {
      const q = semanticSoftLabels(S3, { alpha: 0.25, tau: 1e9, self });
      const u = uniformSmoothing(3, 0.25, self);
      q.forEach((row, i) => row.forEach((x, j) => close(x, u[i][j], 1e-8)));
    }
  });

  it('α = 0 is the one-hot', () => {
    const q = semanticSoftLabels(S3, { alpha: 0, tau: 0.1 });
    q.forEach((row, y) => row.forEach((x, j) => assert.equal(x, j === y ? 1 : 0)));
  });

  it('uniform smoothing: exclude gives α/(C−1) off-diagonal, include gives classic α/C', () => {
    const e = uniformSmoothing(5, 0.2, 'exclude');
    close(e[1][1], 0.8);
    close(e[1][0], 0.05);
    const i = uniformSmoothing(5, 0.2, 'include');
    close(i[1][1], 0.84);
    close(i[1][0], 0.04);
  });

  it('shuffled prior is a deterministic derangement that preserves the similarity values', () => {
    for (let C = 2; C <= 9; C++)
      for (const seed of [0, 1, 42, 'abc']) {
        const p = cyclicPermutation(C, seed);
        assert.deepEqual(
          [...p].sort((a, b) => a - b),
          Array.from({ length: C }, (_, k) => k),
        );
        p.forEach((pi, i) => assert.notEqual(pi, i, `fixed point C=${C} seed=${seed}`));
        assert.deepEqual(cyclicPermutation(C, seed), p, 'deterministic');
      }
    const { similarity, permutation } = shuffledSimilarity(S3, 7);
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.equal(similarity[i][j], S3[permutation[i]][permutation[j]]);
    assert.deepEqual(similarity.flat().sort(), S3.flat().sort());
    assert.notDeepEqual(
      shuffledSimilarity(
        [
          [1, 0.9, 0.1, 0],
          [0.9, 1, 0, 0.2],
          [0.1, 0, 1, 0.3],
          [0, 0.2, 0.3, 1],
        ],
        1,
      ).similarity,
      [
        [1, 0.9, 0.1, 0],
        [0.9, 1, 0, 0.2],
        [0.1, 0, 1, 0.3],
        [0, 0.2, 0.3, 1],
      ],
    );
  });

  it('expands a table into per-sample targets', () => {
    const t = targetsForLabels(uniformSmoothing(3, 0.3), [2, 0]);
    assert.deepEqual(
      Array.from(t, x => Math.round(x * 1000) / 1000),
      [0.15, 0.15, 0.7, 0.7, 0.15, 0.15],
    );
    assert.throws(() => targetsForLabels(uniformSmoothing(3, 0.3), [3]), SemanticError);
  });

  it('rejects bad parameters with typed errors', () => {
    assert.throws(
      () => semanticSoftLabels(S3, { alpha: 1.5 }),
      (e: unknown) => e instanceof SemanticError && e.code === 'bad-params',
    );
    assert.throws(() => semanticSoftLabels(S3, { tau: 0 }), /tau/);
    assert.throws(() => semanticSoftLabels([[1, 0], [0]]), /row 1/);
    assert.throws(
      () =>
        semanticSoftLabels([
          [1, NaN],
          [NaN, 1],
        ]),
      /not finite/,
    );
  });
});
