// Spearman's ρ against scipy.stats.spearmanr values, and the Mantel test's behaviour on matrices whose link to the
// pair values is known (identical: smallest p; relabelled at random: p spread over (0, 1]).
import { strict as assert } from 'node:assert';
import { averageRanks, mantelTest, spearman, upperTriangle } from '../../../src/core/experiment/rankCorrelation';
import { seededRandom, shuffleInPlace } from '../../../src/core/data/seededRandom';

describe('experiment: rank correlation and Mantel test', () => {
  it('average ranks share ties, as scipy.stats.rankdata', () => {
    assert.deepEqual(averageRanks([10, 20, 20, 5]), [2, 3.5, 3.5, 1]);
  });

  it('Spearman matches scipy.stats.spearmanr (docs example with a tie) and is ±1 for monotone maps', () => {
    // scipy.stats.spearmanr([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]).statistic = 0.8207826816681233
    assert.ok(Math.abs(spearman([1, 2, 3, 4, 5], [5, 6, 7, 8, 7]) - 0.8207826816681233) < 1e-12);
    const x = [0.3, -1, 2, 7, 4.5];
    assert.equal(
      spearman(
        x,
        x.map(v => Math.exp(v)),
      ),
      1,
    );
    assert.equal(
      spearman(
        x,
        x.map(v => -v * v * v),
      ),
      -1,
    );
    assert.ok(Number.isNaN(spearman([1, 1, 1], [1, 2, 3])));
    assert.throws(() => spearman([1, 2], [1]), /equal length/);
  });

  it('Mantel: pair values that are the similarity itself give the smallest p; an unrelated matrix does not', () => {
    const C = 8,
      rand = seededRandom('mantel-test');
    const sim = Array.from({ length: C }, () => new Array<number>(C).fill(0));
    for (let i = 0; i < C; i++) for (let j = i; j < C; j++) sim[i][j] = sim[j][i] = i === j ? 1 : rand();
    const same = mantelTest(sim, upperTriangle(sim), 999, 3);
    assert.equal(same.rho, 1);
    assert.ok(same.pValue <= 2 / 1000, `p ${same.pValue}`);
    // Relabelled copies of the matrix: over 40 of them the p-values must not all be small (the test is not biased
    // towards finding a link) and must all lie in (0, 1].
    const ps: number[] = [];
    for (let k = 0; k < 40; k++) {
      const perm = shuffleInPlace(
        Array.from({ length: C }, (_, i) => i),
        rand,
      );
      ps.push(mantelTest(sim, upperTriangle(sim, perm), 199, k).pValue);
    }
    assert.ok(ps.every(p => p > 0 && p <= 1));
    assert.ok(ps.filter(p => p < 0.05).length <= 8, `${ps.filter(p => p < 0.05).length} of 40 below 0.05`);
    assert.ok(ps.filter(p => p > 0.5).length >= 10, `${ps.filter(p => p > 0.5).length} of 40 above 0.5`);
    assert.deepEqual(
      mantelTest(sim, upperTriangle(sim, [1, 0, 2, 3, 4, 5, 6, 7]), 99, 'x'),
      mantelTest(sim, upperTriangle(sim, [1, 0, 2, 3, 4, 5, 6, 7]), 99, 'x'),
      'seeded',
    );
    assert.throws(() => mantelTest(sim, [1, 2, 3]), /need 28 pair values/);
  });
});
