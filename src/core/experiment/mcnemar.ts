// McNemar's test for two classifiers evaluated on the same samples: only the discordant pairs carry information
// (b = samples only model A gets right, c = only model B). Under H0 (equal error rates) b ~ Binomial(b + c, 1/2).
//   - b + c < EXACT_BELOW: exact two-sided binomial p = min(1, 2·P(X ≤ min(b, c))), since the chi-square
//     approximation is poor for few discordant pairs (the usual rule of thumb is b + c < 25).
//   - otherwise: the continuity-corrected statistic (|b − c| − 1)² / (b + c) against chi-square with 1 degree of
//     freedom, the form most papers report.
// Written here rather than taken from a library because it is twenty lines and the project has no statistics
// dependency; the tests check it against scipy's binomtest / chi2.sf values.

export const EXACT_BELOW = 25;

export interface McNemarResult {
  /** Samples only model A classified correctly. */
  onlyA: number;
  /** Samples only model B classified correctly. */
  onlyB: number;
  method: 'exact-binomial' | 'chi-square-cc';
  /** The continuity-corrected chi-square statistic (chi-square method only). */
  statistic: number | null;
  /** Two-sided p-value; 1 when there are no discordant pairs (nothing distinguishes the models). */
  pValue: number;
}

/** ln(n!) by summation: n is a sample count here (thousands at most), so exact summation is cheap and precise. */
function logFactorial(n: number): number {
  let s = 0;
  for (let k = 2; k <= n; k++) s += Math.log(k);
  return s;
}

/** P(X ≤ k) for X ~ Binomial(n, 1/2), summed in log space so large n neither overflows nor underflows early. */
export function binomialHalfCdf(k: number, n: number): number {
  if (k < 0) return 0;
  if (k >= n) return 1;
  const lnN = logFactorial(n),
    ln2n = n * Math.LN2;
  let lnFk = 0,
    lnFnk = lnN; // ln k!, ln (n−k)! maintained incrementally from k = 0
  let sum = 0;
  for (let j = 0; j <= k; j++) {
    if (j > 0) {
      lnFk += Math.log(j);
      lnFnk -= Math.log(n - j + 1);
    }
    sum += Math.exp(lnN - lnFk - lnFnk - ln2n);
  }
  return Math.min(1, sum);
}

/**
 * Complementary error function, Chebyshev fit of Numerical Recipes (erfcc), fractional error < 1.2e-7 everywhere:
 * ample for a p-value.
 */
export function erfc(x: number): number {
  const z = Math.abs(x),
    t = 1 / (1 + 0.5 * z);
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t *
          (1.00002368 +
            t *
              (0.37409196 +
                t *
                  (0.09678418 +
                    t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? r : 2 - r;
}

/** Upper tail of chi-square with one degree of freedom: P(χ²₁ > x) = erfc(√(x/2)). */
export function chiSquare1Sf(x: number): number {
  return x <= 0 ? 1 : erfc(Math.sqrt(x / 2));
}

export function mcnemar(onlyA: number, onlyB: number): McNemarResult {
  if (!Number.isInteger(onlyA) || !Number.isInteger(onlyB) || onlyA < 0 || onlyB < 0) {
    throw new RangeError(`McNemar needs non-negative integer counts, got onlyA=${onlyA}, onlyB=${onlyB}`);
  }
  const n = onlyA + onlyB;
  if (n < EXACT_BELOW) {
    return {
      onlyA,
      onlyB,
      method: 'exact-binomial',
      statistic: null,
      pValue: n === 0 ? 1 : Math.min(1, 2 * binomialHalfCdf(Math.min(onlyA, onlyB), n)),
    };
  }
  const statistic = (Math.abs(onlyA - onlyB) - 1) ** 2 / n;
  return { onlyA, onlyB, method: 'chi-square-cc', statistic, pValue: chiSquare1Sf(statistic) };
}
