// McNemar's test against values worked by hand and checked with scipy (binomtest(b, b + c, 0.5).pvalue for the
// exact test; chi2.sf((|b − c| − 1)² / (b + c), 1) for the continuity-corrected chi-square form).
import { strict as assert } from 'node:assert';
import { binomialHalfCdf, chiSquare1Sf, EXACT_BELOW, mcnemar } from '../../../src/core/experiment/mcnemar';

const close = (a: number, b: number, rel = 1e-6) => assert.ok(Math.abs(a - b) <= rel * Math.max(Math.abs(b), 1e-300), `${a} ≉ ${b}`);

describe('experiment: McNemar test', () => {
  it('exact binomial p for few discordant pairs (hand-computed)', () => {
    // b=1, c=6: n=7, P(X ≤ 1) = (1 + 7)/2⁷ = 1/16, two-sided 1/8.
    const r = mcnemar(1, 6);
    assert.equal(r.method, 'exact-binomial');
    assert.equal(r.statistic, null);
    close(r.pValue, 0.125);
    // b=2, c=10: n=12, P(X ≤ 2) = (1 + 12 + 66)/4096, two-sided 158/4096.
    close(mcnemar(2, 10).pValue, 158 / 4096);
    // b=0, c=5: 2/2⁵.
    close(mcnemar(0, 5).pValue, 0.0625);
    // b=5, c=19 and 7, 17 (n=24, the largest exact case): scipy binomtest.
    close(mcnemar(5, 19).pValue, 0.006610751152038574);
    close(mcnemar(7, 17).pValue, 0.06391465663909912);
  });

  it('p = 1 when the discordant counts are equal or absent, and is symmetric in A and B', () => {
    assert.equal(mcnemar(0, 0).pValue, 1);
    assert.equal(mcnemar(3, 3).pValue, 1); // 2·42/64 > 1, capped
    assert.equal(mcnemar(12, 12).pValue, 1);
    for (const [b, c] of [
      [1, 6],
      [4, 15],
      [10, 30],
      [3, 40],
    ])
      assert.equal(mcnemar(b, c).pValue, mcnemar(c, b).pValue);
  });

  it('continuity-corrected chi-square from 25 discordant pairs on (scipy chi2.sf)', () => {
    const r = mcnemar(10, 30);
    assert.equal(r.method, 'chi-square-cc');
    close(r.statistic!, 361 / 40);
    close(r.pValue, 0.002663119259138558);
    close(mcnemar(25, 50).pValue, 0.005583616806378756);
    close(mcnemar(100, 80).pValue, 0.1567238679451147);
    assert.equal(mcnemar(12, 13).method, 'chi-square-cc', `${EXACT_BELOW} discordant pairs switch to chi-square`);
    assert.equal(mcnemar(12, 12).method, 'exact-binomial');
  });

  it('chi-square(1) tail at the textbook critical values', () => {
    close(chiSquare1Sf(3.841458820694124), 0.05, 2e-6);
    close(chiSquare1Sf(6.634896601021214), 0.01, 2e-6);
    close(chiSquare1Sf(10.827566170662733), 0.001, 2e-6);
    assert.equal(chiSquare1Sf(0), 1);
  });

  it('binomial CDF sums to 1 and stays finite for large n', () => {
    assert.equal(binomialHalfCdf(10, 10), 1);
    assert.equal(binomialHalfCdf(-1, 10), 0);
    close(binomialHalfCdf(1999, 4000) + binomialHalfCdf(1999, 4000) + Math.exp(lnChoose(4000, 2000) - 4000 * Math.LN2), 1, 1e-9);
  });

  it('rejects counts that are not non-negative integers', () => {
    assert.throws(() => mcnemar(-1, 2), RangeError);
    assert.throws(() => mcnemar(1.5, 2), RangeError);
  });
});

function lnChoose(n: number, k: number): number {
  let s = 0;
  for (let j = 1; j <= k; j++) s += Math.log(n - k + j) - Math.log(j);
  return s;
}
